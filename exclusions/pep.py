"""The PEP's "attendance and exclusions" section, filled from this app through
``pupils.pep_hooks`` (peps does not import exclusions)."""

import datetime as dt

from exclusions.selectors import pep_exclusions


def pep_exclusion_fields(pupil, *, term, today: dt.date) -> dict:
    """The suspensions and school days suspended in the term's school year, up to today (or
    the term's last day, for a PEP of a term that has ended)."""
    figures = pep_exclusions(pupil, on=min(today, term.last_day))
    return {"suspensions": figures.suspensions, "suspension_days": figures.suspension_days}
