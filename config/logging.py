"""Every log line written while Harbour answers a request says which request, user and school
it belongs to, so the person on call can follow one teacher's failed save through the logs
without the log ever holding a child's details."""

import contextvars
import logging
import uuid

_request = contextvars.ContextVar("harbour_request", default=None)


class RequestContextMiddleware:
    """Placed after the current-school middleware: names the request (reusing a proxy's
    X-Request-ID when it sends a sane one) and returns the id in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if given.isalnum() and len(given) <= 64 else uuid.uuid4().hex
        token = _request.set(
            {
                "request_id": request_id,
                "user_id": request.user.pk if request.user.is_authenticated else None,
                "school_id": request.school.pk if request.school else None,
            }
        )
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and school_id to each record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _request.get() or {}
        for key in ("request_id", "user_id", "school_id"):
            setattr(record, key, context.get(key))
        return True
