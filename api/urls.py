"""/api/v1/ and the OpenAPI schema with its documentation pages."""

from django.urls import include
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularRedocView
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.csp import relaxed_csp
from api import views

router = DefaultRouter()
router.register("categories", views.CategoryViewSet, basename="category")
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("storerooms", views.StoreroomViewSet, basename="storeroom")
router.register("boxes", views.BoxViewSet, basename="box")
router.register("records", views.RecordViewSet, basename="record")
router.register("uploads", views.UploadViewSet, basename="upload")
router.register("requests", views.AccessRequestViewSet, basename="request")
router.register(
    "reports/monthly", views.MonthlyReportViewSet, basename="monthly-report"
)
router.register("reports/statistics", views.StatisticsViewSet, basename="statistics")
router.register("reports/annual", views.AnnualReportViewSet, basename="annual-report")

app_name = "api"
urlpatterns = [
    path("v1/version/", views.VersionView.as_view(), name="version"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        relaxed_csp(SpectacularSwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        relaxed_csp(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
]
