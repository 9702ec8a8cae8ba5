"""Where a safety worry given about a child outside the safeguarding app reaches the DSL team.

The feature apps are independent of each other (import-linter: peps may not import concerns),
so, like ``pupils.pep_hooks``, this registry lives below them: the app that hears a worry (a
child's answer to "is there anything that makes you feel unsafe?" in a PEP contribution) calls
``safety_worry_given``, and the app that records concerns registers a listener from its
``AppConfig.ready``::

    on_safety_worry(listener)  # listener(worry: SafetyWorry) -> None

A listener runs inside the caller's transaction (a listener that raises rolls the answer back:
a worry is never half-recorded). ``safety_worry_given`` returns whether any listener took it;
when none is registered, the caller falls back to telling the DSL team itself (by email, with a
link only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pupils.models import Pupil


@dataclass(frozen=True)
class SafetyWorry:
    pupil: Pupil
    # Where it came from, in Harbour's words: "pep_contribution".
    source: str
    # Who gave it, in words a DSL reads: "Jade, in their own words (PEP contribution link)".
    given_by: str
    words: str
    given_at: dt.datetime
    # The record it came from, for the DSL's reference ("peps.contributionrequest", 12).
    source_model: str = ""
    source_id: int | None = None


_listeners: list[Callable[[SafetyWorry], None]] = []


def on_safety_worry(listener: Callable[[SafetyWorry], None]) -> Callable:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def remove_listener(listener: Callable) -> None:
    """For tests of the fallback (no safeguarding app listening)."""
    if listener in _listeners:
        _listeners.remove(listener)


def listeners() -> list[Callable]:
    return list(_listeners)


def safety_worry_given(worry: SafetyWorry) -> bool:
    """Hand ``worry`` to every listener; False when nobody listens (the caller then tells the
    DSL team itself)."""
    for listener in _listeners:
        listener(worry)
    return bool(_listeners)
