"""The one door to every record: the user's school and capabilities, and the decorator that
checks them.

``CurrentSchoolMiddleware`` puts ``request.school``, ``request.roles`` and
``request.capabilities`` on every request. Views declare what they need with
``@requires(Capability.X)`` and reach records only through ``for_school`` (or a per-model
helper built on it), so a record of another school is a 404 and its existence does not leak.
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme

M = TypeVar("M", bound=models.Model)


def _school(request: HttpRequest):
    """The school the user acts in, put on the request by ``CurrentSchoolMiddleware``."""
    return getattr(request, "school", None)


def _capabilities(request: HttpRequest) -> frozenset[str]:
    return getattr(request, "capabilities", frozenset())


def _all(queryset: "models.QuerySet[M] | type[M]") -> "models.QuerySet[M]":
    return queryset._default_manager.all() if isinstance(queryset, type) else queryset


# Capabilities are the role table's names (``accounts.roles.Capability``, a ``str`` enum); the door
# only compares them, so it needs nothing from accounts.
def requires(*capabilities: str, any_of: tuple[str, ...] = ()) -> Callable:
    """Let the request through only for a logged-in user acting in a school whose roles there
    hold every one of ``capabilities`` and, when given, at least one of ``any_of``. With
    neither, any member of the school passes."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if _school(request) is None:
                if request.user.memberships.exists():
                    return redirect_to_login(request.get_full_path(), "accounts:choose_school")
                raise PermissionDenied("You are not a member of any school in Harbour.")
            held = _capabilities(request)
            missing = [c for c in capabilities if c not in held]
            if missing or (any_of and not set(any_of) & held):
                raise PermissionDenied("Your role in this school does not include this page.")
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = (capabilities, any_of)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def has_capability(request: HttpRequest, capability: str) -> bool:
    return capability in _capabilities(request)


def for_school(request: HttpRequest, queryset: models.QuerySet[M] | type[M], **lookup) -> M:
    """Fetch one record of the user's current school, or 404.

    ``queryset`` must have a ``school`` field (directly). Models that reach their school
    through a parent narrow the queryset first and pass it here with ``school_path``.
    """
    school_path = lookup.pop("school_path", "school")
    return get_object_or_404(_all(queryset).filter(**{school_path: _school(request)}), **lookup)


def for_school_or_own(
    request: HttpRequest,
    queryset: models.QuerySet[M] | type[M],
    *,
    full_capability: str,
    owner_field: str = "raised_by",
    **lookup,
) -> M:
    """Fetch one record of the user's current school that the user may open, or 404.

    A user whose roles hold ``full_capability`` reaches every record of the school; anyone else
    only the records whose ``owner_field`` is themselves (DESIGN.md: a member of staff reads
    the concerns they raised, and nothing else of the record). Any other record is a 404, as
    another school's is, so a colleague's concern does not even show that it exists::

        concern = for_school_or_own(
            request, Concern, full_capability=Capability.ACT_ON_CONCERNS, pk=pk
        )

    The caller still decides what the owner may do with it (read-only, for a concern):
    ``has_capability(request, full_capability)`` says which of the two reached it.
    """
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    if not has_capability(request, full_capability):
        if not request.user.is_authenticated:
            raise Http404
        qs = qs.filter(**{owner_field: request.user})
    return for_school(request, qs, **lookup)


def school_records_or_own(
    request: HttpRequest,
    queryset: models.QuerySet[M] | type[M],
    *,
    full_capability: str,
    owner_field: str = "raised_by",
    school_path: str = "school",
) -> models.QuerySet[M]:
    """The list-page partner of ``for_school_or_own``: every record of the school for a user
    holding ``full_capability``, only their own for anyone else."""
    qs = school_records(request, queryset, school_path)
    if has_capability(request, full_capability):
        return qs
    if not request.user.is_authenticated:
        return qs.none()
    return qs.filter(**{owner_field: request.user})


def school_records(
    request: HttpRequest, queryset: models.QuerySet[M] | type[M], school_path: str = "school"
) -> models.QuerySet[M]:
    """Every record of the user's current school, for list pages."""
    return _all(queryset).filter(**{school_path: _school(request)})


def back_to(request: HttpRequest, fallback: str):
    """Redirect to a same-site ``next`` parameter, or to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
