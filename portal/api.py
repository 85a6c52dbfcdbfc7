"""The REST API's common parts (pagination, spreadsheet renderers, conditional GET, the anonymous rate
limit, the push API's bearer-token authentication), its index at /api/v1/ and its organisations
endpoint. catalog.api, disclosure.api and disclosure.push build on these; portal reaches them only
through the URL includes in portal.api_urls."""

import csv
import io
import math
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import decorator_from_middleware
from django.utils.http import http_date
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from openpyxl import Workbook
from openpyxl.styles import Font
from rest_framework import mixins, pagination, serializers, viewsets
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import APIException, AuthenticationFailed, NotFound, Throttled, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from . import tokens
from .cache import public_page
from .models import Organisation
from .net import client_address
from .selectors import public_organisations
from .text import csv_text, set_text_cell

MAX_ID = 2**63 - 1  # the largest primary key a database column holds


class IdFilter(filters.NumberFilter):
    """An object's number: a whole number a database column holds; anything else (a fraction, -7e294)
    is a 400 naming the parameter, never an overflow in the database driver."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

MAX_PAGE_SIZE = 100
# A spreadsheet is read by people who want the whole list in one file; its rows cost no more queries.
SPREADSHEET_MAX_PAGE_SIZE = 5000
DEFAULT_PAGE_SIZE = 20
SPREADSHEET_FORMATS = ("csv", "xlsx")


# ---------------------------------------------------------------- input


def bad_parameter(name, message):
    return ValidationError({name: [message]})


def page_size_from(request, default, maximum):
    """The page size a client asked for; over the cap is refused rather than cut, so nobody takes a
    short page for the whole list."""
    raw = request.query_params.get("page_size", "")
    if raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise bad_parameter("page_size", f"每页条数应为1至{maximum}之间的整数")
    return size


def is_spreadsheet(request):
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format in SPREADSHEET_FORMATS


def page_limits(request):
    """(default, maximum) page size for this request's format."""
    if is_spreadsheet(request):
        return SPREADSHEET_MAX_PAGE_SIZE, SPREADSHEET_MAX_PAGE_SIZE
    return DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


PAGE_SIZE_PARAMETER = {
    "name": "page_size", "required": False, "in": "query",
    "description": f"每页条数，默认{DEFAULT_PAGE_SIZE}，最多{MAX_PAGE_SIZE}（CSV、XLSX 默认并最多{SPREADSHEET_MAX_PAGE_SIZE}）",
    "schema": {"type": "integer", "minimum": 1, "maximum": SPREADSHEET_MAX_PAGE_SIZE},
}


class PageNumberPagination(pagination.PageNumberPagination):
    """Page numbers, for the small sets (organisations, domains, catalogues, items, gazette issues)."""

    page_query_description = "页码，从1开始"

    def get_page_size(self, request):
        default, self.max_page_size_used = page_limits(request)
        self.page_size_used = page_size_from(request, default, self.max_page_size_used)
        return self.page_size_used

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise bad_parameter("page", "页码超出范围或无效") from None

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "page_size": self.page_size_used,
            "max_page_size": self.max_page_size_used,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        }, headers=link_header(self.get_next_link()))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "page_size", "max_page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "符合条件的总条数"},
                "page_size": {"type": "integer", "description": "本页条数上限"},
                "max_page_size": {"type": "integer", "description": "page_size 允许的最大值"},
                "next": {"type": "string", "format": "uri", "nullable": True, "description": "下一页地址"},
                "previous": {"type": "string", "format": "uri", "nullable": True, "description": "上一页地址"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "required": False, "in": "query", "description": self.page_query_description,
             "schema": {"type": "integer", "minimum": 1}},
            PAGE_SIZE_PARAMETER,
        ]


def link_header(next_url):
    # A spreadsheet has no room for the next page's address: clients find it in the Link header (RFC 8288).
    return {"Link": f'<{next_url}>; rel="next"'} if next_url else None


