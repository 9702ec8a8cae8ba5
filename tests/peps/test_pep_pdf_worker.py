"""A completed PEP's PDF, end to end on the real Redis broker and a Celery worker: the PEP's
transaction commits, the task is queued on commit, the worker makes the PDF and queues it for
the Virtual School."""

import pytest

from core.models import ReportRun
from notifications.models import OutboxMessage
from peps import services
from tests.notifications.conftest import broker, wait_until, workers  # noqa: F401 (fixtures)
from tests.peps.conftest import D, fill

pytestmark = pytest.mark.slow


def test_the_worker_makes_a_completed_peps_pdf_and_queues_it_for_the_virtual_school(
    workers,  # noqa: F811
    draft,
    teacher,
    cambridgeshire,
):
    fill(draft, teacher)
    with workers(1):
        services.pep_complete(pep=draft, by=teacher, today=D(2026, 10, 20))
        run = wait_until(
            lambda: ReportRun.objects.filter(state__in=["ready", "failed"]).first(),
            what="the PEP's PDF to be made",
        )
        assert run.state == "ready", run.error
        message = wait_until(
            lambda: OutboxMessage.objects.filter(recipient=cambridgeshire.email).first(),
            what="the PEP to be queued for the Virtual School",
        )
    assert bytes(message.attachment) == bytes(run.content)
    assert message.attachment_name == run.filename
