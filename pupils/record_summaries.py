"""Rows other apps add to the "Key facts" of a child's main record page. Like the chronology
and ``pupils.pep_hooks`` registries this lives below the feature apps (pupils may not import
them): an app registers a provider from its ``AppConfig.ready``::

    from pupils import record_summaries

    record_summaries.register("attendance", attendance_record_summary)

``provider(pupil, *, capabilities, today) -> [SummaryRow, ...]``. A provider decides from
``capabilities`` what the viewer may see (the record page itself needs VIEW_COHORT), runs a
fixed number of queries, and returns Harbour's own words and figures only. A provider that
raises ``ValidationError`` (term dates missing, say) is left out of the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class SummaryRow:
    label: str
    value: str
    url: str = ""  # a page with the detail, linked after the value
    link_text: str = ""


_providers: dict[str, Callable[..., Sequence[SummaryRow]]] = {}


def register(key: str, provider: Callable[..., Sequence[SummaryRow]]) -> None:
    """Register (or, for the same key, replace) one app's provider."""
    _providers[key] = provider


def rows_for(pupil, *, capabilities: Collection[str], today: dt.date) -> list[SummaryRow]:
    rows: list[SummaryRow] = []
    for key in sorted(_providers):
        try:
            rows.extend(_providers[key](pupil, capabilities=capabilities, today=today))
        except ValidationError:
            continue
    return rows
