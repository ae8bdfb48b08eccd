"""The REST API, version 1 (SPEC §13 integration; S4 信息化建設).

Thin on purpose: reads come from the same selectors as the pages (so a token
sees exactly what its user sees in the catalogue) and writes go through the
same services as the forms.
"""

from __future__ import annotations

import json
import re

from django.db.models import Prefetch
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions
from rest_framework import mixins
from rest_framework import permissions as drf_permissions
from rest_framework import serializers
from rest_framework import status
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.parsers import FormParser
from rest_framework.parsers import JSONParser
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Department
from api import serializers as api
from api.models import ChunkedUpload
from api.permissions import TokenScope
from api.services import KeyBusy
from api.services import KeyReused
from api.services import OutOfOrder
from api.services import fingerprint
from api.services import idempotent_claim
from api.services import idempotent_keep
from api.services import idempotent_release
from api.services import upload_begin
from api.services import upload_piece
from api.services import uploads_open
from api.services import uploads_used
from archives import selectors as archive_selectors
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import Customer
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import Subcode
from archives.models import SubcodeDimension
from archives.selectors import CatalogueQuery
from archives.services.customers import customer_create
from archives.services.records import record_create
from archives.services.records import records_submit
from archives.services.records import subcodes_by_code
from audit import services as audit
from core import version
from core.chinese import contains_any
from lending import permissions as lending_permissions
from lending import selectors as lending_selectors
from lending.services.requests import access_request_create
from reports import annual
from reports import permissions as report_permissions
from reports import selectors as report_selectors
from reports.models import MonthlyReport

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): the same call made again with "
    "it is answered as the first and does nothing twice.",
)


def _plain(request) -> dict:
    """The call's fields as plain values: a multipart form sends sub-codes
    as JSON text and may repeat ``uploads``."""
    data = request.data
    if not hasattr(data, "getlist"):
        return data
    plain = {key: data.get(key) for key in data if key != "files"}
    if "uploads" in data:
        plain["uploads"] = [
            part.strip()
            for value in data.getlist("uploads")
            for part in str(value).split(",")
            if part.strip()
        ]
    if isinstance(plain.get("subcodes"), str):
        try:
            plain["subcodes"] = json.loads(plain["subcodes"] or "{}")
        except ValueError:
            raise serializers.ValidationError(
                {"subcodes": [_('Give the sub-codes as JSON, e.g. {"channel": "DH"}.')]}
            ) from None
    return plain


def idempotent(request, make):
    """Answer with ``make(request)``, or with what it answered before when
    the call carries an Idempotency-Key already used for the same call."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return make(request)
    if len(key) > 100:
        raise serializers.ValidationError(
            {"Idempotency-Key": [_("An Idempotency-Key has at most 100 characters.")]}
        )
    files = [(f.name, f.size) for f in request.FILES.getlist("files")]
    print_ = fingerprint(request.method, request.path, [_plain(request), files])
    try:
        kept = idempotent_claim(actor=request.user, key=key, print_=print_)
    except KeyReused as error:
        return Response({"detail": error.message}, status=422)
    except KeyBusy as error:
        return Response({"detail": error.message}, status=409)
    if kept is not None:
        return Response(
            kept.body, status=kept.http_status, headers={"Idempotent-Replayed": "true"}
        )
    try:
        response = make(request)
    except BaseException:
        idempotent_release(actor=request.user, key=key)
        raise
    idempotent_keep(
        actor=request.user, key=key, status=response.status_code, body=response.data
    )
    return response


class ModelPermissions(drf_permissions.DjangoModelPermissions):
    """The model permission of the role, reading included (view_*)."""

    perms_map = {
        **drf_permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class HasPerm(drf_permissions.BasePermission):
    """One named permission, for views that are not about one model."""

    perm = ""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm(self.perm))


class CanSeeStatistics(HasPerm):
    perm = report_permissions.VIEW_STATISTICS


class CanRequest(HasPerm):
    perm = lending_permissions.REQUEST


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The categories with their sub-code dimensions: what a record may be filed as."""

    serializer_class = api.CategorySerializer
    lookup_field = "code"
    queryset = Category.objects.prefetch_related(
        Prefetch(
            "dimensions",
            queryset=SubcodeDimension.objects.prefetch_related(
                Prefetch("subcodes", queryset=Subcode.objects.order_by("sort_order"))
            ).order_by("sort_order"),
        )
    ).order_by("sort_order", "code")


class CustomerFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)


class CustomerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Customers by their code; filing systems create the ones they lack."""

    serializer_class = api.CustomerSerializer
    permission_classes = [ModelPermissions, TokenScope]
    lookup_field = "code"
    queryset = Customer.objects.select_related("industry", "department").order_by(
        "code"
    )

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Part of the code or the name.")
        ]
    )
    def list(self, request, *args, **kwargs):
        return _listed(request, "api:customers", super().list(request, *args, **kwargs))

    def get_queryset(self):
        customers = super().get_queryset()
        if self.action != "list":
            return customers
        params = CustomerFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        text = params.validated_data.get("q", "")
        if text:
            customers = customers.filter(
                Q(code__icontains=text) | contains_any("name", text)
            )
        return customers

    def perform_create(self, serializer):
        serializer.instance = customer_create(
            actor=self.request.user, data=serializer.validated_data
        )


class StoreroomViewSet(viewsets.ReadOnlyModelViewSet):
    """Storerooms and their shelves."""

    serializer_class = api.StoreroomSerializer
    permission_classes = [ModelPermissions, TokenScope]
    queryset = Storeroom.objects.prefetch_related(
        Prefetch("shelves", queryset=Shelf.objects.select_related("category"))
    ).order_by("code")


class BoxViewSet(viewsets.ReadOnlyModelViewSet):
    """Boxes: where paper records stand."""

    serializer_class = api.BoxSerializer
    permission_classes = [ModelPermissions, TokenScope]
    queryset = Box.objects.select_related("category", "shelf__storeroom").order_by(
        "code"
    )


class RecordFilterSerializer(serializers.Serializer):
    """The catalogue's search and filters, by codes instead of ids."""

    q = serializers.CharField(required=False, max_length=100, allow_blank=True)
    category = serializers.CharField(required=False, max_length=10)
    subcode = serializers.CharField(required=False, max_length=20)
    status = serializers.ChoiceField(
        [
            s
            for s in ArchiveRecord.Status.values
            if s in ArchiveRecord.IN_ARCHIVE_STATUSES
        ],
        required=False,
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    department = serializers.CharField(required=False, max_length=20)
    storeroom = serializers.CharField(required=False, max_length=20)
    box = serializers.CharField(required=False, max_length=30)
    sort = serializers.ChoiceField(list(archive_selectors.SORTS), required=False)
    mine = serializers.BooleanField(
        required=False,
        help_text="Only my own drafts, submissions and returned records.",
    )


def _pk_of(rows, code: str | None) -> int | None:
    """The id of the row (of a model or a queryset) with this code; 0 for an
    unknown code, so that it matches nothing rather than everything."""
    if not code:
        return None
    if not hasattr(rows, "filter"):
        rows = rows.objects.all()
    pk = rows.filter(code=code).values_list("pk", flat=True).first()
    return pk if pk is not None else 0


RECORD_FILTERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=str(field.help_text or ""))
    for name, field in RecordFilterSerializer().fields.items()
    if name not in ("date_from", "date_to", "mine")
] + [
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("mine", OpenApiTypes.BOOL),
]


class RecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Records: the catalogue as its user sees it; drafts filed and submitted."""

    serializer_class = api.RecordSerializer

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            # A page's rows are read by ``rows_by_id``.
            return self._search(user)
        records = archive_selectors.record_list_visible_to(user=user)
        return records.select_related("responsible_person", "box").prefetch_related(
            Prefetch("subcodes", queryset=Subcode.objects.select_related("dimension"))
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list" and getattr(self, "page_rows", None) is not None:
            context["subcodes"] = archive_selectors.subcode_codes(self.page_rows)
        return context

    def paginate_queryset(self, queryset):
        self.page_rows = super().paginate_queryset(queryset)
        return self.page_rows

    def rows_by_id(self, ids: list[int]) -> list:
        """A list page's rows (``KeysetPagination``): plain values, with the
        codes they point to; their sub-codes in one more query of codes
        (``get_serializer_context``)."""
        return archive_selectors.record_api_rows_by_id(ids)

    def _search(self, user):
        params = RecordFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if data.get("mine"):
            return archive_selectors.records_filed_by(user=user)
        category = _pk_of(Category, data.get("category"))
        subcodes = Subcode.objects.all()
        if category:
            subcodes = subcodes.filter(dimension__category_id=category)
        query = CatalogueQuery(
            q=data.get("q", ""),
            category=category,
            subcode=_pk_of(subcodes, data.get("subcode")),
            status=data.get("status", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            department=_pk_of(Department, data.get("department")),
            storeroom=_pk_of(Storeroom, data.get("storeroom")),
            box_code=data.get("box", ""),
            sort=data.get("sort", "-date"),
        )
        named = (query.category, query.subcode, query.department, query.storeroom)
        if 0 in named:
            return ArchiveRecord.objects.none()
        return archive_selectors.catalogue_search(user=user, query=query)

    @extend_schema(parameters=RECORD_FILTERS)
    def list(self, request, *args, **kwargs):
        return _listed(request, "api:records", super().list(request, *args, **kwargs))

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={
            "application/json": api.RecordCreateSerializer,
            "multipart/form-data": api.RecordCreateMultipartSerializer,
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={201: api.RecordSerializer},
    )
    def create(self, request):
        """File a draft, with its files: sent in this call (multipart, field
        ``files``) or sent before in pieces (``uploads``, the ids of
        complete uploads). With an ``Idempotency-Key`` a call made again
        gets the first call's answer and files nothing twice."""
        return idempotent(request, self._create)

    def _create(self, request):
        incoming = api.RecordCreateSerializer(data=_plain(request))
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        category = data.pop("category")
        codes = data.pop("subcodes", {}) or {}
        upload_ids = data.pop("uploads", []) or []
        parts = uploads_open(actor=request.user, ids=[str(i) for i in upload_ids])
        try:
            record = record_create(
                actor=request.user,
                category=category,
                data=data,
                subcodes=subcodes_by_code(category, codes.items()),
                uploads=[*request.FILES.getlist("files"), *parts.files],
            )
        finally:
            parts.close()
        uploads_used(parts)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=record.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: api.RecordSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send one's own draft (or corrected return) to the archivist."""
        record = self.get_object()
        records_submit(actor=request.user, records=[record])
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        audit.log(audit.Action.RECORD_VIEWED, actor=request.user, target=record)
        return Response(self.get_serializer(record).data)

    @extend_schema(responses={200: api.FileCheckSerializer(many=True)})
    @action(detail=True, pagination_class=None, filter_backends=[])
    def checks(self, request, pk=None):
        """The newest four-checks report (四性检测) of each stage: upload,
        acceptance, monthly inspection."""
        record = self.get_object()
        audit.log(audit.Action.RECORD_VIEWED, actor=request.user, target=record)
        reports = archive_selectors.latest_file_checks(record)
        return Response(api.FileCheckSerializer(reports, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH)],
        responses={200: api.RecordSerializer},
    )
    @action(detail=False, url_path=r"by-number/(?P<number>[^/]+)")
    def by_number(self, request, number: str):
        """One record by its archive number."""
        record = get_object_or_404(self.get_queryset(), number=number)
        audit.log(audit.Action.RECORD_VIEWED, actor=request.user, target=record)
        return Response(self.get_serializer(record).data)


def _listed(request, name: str, response: Response) -> Response:
    """Log a list read through the API: who, the query, which rows."""
    results = response.data.get("results", []) if response.status_code == 200 else []
    audit.log_list_read(
        actor=request.user,
        name=name,
        query=request.META.get("QUERY_STRING", ""),
        ids=[row.get("id") or row.get("code") for row in results],
        total=response.data.get("count")
        if response.data.get("count_is_exact")
        else None,
    )
    return response


class AccessRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests to view or borrow records: file one, follow its approval."""

    serializer_class = api.AccessRequestSerializer

    def get_permissions(self):
        if self.action == "create":
            return [drf_permissions.IsAuthenticated(), CanRequest()]
        return super().get_permissions()

    def get_queryset(self):
        return lending_selectors.requests_of(user=self.request.user)

    def get_object(self):
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404
        return lending_selectors.request_get_for(user=self.request.user, pk=int(pk))

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=api.AccessRequestCreateSerializer,
        responses={201: api.AccessRequestSerializer},
    )
    def create(self, request):
        """File a request; its approval chain is fixed at once from the rules."""
        incoming = api.AccessRequestCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["numbers"] = "\n".join(data["numbers"])
        access_request = access_request_create(requester=request.user, **data)
        return Response(
            self.get_serializer(
                lending_selectors.request_get_for(
                    user=request.user, pk=access_request.pk
                )
            ).data,
            status=status.HTTP_201_CREATED,
        )


class MonthlyReportViewSet(viewsets.ReadOnlyModelViewSet):
    """The monthly usage reports (S4), one per month, by ``YYYY-MM``."""

    permission_classes = [drf_permissions.IsAuthenticated, TokenScope, CanSeeStatistics]
    queryset = MonthlyReport.objects.order_by("-month")
    lookup_field = "month"
    lookup_value_regex = r"\d{4}-\d{2}"

    def get_serializer_class(self):
        if self.action == "list":
            return api.MonthlyReportSummarySerializer
        return api.MonthlyReportSerializer

    def get_object(self):
        month = report_selectors.month_of(self.kwargs["month"])
        if month is None:
            raise Http404
        return get_object_or_404(MonthlyReport, month=month)


class StatisticsParams(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    department = serializers.CharField(required=False, max_length=20)

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError(
                {"end": _("The end date is before the start date.")}
            )
        return attrs


class VersionView(APIView):
    """The product's version and the API's (for a system checking what it
    talks to before an upgrade)."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "Version",
                {"version": serializers.CharField(), "api": serializers.CharField()},
            )
        }
    )
    def get(self, request):
        return Response({"version": version.full(), "api": "v1"})


