"""The API's domains, published catalogues and their items. Only what public_catalogues() returns is
ever shown: drafts, versions in review and superseded versions stay out."""

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from portal.api import FORMAT_PARAMETER, IdFilter, PageUrlMixin, ReadOnlyViewSet, absolute, is_spreadsheet, list_schema

from .models import Audience, Catalogue, CatalogueItem, Channel, Domain, Method
from .permissions import public_catalogues

# ---------------------------------------------------------------- domains


class DomainSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:domain-detail", lookup_field="slug", help_text="本条目的接口地址")
    lead_department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="牵头部门的机构编号")
    lead_department_name = serializers.CharField(
        source="lead_department.name", read_only=True, default=None, allow_null=True, help_text="牵头部门名称"
    )

    class Meta:
        model = Domain
        fields = ["id", "url", "page_url", "slug", "name", "order", "is_pilot", "lead_department", "lead_department_name"]

    def page_path(self, obj):
        return reverse("catalog:domain_detail", args=[obj.slug])


@list_schema("公开领域", "基层政务公开标准化规范化的公开领域；26个试点领域按国办发〔2019〕54号的顺序在前。")
class DomainViewSet(ReadOnlyViewSet):
    serializer_class = DomainSerializer
    queryset = Domain.objects.select_related("lead_department")
    lookup_field = "slug"
    spreadsheet_name = "公开领域"
    spreadsheet_columns = [
        ("order", "排序"), ("name", "领域名称"), ("slug", "标识"), ("is_pilot", "试点领域"),
        ("lead_department_name", "牵头部门"), ("page_url", "页面地址"),
    ]


# ---------------------------------------------------------------- catalogues


class CatalogueSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:catalogue-detail", help_text="本条目的接口地址")
    title = serializers.CharField(read_only=True, help_text="目录名称")
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, help_text="编制单位的机构编号")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, help_text="编制单位名称")
    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="领域标识")
    domain_name = serializers.CharField(source="domain.name", read_only=True, help_text="领域名称")
    item_count = serializers.IntegerField(read_only=True, help_text="事项数（一级和二级）")
    items_url = serializers.SerializerMethodField(help_text="本目录事项的接口地址")
    xlsx_url = serializers.SerializerMethodField(help_text="本目录按国家标准版式导出的Excel文件")

    class Meta:
        model = Catalogue
        fields = [
            "id", "url", "page_url", "title", "organisation", "organisation_name", "domain", "domain_name", "version",
            "published_at", "item_count", "items_url", "xlsx_url",
        ]
        extra_kwargs = {"version": {"help_text": "版本号"}, "published_at": {"help_text": "发布时间"}}

    def page_path(self, obj):
        return reverse("catalog:catalogue_detail", args=[obj.domain.slug, obj.organisation_id])

    def get_items_url(self, obj) -> str:
        return absolute(self.context.get("request"), f"{reverse('api:catalogue-item-list')}?catalogue={obj.pk}")

    def get_xlsx_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse("catalog:catalogue_export", args=[obj.domain.slug, obj.organisation_id]))


class CatalogueFilter(filters.FilterSet):
    organisation = IdFilter(label="编制单位的机构编号", field_name="organisation_id")
    domain = filters.ModelChoiceFilter(label="领域标识", queryset=Domain.objects.all(), to_field_name="slug")

    class Meta:
        model = Catalogue
        fields = []


@list_schema("标准目录", "各单位已发布的政务公开事项标准目录（每个单位每个领域只有现行发布的一版）。")
class CatalogueViewSet(ReadOnlyViewSet):
    serializer_class = CatalogueSerializer
    filterset_class = CatalogueFilter
    queryset = (
        public_catalogues().select_related("organisation", "domain").annotate(item_count=Count("items"))
        .order_by("domain__order", "organisation__tree_id", "organisation__lft", "pk")
    )
    last_modified_field = "published_at"
    spreadsheet_name = "标准目录"
    spreadsheet_columns = [
        ("id", "编号"), ("domain_name", "领域"), ("organisation_name", "编制单位"), ("title", "目录名称"), ("version", "版本"),
        ("published_at", "发布时间"), ("item_count", "事项数"), ("page_url", "页面地址"),
    ]


# ---------------------------------------------------------------- items


class CatalogueItemSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:catalogue-item-detail", help_text="本条目的接口地址")
    catalogue = serializers.PrimaryKeyRelatedField(read_only=True, help_text="所属目录编号")
    organisation = serializers.IntegerField(source="catalogue.organisation_id", read_only=True, help_text="编制单位的机构编号")
    organisation_name = serializers.CharField(source="catalogue.organisation.name", read_only=True, help_text="编制单位名称")
    domain = serializers.CharField(source="catalogue.domain.slug", read_only=True, help_text="领域标识")
    domain_name = serializers.CharField(source="catalogue.domain.name", read_only=True, help_text="领域名称")
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="一级事项编号；一级事项本身为空")
    tier = serializers.SerializerMethodField(help_text="1：一级事项；2：二级事项")
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), read_only=True, help_text="公开渠道和载体（代码）")
    channels_display = serializers.ListField(source="channel_labels", child=serializers.CharField(), read_only=True, help_text="公开渠道和载体（中文）")
    audience_display = serializers.CharField(source="get_audience_display", read_only=True, help_text="公开对象（中文）")
    method_display = serializers.CharField(source="get_method_display", read_only=True, help_text="公开方式（中文）")
    levels_display = serializers.CharField(source="levels_label", read_only=True, help_text="公开层级（中文）")

    class Meta:
        model = CatalogueItem
        fields = [
            "id", "url", "page_url", "key", "catalogue", "organisation", "organisation_name", "domain", "domain_name",
            "parent", "tier", "name", "content", "basis", "deadline", "deadline_days", "owner", "channels",
            "channels_display", "audience", "audience_display", "method", "method_display", "level_county",
            "level_township", "levels_display",
        ]
        extra_kwargs = {
            "key": {"help_text": "事项标识：同一事项在目录各版本中不变"},
            "name": {"help_text": "事项名称"}, "content": {"help_text": "公开内容（要素）"}, "basis": {"help_text": "公开依据"},
            "deadline": {"help_text": "公开时限"}, "deadline_days": {"help_text": "公开时限天数（可为空）"},
            "owner": {"help_text": "公开主体"}, "audience": {"help_text": "公开对象（代码）"},
            "method": {"help_text": "公开方式（代码）"}, "level_county": {"help_text": "公开层级：县级"},
            "level_township": {"help_text": "公开层级：乡级"},
        }

    def get_tier(self, obj) -> int:
        return 2 if obj.parent_id else 1

    def page_path(self, obj):
        return reverse("catalog:item_detail", args=[obj.key])


class CatalogueItemTreeSerializer(CatalogueItemSerializer):
    """A 一级事项 with its 二级事项 (those that match the filters) nested."""

    children = CatalogueItemSerializer(source="matching_children", many=True, read_only=True, help_text="二级事项")

    class Meta(CatalogueItemSerializer.Meta):
        fields = [*CatalogueItemSerializer.Meta.fields, "children"]


LEVELS = {"county": "level_county", "township": "level_township"}


class CatalogueItemFilter(filters.FilterSet):
    catalogue = IdFilter(label="目录编号", field_name="catalogue_id")
    organisation = IdFilter(label="编制单位的机构编号", field_name="catalogue__organisation_id")
    domain = filters.ModelChoiceFilter(
        label="领域标识", queryset=Domain.objects.all(), to_field_name="slug", field_name="catalogue__domain"
    )
    method = filters.ChoiceFilter(label="公开方式", choices=Method.choices)
    audience = filters.ChoiceFilter(label="公开对象", choices=Audience.choices)
    level = filters.ChoiceFilter(label="公开层级", choices=[("county", "县级"), ("township", "乡级")], method="filter_level")
    channel = filters.ChoiceFilter(label="公开渠道和载体", choices=Channel.choices, method="filter_channel")

    class Meta:
        model = CatalogueItem
        fields = []

    def filter_level(self, queryset, name, value):
        return queryset.filter(**{LEVELS[value]: True})

    def filter_channel(self, queryset, name, value):
        # The channels are a JSON list of plain codes; the quoted code matches one element exactly, on
        # SQLite and PostgreSQL alike (JSON containment is PostgreSQL's only).
        return queryset.filter(channels__icontains=f'"{value}"')


TREE_PARAMETER = OpenApiParameter(
    "tree", OpenApiTypes.INT, enum=[0, 1],
    description="1：按一级事项分页，二级事项嵌套在 children 中（只列符合筛选条件的）；表格格式不嵌套",
)


@extend_schema_view(
    list=extend_schema(
        summary="公开事项", parameters=[FORMAT_PARAMETER, TREE_PARAMETER],
        description="已发布目录中的一级事项和二级事项，按领域、单位和目录中的顺序排列。",
    ),
    retrieve=extend_schema(summary="公开事项：详情"),
)
class CatalogueItemViewSet(ReadOnlyViewSet):
    serializer_class = CatalogueItemSerializer
    filterset_class = CatalogueItemFilter
    spreadsheet_name = "公开事项"
    spreadsheet_columns = [
        ("domain_name", "领域"), ("organisation_name", "编制单位"), ("tier", "层级"), ("name", "事项名称"),
        ("content", "公开内容（要素）"), ("basis", "公开依据"), ("deadline", "公开时限"), ("owner", "公开主体"),
        ("channels_display", "公开渠道和载体"), ("audience_display", "公开对象"), ("method_display", "公开方式"),
        ("levels_display", "公开层级"), ("page_url", "页面地址"),
    ]

    def get_queryset(self):
        return (
            CatalogueItem.objects.filter(catalogue__in=public_catalogues())
            .select_related("catalogue__organisation", "catalogue__domain")
            .order_by("catalogue__domain__order", "catalogue__organisation__tree_id", "catalogue__organisation__lft", "tree_id", "lft")
        )

    def is_tree(self):
        return self.action == "list" and self.request.query_params.get("tree") == "1" and not is_spreadsheet(self.request)

    def get_serializer_class(self):
        return CatalogueItemTreeSerializer if self.is_tree() else CatalogueItemSerializer

    def filter_queryset(self, queryset):
        matching = super().filter_queryset(queryset)
        if not self.is_tree():
            return matching
        # A 一级事项 is listed when it matches itself or has a 二级事项 that does; it brings those along.
        ids = matching.values("pk")
        return queryset.filter(Q(pk__in=ids) | Q(pk__in=matching.values("parent_id")), parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=matching.filter(parent__isnull=False).order_by("lft"), to_attr="matching_children")
        )

