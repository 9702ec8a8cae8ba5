from django.conf import settings

from accounts.navigation import navigation_for


def harbour(request) -> dict:
    return {
        "two_factor_off": not settings.TWO_FACTOR_REQUIRED,
        "current_school": getattr(request, "school", None),
        "capabilities": getattr(request, "capabilities", frozenset()),
        "navigation": navigation_for(request),
    }
