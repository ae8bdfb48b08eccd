"""What the API shows and accepts. Reads mirror the pages; writes go to the
same services the forms use, so the rules are the same."""

from __future__ import annotations

from operator import itemgetter

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department
from accounts.models import User
from archives.models import RECORD_INPUT_FIELDS
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import Customer
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import Subcode
from archives.models import SubcodeDimension
from archives.selectors import RecordValues
from lending.models import AccessRequest
from lending.models import ApprovalStep
from lending.models import Kind
from lending.selectors import request_disclosures
from reports.models import MonthlyReport

MAX_TEXT = 2000
# A primary key no row has, standing for a row's in a reversed URL.
PK_MARKER = 2_147_483_647


class SubcodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subcode
        fields = ["code", "name", "active"]


class DimensionSerializer(serializers.ModelSerializer):
    subcodes = SubcodeSerializer(many=True, read_only=True)

    class Meta:
        model = SubcodeDimension
        fields = ["key", "name", "required", "subcodes"]


class CategorySerializer(serializers.ModelSerializer):
    dimensions = DimensionSerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "number_pattern",
            "requires_customer",
            "lendable",
            "retention_kind",
            "retention_years",
            "retention_start",
            "submission_deadline_hours",
            "active",
            "dimensions",
        ]


class CustomerSerializer(serializers.ModelSerializer):
    industry = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Subcode.objects.filter(dimension__key="industry"),
        required=False,
        allow_null=True,
    )
    department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Customer
        fields = ["code", "name", "industry", "region", "scale", "department"]


class ShelfSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Shelf
        fields = ["id", "code", "category"]


class StoreroomSerializer(serializers.ModelSerializer):
    shelves = ShelfSerializer(many=True, read_only=True)

    class Meta:
        model = Storeroom
        fields = ["id", "code", "name", "location", "shelves"]


class BoxSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    shelf = serializers.StringRelatedField()
    storeroom = serializers.CharField(source="shelf.storeroom.code", read_only=True)

    class Meta:
        model = Box
        fields = ["id", "code", "category", "year", "capacity", "shelf", "storeroom"]


class RecordSerializer(serializers.ModelSerializer):
    """A record as its detail page shows it."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subcodes = serializers.SerializerMethodField()
    customer = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    source_department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    responsible_person = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    box = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    handling_status = serializers.ChoiceField(
        ArchiveRecord.HandlingStatus.choices, allow_blank=True, read_only=True
    )
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveRecord
        fields = [
            "id",
            "number",
            "status",
            "category",
            "subcodes",
            *RECORD_INPUT_FIELDS,
            "box",
            "disposal_due_on",
            "created_at",
            "submitted_at",
            "accepted_at",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_subcodes(self, record) -> dict[str, str]:
        # A list's page brings them for all its rows (selectors.subcode_codes).
        page = self.context.get("subcodes")
        if page is not None:
            return page.get(record.pk, {})
        return {s.dimension.key: s.code for s in record.subcodes.all()}

    def get_page_url(self, record) -> str:
        # One reverse() a page, not one a row (a list gives up to 100).
        pattern = self.context.get("page_url_pattern")
        if pattern is None:
            pattern = reverse("archives:record-detail", args=[PK_MARKER])
            self.context["page_url_pattern"] = pattern
        return pattern.replace(str(PK_MARKER), str(record.pk))

    def to_representation(self, instance):
        """A record, or a list's row of plain values (``RecordValues``):
        each field read from its column by a reader made once per list,
        not through its source path for each row and field."""
        if not isinstance(instance, RecordValues):
            return super().to_representation(instance)
        readers = self.__dict__.get("_readers")
        if readers is None:
            readers = self._readers = {
                name: getattr(self, read) if isinstance(read, str) else read
                for name, read in self._row_readers().items()
            }
        return {name: read(instance) for name, read in readers.items()}

    @classmethod
    def _row_readers(cls) -> dict:
        """Each field's reader of a row, made once per process from one
        serializer's fields (making the fields, every list, took a quarter
        of the list's time); a method field by its method's name, read from
        each list's own serializer (its context)."""
        readers = cls.__dict__.get("_row_readers_made")
        if readers is None:
            template = cls()
            readers = {name: cls._reader(f) for name, f in template.fields.items()}
            cls._row_readers_made = readers
        return readers

    @staticmethod
    def _reader(field):
        if isinstance(field, serializers.SerializerMethodField):
            return field.method_name
        if isinstance(field, serializers.SlugRelatedField):
            # The row holds the code itself (``category__code``).
            return itemgetter(f"{field.source}__{field.slug_field}")
        key = "pk" if field.source == "id" else field.source
        convert = field.to_representation

        def read(row):
            value = row[key]
            return None if value is None else convert(value)

        return read


class FileCheckItemSerializer(serializers.Serializer):
    aspect = serializers.CharField()
    outcome = serializers.CharField()
    code = serializers.CharField(help_text="The finding, for programs.")
    text = serializers.CharField(help_text="The finding, in the caller's language.")
    file = serializers.SerializerMethodField()

    def get_file(self, item) -> str | None:
        return item.file.display_name if item.file else None


