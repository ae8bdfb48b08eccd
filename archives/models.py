"""The archive: categories and numbering, customers, records, files, storage.

A record's life (SPEC §3)::

    draft -> submitted -> (returned -> submitted)* -> archived
    archived <-> in_viewing | on_loan
    archived -> appraised -> destroyed          (appraised -> archived if kept)
    archived | in_viewing | on_loan -> lost | damaged -> archived (found/repaired)

Only ``archives.services.records.record_transition`` changes ``status``; the
allowed moves are ``ArchiveRecord.TRANSITIONS``. A number is given once, at
acceptance, from the category's pattern, and never changes or returns: a
destroyed record stays as a tombstone that keeps its number.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from archives.personal import address_digests
from archives.personal import encrypt
from archives.personal import id_digest
from archives.personal import mask_contact
from archives.personal import mask_id_number
from core.names import TranslatedName


class Category(TranslatedName, models.Model):
    """An archive category (KH, GT, TS, PX…) with its number pattern."""

    class RetentionKind(models.TextChoices):
        YEARS = "years", _("A number of years")
        LONG_TERM = "long_term", _("Long-term")
        PERMANENT = "permanent", _("Permanent")

    class RetentionStart(models.TextChoices):
        FORMED = "formed", _("Date formed")
        HANDLED = "handled", _("Date handled")
        TRAINING = "training", _("Training date")
        CONTRACT_END = "contract_end", _("Contract end")

    class DeadlineAnchor(models.TextChoices):
        RECEIVED = "received", _("Time received")
        FORMED = "formed", _("Date formed")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=100,
        help_text=_(
            "Literal text and tokens: {YYYY} {YY} {MM} {DD} {YYYYMM} {YYYYMMDD} "
            "(from the date formed), {dimension key} (the code of the chosen "
            "sub-code), and {seq:3} (the sequence, at least 3 digits) at the end."
        ),
    )
    requires_customer = models.BooleanField(_("requires a customer"), default=True)
    lendable = models.BooleanField(
        _("may be lent"),
        default=True,
        help_text=_("Clear for read-only categories that are viewed but never lent."),
    )
    submission_deadline_hours = models.PositiveIntegerField(
        _("submission deadline (hours)"), null=True, blank=True
    )
    deadline_anchor = models.CharField(
        _("deadline counted from"),
        max_length=10,
        choices=DeadlineAnchor.choices,
        default=DeadlineAnchor.FORMED,
    )
    retention_kind = models.CharField(
        _("retention"),
        max_length=10,
        choices=RetentionKind.choices,
        default=RetentionKind.YEARS,
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention years"), null=True, blank=True
    )
    retention_start = models.CharField(
        _("retention starts from"),
        max_length=12,
        choices=RetentionStart.choices,
        default=RetentionStart.FORMED,
    )
    scheme = models.CharField(_("scheme"), max_length=30, default="default")
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(retention_kind="years") | Q(retention_years__gt=0),
                name="category_years_retention_has_years",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"

    @property
    def submission_deadline_days(self) -> int | None:
        """The deadline in whole days, when it is several (168 hours: 7 days;
        24 hours stay hours)."""
        hours = self.submission_deadline_hours
        return hours // 24 if hours and hours >= 48 and hours % 24 == 0 else None

    def clean(self) -> None:
        from archives.numbering import validate_pattern

        others = dict(
            Category.objects.exclude(pk=self.pk).values_list("code", "number_pattern")
        )
        keys = None
        if self.pk:
            keys = set(self.dimensions.values_list("key", flat=True))
        try:
            validate_pattern(
                self.number_pattern, dimension_keys=keys, other_patterns=others
            )
        except ValidationError as error:
            raise ValidationError({"number_pattern": error.messages}) from error
        if self.retention_kind == self.RetentionKind.YEARS and not self.retention_years:
            raise ValidationError(
                {"retention_years": _("Give the number of years to keep records.")}
            )


class SubcodeDimension(TranslatedName, models.Model):
    """A way a category is subdivided: industry, channel, nature, status…"""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    key = models.SlugField(_("key"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    required = models.BooleanField(_("required"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("sub-code dimension")
        verbose_name_plural = _("sub-code dimensions")
        ordering = ["category", "sort_order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "key"], name="dimension_key_unique_in_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category.code} · {self.local_name}"


class Subcode(TranslatedName, models.Model):
    """One value of a dimension, with the code that goes into numbers."""

    dimension = models.ForeignKey(
        SubcodeDimension,
        verbose_name=_("dimension"),
        on_delete=models.CASCADE,
        related_name="subcodes",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sub-code")
        verbose_name_plural = _("sub-codes")
        ordering = ["dimension", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"], name="subcode_unique_in_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"

    def clean(self) -> None:
        from archives.numbering import parse_pattern

        if "{" in self.code or "}" in self.code:
            raise ValidationError({"code": _("A sub-code may not contain braces.")})
        parts = parse_pattern(self.dimension.category.number_pattern)
        before_seq = parts[-2] if len(parts) > 1 else None
        if (
            before_seq is not None
            and before_seq.kind == "subcode"
            and before_seq.value == self.dimension.key
            and self.code[-1:].isdigit()
        ):
            raise ValidationError(
                {
                    "code": _(
                        "This code stands right before the sequence in numbers, "
                        "so it may not end in a digit."
                    )
                }
            )


class NumberSequence(models.Model):
    """The counter behind every number that starts with ``prefix``.

    Keyed by the rendered prefix (``GT20230101``, ``KHZZ``), so numbers are
    unique by construction even if two patterns render the same prefix.
    """

    prefix = models.CharField(_("prefix"), max_length=60, unique=True)
    last_value = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        ordering = ["prefix"]

    def __str__(self) -> str:
        return f"{self.prefix} → {self.last_value}"


class Customer(models.Model):
    class Region(models.TextChoices):
        DOMESTIC = "domestic", _("Domestic")
        FOREIGN = "foreign", _("Foreign")

    class Scale(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")

    code = models.CharField(_("customer code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    industry = models.ForeignKey(
        Subcode,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"dimension__key": "industry"},
        related_name="+",
    )
    region = models.CharField(
        _("region"), max_length=10, choices=Region.choices, default=Region.DOMESTIC
    )
    scale = models.CharField(
        _("scale"), max_length=10, choices=Scale.choices, default=Scale.MEDIUM
    )
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
    )
    # Contact details are personal data: the cipher text and a masked copy
    # (``archives.personal``); the full text only through a logged reveal.
    contact_cipher = models.TextField(editable=False, blank=True)
    contact_masked = models.CharField(_("contact"), max_length=200, blank=True)
    # Keyed hashes of the e-mail addresses in the contact (``address_digest``):
    # a message from one of them is this customer's (archives.services.mailin).
    contact_addresses = models.CharField(max_length=400, blank=True, editable=False)
    # An owner (业主) of the property-management archive (S4, issue 20 item 6):
    # one dossier per owner, with the property and the family. The ID number
    # is personal data like the contact: cipher, masked copy, and a keyed
    # digest that finds the dossier from the number typed at the desk.
    is_owner = models.BooleanField(_("owner (业主)"), default=False)
    room = models.CharField(_("room number"), max_length=40, blank=True, db_index=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    layout = models.CharField(_("layout"), max_length=40, blank=True)
    purchased_on = models.DateField(_("bought on"), null=True, blank=True)
    id_number_cipher = models.TextField(editable=False, blank=True)
    id_number_masked = models.CharField(_("ID number"), max_length=40, blank=True)
    id_digest = models.CharField(
        max_length=32, blank=True, editable=False, db_index=True
    )
    history = HistoricalRecords(
        excluded_fields=[
            "contact_cipher",
            "contact_addresses",
            "id_number_cipher",
            "id_digest",
        ]
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]
        permissions = [
            ("reveal_customer", _("Can see customers' full contact details")),
            ("view_dossier", _("Can open owners' dossiers")),
        ]
        # The owners' dossiers list: owners only, by room.
        indexes = [models.Index(fields=["is_owner", "room", "name"])]

    def __str__(self) -> str:
        return self.name

    def set_contact(self, text: str) -> None:
        text = (text or "").strip()
        self.contact_cipher = encrypt(text)
        self.contact_addresses = address_digests(text)[:400]
        self.contact_masked = mask_contact(text)[:200]

    def set_id_number(self, text: str) -> None:
        text = "".join((text or "").split()).upper()
        self.id_number_cipher = encrypt(text) if text else ""
        self.id_number_masked = mask_id_number(text)
        self.id_digest = id_digest(text) if text else ""


class OwnerFamilyMember(models.Model):
    """A member of an owner's household, in the owner's dossier (S4)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(
        Customer,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="family",
    )
    name = models.CharField(_("name"), max_length=100)
    relation = models.CharField(
        _("relation"), max_length=10, choices=Relation.choices, default=Relation.OTHER
    )
    phone_cipher = models.TextField(editable=False, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords(excluded_fields=["phone_cipher"])

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, text: str) -> None:
        text = (text or "").strip()
        self.phone_cipher = encrypt(text)
        self.phone_masked = mask_contact(text)[:40]