# ---------------------------------------------------------------- spreadsheets


def cell_text(value):
    """What a spreadsheet cell shows for a serialised value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


def spreadsheet_rows(data, renderer_context):
    """The header (Chinese column names) and the rows of a list (or a single object)."""
    view = renderer_context["view"]
    records = data.get("results", [data]) if isinstance(data, dict) else data
    columns = view.spreadsheet_columns
    yield [label for _, label in columns]
    for record in records:
        yield [cell_text(record.get(key)) for key, _ in columns]


def attach(renderer_context, extension):
    response = renderer_context.get("response")
    if response is not None:
        name = f"{renderer_context['view'].spreadsheet_name}.{extension}"
        response["Content-Disposition"] = f"attachment; filename=\"export.{extension}\"; filename*=UTF-8''{quote(name)}"


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        for row in spreadsheet_rows(data, renderer_context):
            writer.writerow([csv_text(value) for value in row])
        attach(renderer_context, "csv")
        # The BOM makes Excel and WPS read the file as UTF-8 and show its Chinese.
        return out.getvalue().encode("utf-8-sig")


class XLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        wb = Workbook()
        ws = wb.active
        ws.title = renderer_context["view"].spreadsheet_name[:31]
        for r, row in enumerate(spreadsheet_rows(data, renderer_context), start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                set_text_cell(cell, value)
                if r == 1:
                    cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        out = io.BytesIO()
        wb.save(out)
        attach(renderer_context, "xlsx")
        return out.getvalue()


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown ?format= is a 400 naming the parameter (DRF's own answer is a bare 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if fmt and fmt not in {renderer.format for renderer in renderers}:
            raise bad_parameter("format", f"不支持的格式“{fmt}”，可选：json、csv、xlsx")
        return super().select_renderer(request, renderers, format_suffix)


# ---------------------------------------------------------------- throttling and caching


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous clients, per address; the rate is the API_ANON_RATE setting, read on each request so a
    changed setting applies without a restart (DRF reads its own rates only once)."""

    def get_rate(self):
        return settings.API_ANON_RATE

    def get_ident(self, request):
        # Not DRF's NUM_PROXIES reading of X-Forwarded-For: the one rule of portal.net.
        return client_address(request)


def anonymous_rate_allows(request):
    """Whether an anonymous request (no session, no token) is within the rate, counted as the views
    count it: PublicPageCacheMiddleware asks before it answers from the cache."""
    return AnonymousThrottle().allow_request(Request(request, authenticators=()), None)


class ApiThrottled(Throttled):
    """429 with one Chinese sentence (DRF's own adds an English-shaped second one); DRF's exception
    handler turns `wait` into Retry-After."""

    def __init__(self, wait):
        APIException.__init__(self, f"请求过于频繁，请于{wait}秒后重试。" if wait else "请求过于频繁，请稍后重试。")
        self.wait = wait


# Django's conditional GET: an ETag of the body, 304 when the client already holds it (and
# Last-Modified, where a view sets it). Applied to the API views only.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


class ApiViewSet(viewsets.GenericViewSet):
    """The base of every API endpoint: JSON, CSV and XLSX; anonymous rate limit; conditional GET."""

    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]
    content_negotiation_class = FormatNegotiation
    throttle_classes = [AnonymousThrottle]
    pagination_class = PageNumberPagination
    filter_backends = [filters.DjangoFilterBackend]
    spreadsheet_columns = ()
    spreadsheet_name = "导出"
    last_modified_field = None

    # Answers to anonymous clients without parameters are kept in the page cache (and rate limited
    # there too); the others are made each time.
    cached = False

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = conditional_get(super().as_view(actions, **initkwargs))
        return public_page(view, rate_limited=True) if cls.cached else view

    def throttled(self, request, wait):
        raise ApiThrottled(wait=math.ceil(wait) if wait else None)

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and is_spreadsheet(request):
            # Errors are for the program that asked, not for a spreadsheet: they stay JSON.
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        if _has_credentials(request):
            # A token's or a signed-in user's answer (drafts, their organisation's) is theirs alone.
            response["Cache-Control"] = "private, no-store"
        else:
            # Public information that may be withdrawn: caches revalidate (a 304 costs little) every
            # time, so a withdrawn item is gone from a shared cache with the next request.
            response.setdefault("Cache-Control", "no-cache")
        return response


