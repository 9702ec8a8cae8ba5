"""The designated teacher's pages for views asked for before a PEP meeting: who was asked,
who has answered and when they were chased; asking someone; withdrawing a link; accepting or
setting aside each answer. Reading needs ``VIEW_COHORT``, changing ``EDIT_PUPILS``; a PEP of
another school is a 404 (``peps.access.pep_for``)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import Capability
from core.access import requires
from core.forms import saved
from peps.access import pep_for
from peps.contributions import selectors, services
from peps.contributions.audit import ContributionAction
from peps.contributions.forms import RequestForm, SetAsideForm
from peps.contributions.models import ContributionAnswer, ContributionRequest


def _back(pep):
    return redirect("contributions:list", pk=pep.pk)


@requires(Capability.VIEW_COHORT)
def contributions(request, pk: int):
    pep = pep_for(request, pk, read=ContributionAction.VIEWED, parts=False)
    today = timezone.localdate()
    return render(
        request,
        "peps/contributions/list.html",
        {
            "pep": pep,
            "pupil": pep.pupil,
            "rows": selectors.request_rows(pep, today=today),
            "can_edit": Capability.EDIT_PUPILS in request.capabilities and not pep.is_locked,
            # The safety question's answers: only those who act on concerns read them.
            "can_read_safety": Capability.ACT_ON_CONCERNS in request.capabilities,
        },
    )


@requires(Capability.EDIT_PUPILS)
def contribution_ask(request, pk: int):
    pep = pep_for(request, pk, parts=False)
    today = timezone.localdate()
    if pep.is_locked:
        messages.info(request, "Views can be asked for only while the PEP is a draft.")
        return _back(pep)
    people = selectors.people_to_ask(pep, today=today, asker=request.user)
    form = RequestForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def write():
            services.contribution_request(
                pep=pep,
                audience=data["audience"],
                name=data["name"],
                email=data["email"],
                contact=data["contact"],
                questions=data["questions"],
                easy_read=data["easy_read"],
                by=request.user,
                today=today,
                request=request,
            )

        if saved(form, write):
            messages.success(request, f"Link sent to {data['name']}")
            return _back(pep)
    return render(
        request,
        "peps/contributions/ask.html",
        {
            "form": form,
            "title": "Ask for views before the meeting",
            "caption": f"{pep.pupil.display_name}, {pep.term}",
            "button": "Send the link",
            "cancel_url": reverse("contributions:list", args=[pep.pk]),
            "pep": pep,
            "has_people": bool(people),
            "link_school_days": services.LINK_SCHOOL_DAYS,
        },
    )


@requires(Capability.EDIT_PUPILS)
@require_POST
def contribution_revoke(request, pk: int, link_id: int):
    pep = pep_for(request, pk, parts=False)
    link = get_object_or_404(ContributionRequest.objects.filter(pep=pep), pk=link_id)
    try:
        services.contribution_revoke(link=link, by=request.user, request=request)
        messages.success(request, f"The link sent to {link.name} no longer works")
    except services.ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(pep)


def _answer_for(pep, answer_id: int) -> ContributionAnswer:
    return get_object_or_404(
        ContributionAnswer.objects.filter(request__pep=pep).select_related("request"),
        pk=answer_id,
    )


@requires(Capability.EDIT_PUPILS)
@require_POST
def answer_accept(request, pk: int, answer_id: int):
    pep = pep_for(request, pk, parts=False)
    answer = _answer_for(pep, answer_id)
    try:
        services.answer_accept(answer=answer, by=request.user, request=request)
        messages.success(request, "Answer copied into the PEP")
    except services.ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(pep)


@requires(Capability.EDIT_PUPILS)
def answer_set_aside(request, pk: int, answer_id: int):
    pep = pep_for(request, pk, parts=False)
    answer = _answer_for(pep, answer_id)
    form = SetAsideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write():
            services.answer_set_aside(
                answer=answer, reason=form.cleaned_data["reason"], by=request.user, request=request
            )

        if saved(form, write):
            messages.success(request, "Answer set aside")
            return _back(pep)
    return render(
        request,
        "peps/contributions/ask.html",
        {
            "form": form,
            "title": "Set an answer aside",
            "caption": f"{pep.pupil.display_name}, {pep.term}",
            "button": "Set aside",
            "cancel_url": reverse("contributions:list", args=[pep.pk]),
            "pep": pep,
            "has_people": True,
        },
    )
