"""What the generators make and the measurements read: the scale, the fixed "today", and the
records the measurements start from (the largest school, its designated teacher, the child with
the most history)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

# Every run measures the same day, so the data and the reminders are the same each time:
# a Thursday in the spring term of 2025 to 2026.
TODAY = dt.date(2026, 1, 15)


@dataclass(frozen=True)
class Scale:
    name: str
    schools: int
    children: int
    largest_school: int  # children on the largest school's roll
    page_rounds: int  # requests per page (the median of these)
    load_seconds: int  # each load level
    load_users: tuple[int, ...] = (10, 50)
    import_rows: int = 2000  # the pupils CSV
    marks_import_children: int = 2000  # a school year of their marks (380 each): 760,000 rows
    pdf_rounds: int = 3  # each PDF is made this many times (the median)


SCALES = {
    # Issue 14: 200 schools, 12,000 children, 30 s at 10 and 50 users.
    "full": Scale(
        "full", schools=200, children=12_000, largest_school=400, page_rounds=30, load_seconds=30
    ),
    # Under two minutes: the same shapes, smaller.
    "small": Scale(
        "small",
        schools=10,
        children=600,
        largest_school=120,
        page_rounds=20,
        load_seconds=4,
        import_rows=200,
        marks_import_children=100,
        pdf_rounds=1,
    ),
}


@dataclass
class Context:
    scale: Scale
    today: dt.date = TODAY
    rng: random.Random = field(default_factory=lambda: random.Random(14))
    # Filled by the generators.
    counts: dict[str, int] = field(default_factory=dict)
    school_ids: list[int] = field(default_factory=list)
    largest_school_id: int = 0
    dt_user_id: int = 0  # the largest school's designated teacher
    dt_device_id: str = ""  # their confirmed TOTP device's persistent id
    dsl_user_id: int = 0
    head_user_id: int = 0
    most_history_pupil_id: int = 0
    draft_pep_id: int = 0
    completed_pep_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)  # for an app's own generator

    def count(self, **counts: int) -> None:
        for name, n in counts.items():
            self.counts[name] = self.counts.get(name, 0) + n