class Storeroom(TranslatedName, models.Model):
    """A storeroom (庫房); only its authorised people may enter it."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200, blank=True)
    authorised = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authorised to enter"),
        blank=True,
        related_name="storerooms",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("storeroom")
        verbose_name_plural = _("storerooms")
        ordering = ["code"]
        permissions = [("enter_storeroom", _("May enter storerooms"))]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class Shelf(models.Model):
    """A shelf (檔案架) in a storeroom, usually holding one category."""

    storeroom = models.ForeignKey(
        Storeroom,
        verbose_name=_("storeroom"),
        on_delete=models.PROTECT,
        related_name="shelves",
    )
    code = models.CharField(_("code"), max_length=20)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shelves",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shelf")
        verbose_name_plural = _("shelves")
        ordering = ["storeroom", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["storeroom", "code"], name="shelf_code_unique_in_storeroom"
            )
        ]

    def __str__(self) -> str:
        return f"{self.storeroom.code}-{self.code}"


class Box(models.Model):
    """A box (檔案盒) on a shelf; its label shows category, year and range."""

    shelf = models.ForeignKey(
        Shelf, verbose_name=_("shelf"), on_delete=models.PROTECT, related_name="boxes"
    )
    code = models.CharField(_("box code"), max_length=30, unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    capacity = models.PositiveIntegerField(_("capacity"), default=100)
    # The box's 备考表 (DA/T 22): what the arranger notes about its records,
    # who arranged them and who checked them, and when.
    note = models.TextField(_("notes"), blank=True)
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arranger"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    arranged_on = models.DateField(_("arranged on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("box")
        verbose_name_plural = _("boxes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


# The fields a person fills in when filing; everything else is the system's.
RECORD_INPUT_FIELDS = (
    "title",
    "customer",
    "date_formed",
    "received_at",
    "source_department",
    "responsible_person",
    "carrier",
    "page_count",
    "confidentiality",
    "keywords",
    "description",
    "handling_status",
    "handled_on",
    "involves_major_decision",
    "contract_ends_on",
)


SEARCH_FIELDS = ["search_text", "search_grams", "search_version"]
# What the search columns hold; records filled by an older version are
# filled again by ``manage.py reindex_content``. 1: number, title, customer
# and keywords; 2: also the description and the text inside the files.
SEARCH_VERSION = 2
SEARCH_SOURCES = {"number", "title", "customer", "customer_id", "keywords"}


class ArchiveRecord(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        ARCHIVED = "archived", _("Archived")
        IN_VIEWING = "in_viewing", _("In viewing")
        ON_LOAN = "on_loan", _("On loan")
        APPRAISED = "appraised", _("Appraised for destruction")
        DESTROYED = "destroyed", _("Destroyed")
        LOST = "lost", _("Lost")
        DAMAGED = "damaged", _("Damaged")

    # The colour of each status's badge (core's status_badge tag).
    STATUS_COLOURS = {
        Status.DRAFT: "secondary",
        Status.SUBMITTED: "info",
        Status.RETURNED: "warning",
        Status.ARCHIVED: "success",
        Status.IN_VIEWING: "primary",
        Status.ON_LOAN: "primary",
        Status.APPRAISED: "dark",
        Status.DESTROYED: "dark",
        Status.LOST: "danger",
        Status.DAMAGED: "danger",
    }

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.RETURNED, Status.ARCHIVED}),
        Status.RETURNED: frozenset({Status.SUBMITTED}),
        Status.ARCHIVED: frozenset(
            {
                Status.IN_VIEWING,
                Status.ON_LOAN,
                Status.APPRAISED,
                Status.LOST,
                Status.DAMAGED,
            }
        ),
        Status.IN_VIEWING: frozenset({Status.ARCHIVED, Status.LOST, Status.DAMAGED}),
        Status.ON_LOAN: frozenset({Status.ARCHIVED, Status.LOST, Status.DAMAGED}),
        Status.APPRAISED: frozenset({Status.ARCHIVED, Status.DESTROYED}),
        Status.LOST: frozenset({Status.ARCHIVED}),
        Status.DAMAGED: frozenset({Status.ARCHIVED, Status.APPRAISED}),
        Status.DESTROYED: frozenset(),
    }
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
    IN_ARCHIVE_STATUSES = frozenset(
        {
            Status.ARCHIVED,
            Status.IN_VIEWING,
            Status.ON_LOAN,
            Status.APPRAISED,
            Status.LOST,
            Status.DAMAGED,
            Status.DESTROYED,
        }
    )

    class Carrier(models.TextChoices):
        PAPER = "paper", _("Paper")
        ELECTRONIC = "electronic", _("Electronic")
        BOTH = "both", _("Paper and electronic")

    class Confidentiality(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal")
        CONFIDENTIAL = "confidential", _("Confidential")
        SECRET = "secret", _("Secret")

    class HandlingStatus(models.TextChoices):
        HANDLED = "handled", _("Handled")
        IN_PROGRESS = "in_progress", _("In progress")
        NOT_HANDLED = "not_handled", _("Not handled")

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    subcodes = models.ManyToManyField(
        Subcode, verbose_name=_("sub-codes"), blank=True, related_name="records"
    )
    title = models.CharField(_("title"), max_length=200)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    date_formed = models.DateField(_("date formed"))
    received_at = models.DateTimeField(
        _("received at"),
        null=True,
        blank=True,
        help_text=_("When the complaint, suggestion or material was received."),
    )
    source_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("source department"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="responsible_records",
    )
    carrier = models.CharField(
        _("carrier"), max_length=10, choices=Carrier.choices, default=Carrier.PAPER
    )
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    handling_status = models.CharField(
        _("current handling status"),
        max_length=12,
        choices=HandlingStatus.choices,
        blank=True,
    )
    handled_on = models.DateField(_("date handled"), null=True, blank=True)
    involves_major_decision = models.BooleanField(
        _("involves a major business decision or dispute"),
        default=False,
        help_text=_("Such records are kept permanently."),
    )

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    number = models.CharField(
        _("archive number"), max_length=70, null=True, blank=True, unique=True
    )
    number_prefix = models.CharField(max_length=60, blank=True, editable=False)
    sequence_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    box = models.ForeignKey(
        Box,
        verbose_name=_("box"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    contract_ends_on = models.DateField(_("contract ends"), null=True, blank=True)
    disposal_due_on = models.DateField(_("disposal due"), null=True, blank=True)
    retention_kept_until = models.DateField(
        _("kept until (appraisal)"),
        null=True,
        blank=True,
        help_text=_("Set when an appraisal decided to keep the record longer."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="filed_records",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submission_due_at = models.DateTimeField(_("submission due"), null=True, blank=True)
    submitted_late = models.BooleanField(_("submitted late"), default=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Filled on every save from number, title, customer name and keywords
    # (``archives.search``); PostgreSQL indexes the grams with GIN.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_grams = models.TextField(editable=False, blank=True, default="")
    search_version = models.PositiveSmallIntegerField(editable=False, default=0)
    history = HistoricalRecords(m2m_fields=[subcodes], excluded_fields=SEARCH_FIELDS)

    class Meta:
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        ordering = ["-created_at"]
        permissions = [
            ("review_archiverecord", _("Can review and accept submitted records")),
            ("view_all_records", _("Can see every record in the catalogue")),
            (
                "view_department_records",
                _("Can see the records of their own department"),
            ),
            # Reading a file in the browser needs only the right to see its
            # record; taking it out of the archive needs these (issue 18).
            ("download_files", _("Can download the original electronic files")),
            ("print_files", _("Can print electronic files (stamped)")),
            (
                "reclassify_archiverecord",
                _("Can change a record's confidentiality level"),
            ),
            (
                "handle_confidential_files",
                _(
                    "Can download and print the files of confidential and secret "
                    "records"
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(sequence_number__isnull=False),
                name="record_number_has_sequence",
            ),
            models.UniqueConstraint(
                fields=["number_prefix", "sequence_number"],
                condition=Q(sequence_number__isnull=False),
                name="record_sequence_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["number_prefix", "sequence_number"]),
            models.Index(fields=["source_department", "status"]),
            # The catalogue pages by key (``core.paging``): one index per
            # sort, and one per filter that leads the default sort.
            models.Index(fields=["date_formed", "id"], name="record_date_key"),
            models.Index(fields=["title", "id"], name="record_title_key"),
            models.Index(fields=["accepted_at", "id"], name="record_accepted_key"),
            models.Index(
                fields=["category", "date_formed", "id"], name="record_category_date"
            ),
            models.Index(
                fields=["source_department", "date_formed", "id"],
                name="record_department_date",
            ),
            models.Index(
                fields=["status", "date_formed", "id"], name="record_status_date"
            ),
            models.Index(
                fields=["disposal_due_on"],
                condition=Q(disposal_due_on__isnull=False),
                name="record_disposal_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(no number yet)')} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("archives:record-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_paper(self) -> bool:
        return self.carrier in (self.Carrier.PAPER, self.Carrier.BOTH)


class RecordUserObjectPermission(UserObjectPermissionBase):
    """Guardian per-user grants on records, with a direct foreign key.

    A grant from a viewing or loan approval holds only inside its window;
    ``valid_until`` is honoured by every read even before the daily task
    removes the row. A grant without a window (given in admin) never expires.
    """

    content_object = models.ForeignKey(ArchiveRecord, on_delete=models.CASCADE)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(
        _("valid until"), null=True, blank=True, db_index=True
    )


class RecordGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ArchiveRecord, on_delete=models.CASCADE)


class RecordReview(models.Model):
    """One decision of the archivist on a submission: accepted or returned."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.CASCADE, related_name="reviews"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} · {self.record_id}"


