from django.urls import path

from archives.views import arrangement
from archives.views import catalogue
from archives.views import dossiers
from archives.views import handover
from archives.views import mail
from archives.views import reading
from archives.views import records
from archives.views import review
from archives.views import storage

app_name = "archives"
urlpatterns = [
    path("", catalogue.home, name="home"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path(
        "catalogue/selection/",
        catalogue.catalogue_selection,
        name="catalogue-selection",
    ),
    path("catalogue/searches/", catalogue.search_save_view, name="search-save"),
    path("pick/customers/", catalogue.pick_customers, name="pick-customers"),
    path(
        "catalogue/searches/<int:pk>/delete/",
        catalogue.search_delete_view,
        name="search-delete",
    ),
    path("records/new/", records.record_choose_category, name="record-choose-category"),
    path("records/new/<str:code>/", records.record_create, name="record-create"),
    path("mail/", mail.mail, name="mail"),
    path("mail/rules/<int:pk>/delete/", mail.mail_rule_delete, name="mail-rule-delete"),
    path(
        "records/new/<str:code>/from-mail/",
        records.record_from_mail,
        name="record-from-mail",
    ),
    path("records/mine/", records.record_list_mine, name="record-list-mine"),
    path("records/submit/", records.records_submit, name="records-submit"),
    path("records/<int:pk>/", records.record_detail, name="record-detail"),
    path("records/<int:pk>/edit/", records.record_edit, name="record-edit"),
    path("records/<int:pk>/move/", records.record_move, name="record-move"),
    path("records/<int:pk>/history/", records.record_history, name="record-history"),
    path(
        "records/<int:pk>/nearby-boxes/",
        records.record_nearby_boxes,
        name="record-nearby-boxes",
    ),
    path("records/<int:pk>/correct/", records.record_correct, name="record-correct"),
    path(
        "records/<int:pk>/level/", records.record_reclassify, name="record-reclassify"
    ),
    path("records/<int:pk>/links/", records.record_link, name="record-link"),
    path("records/links/<int:pk>/delete/", records.record_unlink, name="record-unlink"),
    path("files/<int:pk>/download/", reading.file_download, name="file-download"),
    path("files/<int:pk>/read/", reading.file_read, name="file-read"),
    path("files/<int:pk>/pages/<int:number>/", reading.file_page, name="file-page"),
    path("files/<int:pk>/stream/", reading.file_stream, name="file-stream"),
    path("files/<int:pk>/print/", reading.file_print, name="file-print"),
    path("copies/<int:pk>/download/", reading.copy_download, name="copy-download"),
    path("copies/<int:pk>/retry/", records.copy_retry, name="copy-retry"),
    path(
        "records/<int:pk>/checks.pdf",
        records.record_file_checks_pdf,
        name="record-checks-pdf",
    ),
    path("review/", review.review_queue, name="review-queue"),
    path("review/accept/", review.review_accept_bulk, name="review-accept-bulk"),
    path("review/pick/boxes/", review.pick_boxes, name="pick-boxes"),
    path("review/<int:pk>/", review.review_record, name="review-record"),
    path("review/<int:pk>/accept/", review.review_accept, name="review-accept"),
    path("review/<int:pk>/return/", review.review_return, name="review-return"),
    path("storage/", storage.storeroom_list, name="storeroom-list"),
    path("storage/boxes/<int:pk>/", storage.box_detail, name="box-detail"),
    path("storage/boxes/<int:pk>/edit/", storage.box_edit, name="box-edit"),
    path("storage/boxes/<int:pk>/empty/", storage.box_empty, name="box-empty"),
    path("storage/new/", storage.storeroom_create, name="storeroom-create"),
    path("storage/<int:pk>/edit/", storage.storeroom_edit, name="storeroom-edit"),
    path("storage/<int:pk>/shelves/new/", storage.shelf_create, name="shelf-create"),
    path("storage/shelves/<int:pk>/edit/", storage.shelf_edit, name="shelf-edit"),
    path("storage/shelves/<int:pk>/boxes/new/", storage.box_create, name="box-create"),
    path("storage/boxes/<int:pk>/label.pdf", storage.box_label, name="box-label"),
    # DA/T 22 arrangement outputs (issue 20, item 3).
    path(
        "storage/boxes/<int:pk>/stamps.pdf", arrangement.box_stamps, name="box-stamps"
    ),
    path("storage/boxes/<int:pk>/spine.pdf", arrangement.box_spine, name="box-spine"),
    path("storage/boxes/<int:pk>/note/", arrangement.box_note, name="box-note"),
    path(
        "storage/boxes/<int:pk>/note.pdf", arrangement.box_note_pdf, name="box-note-pdf"
    ),
    path(
        "storage/shelves/<int:pk>/spines.pdf",
        arrangement.shelf_spines,
        name="shelf-spines",
    ),
    path("records/<int:pk>/stamp.pdf", arrangement.record_stamp, name="record-stamp"),
    # The month-end hand-over (issue 20, item 2).
    path("batches/", handover.batch_list, name="batch-list"),
    path("batches/<int:pk>/", handover.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/check/", handover.batch_check, name="batch-check"),
    path(
        "batches/<int:pk>/hand-over/", handover.batch_hand_over, name="batch-hand-over"
    ),
    path("batches/<int:pk>/receive/", handover.batch_receive, name="batch-receive"),
    path("batches/<int:pk>/list.pdf", handover.batch_pdf, name="batch-pdf"),
    path(
        "batches/items/<int:pk>/return/",
        handover.batch_item_return,
        name="batch-item-return",
    ),
    # Owners' dossiers (issue 20, item 6).
    path("dossiers/", dossiers.dossier_list, name="dossier-list"),
    path("dossiers/new/", dossiers.owner_create, name="owner-create"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier-detail"),
    path("dossiers/<int:pk>/edit/", dossiers.owner_edit, name="owner-edit"),
    path("dossiers/<int:pk>/family/", dossiers.family_add, name="family-add"),
    path(
        "dossiers/family/<int:pk>/delete/",
        dossiers.family_remove,
        name="family-remove",
    ),
    path("directory/", arrangement.directory, name="directory"),
    path("directory/directory.pdf", arrangement.directory_pdf, name="directory-pdf"),
    path("directory/directory.xlsx", arrangement.directory_xlsx, name="directory-xlsx"),
    path(
        "storage/shelves/<int:pk>/labels.pdf", storage.shelf_labels, name="shelf-labels"
    ),
    path("storage/entries/", storage.storeroom_entries, name="storeroom-entries"),
    path("numbers/gaps/", storage.number_gaps, name="number-gaps"),
]
