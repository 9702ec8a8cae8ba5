"""The contributor's pages. Outside login: the link's token is the key, and the six-digit code
emailed to the same address proves the person holds that inbox before the questions open.

These pages show the child's first name and the questions, nothing else of the record: not
the surname, the school's records, the PEP or who else was asked. A link that does not work,
for whatever reason (unknown, expired, used, withdrawn, locked, its PEP completed), gets one
page that says so, with the same status, so the page tells a guesser nothing. Nothing here
is cached, and the address (which holds the token) is never sent on as a referrer.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.forms import saved
from peps.contributions import services
from peps.contributions.forms import AnswerForm, CodeForm
from peps.contributions.questions import Audience

# How long a confirmed code keeps the questions open in this browser.
VERIFIED_FOR = dt.timedelta(hours=2)


def _private(response):
    # The token is in the address: it is never sent to another site. Not "no-referrer": under
    # it Chromium sends "Origin: null" with the form's POST and Django's CSRF check refuses
    # every answer (found by the browser journey).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _closed(request):
    return _private(render(request, "peps/contributions/public/closed.html", status=404))


def _session_key(link) -> str:
    return f"pep-contribution-{link.pk}"


def _verified(request, link) -> bool:
    mark = request.session.get(_session_key(link))
    if not mark or mark.get("link") != link.token_hash:
        return False
    return timezone.now() - dt.datetime.fromisoformat(mark["at"]) <= VERIFIED_FOR


def _page(request, template, link, **context):
    return _private(
        render(
            request,
            f"peps/contributions/public/{template}",
            {
                # The child's first name only: the one thing of the record these pages show.
                "first_name": link.pep.pupil.forename,
                "is_child": link.audience == Audience.CHILD,
                "questions": [
                    q.easy_read if link.easy_read and q.easy_read else q.text
                    for q in link.question_objects
                ],
                **context,
            },
        )
    )


@never_cache
def start(request, token: str):
    today = timezone.localdate()
    link = services.link_for_token(token)
    if link is None:
        return _closed(request)
    error = ""
    try:
        if request.method == "POST":
            try:
                if services.code_send(link=link, today=today, request=request) is None:
                    return _closed(request)
                return _private(redirect("contribute:code", token=token))
            except ValidationError as refused:
                error = refused.messages[0]
        link = services.link_open(link=link, today=today, request=request)
    except services.LinkClosed:
        return _closed(request)
    if _verified(request, link):
        return _private(redirect("contribute:answer", token=token))
    return _page(request, "start.html", link, error=error)


@never_cache
def code(request, token: str):
    today = timezone.localdate()
    link = services.link_for_token(token)
    if link is None:
        return _closed(request)
    form = CodeForm(request.POST or None)
    try:
        if request.method == "POST" and form.is_valid():
            if services.code_check(
                link=link, code=form.cleaned_data["code"], today=today, request=request
            ):
                request.session.cycle_key()
                request.session[_session_key(link)] = {
                    "link": link.token_hash,
                    "at": timezone.now().isoformat(),
                }
                return _private(redirect("contribute:answer", token=token))
            link.refresh_from_db()
            if link.locked_at:
                return _closed(request)
            left = services.MAX_CODE_FAILURES - link.code_failures
            form.add_error(
                "code",
                "That code is not right or has expired. Check the latest email, or ask for a "
                f"new code. {left} {'try' if left == 1 else 'tries'} left.",
            )
        elif services.link_state(link, today=today) != services.LinkState.OPEN:
            return _closed(request)
    except services.LinkClosed:
        return _closed(request)
    return _page(request, "code.html", link, form=form, token=token)


@never_cache
def answer(request, token: str):
    today = timezone.localdate()
    link = services.link_for_token(token)
    if link is None or services.link_state(link, today=today) != services.LinkState.OPEN:
        return _closed(request)
    if not _verified(request, link):
        return _private(redirect("contribute:start", token=token))
    form = AnswerForm(request.POST or None, link=link)
    if request.method == "POST" and form.is_valid():

        def write():
            services.contribution_submit(
                link=link,
                answers=form.answers(),
                with_adult_help=form.cleaned_data.get("with_adult_help", False),
                today=today,
                request=request,
            )

        try:
            if saved(form, write):
                request.session.pop(_session_key(link), None)
                return _private(redirect("contribute:done"))
        except services.LinkClosed:
            return _closed(request)
    return _page(request, "answer.html", link, form=form, easy_read=link.easy_read)


@never_cache
def done(request):
    return _private(render(request, "peps/contributions/public/done.html"))
