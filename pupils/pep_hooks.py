"""Where other feature apps plug into PEPs. The feature apps are independent of each other
(import-linter: neither peps nor, say, pupil_premium may import the other), so, like the
chronology registry, this registry lives below them: peps calls it, and an app registers
into it from its ``AppConfig.ready``:

* ``on_pep_completed(listener)``: ``listener(pep=..., by=..., today=..., request=...)`` runs
  inside ``peps.services.pep_complete``'s transaction, after the PEP is marked completed (a
  correction's old version already superseded). The completed PEP's reviews of earlier targets
  are final at that moment, so "a target was reviewed" is read from ``pep.reviews`` here.
  A listener that raises rolls the completion back.
* ``pep_fields_provider(name, provider)``: ``provider(pupil, *, term, today) -> dict`` of
  ``PersonalEducationPlan`` field values (``{"suspensions": 1, "suspension_days":
  Decimal("3")}``); ``pep_start`` fills a new draft from every provider (exclusions,
  attendance). A provider that raises ``ValidationError`` (term dates missing, say) is left
  out: the teacher types the figures instead. ``pep_fields_refreshed(pep, today=...)`` asks
  the same providers again for a draft, as of its meeting date (today until one is set):
  ``peps.services.pep_figures_fresh`` offers them when a draft is opened (the PEP page says
  the record has moved on) or edited (the form starts from them), so a suspension decided
  after the PEP was started reaches it.
* ``summary_provider(name, provider)``: ``provider(*, pupil, until) -> [(label, text), ...]``
  for a section of the PEP's page and PDF drawn from another app's records (the school year's
  attendance up to the meeting, ``ATTENDANCE_SUMMARY``); ``summary(name, ...)`` returns [] when
  no app provides it.
* ``target_status_provider(provider)``: ``provider(targets) -> {target_pk: TargetStatus}``
  for a list of one PEP's targets; the PEP page and the PEP's PDF show each status beside its
  target (the PDF its text only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class TargetStatus:
    text: str  # "PP+ £400.00: approved by the Virtual School"
    url: str = ""  # a page about it, for the PEP page (never shown in a PDF)
    link_text: str = ""


_completed_listeners: list[Callable] = []
_fields_providers: dict[str, Callable[..., dict]] = {}
_target_status_providers: list[Callable[[Sequence], dict[int, TargetStatus]]] = []


def on_pep_completed(listener: Callable) -> Callable:
    if listener not in _completed_listeners:
        _completed_listeners.append(listener)
    return listener


def pep_fields_provider(name: str, provider: Callable[..., dict]) -> None:
    """Register (or, for the same name, replace) one app's provider of a new PEP's figures."""
    _fields_providers[name] = provider


def pep_fields_from_providers(pupil, *, term, today) -> dict:
    values: dict = {}
    for provider in _fields_providers.values():
        try:
            values.update(provider(pupil, term=term, today=today))
        except ValidationError:
            continue
    return values


def pep_fields_refreshed(pep, *, today) -> dict:
    """The providers' figures for the draft ``pep`` as of its meeting date, or today while it
    has none (never a day after today: a meeting typed in advance is not counted ahead)."""
    on = min(pep.meeting_date or today, today)
    return pep_fields_from_providers(pep.pupil, term=pep.term, today=on)


# The school year's attendance up to the meeting date (attendance.pep_provider).
ATTENDANCE_SUMMARY = "attendance_summary"
_summary_providers: dict[str, Callable[..., list[tuple[str, str]]]] = {}


def summary_provider(name: str, provider: Callable[..., list[tuple[str, str]]]) -> None:
    _summary_providers[name] = provider


def summary(name: str, *, pupil, until) -> list[tuple[str, str]]:
    provider = _summary_providers.get(name)
    return provider(pupil=pupil, until=until) if provider else []


def target_status_provider(provider: Callable) -> Callable:
    if provider not in _target_status_providers:
        _target_status_providers.append(provider)
    return provider


def pep_completed(*, pep, by, today, request=None) -> None:
    for listener in _completed_listeners:
        listener(pep=pep, by=by, today=today, request=request)


def target_statuses(targets: Sequence) -> dict[int, list[TargetStatus]]:
    """Every registered status of each target, by target pk (an empty list when none)."""
    found: dict[int, list[TargetStatus]] = {t.pk: [] for t in targets}
    if not targets:
        return found
    for provider in _target_status_providers:
        for pk, status in provider(targets).items():
            if pk in found:
                found[pk].append(status)
    return found
