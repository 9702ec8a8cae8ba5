"""Log lines carry the request, user and school they belong to; JSON lines in production."""

import json
import logging

import pytest

from config.logging import RequestContextFilter, RequestContextMiddleware


def _record() -> logging.LogRecord:
    return logging.LogRecord("harbour", logging.INFO, __file__, 1, "saved", None, None)


@pytest.mark.django_db
def test_a_request_names_itself_and_its_user_and_school_in_the_logs(rf, school):
    from tests.conftest import member

    user = member(school)
    request = rf.get("/", HTTP_X_REQUEST_ID="abc123")
    request.user, request.school = user, school
    seen = {}

    def view(request):
        record = _record()
        RequestContextFilter().filter(record)
        seen.update(request_id=record.request_id, user=record.user_id, school=record.school_id)
        from django.http import HttpResponse

        return HttpResponse()

    response = RequestContextMiddleware(view)(request)
    assert seen == {"request_id": "abc123", "user": user.pk, "school": school.pk}
    assert response["X-Request-ID"] == "abc123"
    # Outside the request, nothing is left behind.
    record = _record()
    RequestContextFilter().filter(record)
    assert record.request_id is None


def test_an_odd_request_id_from_outside_is_replaced(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    request = rf.get("/", HTTP_X_REQUEST_ID="<script>")
    request.user, request.school = AnonymousUser(), None
    response = RequestContextMiddleware(lambda r: HttpResponse())(request)
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


def test_json_lines_include_the_request_context():
    from pythonjsonlogger.json import JsonFormatter

    record = _record()
    RequestContextFilter().filter(record)
    line = json.loads(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s").format(record)
    )
    assert line["message"] == "saved"
    assert "request_id" in line and "school_id" in line