class RecordFile(models.Model):
    """An electronic file of a record, with the checksum taken at ingest."""

    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("file"), max_length=300, upload_to="incoming/")
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Scan(models.TextChoices):
        CLEAN = "clean", _("Clean")
        PENDING = "pending", _("Scan pending")
        INFECTED = "infected", _("Malware found")

    # The virus scan (clamd): a file clamd could not be asked about waits as
    # pending and is scanned again by the worker; one found infected after
    # it was stored is moved to quarantine.
    scan = models.CharField(
        _("virus scan"), max_length=10, choices=Scan.choices, default=Scan.PENDING
    )
    scanned_at = models.DateTimeField(_("scanned"), null=True, blank=True)
    scan_signature = models.CharField(_("malware found"), max_length=200, blank=True)
    # What opening it found: pages, picture size, duration, codec …
    technical = models.JSONField(_("technical metadata"), default=dict, blank=True)
    # An e-mail's attachment, kept as a file of the record beside the e-mail.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("attached to"),
    )
    # The text inside, page by page (pages apart by a form feed), read from
    # the long-term copy: a text layer, OCR, an Office or e-mail text.
    content_text = models.TextField(_("text in the file"), blank=True, editable=False)

    class TextSource(models.TextChoices):
        TEXT_LAYER = "text_layer", _("Its text is read from its text layer.")
        OCR = "ocr", _("Its text is read by OCR (Tesseract).")
        TEXT_LAYER_OCR = (
            "text_layer_ocr",
            _("Its text is read from its text layer and, on scanned pages, by OCR."),
        )
        OFFICE = "office", _("Its text is read from the Word or Excel file.")
        EMAIL = "email", _("The e-mail's headers and body are read.")
        TEXT = "text", _("It is a text file.")

    content_source = models.CharField(
        _("text read by"),
        max_length=16,
        blank=True,
        editable=False,
        choices=TextSource.choices,
    )
    history = HistoricalRecords(excluded_fields=["content_text"])

    class Meta:
        verbose_name = _("electronic file")
        verbose_name_plural = _("electronic files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def display_name(self) -> str:
        """The archive name once filed; the uploaded name while waiting."""
        if self.file.name.startswith("incoming/"):
            return self.original_name
        return str(self)


class PreservationCopy(models.Model):
    """A file's long-term copy (长期保存格式): PDF/A-2b, or UTF-8 text.

    The original is never changed. The copy has its own SHA-256 and backup
    and is re-hashed by the monthly inspection like the original; how it was
    made (tool, version, time) is kept. A kind that needs no copy
    (recordings) is ``kept``; a copy that could not be made is ``failed``
    with the reason, and the original stays as it was.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        WORKING = "working", _("Being made")
        MADE = "made", _("Made")
        KEPT = "kept", _("Kept as it is")
        FAILED = "failed", _("Could not be made")

    source = models.OneToOneField(
        RecordFile, on_delete=models.PROTECT, related_name="preservation"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    file = models.FileField(_("copy"), max_length=300, blank=True)
    format = models.CharField(_("format"), max_length=30, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    tool = models.CharField(_("made with"), max_length=300, blank=True)
    validation = models.CharField(_("validation"), max_length=20, blank=True)
    made_at = models.DateTimeField(_("made"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error_code = models.CharField(_("finding"), max_length=40, blank=True)
    error_detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("long-term copy")
        verbose_name_plural = _("long-term copies")
        ordering = ["source_id"]

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else str(self.source)

    @property
    def error_text(self) -> str:
        """Why it could not be made, in the reader's language."""
        from archives.checkmessages import render

        return render(self.error_code, {"detail": self.error_detail[:300]})

    @property
    def pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.WORKING)