class StatisticsViewSet(viewsets.ViewSet):
    """The dashboard's figures for a period (default: the last twelve months)."""

    permission_classes = [drf_permissions.IsAuthenticated, TokenScope, CanSeeStatistics]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("department", str, description="Department code."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request):
        params = StatisticsParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        default = report_selectors.Period.last_months(12)
        department = _pk_of(Department, data.get("department"))
        if department == 0:
            raise serializers.ValidationError(
                {"department": _("No department has this code.")}
            )
        period = report_selectors.Period(
            data.get("start") or default.start,
            data.get("end") or default.end,
            department,
        )
        return Response(report_selectors.statistics_for(period))


class AnnualReportViewSet(viewsets.ViewSet):
    """The annual statistics report (档案统计年报) of a year, with the year
    before beside it: holdings at the year's end, electronic volume, intake,
    destruction, use and its effects, as codes and counts."""

    permission_classes = [drf_permissions.IsAuthenticated, TokenScope, CanSeeStatistics]
    lookup_value_regex = r"\d{4}"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request, pk=None):
        year = int(pk)
        if year not in annual.years_offered():
            raise Http404
        report = annual.AnnualReport.of(year)
        return Response({"year": year, "this": report.figures, "before": report.before})


class OctetStreamParser(BaseParser):
    """A piece of an upload: the bytes themselves."""

    media_type = "application/octet-stream"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class UploadViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Files sent in pieces (a long recording), resumable: begin with the
    name and size, send each piece with ``PUT`` and a ``Content-Range``,
    ask how much arrived after an interruption, then name the upload in
    ``uploads`` when filing the record."""

    serializer_class = api.UploadSerializer

    def get_queryset(self):
        if not self.request.user.has_perm("archives.add_archiverecord"):
            return ChunkedUpload.objects.none()
        return ChunkedUpload.objects.filter(owner=self.request.user)

    # Begin with JSON; each piece is the bytes themselves.
    parser_classes = [JSONParser, OctetStreamParser]

    @extend_schema(
        request=api.UploadBeginSerializer, responses={201: api.UploadSerializer}
    )
    def create(self, request):
        if not request.user.has_perm("archives.add_archiverecord"):
            raise exceptions.PermissionDenied(_("You may not file records."))
        incoming = api.UploadBeginSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = upload_begin(actor=request.user, **incoming.validated_data)
        return Response(
            api.UploadSerializer(upload).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter(
                "Content-Range",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description=(
                    "bytes <first>-<last>/<size>, e.g. bytes 0-8388607/30000000"
                ),
            )
        ],
        responses={200: api.UploadSerializer, 409: api.UploadSerializer},
    )
    def update(self, request, pk=None):
        """One piece. A piece sent again is acknowledged and not written
        twice; one that does not continue the upload is refused (409) with
        how much has arrived."""
        upload = self.get_object()
        found = CONTENT_RANGE.match(request.headers.get("Content-Range", "").strip())
        data = request.data if isinstance(request.data, bytes) else b""
        if not found:
            raise serializers.ValidationError(
                {"Content-Range": [_("Send “Content-Range: bytes first-last/size”.")]}
            )
        first, last, size = (int(n) for n in found.groups())
        if size != upload.size or last - first + 1 != len(data):
            raise serializers.ValidationError(
                {
                    "Content-Range": [
                        _(
                            "The range says bytes %(first)s–%(last)s of %(size)s; "
                            "the piece has %(length)s bytes and the upload %(total)s."
                        )
                        % {
                            "first": first,
                            "last": last,
                            "size": size,
                            "length": len(data),
                            "total": upload.size,
                        }
                    ]
                }
            )
        try:
            upload = upload_piece(upload=upload, start=first, data=data)
        except OutOfOrder as error:
            upload.refresh_from_db()
            body = {**api.UploadSerializer(upload).data, "detail": error.message}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(api.UploadSerializer(upload).data)
