"""The API's government information, gazette issues and the change feed for mirrors. Documents come
from public_listing() (that is, permissions.public_documents(), the one public filter), filtered by
the public lists' own DocumentFilter and paged by their keyset: a page costs the same at the
millionth document."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from catalog.models import Catalogue, CatalogueItem
from portal.api import (
    FORMAT_PARAMETER, MAX_ID, PAGE_SIZE_PARAMETER, ApiViewSet, IdFilter, PageUrlMixin, ReadOnlyViewSet, absolute, bad_parameter,
    link_header, list_schema, page_limits, page_size_from,
)
from portal.models import PublicChange
from requests_app.statistics import COLUMN_KEYS

from .filters import DocumentFilter
from .models import AnnualReport, Attachment, Document, GazetteEntry, GazetteIssue
from .permissions import public_documents, public_reports
from .reports import tables
from .selectors import catalogue_item_keys, decode_cursor, keyset_page, listing_page, public_listing, public_names



class KeysetPagination(BasePagination):
    """The public lists' keyset (-publish_date, -id) as a cursor: no COUNT and no OFFSET."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        """A page of `queryset`; None for the public listing without filters (selectors.listing_page),
        when the view says which columns to read (`listed_values`)."""
        self.request = request
        default, self.max_page_size = page_limits(request)
        self.page_size = page_size_from(request, default, self.max_page_size)
        cursor = request.query_params.get(self.cursor_query_param, "")
        position = decode_cursor(cursor) if cursor else None
        if cursor and (position is None or not 0 < position[1] <= MAX_ID):
            raise bad_parameter(self.cursor_query_param, "翻页游标无效，请使用上一页返回的 next 地址")
        if queryset is None:
            self.page = listing_page(view.listed_values, cursor, self.page_size)
        else:
            self.page = keyset_page(queryset, cursor, self.page_size)
        return self.page.rows

    def get_next_link(self):
        if not self.page.next_cursor:
            return None
        params = self.request.query_params.copy()
        params[self.cursor_query_param] = self.page.next_cursor
        return self.request.build_absolute_uri(f"{self.request.path}?{urlencode(params, doseq=True)}")

    def get_paginated_response(self, data):
        next_link = self.get_next_link()
        return Response(
            {"page_size": self.page_size, "max_page_size": self.max_page_size, "next": next_link, "results": data},
            headers=link_header(next_link),
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["page_size", "max_page_size", "next", "results"],
            "properties": {
                "page_size": {"type": "integer", "description": "本页条数上限"},
                "max_page_size": {"type": "integer", "description": "page_size 允许的最大值"},
                "next": {"type": "string", "format": "uri", "nullable": True, "description": "下一页地址；为空表示已是最后一页"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query", "schema": {"type": "string"},
             "description": "翻页游标：取上一页 next 地址中的值，不必自己构造"},
            PAGE_SIZE_PARAMETER,
        ]


# ---------------------------------------------------------------- documents


class DocumentSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:document-detail", help_text="本条目的接口地址")
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, help_text="发布机构的机构编号")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, help_text="发布机构名称")
    topic = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="主题分类代码")
    topic_name = serializers.CharField(source="topic", read_only=True, help_text="主题分类名称")
    genre_display = serializers.CharField(source="get_genre_display", read_only=True, help_text="体裁（中文）")
    validity_display = serializers.CharField(source="get_validity_display", read_only=True, help_text="有效性（中文）")
    catalogue_item = serializers.UUIDField(
        source="catalogue_item.key", read_only=True, default=None, allow_null=True, help_text="落实的公开事项标识（事项的 key）"
    )
    domain = serializers.CharField(
        source="catalogue_item.catalogue.domain.slug", read_only=True, default=None, allow_null=True, help_text="公开领域标识"
    )

    class Meta:
        model = Document
        fields = [
            "id", "url", "page_url", "index_number", "title", "document_number", "organisation", "organisation_name",
            "written_date", "publish_date", "topic", "topic_name", "genre", "genre_display", "validity",
            "validity_display", "is_normative", "catalogue_item", "domain",
        ]
        extra_kwargs = {
            "index_number": {"help_text": "索引号"}, "title": {"help_text": "标题"}, "document_number": {"help_text": "文号"},
            "written_date": {"help_text": "成文日期"}, "publish_date": {"help_text": "发布日期"},
            "genre": {"help_text": "体裁（代码）"}, "validity": {"help_text": "有效性（代码）"},
            "is_normative": {"help_text": "是否行政规范性文件"},
        }

    def page_path(self, obj):
        return reverse("disclosure:document_detail", args=[obj.pk])


# What a list of documents reads: DocumentSerializer's fields, as values rather than documents with
# their organisations, topics, items and domains (building and serialising those models was nine
# tenths of the list's time). The documents' table alone: organisations' and topics' names come from
# selectors.public_names(), catalogue items' keys and domains from selectors.catalogue_item_keys().
LISTED_VALUES = (
    "id", "index_number", "title", "document_number", "organisation_id", "written_date", "publish_date", "topic_id",
    "genre", "validity", "is_normative", "catalogue_item_id",
)
GENRE_LABELS = dict(Document.Genre.choices)
VALIDITY_LABELS = dict(Document.Validity.choices)


def listed_documents(rows, request):
    """DocumentSerializer's data for LISTED_VALUES rows, built by hand (a test holds the two equal).
    Addresses are the list's address and the page list's with the id appended, as the routes are."""
    api = absolute(request, reverse("api:document-list"))
    pages = absolute(request, reverse("disclosure:document_list"))
    names = public_names({row["organisation_id"] for row in rows}, {row["topic_id"] for row in rows})
    items = catalogue_item_keys({row["catalogue_item_id"] for row in rows})
    data = []
    for row in rows:
        pk, topic, written = row["id"], names.topics[row["topic_id"]], row["written_date"]
        key, domain = items.get(row["catalogue_item_id"], (None, None))
        data.append({
            "id": pk,
            "url": f"{api}{pk}/",
            "page_url": f"{pages}{pk}/",
            "index_number": row["index_number"],
            "title": row["title"],
            "document_number": row["document_number"],
            "organisation": row["organisation_id"],
            "organisation_name": names.organisations[row["organisation_id"]].name,
            "written_date": written.isoformat() if written is not None else None,
            "publish_date": row["publish_date"].isoformat(),
            "topic": topic.code,
            "topic_name": str(topic),
            "genre": row["genre"],
            "genre_display": GENRE_LABELS.get(row["genre"], row["genre"]),
            "validity": row["validity"],
            "validity_display": VALIDITY_LABELS.get(row["validity"], row["validity"]),
            "is_normative": row["is_normative"],
            "catalogue_item": str(key) if key is not None else None,
            "domain": domain,
        })
    return data


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="下载地址")

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "kind", "size", "download_url"]
        extra_kwargs = {"original_name": {"help_text": "文件名"}, "kind": {"help_text": "文件类型"}, "size": {"help_text": "大小（字节）"}}

    def get_download_url(self, obj) -> str:
        path = reverse("disclosure:attachment_download", args=[obj.document_id, obj.pk])
        return absolute(self.context.get("request"), path)


class DocumentDetailSerializer(DocumentSerializer):
    body = serializers.CharField(read_only=True, help_text="正文（已净化的HTML）")
    attachments = AttachmentSerializer(many=True, read_only=True, help_text="附件")
    replaced_by = serializers.SerializerMethodField(help_text="替代本文件的文件编号（仅当其公开时）")

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "body", "attachments", "replaced_by"]

    def get_replaced_by(self, obj) -> int | None:
        # A replacing document that is not public is not named, as on the document's page.
        return obj.replaced_by_id if obj.replaced_by_id and obj.replaced_by.is_public else None


class ApiDocumentFilter(DocumentFilter):
    """The public lists' filters (so a list page's query string works here unchanged), and date ranges."""

    is_normative = filters.BooleanFilter(label="是否行政规范性文件")
    written_date_from = filters.DateFilter(label="成文日期起（含）", field_name="written_date", lookup_expr="gte")
    written_date_to = filters.DateFilter(label="成文日期止（含）", field_name="written_date", lookup_expr="lte")
    publish_date_from = filters.DateFilter(label="发布日期起（含）", field_name="publish_date", lookup_expr="gte")
    publish_date_to = filters.DateFilter(label="发布日期止（含）", field_name="publish_date", lookup_expr="lte")


@extend_schema_view(
    list=extend_schema(
        summary="政府信息", parameters=[FORMAT_PARAMETER],
        description="已发布的主动公开政府信息，按发布日期从新到旧。依申请公开、不予公开和未发布、已撤回的信息不在其中。"
                    "翻页用 next 地址（游标），不提供总数。",
    ),
    retrieve=extend_schema(summary="政府信息：详情（含正文和附件）"),
)
class DocumentViewSet(ReadOnlyViewSet):
    filterset_class = ApiDocumentFilter
    pagination_class = KeysetPagination
    last_modified_field = "updated_at"
    spreadsheet_name = "政府信息"
    spreadsheet_columns = [
        ("index_number", "索引号"), ("title", "标题"), ("document_number", "文号"), ("organisation_name", "发布机构"),
        ("written_date", "成文日期"), ("publish_date", "发布日期"), ("topic_name", "主题分类"), ("genre_display", "体裁"),
        ("validity_display", "有效性"), ("is_normative", "行政规范性文件"), ("page_url", "页面地址"),
    ]

    # The list's rows, built once and cloned for each request (as a view's `queryset` is): building
    # its joins was a sixth of the list's time.
    listed = public_listing().values(*LISTED_VALUES)
    listed_values = LISTED_VALUES

    def get_queryset(self):
        if self.action == "list":
            return self.listed.all()
        # The catalogue item in a query of its own (get_object), as on the document's page.
        return public_listing().select_related("topic__parent").prefetch_related("attachments")

    def get_object(self):
        document = super().get_object()
        if document.catalogue_item_id:
            document.catalogue_item = CatalogueItem.objects.select_related("catalogue__domain").get(pk=document.catalogue_item_id)
        return document

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    def is_filtered(self):
        return any(name in self.request.query_params for name in self.filterset_class.base_filters)

    def filter_queryset(self, queryset):
        # Without any of the filters' parameters the filters change nothing: building and validating
        # their form is skipped (a fifth of the list's time).
        return super().filter_queryset(queryset) if self.is_filtered() else queryset

    def list(self, request, *args, **kwargs):
        # DocumentSerializer describes the list (the schema reads it); listed_documents() writes it.
        # A list without filters is the public listing, compiled once (selectors.listing_page).
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()) if self.is_filtered() else None)
        return self.get_paginated_response(listed_documents(rows, request))


# ---------------------------------------------------------------- gazette


class GazetteEntrySerializer(serializers.ModelSerializer):
    document = serializers.PrimaryKeyRelatedField(read_only=True, help_text="政府信息编号")
    title = serializers.CharField(source="document.title", read_only=True, help_text="标题")
    document_url = serializers.HyperlinkedRelatedField(
        source="document", view_name="api:document-detail", read_only=True, help_text="该政府信息的接口地址"
    )

    class Meta:
        model = GazetteEntry
        fields = ["position", "page", "document", "title", "document_url"]
        extra_kwargs = {"position": {"help_text": "目录中的顺序"}, "page": {"help_text": "页码"}}


class GazetteIssueSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:gazette-issue-detail", help_text="本条目的接口地址")
    title = serializers.CharField(read_only=True, help_text="名称")
    pdf_url = serializers.SerializerMethodField(help_text="PDF文件地址（当前版本）")

    class Meta:
        model = GazetteIssue
        fields = ["id", "url", "page_url", "title", "year", "number", "publish_date", "pdf_url"]
        extra_kwargs = {"year": {"help_text": "年份"}, "number": {"help_text": "期号"}, "publish_date": {"help_text": "出版日期"}}

    def page_path(self, obj):
        return reverse("disclosure:gazette_detail", args=[obj.pk])

    def get_pdf_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("disclosure:gazette_pdf", args=[obj.pk]))


class GazetteIssueDetailSerializer(GazetteIssueSerializer):
    entries = GazetteEntrySerializer(source="public_entries", many=True, read_only=True, help_text="目录（仅公开的政府信息）")

    class Meta(GazetteIssueSerializer.Meta):
        fields = [*GazetteIssueSerializer.Meta.fields, "entries"]


class GazetteIssueFilter(filters.FilterSet):
    year = filters.NumberFilter(label="年份", min_value=1990, max_value=2100)

    class Meta:
        model = GazetteIssue
        fields = []


@list_schema("政府公报", "已发布的政府公报各期，从新到旧。")
class GazetteIssueViewSet(ReadOnlyViewSet):
    filterset_class = GazetteIssueFilter
    spreadsheet_name = "政府公报"
    spreadsheet_columns = [
        ("year", "年份"), ("number", "期号"), ("title", "名称"), ("publish_date", "出版日期"), ("pdf_url", "PDF文件"),
        ("page_url", "页面地址"),
    ]

    def get_queryset(self):
        queryset = GazetteIssue.objects.filter(is_published=True).order_by("-year", "-number")
        if self.action == "retrieve":
            entries = GazetteEntry.objects.filter(document__in=public_documents()).select_related("document")
            queryset = queryset.prefetch_related(Prefetch("entries", queryset=entries, to_attr="public_entries"))
        return queryset

    def get_serializer_class(self):
        return GazetteIssueDetailSerializer if self.action == "retrieve" else GazetteIssueSerializer


# ---------------------------------------------------------------- annual reports


class AnnualReportSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:annual-report-detail", help_text="本条目的接口地址")
    title = serializers.CharField(source="__str__", read_only=True, help_text="名称")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, help_text="报告机关名称")
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="状态（中文）")
    docx_url = serializers.SerializerMethodField(help_text="Word版下载地址")
    xlsx_url = serializers.SerializerMethodField(help_text="Excel表格下载地址")

    class Meta:
        model = AnnualReport
        fields = ["id", "url", "page_url", "title", "organisation", "organisation_name", "year", "version", "status",
                  "status_display", "published_at", "docx_url", "xlsx_url"]
        extra_kwargs = {
            "organisation": {"help_text": "报告机关编号"}, "year": {"help_text": "年度"},
            "version": {"help_text": "版本（更正后加1）"}, "status": {"help_text": "published：现行版本；corrected：已被更正的旧版本"},
            "published_at": {"help_text": "发布时间"},
        }

    def page_path(self, obj):
        return reverse("disclosure:annual_report_detail", args=[obj.pk])

    def get_docx_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("disclosure:annual_report_file", args=[obj.pk, "docx"]))

    def get_xlsx_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("disclosure:annual_report_file", args=[obj.pk, "xlsx"]))


class AnnualReportDetailSerializer(AnnualReportSerializer):
    tables = serializers.SerializerMethodField(help_text="表二、表三、表四的数据（表三各行按申请人类别分列）")

    class Meta(AnnualReportSerializer.Meta):
        fields = [*AnnualReportSerializer.Meta.fields, "correction_note", "overview", "problems", "other_matters", "tables"]
        extra_kwargs = {
            **AnnualReportSerializer.Meta.extra_kwargs, "correction_note": {"help_text": "更正说明"},
            "overview": {"help_text": "一、总体情况"}, "problems": {"help_text": "五、存在的主要问题及改进情况"},
            "other_matters": {"help_text": "六、其他需要报告的事项"},
        }

    def get_tables(self, obj) -> dict:
        report_tables = tables(obj)
        return {
            "table_two": {
                "normative": [{"item": label, "issued": issued, "repealed": repealed, "in_force": in_force}
                              for label, issued, repealed, in_force in report_tables.normative_rows],
                "decisions": [{"item": label, "count": count} for label, count in report_tables.decisions],
                "fees_amount_10k_yuan": str(report_tables.fees_amount),
            },
            "table_three": [{"row": row, "counts": dict(zip(COLUMN_KEYS, counts))} for row, counts in report_tables.table_three],
            "table_four": obj.review_cells(),
        }


class ApiAnnualReportFilter(filters.FilterSet):
    year = filters.NumberFilter(label="年度", min_value=2008, max_value=2100)
    organisation = IdFilter(label="报告机关编号", field_name="organisation_id")

    class Meta:
        model = AnnualReport
        fields = []


@list_schema("政府信息公开工作年度报告", "已发布的年度报告（现行版本和已被更正的旧版本），从新到旧。")
class AnnualReportViewSet(ReadOnlyViewSet):
    filterset_class = ApiAnnualReportFilter
    spreadsheet_name = "政府信息公开工作年度报告"
    spreadsheet_columns = [
        ("year", "年度"), ("organisation_name", "报告机关"), ("title", "名称"), ("version", "版本"), ("status_display", "状态"),
        ("published_at", "发布时间"), ("page_url", "页面地址"),
    ]
    last_modified_field = "published_at"

    def get_queryset(self):
        return public_reports().select_related("organisation").order_by("-year", "organisation__tree_id", "organisation__lft", "-version")

    def get_serializer_class(self):
        return AnnualReportDetailSerializer if self.action == "retrieve" else AnnualReportSerializer


# ---------------------------------------------------------------- the change feed for mirrors
# Here rather than in portal: its entries link to catalogues' pages, and only disclosure may read
# catalog as well as portal (design §2).


class ChangeFeedPagination(BasePagination):
    """Ascending by the entry's number; `since` is the last number a mirror saw. The answer always gives
    the number to ask with next time (`cursor`), even on an empty page, so a mirror polls without
    losing its place and without ever seeing an entry twice."""

    since_query_param = "since"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        default, self.max_page_size = page_limits(request)
        self.page_size = page_size_from(request, default, self.max_page_size)
        raw = request.query_params.get(self.since_query_param, "")
        if raw == "":
            self.since = 0
        elif raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID:
            self.since = int(raw)
        else:
            raise bad_parameter(self.since_query_param, "since 应为上次返回的 cursor（非负整数）；从头读取请不带此参数")
        rows = list(queryset.filter(pk__gt=self.since).order_by("pk")[: self.page_size + 1])
        self.has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.cursor = rows[-1].pk if rows else self.since
        return rows

    def get_next_link(self):
        params = self.request.query_params.copy()
        params[self.since_query_param] = str(self.cursor)
        return self.request.build_absolute_uri(f"{self.request.path}?{urlencode(params, doseq=True)}")

    def get_paginated_response(self, data):
        next_link = self.get_next_link()
        return Response(
            {
                "since": self.since, "cursor": self.cursor, "has_more": self.has_more, "page_size": self.page_size,
                "max_page_size": self.max_page_size, "next": next_link, "results": data,
            },
            headers=link_header(next_link if self.has_more else None),
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["since", "cursor", "has_more", "page_size", "max_page_size", "next", "results"],
            "properties": {
                "since": {"type": "integer", "description": "本次请求的 since（未带时为0）"},
                "cursor": {"type": "integer", "description": "下次请求时作为 since 使用的值：本页最后一条的序号；本页为空时等于 since"},
                "has_more": {"type": "boolean", "description": "是否还有更多记录（为真时可立即请求 next）"},
                "page_size": {"type": "integer", "description": "本页条数上限"},
                "max_page_size": {"type": "integer", "description": "page_size 允许的最大值"},
                "next": {"type": "string", "format": "uri", "description": "下次请求的地址（总是给出，即使已无更多记录）"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.since_query_param, "required": False, "in": "query",
             "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
             "description": "上次返回的 cursor：只列出其后的变化；不带则从头列出"},
            PAGE_SIZE_PARAMETER,
        ]


LINKED_ACTIONS = (PublicChange.Action.PUBLISHED, PublicChange.Action.CHANGED)


class ChangeSerializer(serializers.ModelSerializer):
    """An entry names the object and what happened, never its content: the object may have stopped
    being public since, and non-public information never appears in the feed."""

    cursor = serializers.IntegerField(source="pk", read_only=True, help_text="序号：递增，作为下次请求的 since")
    id = serializers.IntegerField(source="object_id", read_only=True, help_text="政府信息或标准目录（版本）的编号")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="类别（中文）")
    action_display = serializers.CharField(source="get_action_display", read_only=True, help_text="变化（中文）")
    url = serializers.SerializerMethodField(help_text="该对象的接口地址（仅发布、变更时给出；撤回、被替代时为空）")
    page_url = serializers.SerializerMethodField(help_text="该对象在公开网站上的页面地址（同上）")

    class Meta:
        model = PublicChange
        fields = ["cursor", "kind", "kind_display", "id", "action", "action_display", "at", "url", "page_url"]
        extra_kwargs = {
            "kind": {"help_text": "类别：document（政府信息）或 catalogue（标准目录的一个版本）"},
            "action": {
                "help_text": "published：发布（镜像新增）；changed：公开字段有变（镜像重新获取 url）；"
                             "withdrawn：撤回或不再公开（镜像删除）；superseded：标准目录被新版本替代（镜像删除，新版本另有 published）"
            },
            "at": {"help_text": "发生时间"},
        }

    def _path(self, change, view_name, page):
        if change.action not in LINKED_ACTIONS:
            return None
        if change.kind == PublicChange.Kind.DOCUMENT:
            path = reverse("disclosure:document_detail" if page else view_name, args=[change.object_id])
        else:
            place = self.context["catalogue_places"].get(change.object_id)
            if place is None:
                return None
            path = reverse("catalog:catalogue_detail", args=place) if page else reverse(view_name, args=[change.object_id])
        return absolute(self.context.get("request"), path)

    def get_url(self, obj) -> str | None:
        view_name = "api:document-detail" if obj.kind == PublicChange.Kind.DOCUMENT else "api:catalogue-detail"
        return self._path(obj, view_name, page=False)

    def get_page_url(self, obj) -> str | None:
        return self._path(obj, None, page=True)


@extend_schema_view(
    list=extend_schema(
        summary="变化记录（供镜像同步）",
        parameters=[FORMAT_PARAMETER],
        description="按发生顺序列出公开信息的变化：政府信息的发布、公开字段的变更（如有效性）、撤回或不再公开，"
                    "标准目录新版本的发布及其所替代的旧版本。每条只有类别、编号、变化和时间（发布、变更时另有地址），"
                    "从不包含标题、文号、正文等内容；依申请公开、不予公开信息的任何操作都不出现。"
                    "镜像保存返回的 cursor，下次以 since=cursor 请求，即可不重不漏。",
    ),
)
class ChangeViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = ChangeSerializer
    pagination_class = ChangeFeedPagination
    filter_backends = []
    queryset = PublicChange.objects.order_by("pk")
    spreadsheet_name = "变化记录"
    spreadsheet_columns = [
        ("cursor", "序号"), ("kind_display", "类别"), ("id", "编号"), ("action_display", "变化"), ("at", "时间"),
        ("url", "接口地址"), ("page_url", "页面地址"),
    ]

    def list(self, request, *args, **kwargs):
        changes = self.paginate_queryset(self.get_queryset())
        # One query for the catalogue pages' addresses (domain and organisation) of the whole page.
        ids = {c.object_id for c in changes if c.kind == PublicChange.Kind.CATALOGUE and c.action in LINKED_ACTIONS}
        places = {}
        if ids:
            places = {
                pk: (slug, organisation)
                for pk, slug, organisation in Catalogue.objects.filter(pk__in=ids).values_list(
                    "pk", "domain__slug", "organisation_id"
                )
            }
        context = {**self.get_serializer_context(), "catalogue_places": places}
        return self.get_paginated_response(self.get_serializer(changes, many=True, context=context).data)
