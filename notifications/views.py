from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.redaction import can_see_children
from accounts.roles import Capability
from core.access import for_school, requires, school_records
from core.audit import audit_record
from core.sensitivity import Sensitivity
from notifications import selectors
from notifications.audit import OutboxAction
from notifications.filters import OutboxFilter
from notifications.services import STUCK_ERROR, message_retry

PAGE_SIZE = 50


@requires(Capability.OVERSEE_RECORDS)
def outbox(request: HttpRequest) -> HttpResponse:
    # Messages without a school (password resets, sign-in notices) are for the Django admin
    # only: school_records leaves them out.
    filterset = OutboxFilter(
        request.GET,
        queryset=school_records(request, selectors.outbox_messages()),
        search_subjects=can_see_children(request.capabilities),
        capabilities=request.capabilities,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.outbox_rows_for(request.capabilities, school=request.school, messages=page)
    context = {"filter": filterset, "page": page, "rows": rows}
    return render(request, "notifications/outbox.html", context)


@requires(Capability.OVERSEE_RECORDS)
def outbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = for_school(request, selectors.outbox_message_detail(), pk=pk)
    # An email's body can name a child: reading it is logged like opening their record, on
    # the child's trail. Not for a SAFEGUARDING message: the administrator, who must not learn
    # that one exists, could find the event by the child's record number.
    about_child = message.sensitivity == Sensitivity.ORDINARY and message.about_pupil_id
    audit_record(
        action=OutboxAction.VIEWED,
        request=request,
        obj=message,
        pupil_id=message.about_pupil_id if about_child else None,
    )
    context = {
        "message": message,
        "row": selectors.outbox_row_for(
            request.capabilities, school=request.school, message=message
        ),
        # A worker stopped after claiming it: the recipient may have it already.
        "may_have_been_sent": message.last_error == STUCK_ERROR,
    }
    return render(request, "notifications/outbox_message.html", context)


@requires(Capability.OVERSEE_RECORDS)
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = for_school(request, selectors.outbox_message_detail(), pk=pk)
    try:
        message_retry(message=message, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The message to {message.recipient} will be sent again.")
    return redirect("notifications:outbox_message", pk=message.pk)
