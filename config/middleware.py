"""Response headers that protect every page: a Content-Security-Policy on HTML, and no caching
of anything shown to a signed-in person."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class HtmlContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (the policy is ``CONTENT_SECURITY_POLICY`` in settings), for HTML
    responses only.

    The policy governs what a page may load and run; a CSV or a PDF runs nothing, and a
    browser's built-in PDF viewer can be broken by a policy meant for pages.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in person, pages and downloads
    alike: a child's record, a PEP PDF, the cohort CSV, backup codes. Nothing a signed-in person
    sees may be kept by the browser's cache (a shared computer in a staffroom) or a proxy, so the
    back button after signing out shows nothing.

    Static files are exempt (they are the same for everyone, and WhiteNoise, earlier in the
    chain, serves them in production before this runs). Signed-out pages (sign-in, the
    accessibility statement) show nothing private; they may be cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in_before = _signed_in(request)
        response = self.get_response(request)
        # After the view too: the response to signing in is the first a browser might cache.
        if (signed_in_before or _signed_in(request)) and not request.path.startswith(
            settings.STATIC_URL
        ):
            response["Cache-Control"] = "no-store"
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
