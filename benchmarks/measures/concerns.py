"""The DSL's concern list of the largest school (open concerns first, as the DSL sees it)."""

from __future__ import annotations

from benchmarks.context import Context
from benchmarks.registry import page
from benchmarks.sessions import signed_in_client


@page(
    "dsl_concern_list",
    target="5x floor, <30 queries",
    description="The DSL's concern list of the largest school, signed in as the DSL",
)
def dsl_concern_list(ctx: Context):
    device = ctx.extra["device_of_user"][ctx.dsl_user_id]
    return signed_in_client(ctx.dsl_user_id, device, ctx.largest_school_id), "/concerns/"
