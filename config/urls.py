from django.contrib import admin
from django.urls import include, path

from config import views

admin.site.site_header = "Harbour administration"
admin.site.site_title = "Harbour administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("privacy", views.privacy, name="privacy"),
    path("accounts/", include("accounts.urls")),
    path("school/", include("schools.urls")),
    path("pupils/import/", include("pupils.import_urls")),
    path("imports/", include("imports.urls")),
    path("pupils/", include("pupils.urls")),
    path("peps/", include("peps.urls")),
    path("peps/", include("peps.contributions.urls")),
    # Outside login: a contributor's secure link (peps/contributions/public_views.py).
    path("contribute/", include("peps.contributions.public_urls")),
    path("exclusions/", include("exclusions.urls")),
    path("pupil-premium/", include("pupil_premium.urls")),
    path("reports/", include("reports.urls")),
    path("attendance/", include("attendance.urls")),
    path("concerns/", include("concerns.urls")),
    path("outbox/", include("notifications.urls")),
    path("documents/", include("core.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "config.views.forbidden"
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