class PrivateAnswers:
    """For the views that answer only with a token (the push API): nothing of it kept by any cache."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


def _has_credentials(request):
    """The request came with a token or a signed-in user. DRF's own request.user would authenticate
    now if it has not yet (an error raised before authentication), and could raise here."""
    user = getattr(request, "_user", None)
    return (
        "HTTP_AUTHORIZATION" in request.META
        or getattr(request, "_auth", None) is not None
        or (user is not None and user.is_authenticated)
    )


class ReadOnlyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, ApiViewSet):
    """A list and a detail endpoint of public information; the detail has Last-Modified where the
    model has a stamp."""

    cached = True

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        stamp = getattr(instance, self.last_modified_field, None) if self.last_modified_field else None
        if stamp is not None:
            response["Last-Modified"] = http_date(stamp.timestamp())
        return response


FORMAT_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"],
    description="返回格式：json（默认）、csv（UTF-8，带BOM）或 xlsx；表格的列名为中文",
)


def list_schema(summary, description=""):
    """The OpenAPI text of a list and a detail endpoint."""
    return extend_schema_view(
        list=extend_schema(summary=summary, description=description, parameters=[FORMAT_PARAMETER]),
        retrieve=extend_schema(summary=f"{summary}：详情"),
    )


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


class PageUrlMixin(serializers.Serializer):
    """`page_url`: the object's page on the public site."""

    page_url = serializers.SerializerMethodField(help_text="公开网站上的页面地址")

    def get_page_url(self, obj) -> str:
        return absolute(self.context.get("request"), self.page_path(obj))


# ---------------------------------------------------------------- organisations


class OrganisationSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail", help_text="本条目的接口地址")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="类别（中文）")
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="上级机构编号；县人民政府为空")
    children = serializers.SerializerMethodField(help_text="下级机构编号（仅有公开页面的机构）")

    class Meta:
        model = Organisation
        fields = [
            "id", "url", "page_url", "name", "short_name", "kind", "kind_display", "parent", "children", "credit_code",
            "address", "postcode", "phone", "email", "office_hours", "is_disclosure_body",
        ]

    def get_children(self, obj) -> list[int]:
        return [child.pk for child in obj.public_children]

    def page_path(self, obj):
        return reverse("disclosure:organisation_detail", args=[obj.pk])


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(label="类别", choices=Organisation.Kind.choices)
    parent = IdFilter(label="上级机构编号", field_name="parent_id")

    class Meta:
        model = Organisation
        fields = []


def with_public_children(queryset):
    children = public_organisations().only("id", "parent_id").order_by("tree_id", "lft")
    return queryset.prefetch_related(Prefetch("children", queryset=children, to_attr="public_children"))


