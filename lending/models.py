"""Viewing, lending and owners at the front desk (SPEC §6, §7, §8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from archives.models import ArchiveRecord

Level = ArchiveRecord.Confidentiality

# The roles that can stand in an approval chain, in the order their
# signatures are collected when several rules add steps to one request.
APPROVER_ROLES = [
    Role.DEPT_HEAD,
    Role.CS_SUPERVISOR,
    Role.ARCHIVIST,
    Role.ARCHIVE_HEAD,
    Role.EXECUTIVE,
]
LEVEL_ORDER: list[str] = [
    Level.PUBLIC,
    Level.INTERNAL,
    Level.CONFIDENTIAL,
    Level.SECRET,
]


class Kind(models.TextChoices):
    VIEWING = "viewing", _("Viewing")
    LENDING = "lending", _("Lending")


class UseEffect(models.TextChoices):
    """What a use of the archive achieved (利用效果), as archives count it."""

    DISPUTE = "dispute", _("Settled a complaint or dispute")
    EVIDENCE = "evidence", _("Evidence for a legal or official matter")
    SERVICE = "service", _("Served a customer or owner")
    REFERENCE = "reference", _("Reference for daily work")
    AUDIT = "audit", _("Audit or inspection")
    RESEARCH = "research", _("Compilation or research")
    NONE = "none", _("Did not help")
    OTHER = "other", _("Other")


class ApprovalRule(models.Model):
    """Who signs a request, as data (SPEC §6 and §7).

    For each record of a request the first active *base* rule that matches
    (by priority) gives the chain; every matching *additive* rule adds its
    steps (for example the executive's sign-off on confidential records).
    """

    class Relation(models.TextChoices):
        ANY = "any", _("Any record")
        RESPONSIBLE = "responsible", _("Records of their own customers")
        OWN_DEPARTMENT = "own_department", _("Records of their own department")
        OTHER_DEPARTMENT = "other_department", _("Records of another department")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower numbers are tried first.")
    )
    requester_role = models.CharField(
        _("requester's role"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("Empty: anyone."),
    )
    relation = models.CharField(
        _("records"), max_length=20, choices=Relation.choices, default=Relation.ANY
    )
    min_level = models.CharField(
        _("from confidentiality"),
        max_length=12,
        choices=Level.choices,
        default=Level.PUBLIC,
        help_text=_("The rule covers records at this level and above."),
    )
    additive = models.BooleanField(
        _("adds steps"),
        default=False,
        help_text=_(
            "Adds its steps to the chain of the base rule instead of giving one."
        ),
    )
    accompanied = models.BooleanField(
        _("accompanied"),
        default=False,
        help_text=_("An archivist stays with the viewer."),
    )
    refuse = models.BooleanField(
        _("refuse"), default=False, help_text=_("Such requests cannot be made.")
    )
    active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["kind", "additive", "priority", "pk"]

    def __str__(self) -> str:
        return self.description


class ApprovalRuleStep(models.Model):
    class Scope(models.TextChoices):
        REQUESTER_DEPARTMENT = "requester", _("of the requester's department")
        RECORD_DEPARTMENT = "record", _("of the record's department")
        ANY = "any", _("anyone with the role")

    rule = models.ForeignKey(
        ApprovalRule, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    role = models.CharField(
        _("approver's role"),
        max_length=20,
        choices=[(r.value, r.label) for r in APPROVER_ROLES],
    )
    scope = models.CharField(
        _("approver"), max_length=10, choices=Scope.choices, default=Scope.ANY
    )

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["rule", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.get_scope_display()})"


class Holiday(models.Model):
    """The company's own calendar on top of the statutory one: a day off
    (a company holiday), or a working day (a make-up weekend, 调休上班).

    Loan periods count working days (``lending.services.workdays``).
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.DAY_OFF,
        help_text=_(
            "The statutory holidays and make-up working weekends come from the "
            "national calendar; add only the company's own exceptions here."
        ),
    )

    class Meta:
        verbose_name = _("holiday or working day")
        verbose_name_plural = _("holidays and working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Partner(models.Model):
    """An outside organisation that may view records under a confidentiality
    agreement (S3 §5.1.3, SPEC §6.6); its people log in with the partner role."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("contact person"), max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department in charge"),
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("Its head signs the partner's requests first."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people"),
        blank=True,
        related_name="partners",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("lending:partner-detail", args=[self.pk])


class PartnerAgreement(models.Model):
    """A confidentiality agreement (保密协议): which records, for how long, and
    the signed copy. Access ends with it, whatever a request's window says."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    number = models.CharField(_("agreement number"), max_length=50, unique=True)
    categories = models.ManyToManyField(
        "archives.Category",
        verbose_name=_("categories covered"),
        blank=True,
        related_name="+",
    )
    records = models.ManyToManyField(
        "archives.ArchiveRecord",
        verbose_name=_("records covered"),
        blank=True,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    signed_file = models.FileField(_("signed agreement"), upload_to="agreements/")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended early"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended early"), max_length=300, blank=True)
    history = HistoricalRecords(m2m_fields=[categories, records])

    class Meta:
        verbose_name = _("confidentiality agreement")
        verbose_name_plural = _("confidentiality agreements")
        ordering = ["-valid_until", "-pk"]

    def __str__(self) -> str:
        return self.number

    def live_on(self, day) -> bool:
        return self.ended_at is None and self.valid_from <= day <= self.valid_until