class FileCheck(models.Model):
    """One run of the four checks (四性检测: authenticity, integrity,
    usability, security) over a record's electronic files, at upload, at
    acceptance or in the monthly inspection (``archives.services.filechecks``).

    A failed or pending item blocks acceptance unless the archivist accepts
    with a reason (``overridden_by``); malware never can be overridden.
    """

    class Stage(models.TextChoices):
        UPLOAD = "upload", _("At upload")
        ACCEPTANCE = "acceptance", _("At acceptance")
        INSPECTION = "inspection", _("In the monthly inspection")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Passed")
        WARNING = "warning", _("Passed with warnings")
        PENDING = "pending", _("Pending")
        FAILED = "failed", _("Failed")

    OUTCOME_COLOURS = {
        Outcome.PASSED: "success",
        Outcome.WARNING: "warning",
        Outcome.PENDING: "secondary",
        Outcome.FAILED: "danger",
    }

    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.CASCADE, related_name="file_checks"
    )
    stage = models.CharField(_("when"), max_length=12, choices=Stage.choices)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted despite it by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    override_reason = models.TextField(_("reason for accepting despite it"), blank=True)

    class Meta:
        verbose_name = _("four-checks report")
        verbose_name_plural = _("four-checks reports")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["record", "-checked_at"])]

    def __str__(self) -> str:
        return (
            f"{self.record} · {self.get_stage_display()} · {self.get_outcome_display()}"
        )

    @property
    def colour(self) -> str:
        return self.OUTCOME_COLOURS.get(self.outcome, "secondary")


