import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.roles import Role
from config.celery import app as celery_app
from core.access import requires
from core.report_sections import WorkQueueShown, work_queues

logger = logging.getLogger(__name__)


@requires()
def home(request: HttpRequest) -> HttpResponse:
    """Each person's work queue: the parts registered in ``core.report_sections`` that their
    roles may see, each listing what is waiting for them."""
    labels = sorted(Role(role).label for role in request.roles)
    today = timezone.localdate()
    queues = [
        WorkQueueShown(
            queue,
            list(
                queue.items(
                    request.school, request.user, capabilities=request.capabilities, today=today
                )
            ),
        )
        for queue in work_queues(request.capabilities)
    ]
    return render(request, "home.html", {"role_labels": labels, "queues": queues})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and the person on call: can Harbour reach its database and the
    broker its reminders go through?"""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:
        logger.exception("healthz: database unreachable")
        return f"error: {error.__class__.__name__}"


def _check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # Kombu's Redis transport connects lazily: a ping proves the server answers.
            client = getattr(conn.default_channel, "client", None)
            if client is not None:
                client.ping()
        return "ok"
    except Exception as error:
        logger.exception("healthz: broker unreachable")
        return f"error: {error.__class__.__name__}"


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