@list_schema("机构", "有政府信息公开页面的机构（政府信息公开主体，以及村（居）民委员会），按机构树的顺序排列。")
class OrganisationViewSet(ReadOnlyViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    queryset = with_public_children(public_organisations().order_by("tree_id", "lft"))
    spreadsheet_name = "机构"
    spreadsheet_columns = [
        ("id", "编号"), ("name", "名称"), ("short_name", "简称"), ("kind_display", "类别"), ("parent", "上级机构编号"),
        ("credit_code", "统一社会信用代码"), ("address", "办公地址"), ("postcode", "邮政编码"), ("phone", "联系电话"),
        ("email", "电子邮箱"), ("office_hours", "办公时间"), ("is_disclosure_body", "政府信息公开主体"),
        ("page_url", "页面地址"),
    ]


# ---------------------------------------------------------------- the push API's tokens

NO_TOKEN = "缺少接口令牌：请在请求头中加入 Authorization: Bearer <令牌>（令牌由县政府办公室在后台创建）"
MALFORMED_TOKEN = "接口令牌格式不正确：请求头应为 Authorization: Bearer <令牌>"
UNKNOWN_TOKEN = "接口令牌无效或已被撤销"


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` (portal.tokens): the request acts as the token's service user;
    request.auth is the ApiToken. For the push views only, where no other way in exists: a missing
    header is already the 401 (with a Chinese message, as every failure here)."""

    def authenticate(self, request):
        header = get_authorization_header(request)
        if not header:
            raise AuthenticationFailed(NO_TOKEN)
        try:
            scheme, _, raw = header.decode("ascii").partition(" ")
        except UnicodeDecodeError:
            raise AuthenticationFailed(MALFORMED_TOKEN) from None
        raw = raw.strip()
        if scheme.lower() != "bearer" or not raw or " " in raw:
            raise AuthenticationFailed(MALFORMED_TOKEN)
        token = tokens.authenticate(raw)
        if token is None:
            raise AuthenticationFailed(UNKNOWN_TOKEN)
        return token.user, token

    def authenticate_header(self, request):
        # Its presence makes DRF answer 401 rather than 403.
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "pushToken"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")
        scheme["description"] = "县政府办公室在后台为本单位创建的接口令牌（只显示一次）"
        return scheme


# ---------------------------------------------------------------- the index


class ApiIndexEntrySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="名称")
    description = serializers.CharField(help_text="说明")
    url = serializers.URLField(help_text="地址")


class ApiIndexSerializer(serializers.Serializer):
    endpoints = ApiIndexEntrySerializer(many=True, help_text="各接口")


# (URL name, name, description), in the order a newcomer reads them.
INDEX = [
    ("api:organisation-list", "机构", "有政府信息公开页面的机构，按机构树排列"),
    ("api:domain-list", "公开领域", "政务公开标准化规范化的公开领域"),
    ("api:catalogue-list", "标准目录", "各机构各领域已发布的标准目录"),
    ("api:catalogue-item-list", "目录事项", "标准目录的一级、二级事项及其要素；tree=1 嵌套列出"),
    ("api:document-list", "政府信息", "已发布的主动公开政府信息，按发布日期从新到旧，游标翻页"),
    ("api:gazette-issue-list", "政府公报", "已发布的政府公报各期"),
    ("api:annual-report-list", "政府信息公开工作年度报告", "各机关已发布的年度报告及其统计表"),
    ("api:change-list", "变化记录", "公开信息的发布、变更、撤回，供镜像同步（since=上次的 cursor）"),
    ("catalog:county_export", "全县标准目录工作簿", "全县已发布的标准目录，一个领域一张工作表（xlsx）"),
    ("api:push-document-list", "推送政府信息", "部门业务系统凭接口令牌创建、修改本单位的草稿，上传附件，提交审核"),
    ("api_schema", "接口描述", "OpenAPI 3 描述（YAML；format=json 为 JSON）"),
    ("api_docs", "接口文档", "可在浏览器中试用的接口文档"),
]


@extend_schema(summary="接口目录", description="本接口的各个地址及其说明。", responses=ApiIndexSerializer)
class ApiIndexView(APIView):
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonymousThrottle]
    authentication_classes = []

    def get(self, request):
        return Response({"endpoints": [
            {"name": name, "description": description, "url": request.build_absolute_uri(reverse(url_name))}
            for url_name, name, description in INDEX
        ]})

    def throttled(self, request, wait):
        raise ApiThrottled(wait=math.ceil(wait) if wait else None)
