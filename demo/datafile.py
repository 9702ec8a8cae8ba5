"""The demo's content lives in TOML files in ``demo/data/``, so changing what the demo shows is
an edit to prose, not to code. Dates in them are offsets from the day the demo is loaded (months
or days ago, weeks after a meeting), so the demo looks fresh whatever day it is loaded."""

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_datafile(name: str) -> dict[str, Any]:
    """The parsed contents of ``demo/data/<name>.toml``."""
    with (DATA_DIR / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def check_keys(cls: type, entry: dict[str, Any], where: str) -> None:
    """Refuse a key the dataclass ``cls`` does not have: a typo in a data file should stop the
    loader, not quietly leave a field at its default."""
    unknown = set(entry) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
