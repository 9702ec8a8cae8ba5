from django.conf import settings
from django.shortcuts import redirect

from accounts.roles import capabilities_for

SCHOOL_SESSION_KEY = "harbour_school_id"

# Pages a signed-in user may reach before finishing two-factor authentication.
_BEFORE_SECOND_FACTOR = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/password-reset/",
    "/static/",
    "/healthz",
    "/accessibility",
    "/privacy",
)


class TwoFactorRequiredMiddleware:
    """Send a user who has given only their password to verify (or set up) their second factor.

    Applies to every URL, the Django admin included, so a new page cannot forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_BEFORE_SECOND_FACTOR)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)


class CurrentSchoolMiddleware:
    """Work out once per request which school the user is acting in and what their roles there
    let them do: ``request.school``, ``request.roles``, ``request.capabilities``,
    ``request.user_schools``. One query (memberships with their schools) for a signed-in user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.roles = frozenset()
        request.capabilities = frozenset()
        request.user_schools = []
        if request.user.is_authenticated:
            self._resolve(request)
        return self.get_response(request)

    @staticmethod
    def _resolve(request) -> None:
        roles_by_school: dict[int, set[str]] = {}
        for membership in request.user.memberships.select_related("school"):
            if membership.school_id not in roles_by_school:
                request.user_schools.append(membership.school)
            roles_by_school.setdefault(membership.school_id, set()).add(membership.role)
        chosen = request.session.get(SCHOOL_SESSION_KEY)
        if chosen not in roles_by_school and len(roles_by_school) == 1:
            chosen = next(iter(roles_by_school))
        if chosen in roles_by_school:
            request.school = next(s for s in request.user_schools if s.pk == chosen)
            request.roles = frozenset(roles_by_school[chosen])
            request.capabilities = capabilities_for(request.roles)
