from django.conf import settings
from django.contrib import admin
from django.urls import include
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import readiness
from reports import metrics

admin.site.site_header = _("Customer-service archive administration")
admin.site.site_title = _("Customer-service archive")

urlpatterns = [
    # For load balancers and monitoring (core.readiness); no login.
    path("healthz/", readiness.alive, name="healthz"),
    path("readyz/", readiness.ready, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("use/", include("lending.urls")),
    path("retention/", include("retention.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("api/", include("api.urls")),
    path("", include("archives.urls")),
]

if settings.ARCHIVE_OIDC_ENABLED:
    # The company's single sign-on: its start and its return (accounts.sso).
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
