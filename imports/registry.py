"""The kinds of import Harbour runs through an ``ImportRun``: each app registers its own once
when it loads (``pupils/import_kinds.py``), as the chronology's sources do. The shared pages
(progress, outcome, confirm, cancel) work from the run and its kind alone, so attendance marks
can become the next kind without a page of their own.

A kind's ``preview`` and ``commit`` take the stored file's bytes and return a ``KindOutcome``;
``preview`` writes nothing, ``commit`` writes all or nothing. A file that cannot be read raises
``ImportFileUnreadable`` with a message a teacher can act on.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.roles import Capability


class ImportFileUnreadable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class KindOutcome:
    # One dict a row: label, upn, name, action (create/update/unchanged/refused), changes
    # ([label, old, new]), reasons, file_reasons, file_notes, notes, disagreements, existing,
    # from_record. ``existing`` and ``from_record`` say which rows hold a child's record.
    rows: list[dict[str, Any]]
    counts: dict[str, int]
    notices: list[str] = field(default_factory=list)
    file_format: str = ""
    can_commit: bool = False
    committed: bool = False


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportKind:
    name: str
    title: str  # "Import pupils"
    # A user with any of these may upload, preview, confirm and cancel this kind.
    capabilities: tuple[Capability, ...]
    # A user without this capability sees counts and row errors for existing records, never
    # Harbour's current values (imports.selectors).
    record_capability: Capability
    upload_url: str  # URL name of the kind's upload page
    preview: Callable[..., KindOutcome]  # (school=, name=, data=, today=, progress=)
    commit: Callable[..., KindOutcome]  # (school=, by=, name=, data=, today=, progress=)
    summary: Callable[[dict[str, int], bool], str]  # (counts, done) -> "3 to create, ..."
    done_url: Callable[[Any], str] | None = None  # (request) -> where to go after a commit
    done_text: str = "Go to the cohort register"  # the words of that link


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    _KINDS[kind.name] = kind


def kind_for(name: str) -> ImportKind:
    return _KINDS[name]


def all_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


def importer_capabilities() -> tuple[Capability, ...]:
    return tuple({c for kind in _KINDS.values() for c in kind.capabilities})


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
