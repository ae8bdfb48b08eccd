from django.urls import path

from retention.views import appraisals
from retention.views import checks
from retention.views import complaints
from retention.views import incidents

app_name = "retention"
urlpatterns = [
    path("due/", appraisals.due_list, name="due-list"),
    path("appraisals/", appraisals.appraisal_list, name="appraisal-list"),
    path("appraisals/<int:pk>/", appraisals.appraisal_detail, name="appraisal-detail"),
    path("appraisals/<int:pk>/add/", appraisals.appraisal_add, name="appraisal-add"),
    path(
        "appraisals/<int:pk>/items/<int:item_pk>/decide/",
        appraisals.item_decide,
        name="item-decide",
    ),
    path(
        "appraisals/<int:pk>/list-undecided/",
        appraisals.appraisal_list_undecided,
        name="appraisal-list-undecided",
    ),
    path(
        "appraisals/<int:pk>/submit/",
        appraisals.appraisal_submit,
        name="appraisal-submit",
    ),
    path(
        "appraisals/<int:pk>/approve/",
        appraisals.appraisal_approve,
        name="appraisal-approve",
    ),
    path(
        "appraisals/<int:pk>/reject/",
        appraisals.appraisal_reject,
        name="appraisal-reject",
    ),
    path(
        "appraisals/<int:pk>/cancel/",
        appraisals.appraisal_cancel,
        name="appraisal-cancel",
    ),
    path(
        "appraisals/<int:pk>/execute/",
        appraisals.appraisal_execute,
        name="appraisal-execute",
    ),
    path(
        "appraisals/<int:pk>/confirm/",
        appraisals.appraisal_confirm,
        name="appraisal-confirm",
    ),
    path(
        "appraisals/<int:pk>/list.pdf",
        appraisals.appraisal_list_pdf,
        name="appraisal-list-pdf",
    ),
    path(
        "appraisals/<int:pk>/certificate.pdf",
        appraisals.appraisal_certificate_pdf,
        name="appraisal-certificate-pdf",
    ),
    path("holds/", appraisals.hold_list, name="hold-list"),
    path("holds/<int:pk>/release/", appraisals.hold_release_view, name="hold-release"),
    path("complaints/", complaints.complaint_list, name="complaint-list"),
    path("complaints/new/", complaints.complaint_create, name="complaint-create"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/take/", complaints.complaint_take, name="complaint-take"),
    path(
        "complaints/<int:pk>/close/",
        complaints.complaint_close,
        name="complaint-close",
    ),
    path(
        "complaints/<int:pk>/contact/",
        complaints.complaint_contact,
        name="complaint-contact",
    ),
    path("incidents/", incidents.incident_list, name="incident-list"),
    path("incidents/new/", incidents.incident_create, name="incident-create"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/act/", incidents.incident_action, name="incident-action"),
    path(
        "incidents/<int:pk>/close/",
        incidents.incident_close_view,
        name="incident-close",
    ),
    path("checks/", checks.check_list, name="check-list"),
    path("checks/start/<str:kind>/", checks.check_start, name="check-start"),
    path("checks/<int:pk>/", checks.check_detail, name="check-detail"),
    path("checks/<int:pk>/progress/", checks.check_progress, name="check-progress"),
    path("checks/<int:pk>/report.pdf", checks.check_pdf, name="check-pdf"),
    path("checks/<int:pk>/finish/", checks.check_finish, name="check-finish"),
    path("checks/<int:pk>/patrol/", checks.patrol_record, name="patrol-record"),
    path(
        "checks/<int:pk>/facilities/",
        checks.facilities_record,
        name="facilities-record",
    ),
    path("checks/<int:pk>/stocktake/", checks.stocktake, name="stocktake"),
    path("checks/<int:pk>/scan/", checks.stocktake_scan, name="stocktake-scan"),
    path(
        "checks/<int:pk>/scans/<int:scan_pk>/delete/",
        checks.stocktake_unscan,
        name="stocktake-unscan",
    ),
    path(
        "checks/<int:pk>/sheets.pdf", checks.stocktake_sheets, name="stocktake-sheets"
    ),
]
