from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("monthly/", views.monthly_list, name="monthly-list"),
    path("monthly/<str:month>/", views.monthly_detail, name="monthly-detail"),
    path("monthly/<str:month>/report.pdf", views.monthly_pdf, name="monthly-pdf"),
    path("monthly/<str:month>/report.xlsx", views.monthly_xlsx, name="monthly-xlsx"),
    path("annual/", views.annual, name="annual"),
    path("annual/<int:year>/report.pdf", views.annual_pdf, name="annual-pdf"),
    path("annual/<int:year>/report.xlsx", views.annual_xlsx, name="annual-xlsx"),
    path("export/<str:name>.<str:fmt>", views.export, name="export"),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
    path("exports/<int:pk>/again/", views.export_again, name="export-again"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/import/", views.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/again/", views.import_again, name="import-again"),
    path(
        "imports/template/<str:kind>.csv", views.import_template, name="import-template"
    ),
]