class FileCheckItem(models.Model):
    """One finding of a four-checks run, kept as a message code and its
    values and worded for each reader (``archives.checkmessages``)."""

    class Aspect(models.TextChoices):
        AUTHENTICITY = "authenticity", _("Authenticity")
        INTEGRITY = "integrity", _("Integrity")
        USABILITY = "usability", _("Usability")
        SECURITY = "security", _("Security")

    report = models.ForeignKey(
        FileCheck, on_delete=models.CASCADE, related_name="items"
    )
    file = models.ForeignKey(
        RecordFile,
        verbose_name=_("file"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    aspect = models.CharField(_("aspect"), max_length=12, choices=Aspect.choices)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=FileCheck.Outcome.choices
    )
    code = models.CharField(_("finding"), max_length=40)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("four-checks finding")
        verbose_name_plural = _("four-checks findings")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from archives.checkmessages import render

        return render(self.code, self.params)

    @property
    def colour(self) -> str:
        return FileCheck.OUTCOME_COLOURS.get(self.outcome, "secondary")


class CustodyEvent(models.Model):
    """One move of a paper record: where it went, who had it, who moved it."""

    class Kind(models.TextChoices):
        SHELVED = "shelved", _("Shelved")
        MOVED = "moved", _("Moved to another box")
        HANDED_OVER = "handed_over", _("Handed over")
        RETURNED = "returned", _("Returned")
        RESHELVED = "reshelved", _("Reshelved")
        SENT_FOR_DESTRUCTION = "sent_for_destruction", _("Sent for destruction")

    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="custody_events"
    )
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    from_box = models.ForeignKey(
        Box, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_box = models.ForeignKey(
        Box, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.record_id}"


class StoreroomEntry(models.Model):
    """The storeroom entry log (S0 §7.1): who went in, when and why."""

    storeroom = models.ForeignKey(
        Storeroom,
        verbose_name=_("storeroom"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("storeroom entry")
        verbose_name_plural = _("storeroom entries")
        ordering = ["-entered_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.storeroom_id} · {self.person_id} · {self.entered_at:%Y-%m-%d %H:%M}"
        )


class SavedSearch(models.Model):
    """A catalogue search a person keeps, by name; the head of archives may
    share one with everyone (issue 19, item 20)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("search"), max_length=1000)
    shared = models.BooleanField(_("shared with everyone"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        permissions = [("share_savedsearch", _("May share searches with everyone"))]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="saved_search_name_once_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Mailbox(models.Model):
    """A mailbox read over IMAP (TLS) on a schedule: each message becomes a
    draft of ``category`` (or of a rule's category) for the responsible person
    of the customer who sent it (issue 18, item 3). Set up in admin."""

    class Security(models.TextChoices):
        SSL = "ssl", _("TLS from the start (IMAPS, usually port 993)")
        STARTTLS = "starttls", _("STARTTLS (usually port 143)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("security"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField(_("user name"), max_length=255)
    password_cipher = models.TextField(editable=False, blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    move_to = models.CharField(
        _("move taken messages to"),
        max_length=255,
        blank=True,
        help_text=_("A folder of the mailbox; left blank, they are only marked read."),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category of the drafts"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible when no customer matches"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("read on schedule"), default=True)
    uid_validity = models.BigIntegerField(default=0, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_read_at = models.DateTimeField(_("last read"), null=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["password_cipher"])

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def set_password(self, text: str) -> None:
        self.password_cipher = encrypt(text)


class MailRule(models.Model):
    """Messages whose sender or subject contains a text become drafts of
    another category (TS for complaints); the first rule that matches wins."""

    class Field(models.TextChoices):
        SENDER = "sender", _("sender's address")
        SUBJECT = "subject", _("subject")

    mailbox = models.ForeignKey(
        Mailbox,
        verbose_name=_("mailbox"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    field = models.CharField(_("when the"), max_length=10, choices=Field.choices)
    contains = models.CharField(_("contains"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("file as"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mail rule")
        verbose_name_plural = _("mail rules")
        ordering = ["mailbox", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} ⊇ {self.contains} → {self.category.code}"

    def matches(self, sender: str, subject: str) -> bool:
        text = sender if self.field == self.Field.SENDER else subject
        return self.contains.strip().lower() in (text or "").lower()


class MailMessage(models.Model):
    """A message taken, once: filed as a draft, or refused with the reason.
    Its key (the Message-ID, or the hash of a message without one) is
    unique, so the same message from a mailbox or a form files once."""

    class State(models.TextChoices):
        FILED = "filed", _("Filed as a draft")
        REFUSED = "refused", pgettext_lazy("a message", "Refused")

    key = models.CharField(max_length=300, unique=True)
    mailbox = models.ForeignKey(
        Mailbox,
        verbose_name=_("mailbox"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    sender = models.CharField(_("sender"), max_length=255, blank=True)  # masked
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    # Why it was refused: a code of ``archives.services.mailin.REASONS``,
    # worded for each reader, and what the reader needs to know of it.
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    record = models.ForeignKey(
        ArchiveRecord,
        verbose_name=_("record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)

    class Meta:
        verbose_name = _("message taken")
        verbose_name_plural = _("messages taken")
        ordering = ["-taken_at", "-pk"]
        # The 邮件收取 page pages by this key (core.paging).
        indexes = [models.Index(fields=["taken_at", "id"], name="mail_taken_key")]

    def __str__(self) -> str:
        return f"{self.subject} <{self.sender}>"


class RecordLink(models.Model):
    """Two accepted records that belong together (issue 20, item 4): a TS
    complaint and the GT calls about it, the customer's KH record. Made by
    the archive; shown on both records, to those who may see the other."""

    from_record = models.ForeignKey(
        ArchiveRecord,
        verbose_name=_("record"),
        on_delete=models.CASCADE,
        related_name="links_out",
    )
    to_record = models.ForeignKey(
        ArchiveRecord,
        verbose_name=_("related record"),
        on_delete=models.CASCADE,
        related_name="links_in",
    )
    note = models.CharField(_("how they relate"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("related records")
        verbose_name_plural = _("related records")
        constraints = [
            models.UniqueConstraint(
                fields=["from_record", "to_record"], name="record_link_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_record=models.F("to_record")),
                name="record_link_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_record_id} ↔ {self.to_record_id}"


class HandoverBatch(models.Model):
    """A department's month of submissions, checked by its supervisor or head
    and handed to the archive with a hand-over list (移交清单, S1 §4.1, S4).

    Lifecycle: open (records come in as they are submitted; the supervisor
    checks them week by week and may return one to its filer) → handed over
    (every record checked, the list signed by the supervisor) → received (the
    archivist signs the receipt, 移交接收登记; the records join the review
    queue, where the archivist may still return any one of them).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Being checked")
        HANDED_OVER = "handed_over", pgettext_lazy("batch", "Handed over")
        RECEIVED = "received", pgettext_lazy("batch", "Received")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OPEN: frozenset({Status.HANDED_OVER}),
        Status.HANDED_OVER: frozenset({Status.RECEIVED}),
    }
    STATUS_COLOURS = {
        Status.OPEN: "warning",
        Status.HANDED_OVER: "info",
        Status.RECEIVED: "success",
    }

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="handover_batches",
    )
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    receipt_note = models.CharField(_("note on receipt"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hand-over batch")
        verbose_name_plural = _("hand-over batches")
        ordering = ["-month", "department__code", "-pk"]
        permissions = [
            ("sign_handoverbatch", _("Can check and hand over a department's batch")),
            ("receive_handoverbatch", _("Can receive hand-over batches")),
        ]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("archives:batch-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"YJ{self.month:%Y%m}-{self.department.code}-{self.pk or 0:03d}"


class HandoverItem(models.Model):
    """A submission in a hand-over batch and the supervisor's check of it."""

    batch = models.ForeignKey(
        HandoverBatch, on_delete=models.CASCADE, related_name="items"
    )
    record = models.OneToOneField(
        ArchiveRecord,
        verbose_name=_("record"),
        on_delete=models.CASCADE,
        related_name="handover_item",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over item")
        verbose_name_plural = _("hand-over items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.batch} · {self.record_id}"
