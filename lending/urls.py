from django.urls import path

from lending.views import catalogue
from lending.views import desk
from lending.views import owners
from lending.views import partners
from lending.views import requests

app_name = "lending"
urlpatterns = [
    path("requests/", requests.request_list_mine, name="my-requests"),
    path("find/", catalogue.request_catalogue, name="request-catalogue"),
    path("find/list/", catalogue.cart_view, name="cart"),
    path("find/list/add/", catalogue.cart_add, name="cart-add"),
    path("find/list/remove/", catalogue.cart_remove, name="cart-remove"),
    path("requests/new/<str:kind>/", requests.request_create, name="request-create"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/form.pdf", desk.request_form_pdf, name="request-pdf"),
    path(
        "requests/<int:pk>/withdraw/",
        requests.request_withdraw,
        name="request-withdraw",
    ),
    path(
        "requests/<int:pk>/hand-over/", desk.request_hand_over, name="request-hand-over"
    ),
    path("requests/<int:pk>/return/", desk.request_take_back, name="request-return"),
    path("requests/<int:pk>/extend/", requests.extension_ask, name="request-extend"),
    path("requests/<int:pk>/effect/", requests.use_effect_tell, name="request-effect"),
    path("steps/<int:pk>/decide/", requests.step_sign, name="step-decide"),
    path("steps/<int:pk>/fill/", requests.step_fill, name="step-fill"),
    path(
        "extensions/<int:pk>/decide/", requests.extension_sign, name="extension-decide"
    ),
    path("approvals/", desk.approvals, name="approvals"),
    path("desk/", desk.desk, name="desk"),
    path("desk/scan/", desk.scan, name="scan"),
    path(
        "desk/overdue/<int:pk>/letter.pdf",
        desk.overdue_letter_pdf,
        name="overdue-letter",
    ),
    path("desk/pull-list.pdf", desk.pull_list_pdf, name="pull-list-pdf"),
    path("registers/<str:kind>/", desk.register, name="register"),
    path("registers/<str:kind>/register.pdf", desk.register_pdf, name="register-pdf"),
    path("clearance/", desk.clearance_choose, name="clearance-choose"),
    path("clearance/<int:pk>/", desk.clearance, name="clearance"),
    # Partners under a confidentiality agreement (issue 20, item 1).
    path("partners/", partners.partner_list, name="partner-list"),
    path("partners/new/", partners.partner_create, name="partner-create"),
    path("partners/used/", partners.partner_usage, name="partner-usage"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner-edit"),
    path(
        "partners/<int:pk>/people/",
        partners.partner_member_add,
        name="partner-member-add",
    ),
    path(
        "partners/<int:pk>/agreements/",
        partners.agreement_register,
        name="agreement-register",
    ),
    path(
        "partners/agreements/<int:pk>/end/",
        partners.agreement_end,
        name="agreement-end",
    ),
    path(
        "partners/agreements/<int:pk>/signed.pdf",
        partners.agreement_file,
        name="agreement-file",
    ),
    path("owners/", owners.owner_list, name="owner-list"),
    path("owners/new/", owners.owner_create, name="owner-create"),
    path("owners/<int:pk>/", owners.owner_detail, name="owner-detail"),
    path("owners/<int:pk>/decide/", owners.owner_decide, name="owner-decide"),
    path("owners/<int:pk>/reveal/", owners.owner_reveal, name="owner-reveal"),
    path("owners/<int:pk>/viewing/", owners.owner_viewing, name="owner-viewing"),
    path("owners/<int:pk>/copies/", owners.owner_copy, name="owner-copy"),
    path("owners/<int:pk>/receipt/", owners.owner_receipt, name="owner-receipt"),
    path("owners/<int:pk>/form.pdf", owners.owner_form_pdf, name="owner-pdf"),
    path(
        "owners/<int:pk>/copies/<int:record_pk>.pdf",
        owners.owner_copy_pdf,
        name="owner-copy-pdf",
    ),
    path("copies/<str:code>/", owners.copy_verify, name="copy-verify"),
]