class AccessRequest(models.Model):
    """A request to view records in the reading area, or to borrow them.

    Lifecycle: pending (signed step by step) → approved → out (handed over)
    → closed (all back); pending → rejected (a step refused); pending or
    approved → withdrawn (by the requester, or at departure clearance);
    approved → expired (its window passed before the hand-over). A rule
    without steps files it approved at once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        OUT = "out", _("Handed over")
        CLOSED = "closed", _("Returned")
        EXPIRED = "expired", _("Expired")

    STATUS_COLOURS = {
        Status.PENDING: "warning",
        Status.APPROVED: "info",
        Status.OUT: "primary",
        Status.CLOSED: "success",
        Status.REJECTED: "danger",
    }

    OPEN_STATUSES = (Status.PENDING, Status.APPROVED, Status.OUT)
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PENDING: frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}),
        # Back to waiting, or refused, when a record's confidentiality is
        # raised before the hand-over (issue 20, item 4).
        Status.APPROVED: frozenset(
            {
                Status.OUT,
                Status.WITHDRAWN,
                Status.EXPIRED,
                Status.PENDING,
                Status.REJECTED,
            }
        ),
        Status.OUT: frozenset({Status.CLOSED}),
    }
    # Statuses only an approved request reaches: what it was for is then told
    # to the requester too.
    APPROVED_STATUSES = (Status.APPROVED, Status.OUT, Status.CLOSED, Status.EXPIRED)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("requester's department"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    records = models.ManyToManyField(
        ArchiveRecord,
        through="AccessItem",
        verbose_name=_("records"),
        related_name="access_requests",
    )
    # Every number as the requester typed it, in order. The items are those
    # that name a record the request can be for; the others (no such record,
    # or one the requester may not see and cannot have) are told apart only
    # to the archive and the approvers, and to the requester once approved:
    # until then a hidden record and a missing number look the same.
    asked_numbers = models.JSONField(_("numbers asked for"), default=list, blank=True)
    # A partner's request is made under one confidentiality agreement.
    agreement = models.ForeignKey(
        PartnerAgreement,
        verbose_name=_("confidentiality agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    scope = models.CharField(
        _("scope"),
        max_length=300,
        blank=True,
        help_text=_("Which parts or pages are needed, if not the whole record."),
    )
    # A request "by description": the requester does not know the numbers;
    # the archivist's first step finds the records and fills them in.
    description = models.TextField(_("records wanted, described"), blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    due_on = models.DateField(_("expected return date"), null=True, blank=True)
    extensions_used = models.PositiveSmallIntegerField(_("extensions"), default=0)
    accompanied = models.BooleanField(_("accompanied by an archivist"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The effect of the use (利用效果), told once the use has ended and
    # counted in the statistics (issue 20, item 4).
    use_effect = models.CharField(
        _("effect of the use"), max_length=12, choices=UseEffect.choices, blank=True
    )
    use_effect_note = models.CharField(
        _("what it helped with"), max_length=300, blank=True
    )
    use_effect_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("effect told by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    use_effect_at = models.DateTimeField(_("effect told"), null=True, blank=True)
    history = HistoricalRecords()

    ENDED_STATUSES = (Status.CLOSED, Status.EXPIRED)

    class Meta:
        verbose_name = _("viewing or lending request")
        verbose_name_plural = _("viewing and lending requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["requester", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]
        permissions = [
            ("handle_accessrequest", _("Can hand records over and take them back")),
            ("sign_accessrequest", _("Can sign viewing and lending requests")),
            ("decide_extension", _("Can decide extensions of loans")),
            ("view_registers", _("Can see the viewing and loan registers")),
            ("clear_departure", _("Can complete a departure clearance")),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("lending:request-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        prefix = "CY" if self.kind == Kind.VIEWING else "JY"
        return f"{prefix}{self.pk or 0:06d}"

    @property
    def is_loan(self) -> bool:
        return self.kind == Kind.LENDING

    @property
    def numbers(self) -> list[str]:
        """The numbers asked for (the items' numbers for older requests)."""
        return self.asked_numbers or [i.record.number for i in self.items.all()]


class ApprovalStep(models.Model):
    """One signature a request needs, in order; decided once."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SKIPPED = "skipped", _("Not needed")

    request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    role = models.CharField(_("approver's role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("approver's department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "position"], name="approval_step_position_unique"
            )
        ]
        indexes = [models.Index(fields=["role", "decision"])]

    def __str__(self) -> str:
        return f"{self.request} · {self.get_role_display()}"

    @property
    def comment_text(self) -> str:
        """The comment in the reader's language when the system wrote it (a
        code, core.history), as typed when a person did."""
        from core.history import reason_text

        return reason_text(self.comment)


class AccessItem(models.Model):
    """One record of a request, with its hand-over and return."""

    class Condition(models.TextChoices):
        INTACT = "intact", _("Complete and intact")
        DAMAGED = "damaged", _("Damaged")
        MISSING = "missing", _("Missing")

    request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="items"
    )
    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="access_items"
    )
    is_out = models.BooleanField(_("out"), default=False)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accompanied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accompanied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    receiver_confirmed = models.BooleanField(
        _("receipt confirmed by the reader"), default=False
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    condition = models.CharField(
        _("condition on return"), max_length=10, choices=Condition.choices, blank=True
    )
    return_note = models.CharField(_("note on return"), max_length=300, blank=True)
    incident = models.ForeignKey(
        "retention.Incident",
        verbose_name=_("incident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("requested record")
        verbose_name_plural = _("requested records")
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "record"], name="access_item_once_per_request"
            ),
            # The database itself refuses a record that is out twice.
            models.UniqueConstraint(
                fields=["record"], condition=Q(is_out=True), name="record_out_once"
            ),
        ]
        indexes = [models.Index(fields=["handed_over_at"])]

    def __str__(self) -> str:
        return f"{self.request} · {self.record_id}"


class Extension(models.Model):
    """A borrower asks for more time before the due date."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="extension_requests"
    )
    old_due_on = models.DateField(_("due date before"))
    new_due_on = models.DateField(_("new due date"))
    reason = models.CharField(_("reason"), max_length=300)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request} → {self.new_due_on}"


