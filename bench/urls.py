"""The application's URLs and, beside them, the naive catalogue."""

from django.urls import include
from django.urls import path

from bench.naive import NaiveCatalogue
from bench.naive import ping

urlpatterns = [
    path("naive/ping/", ping, name="naive-ping"),
    path("naive/catalogue/", NaiveCatalogue.as_view(), name="naive-catalogue"),
    path("", include("config.urls")),
]
