"""The registry each app fills for `make bench`.

An app adds a module ``benchmarks/generators/<app>.py`` with functions like::

    @generator("attendance", after=["pupils"])
    def attendance(ctx: Context) -> dict:   # bulk-load the app's data; return row counts
        ...

and a module ``benchmarks/measures/<app>.py`` with measurements::

    @page("dashboard", target="5x floor, <30 queries")
    def dashboard(ctx: Context) -> str:      # the URL to GET, as the largest school's DT
        return "/dashboard/"

    @sweep("attendance_concerns")
    def attendance_concerns(ctx: Context) -> None:  # the sweep's work, timed and counted
        ...

``pdf`` and ``data_import`` are timed the same way as ``sweep``. A measurement of an app not
in the tree yet is registered with ``not_built(...)`` in ``benchmarks/measures/placeholders.py``
so the results say "not built yet" instead of leaving it out; the app's own registration
replaces the placeholder (same kind and name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Measurement kinds, in the order the report shows them.
KINDS = ("page", "pdf", "sweep", "import", "load")


@dataclass
class Generator:
    name: str
    after: tuple[str, ...]
    function: Callable[[Any], dict]


@dataclass
class Measurement:
    kind: str
    name: str
    function: Callable[[Any], Any] | None  # None: not built yet
    target: str = ""
    description: str = ""
    app: str = ""
    options: dict = field(default_factory=dict)

    @property
    def built(self) -> bool:
        return self.function is not None


GENERATORS: dict[str, Generator] = {}
MEASUREMENTS: dict[tuple[str, str], Measurement] = {}


def generator(name: str, *, after: list[str] | tuple[str, ...] = ()) -> Callable:
    def register(function: Callable) -> Callable:
        if name in GENERATORS:
            raise ValueError(f"Generator {name!r} is registered twice")
        GENERATORS[name] = Generator(name, tuple(after), function)
        return function

    return register


def _measure(kind: str, name: str, *, target: str = "", description: str = "", **options):
    def register(function: Callable) -> Callable:
        existing = MEASUREMENTS.get((kind, name))
        if existing is not None and existing.built:
            raise ValueError(f"Measurement {kind} {name!r} is registered twice")
        MEASUREMENTS[(kind, name)] = Measurement(
            kind,
            name,
            function,
            target=target or (existing.target if existing else ""),
            description=description or (existing.description if existing else ""),
            app=function.__module__.rsplit(".", 1)[-1],
            options=options,
        )
        return function

    return register


def page(name: str, **kwargs) -> Callable:
    """The function returns ``(client, url)`` or a URL (then as the largest school's DT)."""
    return _measure("page", name, **kwargs)


def pdf(name: str, **kwargs) -> Callable:
    """The function renders the document once (a report run's work, in this process)."""
    return _measure("pdf", name, **kwargs)


def sweep(name: str, **kwargs) -> Callable:
    """The function runs the sweep once over every school; it may return a summary dict."""
    return _measure("sweep", name, **kwargs)


def data_import(name: str, **kwargs) -> Callable:
    """The function returns a dict with at least ``rows``, ``seconds``, ``floor_seconds``."""
    return _measure("import", name, **kwargs)


def load(name: str, **kwargs) -> Callable:
    """The function returns the URL path each simulated user GETs."""
    return _measure("load", name, **kwargs)


def not_built(kind: str, name: str, *, app: str, target: str = "", description: str = "") -> None:
    """A measurement the lead fills in when ``app`` lands: reported as "not built yet"."""
    if (kind, name) not in MEASUREMENTS:
        MEASUREMENTS[(kind, name)] = Measurement(
            kind, name, None, target=target, description=description, app=app
        )


def generators_in_order() -> list[Generator]:
    """Each generator after the ones it names (a missing one is skipped: its app is not here)."""
    done: list[Generator] = []
    seen: set[str] = set()

    def visit(gen: Generator, path: tuple[str, ...]) -> None:
        if gen.name in seen:
            return
        if gen.name in path:
            raise ValueError(f"Generators depend on each other in a cycle: {path}")
        for name in gen.after:
            if name in GENERATORS:
                visit(GENERATORS[name], (*path, gen.name))
        seen.add(gen.name)
        done.append(gen)

    for gen in sorted(GENERATORS.values(), key=lambda g: g.name):
        visit(gen, ())
    return done
