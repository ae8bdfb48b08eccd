"""Retention, holds, appraisal and destruction, incidents, periodic checks.

SPEC §5, §9, §10, §11. An appraisal's life::

    open -> submitted -> approved -> executed -> completed
    submitted -> open          (the executive rejects it, with reasons)
    open -> cancelled

Each candidate (``AppraisalItem``) is decided ``destroy`` (its record becomes
"appraised for destruction") or ``keep`` (its retention is extended to a new
date, with a reason); a "keep" is final for that appraisal. Execution needs the
executive's approval and re-checks every record (hold, loan, viewing, open
incident) in the same transaction; witnesses then confirm, and the certificate
prints once all have. Only ``retention.services.appraisals`` changes
``Appraisal.status``.

A periodic check is a ``CheckRun`` (one per kind and period, so a second run
refreshes its report instead of adding one) with its ``Finding`` rows; the
weekly patrol, the monthly facilities checklist and the yearly stocktake also
collect what people enter in the browser (``PatrolReading``,
``FacilityCheck``, ``StocktakeScan``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Category


class RetentionRule(Category):
    """A category seen as its retention rule: how long, from which event."""

    class Meta:
        proxy = True
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")


# A rule's history is its category's (simple-history registers the concrete
# model only; its admin history page reads this name).
RetentionRule._meta.simple_history_manager_attribute = "history"


class Hold(models.Model):
    """A freeze (凍結): a record tied to a dispute, audit or legal matter."""

    record = models.ForeignKey(
        "archives.ArchiveRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="holds",
    )
    reason = models.CharField(_("reason"), max_length=255)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = models.CharField(
        _("reason for release"), max_length=255, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(released_at__isnull=True),
                name="hold_one_active_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.reason}"


class Appraisal(models.Model):
    """An appraisal (鑒定) by a group, ending in a destruction list.

    Lifecycle: open (the group decides each candidate) → submitted (the
    destruction list waits for an executive) → approved → executed (destroyed,
    waiting for the witnesses) → completed (the last witness confirmed);
    submitted → open (the executive rejects it); open or submitted →
    cancelled (its organiser gives it up).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Appraising")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved for destruction")
        EXECUTED = "executed", _("Destroyed, waiting for witnesses")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    STATUS_COLOURS = {
        Status.OPEN: "primary",
        Status.SUBMITTED: "warning",
        Status.APPROVED: "primary",
        Status.EXECUTED: "primary",
        Status.COMPLETED: "success",
        Status.CANCELLED: "secondary",
    }

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OPEN: frozenset({Status.SUBMITTED, Status.CANCELLED}),
        Status.SUBMITTED: frozenset({Status.APPROVED, Status.OPEN, Status.CANCELLED}),
        Status.APPROVED: frozenset({Status.EXECUTED}),
        Status.EXECUTED: frozenset({Status.COMPLETED}),
    }

    class PaperMethod(models.TextChoices):
        SHREDDING = "shredding", _("Shredding")
        BURNING = "burning", _("Burning")
        PULPING = "pulping", _("Pulping")

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraisal group"),
        related_name="appraisals",
        blank=True,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("executive's comment"), blank=True)
    paper_method = models.CharField(
        _("method for paper"), max_length=10, choices=PaperMethod.choices, blank=True
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    executed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["opened_at"])

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-opened_at", "-pk"]
        permissions = [
            ("organise_appraisal", _("May organise appraisals")),
            ("approve_destruction", _("May approve destruction lists")),
            ("execute_destruction", _("May carry out destruction")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("retention:appraisal-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"JD{self.opened_at:%Y}-{self.pk:04d}" if self.pk else ""


class AppraisalItem(models.Model):
    """One candidate of an appraisal and the group's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not yet decided")
        DESTROY = "destroy", _("Destroy")
        KEEP = "keep", _("Keep")

    class Ground(models.TextChoices):
        EXPIRED = "expired", _("Retention period ended")
        DAMAGED = "damaged", _("Damaged beyond repair")
        NOT_NEEDED = "not_needed", _("No longer needed (approved)")

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="items"
    )
    record = models.ForeignKey(
        "archives.ArchiveRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="appraisal_items",
    )
    ground = models.CharField(
        _("ground"), max_length=12, choices=Ground.choices, default=Ground.EXPIRED
    )
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    keep_until = models.DateField(_("keep until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appraisal candidate")
        verbose_name_plural = _("appraisal candidates")
        ordering = ["appraisal", "record__number_prefix", "record__sequence_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "record"], name="appraisal_item_once"
            ),
            models.CheckConstraint(
                condition=~Q(decision="keep") | Q(keep_until__isnull=False),
                name="appraisal_keep_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id} · {self.record_id} · {self.decision}"


class Witness(models.Model):
    """A witness of a destruction, and when they confirmed it."""

    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, related_name="witnesses"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("witness"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "person"], name="witness_once")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Incident(models.Model):
    """Something happened to records: a loss, damage, fire, flood or theft.

    Lifecycle: open (by ``incident_open``, which tells the heads of archives;
    actions are added while it is open) → closed (by ``incident_close``, with
    its outcome). Its status is never a field of a form.
    """

    class Kind(models.TextChoices):
        LOSS = "loss", _("Loss")
        DAMAGE = "damage", _("Damage")
        FIRE = "fire", _("Fire")
        FLOOD = "flood", _("Flood")
        THEFT = "theft", _("Theft")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    STATUS_COLOURS = {Status.OPEN: "danger", Status.CLOSED: "secondary"}

    TRANSITIONS: dict[str, frozenset[str]] = {Status.OPEN: frozenset({Status.CLOSED})}

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("what happened"), blank=True)
    records = models.ManyToManyField(
        "archives.ArchiveRecord",
        verbose_name=_("records affected"),
        related_name="incidents",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person held responsible"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    told = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("people told"),
        blank=True,
        related_name="+",
    )
    told_outside = models.CharField(
        _("others told"),
        max_length=255,
        blank=True,
        help_text=_("Outside the system: fire brigade, police, insurer…"),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.summary}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("retention:incident-detail", args=[self.pk])


class IncidentAction(models.Model):
    """A step taken after an incident: transfer, rescue, repair, re-collection."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        RESCUE = "rescue", _("Rescue")
        REPAIR = "repair", _("Repair")
        RECOLLECTION = "recollection", _("Re-collection")
        FOUND = "found", _("Found again")
        OTHER = "other", _("Other")

    # These actions put the records they name back on the shelf.
    RESTORING = frozenset({Kind.REPAIR, Kind.RECOLLECTION, Kind.FOUND})

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("what was done"))
    records = models.ManyToManyField(
        "archives.ArchiveRecord",
        verbose_name=_("records"),
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident action")
        verbose_name_plural = _("incident actions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.incident_id}"


class CheckRun(models.Model):
    """One periodic check for one period, with its progress and summary.

    Lifecycle: a check is *queued* (by beat or a person) and a worker makes it
    *running*; a computed check (daily, inspection, backup) ends *done* or
    *failed* and may be queued again; a patrol or stocktake, once its lists
    are drawn up, is *open* for people's entries, and finishing it runs it
    again to *done* (a finished one may be finished again). A running check
    whose worker went silent is taken over: claimed again (running again),
    queued again, or, for a patrol or stocktake, opened again.
    """

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily check")
        PATROL = "patrol", _("Weekly storeroom patrol")
        INSPECTION = "inspection", _("Monthly inspection")
        BACKUP = "backup", _("Quarterly backup check")
        STOCKTAKE = "stocktake", _("Yearly stocktake")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        OPEN = "open", _("Open for entries")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    STATUS_COLOURS = {
        Status.QUEUED: "warning",
        Status.RUNNING: "warning",
        Status.OPEN: "info",
        Status.DONE: "success",
        Status.FAILED: "danger",
    }

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.QUEUED: frozenset({Status.RUNNING}),
        Status.RUNNING: frozenset(
            {Status.RUNNING, Status.DONE, Status.OPEN, Status.FAILED, Status.QUEUED}
        ),
        Status.OPEN: frozenset({Status.RUNNING}),
        Status.DONE: frozenset({Status.QUEUED, Status.RUNNING}),
        Status.FAILED: frozenset({Status.QUEUED}),
    }

    kind = models.CharField(_("check"), max_length=12, choices=Kind.choices)
    period = models.CharField(_("period"), max_length=12)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # When it was last queued: a check queued long ago that no worker has
    # picked up says so (its worker is not running).
    queued_at = models.DateTimeField(_("queued"), default=timezone.now, editable=False)
    # Written with every progress step; silence means the worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    runs = models.PositiveIntegerField(_("times run"), default=0)

    class Meta:
        verbose_name = _("check report")
        verbose_name_plural = _("check reports")
        ordering = ["-period", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="check_once")
        ]
        permissions = [
            ("run_checks", _("May start checks and enter their findings")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("retention:check-detail", args=[self.pk])

    @property
    def is_stalled(self) -> bool:
        """Running without a sign of life: its worker died (core.heartbeat)."""
        from core.heartbeat import is_stalled

        return is_stalled(self)

    @property
    def is_waiting_long(self) -> bool:
        """Queued for longer than a job may be silent: no worker is taking
        checks (it is stopped, or busy with something far longer)."""
        from core.heartbeat import stale_seconds

        if self.status != self.Status.QUEUED:
            return False
        waited = timezone.now() - self.queued_at
        return waited.total_seconds() > stale_seconds()

    @property
    def last_sign_of_life(self):
        from core.heartbeat import last_beat

        return last_beat(self) or self.started_at

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.progress_done * 100 // self.progress_total)


class Finding(models.Model):
    """Something a check found, kept as a message key and its values."""

    class Severity(models.TextChoices):
        INFO = "info", _("Note")
        WARNING = "warning", _("Warning")
        PROBLEM = "problem", _("Problem")

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.PROBLEM
    )
    code = models.CharField(_("finding"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    storeroom = models.ForeignKey(
        "archives.Storeroom",
        verbose_name=_("storeroom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    record = models.ForeignKey(
        "archives.ArchiveRecord",
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["run", "storeroom", "code", "pk"]
        indexes = [models.Index(fields=["run", "code"])]

    def __str__(self) -> str:
        from retention.findings import render

        return render(self.code, self.params)

    @property
    def link(self) -> str:
        """The page behind the finding (a list, or the record it names)."""
        from retention.findings import link

        return link(self.code, self.params)


class FacilityItem(models.Model):
    """An item of the monthly facilities checklist (S0 §3.2), edited in admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("facility checklist item")
        verbose_name_plural = _("facility checklist items")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class FacilityCheck(models.Model):
    """One ticked item of the facilities checklist in one storeroom."""

    run = models.ForeignKey(
        CheckRun, on_delete=models.CASCADE, related_name="facility_checks"
    )
    storeroom = models.ForeignKey(
        "archives.Storeroom", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(FacilityItem, on_delete=models.PROTECT, related_name="+")
    ok = models.BooleanField(_("in order"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), auto_now=True)

    class Meta:
        verbose_name = _("facility check")
        verbose_name_plural = _("facility checks")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "storeroom", "item"], name="facility_checked_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.storeroom_id} · {self.item}"


class PatrolReading(models.Model):
    """A storeroom's temperature and humidity read on the weekly patrol."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="readings")
    storeroom = models.ForeignKey(
        "archives.Storeroom",
        verbose_name=_("storeroom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    temperature = models.DecimalField(
        _("temperature (°C)"), max_digits=4, decimal_places=1
    )
    humidity = models.DecimalField(
        _("relative humidity (%)"), max_digits=4, decimal_places=1
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("patrol reading")
        verbose_name_plural = _("patrol readings")
        ordering = ["storeroom"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "storeroom"], name="patrol_read_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.storeroom_id} {self.temperature}°C {self.humidity}%"


class StocktakeScan(models.Model):
    """A record found during the stocktake, and the box it was found in."""

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="scans")
    code = models.CharField(_("scanned code"), max_length=70)
    record = models.ForeignKey(
        "archives.ArchiveRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    box = models.ForeignKey(
        "archives.Box",
        verbose_name=_("found in box"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scanned_at = models.DateTimeField(_("scanned"), auto_now=True)

    class Meta:
        verbose_name = _("stocktake scan")
        verbose_name_plural = _("stocktake scans")
        ordering = ["-scanned_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "code"], name="stocktake_scan_once")
        ]
        indexes = [models.Index(fields=["run", "box"])]

    def __str__(self) -> str:
        return f"{self.code} @ {self.box_id}"


class Complaint(models.Model):
    """A complaint about the archive's own work (S4 监督与考核: 投诉举报渠道),
    from a member of staff, or from an owner through the front desk.

    Lifecycle: open (by ``complaint_report``, which tells the heads of
    archives) → handling (a head takes it) → closed (by ``complaint_close``,
    with what was found and the answer given to whoever complained, who is
    told). Its status is never a field of a form.
    """

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        OWNER = "owner", _("Owner, through the front desk")

    class Topic(models.TextChoices):
        SERVICE = "service", _("Service at the desk or the reading room")
        DELAY = "delay", _("Slow handling")
        RECORD = "record", _("A record wrong, missing or damaged")
        PRIVACY = "privacy", _("Privacy or confidentiality")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLING = "handling", _("Being handled")
        CLOSED = "closed", _("Closed")

    STATUS_COLOURS = {
        Status.OPEN: "danger",
        Status.HANDLING: "warning",
        Status.CLOSED: "secondary",
    }
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OPEN: frozenset({Status.HANDLING, Status.CLOSED}),
        Status.HANDLING: frozenset({Status.CLOSED}),
    }

    source = models.CharField(
        _("complaint from"), max_length=10, choices=Source.choices
    )
    topic = models.CharField(_("about"), max_length=10, choices=Topic.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("what happened"), blank=True)
    record = models.ForeignKey(
        "archives.ArchiveRecord",
        verbose_name=_("record concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # An owner's name and how to reach them with the answer; the contact is
    # personal data: encrypted, shown masked (archives.personal).
    owner_name = models.CharField(_("owner's name"), max_length=100, blank=True)
    owner_contact_cipher = models.TextField(editable=False, blank=True)
    owner_contact_masked = models.CharField(
        _("owner's contact"), max_length=100, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    findings = models.TextField(_("what was found"), blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["owner_contact_cipher"])

    class Meta:
        verbose_name = _("complaint about the archive")
        verbose_name_plural = _("complaints about the archive")
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["status", "-reported_at"])]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.summary}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("retention:complaint-detail", args=[self.pk])
