"""The application's URLs and, beside them, the naive catalogue."""

from django.urls import include
from django.urls import path

from bench.naive import NaiveCatalogue
from bench.naive import chrome
from bench.naive import hello
from bench.naive import ping
from bench.naive import small_page

urlpatterns = [
    path("naive/ping/", ping, name="naive-ping"),
    path("naive/catalogue/", NaiveCatalogue.as_view(), name="naive-catalogue"),
    # The floors of issue 22: no session at all; a logged-in small template;
    # the page chrome with an empty content block.
    path("floor/hello/", hello, name="floor-hello"),
    path("floor/small/", small_page, name="floor-small"),
    path("floor/chrome/", chrome, name="floor-chrome"),
    path("", include("config.urls")),
]
