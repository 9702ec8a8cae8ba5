"""The shared GOV.UK pagination keeps the page's filters in every link and elides long runs."""

import pytest

from core.models import AuditEvent


@pytest.mark.django_db
def test_pagination_keeps_filters_and_elides_long_runs(head_client, school):
    AuditEvent.objects.bulk_create(
        AuditEvent(action=f"pupil.viewed.{n}", school=school, pupil_id=7) for n in range(50 * 12)
    )

    page = head_client.get("/accounts/audit/", {"pupil_id": 7, "page": 6}).content.decode()

    assert 'aria-label="Pages of the audit log"' in page
    assert 'href="?pupil_id=7&amp;page=7" rel="next"' in page
    assert 'href="?pupil_id=7&amp;page=5" rel="prev"' in page
    assert 'aria-label="Page 6" aria-current="page"' in page
    assert 'aria-label="Page 12"' in page  # the last page is always offered
    assert 'aria-label="Page 2"' not in page  # ... but not every page between
    assert page.count("govuk-pagination__item--ellipses") == 2