class Reminder(models.Model):
    """One reminder of a loan's due date; unique, so a rerun sends nothing twice."""

    request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    offset_days = models.SmallIntegerField(_("days after the due date"))
    due_on = models.DateField(_("due date"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    supervisor_told = models.BooleanField(_("supervisor told"), default=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "due_on", "offset_days"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.offset_days:+d}"


class Clearance(models.Model):
    """Departure clearance (S2): done only when the person holds nothing."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="clearance",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("departure clearance")
        verbose_name_plural = _("departure clearances")

    def __str__(self) -> str:
        return str(self.person)


class OwnerRequest(models.Model):
    """An owner (業主) at the front desk asking to see their records (S4).

    Lifecycle: pending → approved or rejected (by a supervisor) → viewed
    (the archivist shows the records) → closed (copies given and receipted).
    """

    class IdType(models.TextChoices):
        ID_CARD = "id_card", _("Resident identity card")
        PASSPORT = "passport", _("Passport")
        HK_MACAU = "hk_macau", _("Mainland travel permit (HK/Macau)")
        TAIWAN = "taiwan", _("Mainland travel permit (Taiwan)")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        VIEWED = "viewed", _("Viewed")
        CLOSED = "closed", _("Closed")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PENDING: frozenset({Status.APPROVED, Status.REJECTED}),
        Status.APPROVED: frozenset({Status.VIEWED}),
        Status.VIEWED: frozenset({Status.CLOSED}),
    }

    owner_name = models.CharField(_("owner's name"), max_length=100)
    id_type = models.CharField(
        _("ID type"), max_length=10, choices=IdType.choices, default=IdType.ID_CARD
    )
    # Only the cipher text and a masked copy are stored (SPEC §8).
    id_number_cipher = models.TextField(editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=40)
    phone_cipher = models.TextField(editable=False, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=30, blank=True)
    property_unit = models.CharField(_("property / room"), max_length=120)
    proof_checked = models.BooleanField(_("proof of property checked"), default=False)
    proof_description = models.CharField(_("proof shown"), max_length=200, blank=True)
    is_proxy = models.BooleanField(_("a proxy comes for the owner"), default=False)
    proxy_name = models.CharField(_("proxy's name"), max_length=100, blank=True)
    proxy_id_type = models.CharField(
        _("proxy's ID type"), max_length=10, choices=IdType.choices, blank=True
    )
    proxy_id_cipher = models.TextField(editable=False, blank=True)
    proxy_id_masked = models.CharField(
        _("proxy's ID number"), max_length=40, blank=True
    )
    authorisation_checked = models.BooleanField(
        _("letter of authorisation checked"), default=False
    )
    records_wanted = models.TextField(_("records wanted"))
    purpose = models.CharField(_("purpose"), max_length=300)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=300, blank=True
    )
    records = models.ManyToManyField(
        ArchiveRecord, verbose_name=_("records shown"), blank=True, related_name="+"
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archivist present"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    viewed_at = models.DateTimeField(_("viewed"), null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=["id_number_cipher", "proxy_id_cipher", "phone_cipher"]
    )

    class Meta:
        verbose_name = _("owner request")
        verbose_name_plural = _("owner requests")
        ordering = ["-registered_at", "-pk"]
        indexes = [
            models.Index(fields=["registered_at"]),
            models.Index(fields=["status", "registered_at"]),
        ]
        permissions = [
            ("approve_ownerrequest", _("Can approve owners' requests")),
            ("serve_ownerrequest", _("Can serve owners in the reading area")),
            (
                "reveal_ownerrequest",
                _("Can see owners' full ID numbers and phone numbers"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("lending:owner-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"YZ{self.pk or 0:06d}"


class CopyReceipt(models.Model):
    """The copies made for an owner, signed for, with a code that proves them."""

    owner_request = models.OneToOneField(
        OwnerRequest, on_delete=models.PROTECT, related_name="receipt"
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    fee_per_page = models.DecimalField(
        _("fee per page"), max_digits=8, decimal_places=2
    )
    total_pages = models.PositiveIntegerField(_("pages"))
    total_fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    owner_signed = models.BooleanField(_("owner signed for the copies"), default=False)

    class Meta:
        verbose_name = _("copy receipt")
        verbose_name_plural = _("copy receipts")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("lending:copy-verify", args=[self.code])


class CopyItem(models.Model):
    """One record an owner asked to copy, and the archivist's decision."""

    owner_request = models.ForeignKey(
        OwnerRequest, on_delete=models.CASCADE, related_name="copy_items"
    )
    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="+"
    )
    pages = models.PositiveIntegerField(_("pages"))
    allowed = models.BooleanField(_("allowed"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("copy")
        verbose_name_plural = _("copies")
        ordering = ["owner_request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_request", "record"], name="copy_item_once_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_request} · {self.record_id}"


class UsageEvent(models.Model):
    """The usage log: every viewing, loan and copy (for the statistics)."""

    class Kind(models.TextChoices):
        VIEWING = "viewing", _("Viewing")
        LOAN = "loan", _("Loan")
        COPY = "copy", _("Copy")
        OWNER_VIEWING = "owner_viewing", _("Owner viewing")
        # Electronic files (issue 18): read in the browser (once a person, a
        # record and a day), downloaded, printed.
        ONLINE_READING = "online_reading", _("Read online")
        DOWNLOAD = "download", _("Download")
        PRINT = "print", _("Print")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_request = models.ForeignKey(
        OwnerRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("usage")
        verbose_name_plural = _("usage log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.record_id}"
