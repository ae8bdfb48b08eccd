from django.contrib import admin
from django.urls import include
from django.urls import path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("archives.urls")),
]
