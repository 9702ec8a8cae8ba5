"""Real Celery workers on the real Redis broker, shared with the outbox's tests."""

from tests.notifications.conftest import broker, task_log, workers  # noqa: F401