class FileCheckSerializer(serializers.Serializer):
    """A four-checks report (四性检测) of a record's files."""

    stage = serializers.CharField()
    outcome = serializers.CharField()
    checked_at = serializers.DateTimeField()
    overridden_by = serializers.SerializerMethodField(
        help_text="Who accepted the record despite the findings (a user name)."
    )
    override_reason = serializers.CharField()
    items = FileCheckItemSerializer(many=True, source="items.all")

    def get_overridden_by(self, report) -> str | None:
        return report.overridden_by.username if report.overridden_by else None


class RecordCreateSerializer(serializers.Serializer):
    """A new draft: the fields of the filing form, by codes and user names."""

    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(active=True)
    )
    subcodes = serializers.DictField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text='Sub-code per dimension key, e.g. {"channel": "DH"}.',
    )
    title = serializers.CharField(max_length=200)
    customer = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Customer.objects.all(),
        required=False,
        allow_null=True,
    )
    date_formed = serializers.DateField()
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    source_department = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
    )
    responsible_person = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    carrier = serializers.ChoiceField(
        ArchiveRecord.Carrier.choices, default=ArchiveRecord.Carrier.PAPER
    )
    page_count = serializers.IntegerField(min_value=0, max_value=100_000, default=0)
    confidentiality = serializers.ChoiceField(
        ArchiveRecord.Confidentiality.choices,
        default=ArchiveRecord.Confidentiality.INTERNAL,
    )
    keywords = serializers.CharField(max_length=255, required=False, allow_blank=True)
    description = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True
    )
    handling_status = serializers.ChoiceField(
        ArchiveRecord.HandlingStatus.choices, required=False, allow_blank=True
    )
    handled_on = serializers.DateField(required=False, allow_null=True)
    involves_major_decision = serializers.BooleanField(default=False)
    contract_ends_on = serializers.DateField(required=False, allow_null=True)
    uploads = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=50,
        help_text="Ids of complete uploads sent in pieces (/api/v1/uploads/).",
    )


class RecordCreateMultipartSerializer(RecordCreateSerializer):
    """The same draft sent as a form, with its files."""

    subcodes = serializers.CharField(
        required=False, help_text='Sub-codes as JSON, e.g. {"channel": "DH"}.'
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="The files."
    )


class UploadBeginSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    size = serializers.IntegerField(min_value=1)
    sha256 = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="The whole file's SHA-256, checked when the last piece arrives.",
    )


class UploadSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    received = serializers.IntegerField(
        read_only=True, help_text="Bytes arrived: send the next piece from here."
    )
    complete = serializers.BooleanField(read_only=True)


class SubmitSerializer(serializers.Serializer):
    """Nothing to send: the draft named in the address is submitted."""


class StepSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = ApprovalStep
        fields = ["position", "role", "department", "decision", "decided_at"]


class AccessRequestSerializer(serializers.ModelSerializer):
    """A request as the caller may know it (``request_disclosure``): the
    numbers asked for always; which are unavailable and the approval chain
    only once the caller is told."""

    reference = serializers.CharField(read_only=True)
    requester = serializers.SlugRelatedField(slug_field="username", read_only=True)
    records = serializers.SerializerMethodField()
    unavailable = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "reference",
            "kind",
            "status",
            "requester",
            "purpose",
            "scope",
            "description",
            "starts_at",
            "ends_at",
            "due_on",
            "records",
            "unavailable",
            "steps",
            "rejection_reason",
            "created_at",
            "decided_at",
            "closed_at",
        ]
        read_only_fields = fields

    def _disclosure(self, access_request):
        cache = self.context.setdefault("_disclosures", {})
        if access_request.pk not in cache:
            # A page of requests is read in one go (one query, not one each).
            page = getattr(self.parent, "instance", None) or [access_request]
            cache.update(
                request_disclosures(
                    user=self.context["request"].user, access_requests=page
                )
            )
        return cache[access_request.pk]

    def get_records(self, access_request) -> list[str]:
        return [row.number for row in self._disclosure(access_request).rows]

    @extend_schema_field(
        serializers.ListField(child=serializers.CharField(), allow_null=True)
    )
    def get_unavailable(self, access_request):
        """Numbers that name no record the request can be for; null while the
        caller is not told."""
        disclosure = self._disclosure(access_request)
        if not disclosure.told:
            return None
        return [row.number for row in disclosure.rows if row.available is False]

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, access_request):
        if not self._disclosure(access_request).told:
            return []
        return StepSerializer(access_request.steps.all(), many=True).data


class AccessRequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(Kind.choices)
    numbers = serializers.ListField(
        child=serializers.CharField(max_length=60),
        max_length=50,
        required=False,
        default=list,
        help_text="The archive numbers; or leave out and give a description.",
    )
    purpose = serializers.CharField(max_length=300)
    scope = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="The records wanted, described, when the numbers are not known: "
        "the archivist finds them and fills them in.",
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class MonthlyReportSummarySerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = ["month", "generated_at"]

    def get_month(self, report) -> str:
        return report.month.strftime("%Y-%m")


class MonthlyReportSerializer(MonthlyReportSummarySerializer):
    class Meta(MonthlyReportSummarySerializer.Meta):
        fields = ["month", "generated_at", "figures"]
