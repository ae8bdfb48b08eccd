"""The application's URLs with the single sign-on's pages, as config/urls.py
has them when ARCHIVE_OIDC_* is set (tests/accounts/test_single_sign_on.py)."""

from django.urls import include
from django.urls import path

from config.urls import urlpatterns as application

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *application]
