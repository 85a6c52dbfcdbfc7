"""The standard disclosure catalogues (政务公开事项标准目录) of the pilot domains."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from mptt.models import MPTTModel, TreeForeignKey

from portal.models import Organisation
from portal.text import CleanCharField, CleanTextField


class DomainManager(models.Manager):
    def get_queryset(self):
        # Meta.ordering is dropped from GROUP BY queries (a domain list annotated with counts); an explicit
        # order_by is kept, so every list of domains, annotated or not, is in the statutory order.
        return super().get_queryset().order_by(*self.model._meta.ordering)


class Domain(models.Model):
    """A disclosure domain; the 26 pilot domains of 国办发〔2019〕54号 come first, in its order."""

    name = CleanCharField("领域名称", max_length=50, unique=True)
    slug = models.SlugField("标识", max_length=50, unique=True)
    order = models.PositiveIntegerField("排序", unique=True)
    is_pilot = models.BooleanField("试点领域", default=True)
    lead_department = models.ForeignKey(
        Organisation, verbose_name="牵头部门", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DomainManager()

    class Meta:
        ordering = ["order"]
        verbose_name = "公开领域"
        verbose_name_plural = "公开领域"

    def __str__(self):
        return self.name


class Channel(models.TextChoices):
    """公开渠道和载体, in the order the national guideline tables print them."""

    WEBSITE = "website", "政府网站"
    GAZETTE = "gazette", "政府公报"
    NEW_MEDIA = "new_media", "两微一端"
    PRESS_CONFERENCE = "press_conference", "发布会/听证会"
    BROADCAST = "broadcast", "广播电视"
    PRINT = "print", "纸质媒体"
    READING_POINT = "reading_point", "公开查阅点"
    SERVICE_CENTRE = "service_centre", "政务服务中心"
    SERVICE_STATION = "service_station", "便民服务站"
    ON_SITE = "on_site", "入户/现场"
    NOTICE_BOARD = "notice_board", "社区/企事业单位/村公示栏（电子屏）"
    TARGETED_PUSH = "targeted_push", "精准推送"
    OTHER = "other", "其他"


def validate_channels(value):
    if not isinstance(value, list) or not value:
        raise ValidationError("请至少选择一个公开渠道和载体")
    unknown = [v for v in value if v not in Channel.values]
    if unknown:
        raise ValidationError(f"未知的公开渠道：{'、'.join(map(str, unknown))}")


class Audience(models.TextChoices):
    PUBLIC = "public", "全社会"
    SPECIFIC = "specific", "特定群体"


class Method(models.TextChoices):
    PROACTIVE = "proactive", "主动"
    ON_REQUEST = "on_request", "依申请"


class Catalogue(models.Model):
    """One organisation's catalogue for one domain, one row per version; or a domain's national
    guideline (no organisation). Only drafts (and returned versions) are edited; review freezes a
    version's content."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        RETURNED = "returned", "已退回"
        SUBMITTED = "submitted", "待初审"
        FIRST_REVIEWED = "first_reviewed", "待复核"
        PUBLISHED = "published", "已发布"
        SUPERSEDED = "superseded", "已被新版本替代"

    # A returned version is edited and resubmitted like a draft.
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)
    OPEN_STATES = (State.DRAFT, State.RETURNED, State.SUBMITTED, State.FIRST_REVIEWED)

    domain = models.ForeignKey(Domain, verbose_name="领域", on_delete=models.PROTECT, related_name="catalogues")
    organisation = models.ForeignKey(
        Organisation, verbose_name="编制单位", on_delete=models.PROTECT, null=True, blank=True, related_name="catalogues"
    )
    is_guideline = models.BooleanField("国家标准指引", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "标准目录"
        verbose_name_plural = "标准目录"
        ordering = ["domain__order", "organisation__tree_id", "organisation__lft", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_guideline=True, organisation__isnull=True)
                | Q(is_guideline=False, organisation__isnull=False),
                name="catalogue_guideline_has_no_organisation",
            ),
            models.UniqueConstraint(fields=["domain"], condition=Q(is_guideline=True), name="one_guideline_per_domain"),
            models.UniqueConstraint(fields=["organisation", "domain", "version"], name="catalogue_version_unique"),
            models.UniqueConstraint(
                fields=["organisation", "domain"], condition=Q(state="published"), name="one_published_catalogue"
            ),
            # 先审后发: at most one version is being edited or reviewed at a time.
            models.UniqueConstraint(
                fields=["organisation", "domain"],
                condition=Q(state__in=["draft", "returned", "submitted", "first_reviewed"]),
                name="one_open_catalogue_version",
            ),
        ]

    def __str__(self):
        if self.is_guideline:
            return f"{self.domain.name}领域国家标准指引"
        return f"{self.organisation.display_name}·{self.domain.name}（第{self.version}版）"

    @property
    def title(self):
        return f"{self.domain.name}领域基层政务公开标准目录"

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES

    @property
    def is_editable(self):
        return self.state in self.EDITABLE_STATES


