"""The floor, the home page and the school calendar (the foundation every deadline uses)."""

import datetime as dt

from benchmarks.context import Context
from benchmarks.registry import page, sweep
from schools.models import School
from schools.schooldays import SchoolCalendar


@page("floor", description="Signed in, the base template through every middleware: the floor")
def floor(ctx: Context) -> str:
    return "/__bench__/floor"


@page("home", target="5x floor, <30 queries", description="The home page")
def home(ctx: Context) -> str:
    return "/"


@sweep(
    "school_calendars",
    target="<10 s",
    description="Every school's calendar built and asked 300 deadlines (20 school days on)",
)
def school_calendars(ctx: Context) -> dict:
    answered = 0
    for school in School.objects.filter(pk__in=ctx.school_ids):
        calendar = SchoolCalendar.for_school(school)
        for d in range(300):
            calendar.add_school_days(dt.date(2024, 9, 1) + dt.timedelta(d), 20)
            answered += 1
    return {"deadlines": answered}