class CatalogueItem(MPTTModel):
    """A 一级事项 (no parent) or a 二级事项 under it. The eight elements sit on the rows that
    carry them: 二级事项, or a 一级事项 that has none under it."""

    catalogue = models.ForeignKey(Catalogue, verbose_name="目录", on_delete=models.CASCADE, related_name="items")
    parent = TreeForeignKey(
        "self", verbose_name="一级事项", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    # The same item across a catalogue's versions; what a reviewer's change list matches on.
    key = models.UUIDField("事项标识", default=uuid.uuid4, editable=False, db_index=True)
    guideline_item = models.ForeignKey(
        "self", verbose_name="领取自指引事项", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = CleanCharField("事项名称", max_length=200)
    content = CleanTextField("公开内容（要素）", blank=True)
    basis = CleanTextField("公开依据", blank=True)
    deadline = CleanCharField("公开时限", max_length=200, blank=True)
    deadline_days = models.PositiveIntegerField("时限天数", null=True, blank=True, help_text="用于监测，可不填")
    owner = CleanCharField("公开主体", max_length=200, blank=True)
    channels = models.JSONField("公开渠道和载体", default=list, blank=True)
    audience = models.CharField("公开对象", max_length=20, choices=Audience.choices, blank=True)
    method = models.CharField("公开方式", max_length=20, choices=Method.choices, blank=True)
    level_county = models.BooleanField("县级", default=False)
    level_township = models.BooleanField("乡级", default=False)

    ELEMENT_FIELDS = (
        "name", "content", "basis", "deadline", "owner", "channels", "audience", "method", "level_county", "level_township",
    )

    # Order is the tree's own order (tree_id, lft): rows keep the order they were written or dragged in.
    class Meta:
        verbose_name = "公开事项"
        verbose_name_plural = "公开事项"
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "parent", "name"], name="item_name_unique_in_parent"),
            models.UniqueConstraint(fields=["catalogue", "key"], name="item_key_unique_in_catalogue"),
        ]

    def __str__(self):
        return self.name

    @property
    def channel_labels(self):
        return [Channel(value).label for value in self.channels if value in Channel.values]

    @property
    def levels_label(self):
        return "、".join(label for on, label in ((self.level_county, "县级"), (self.level_township, "乡级")) if on)

    def element_errors(self):
        """What is missing for this row to be a complete catalogue entry, as field → message."""
        errors = {}
        for field in ("content", "basis", "deadline", "owner", "audience", "method"):
            if not getattr(self, field):
                errors[field] = f"请填写{self._meta.get_field(field).verbose_name}"
        try:
            validate_channels(self.channels)
        except ValidationError as exc:
            errors["channels"] = exc.messages[0]
        if not (self.level_county or self.level_township):
            errors["level_county"] = "请至少选择一个公开层级（县级或乡级）"
        return errors

    def clean(self):
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": "标准目录只有两级：二级事项的上级必须是一级事项"})
            if self.parent.catalogue_id != self.catalogue_id:
                raise ValidationError({"parent": "上级事项不属于同一目录"})
        if self.channels:
            try:
                validate_channels(self.channels)
            except ValidationError as exc:
                raise ValidationError({"channels": exc.messages}) from None


class ReviewStep(models.Model):
    """One step of a catalogue version's life: who did what, when, with what comment. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        SUBMIT = "submit", "提交审核"
        FIRST_REVIEW = "first_review", "初审通过"
        APPROVE = "approve", "复核通过并发布"
        REJECT = "reject", "退回修改"
        IMPORT = "import", "导入Excel"

    catalogue = models.ForeignKey(Catalogue, verbose_name="目录版本", on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=20, choices=Catalogue.State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=Catalogue.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = CleanTextField("意见", blank=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_action_display()}（{self.actor}）"
