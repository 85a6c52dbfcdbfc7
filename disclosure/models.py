"""Government information (政府信息): documents with their disclosure attribute, attachments, the
organisations' guides, index-number counters and the gazette."""

import re
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from catalog.models import CatalogueItem
from portal.models import Organisation
from portal.text import CleanCharField, CleanTextField
from portal.workdays import add_working_days_with_flag, working_days_between

from .files.pdf import PDF_CLEANING_VERSION
from .richtext import sanitise_html

# 文号: 机关代字〔年份〕序号号, e.g. 青政办〔2026〕12号. Square and round brackets are common typing
# substitutes for 〔〕 and are turned into them before the check.
DOCUMENT_NUMBER_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z]{1,20}〔(19|20)\d{2}〕\d{1,5}号$")
BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕", "【": "〔", "】": "〕"})


def normalise_document_number(value):
    return re.sub(r"\s+", "", (value or "").translate(BRACKETS))


def validate_document_number(value):
    if value and not DOCUMENT_NUMBER_RE.match(normalise_document_number(value)):
        raise ValidationError("文号格式不正确，应为“机关代字〔年份〕序号号”，例如：青政办〔2026〕12号", code="document_number")


class Topic(MPTTModel):
    """主题分类: the fixed two-level tree used by government websites."""

    code = CleanCharField("代码", max_length=10, unique=True)
    name = CleanCharField("名称", max_length=50)
    parent = TreeForeignKey("self", verbose_name="上级", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class MPTTMeta:
        order_insertion_by = ["code"]

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"

    def __str__(self):
        return f"{self.parent.name}／{self.name}" if self.parent_id else self.name


# 条例第二十六条: 主动公开 information is published within 20 working days of being formed or changed.
PUBLISH_WITHIN_WORKING_DAYS = 20


def chinese_date(value):
    return f"{value.year}年{value.month}月{value.day}日"


def publication_deadline(formed_on, overrides=None):
    """The 公开时限 of information formed or changed on `formed_on`, and whether it rests on the
    provisional calendar. The formation day is not counted, as in every period of the 条例."""
    try:
        return add_working_days_with_flag(formed_on, PUBLISH_WITHIN_WORKING_DAYS, overrides)
    except ValueError:
        # A year the calendar cannot count (before 1901: an old document typed in); no deadline.
        return None, False


@dataclass(frozen=True)
class Timeliness:
    """Where publishing on `day` stands against the 公开时限: working days left (0 on the last day), or late by."""

    publish_by: date
    is_provisional: bool
    days_left: int | None
    days_late: int | None

    @property
    def publish_by_text(self):
        return chinese_date(self.publish_by)


# The one definition of what the public may see; disclosure.permissions.public_documents() uses it.
PUBLIC = Q(status="published", attribute="proactive")


class Document(models.Model):
    class Attribute(models.TextChoices):
        PROACTIVE = "proactive", "主动公开"
        ON_REQUEST = "on_request", "依申请公开"
        WITHHELD = "withheld", "不予公开"

    ATTRIBUTE_MARKS = {
        Attribute.PROACTIVE: "此件公开发布",
        Attribute.ON_REQUEST: "此件依申请公开",
        Attribute.WITHHELD: "此件不予公开",
    }

    class Ground(models.TextChoices):
        """The 条例 articles a non-public attribute rests on."""

        STATE_SECRET = "state_secret", "第十四条：依法确定为国家秘密"
        LAW_PROHIBITS = "law_prohibits", "第十四条：法律、行政法规禁止公开"
        THREE_SECURITIES = "three_securities", "第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定"
        THIRD_PARTY = "third_party", "第十五条：涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"
        INTERNAL_AFFAIRS = "internal_affairs", "第十六条第一款：人事管理、后勤管理、内部工作流程等内部事务信息"
        PROCESS_INFORMATION = "process_information", "第十六条第二款：讨论记录、过程稿、磋商信函、请示报告等过程性信息"
        ENFORCEMENT_FILE = "enforcement_file", "第十六条第二款：行政执法案卷信息"
        SPECIFIC_PARTIES = "specific_parties", "第二十七条：仅与特定对象相关，依申请提供"
        OTHER = "other", "其他法律、法规规定（须在理由中写明）"

    WITHHELD_GROUNDS = (
        Ground.STATE_SECRET, Ground.LAW_PROHIBITS, Ground.THREE_SECURITIES, Ground.THIRD_PARTY,
        Ground.INTERNAL_AFFAIRS, Ground.PROCESS_INFORMATION, Ground.ENFORCEMENT_FILE, Ground.OTHER,
    )
    ON_REQUEST_GROUNDS = (Ground.SPECIFIC_PARTIES, Ground.THIRD_PARTY, Ground.OTHER)

    class Validity(models.TextChoices):
        VALID = "valid", "现行有效"
        AMENDED = "amended", "已修改"
        REPEALED = "repealed", "已废止"
        EXPIRED = "expired", "已失效"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        RETURNED = "returned", "已退回"
        SUBMITTED = "submitted", "待审核"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    class Genre(models.TextChoices):
        ORDER = "order", "命令（令）"
        DECISION = "decision", "决定"
        ANNOUNCEMENT = "announcement", "公告"
        NOTICE_PUBLIC = "notice_public", "通告"
        OPINION = "opinion", "意见"
        NOTICE = "notice", "通知"
        BULLETIN = "bulletin", "通报"
        REPORT = "report", "报告"
        REPLY = "reply", "批复"
        LETTER = "letter", "函"
        MINUTES = "minutes", "纪要"
        PLAN = "plan", "规划计划"
        PUBLICITY = "publicity", "公示"
        STATISTICS = "statistics", "统计信息"
        INTERPRETATION = "interpretation", "政策解读"
        ANNUAL_REPORT = "annual_report", "政府信息公开工作年度报告"
        OTHER = "other", "其他"

    title = CleanCharField("标题", max_length=300)
    organisation = models.ForeignKey(Organisation, verbose_name="发布机构", on_delete=models.PROTECT, related_name="documents")
    index_number = models.CharField("索引号", max_length=60, unique=True, null=True, blank=True, editable=False)
    document_number = CleanCharField(
        "文号", max_length=60, blank=True, validators=[validate_document_number], help_text="例如：青政办〔2026〕12号；无文号可不填"
    )
    written_date = models.DateField("成文日期")
    formed_on = models.DateField(
        "形成或变更日期", null=True, blank=True,
        help_text="信息形成之日，通常即成文日期（不填则取成文日期）；修改、更正已公开的信息，填变更之日。"
                  "主动公开的信息应自此日起20个工作日内公开（条例第二十六条）",
    )
    # Kept with formed_on (Document.save) and after calendar changes (workflow.recompute_publish_by),
    # so lists and counts compare dates in SQL.
    publish_by = models.DateField("公开时限", null=True, blank=True, editable=False)
    publish_by_is_provisional = models.BooleanField("公开时限为暂定", default=False, editable=False)
    publish_date = models.DateField("发布日期", null=True, blank=True, editable=False)
    topic = models.ForeignKey(Topic, verbose_name="主题分类", on_delete=models.PROTECT, related_name="documents")
    genre = models.CharField("体裁", max_length=20, choices=Genre.choices, default=Genre.NOTICE)
    catalogue_item = models.ForeignKey(
        CatalogueItem, verbose_name="公开事项", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents",
        help_text="本信息落实的标准目录事项",
    )
    body = CleanTextField("正文", blank=True)
    attribute = models.CharField("公开属性", max_length=20, choices=Attribute.choices, blank=True)
    ground = models.CharField("不公开依据", max_length=30, choices=Ground.choices, blank=True)
    ground_reason = CleanTextField("不公开理由", blank=True)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, default=Validity.VALID)
    replaced_by = models.ForeignKey(
        "self", verbose_name="替代文件", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    is_normative = models.BooleanField("行政规范性文件", default=False)
    is_disclosure_rule = models.BooleanField("政府信息公开制度", default=False, help_text="列入“政府信息公开制度”栏目")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # Drafts and returned drafts are the clerk's to edit and submit.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    UNPUBLISHED = (Status.DRAFT, Status.RETURNED, Status.SUBMITTED)
    next_assessment_date = models.DateField("下次评估日期", null=True, blank=True, editable=False)
    interpretations = models.ManyToManyField(
        "self", verbose_name="解读", symmetrical=False, blank=True, related_name="interpreted_documents",
        help_text="三同步：政策文件与其解读互相关联",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["body"], verbose_name="修改记录")

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-publish_date", "-id"]
        indexes = [
            models.Index(fields=["-publish_date", "-id"], condition=PUBLIC, name="doc_public_recent"),
            models.Index(fields=["organisation", "-publish_date", "-id"], condition=PUBLIC, name="doc_public_by_org"),
            models.Index(fields=["topic", "-publish_date", "-id"], condition=PUBLIC, name="doc_public_by_topic"),
            models.Index(fields=["catalogue_item", "-publish_date", "-id"], condition=PUBLIC, name="doc_public_by_item"),
            models.Index(fields=["is_normative", "validity", "-publish_date", "-id"], condition=PUBLIC, name="doc_public_normative"),
            models.Index(fields=["genre", "-publish_date", "-id"], condition=PUBLIC, name="doc_public_by_genre"),
            models.Index(
                fields=["-publish_date", "-id"], condition=PUBLIC & Q(is_disclosure_rule=True), name="doc_public_rules"
            ),
            models.Index(fields=["organisation", "status"], name="doc_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(attribute=""), name="published_document_has_attribute",
                violation_error_message="发布前必须确定公开属性",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(attribute="proactive") | ~Q(ground=""),
                name="non_public_document_has_ground",
                violation_error_message="依申请公开或不予公开的信息必须写明依据",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever path the body came by (admin, import, API), only clean HTML is stored.
        self.body = sanitise_html(self.body)
        self.document_number = normalise_document_number(self.document_number)
        fields = kwargs.get("update_fields")
        if self.status in self.UNPUBLISHED and (fields is None or {"formed_on", "attribute"} & set(fields)):
            # Once published, the deadline it was published against stays as it was.
            self.set_publish_by()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "publish_by", "publish_by_is_provisional"}
        super().save(*args, **kwargs)

    def set_publish_by(self, overrides=None):
        """The 公开时限 of 条例第二十六条, for 主动公开 information with its formation date."""
        if self.attribute == self.Attribute.PROACTIVE and self.formed_on:
            self.publish_by, self.publish_by_is_provisional = publication_deadline(self.formed_on, overrides)
        else:
            self.publish_by, self.publish_by_is_provisional = None, False

    def timeliness(self, day=None):
        """Publishing on `day` (default today) against the 公开时限; None without one."""
        if self.publish_by is None:
            return None
        day = day or timezone.localdate()
        if day <= self.publish_by:
            return Timeliness(self.publish_by, self.publish_by_is_provisional, working_days_between(day, self.publish_by), None)
        # Published on a rest day just after the deadline is still late: by at least one day.
        late = max(working_days_between(self.publish_by, day), 1)
        return Timeliness(self.publish_by, self.publish_by_is_provisional, None, late)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.attribute == self.Attribute.PROACTIVE

    def latest_return(self):
        """The reviewer's return (comment, who, when) while the document waits to be resubmitted."""
        if self.status != self.Status.RETURNED:
            return None
        return self.events.filter(action=DocumentEvent.Action.RETURN).select_related("actor").order_by("-pk").first()

    @property
    def attribute_mark(self):
        return self.ATTRIBUTE_MARKS.get(self.attribute, "")

    def attribute_errors(self):
        """What is missing for the disclosure attribute to stand, as field → message."""
        if not self.attribute:
            return {"attribute": "请选择公开属性（主动公开、依申请公开或不予公开）"}
        if self.attribute == self.Attribute.PROACTIVE:
            return {}
        allowed = self.WITHHELD_GROUNDS if self.attribute == self.Attribute.WITHHELD else self.ON_REQUEST_GROUNDS
        if not self.ground:
            return {"ground": f"{self.get_attribute_display()}的信息必须选择《条例》依据"}
        if self.ground not in allowed:
            return {"ground": f"“{self.get_ground_display()}”不能作为{self.get_attribute_display()}的依据"}
        if not self.ground_reason.strip():
            return {"ground_reason": "请写明不公开的具体理由"}
        return {}

    def clean(self):
        if self.document_number:
            self.document_number = normalise_document_number(self.document_number)
        if self.attribute:
            errors = self.attribute_errors()
            if errors:
                raise ValidationError(errors)
        if self.attribute == self.Attribute.PROACTIVE:
            self.ground, self.ground_reason = "", ""
        self.check_formed_on()
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            raise ValidationError({"replaced_by": "文件不能替代自身"})
        if self.replaced_by_id and not may_relate(self.organisation_id, self.replaced_by):
            raise ValidationError({"replaced_by": RELATION_REFUSED})
        if self.validity == self.Validity.VALID and self.replaced_by_id:
            raise ValidationError({"replaced_by": "现行有效的文件不应有替代文件"})

    def check_formed_on(self):
        """条例第二十六条 counts from this date: there must be one for 主动公开 information, and a sensible one."""
        if self.formed_on is None:
            if self.attribute == self.Attribute.PROACTIVE:
                raise ValidationError({"formed_on": "主动公开的信息须填写形成或变更日期（条例第二十六条据此计算公开时限）"})
            return
        if self.formed_on > timezone.localdate():
            raise ValidationError({"formed_on": "形成或变更日期不能晚于今天"})
        if self.written_date and self.formed_on < self.written_date:
            raise ValidationError(
                {"formed_on": f"形成或变更日期不能早于成文日期（{chinese_date(self.written_date)}）；变更的，填变更之日"}
            )


RELATION_REFUSED = "只能关联本单位的文件或其他单位已公开发布的文件"


def relatable(organisation_id):
    """What a document of `organisation_id` may name as its interpretation or replacement: the same
    organisation's documents and what any organisation has made public."""
    return Q(organisation_id=organisation_id) | PUBLIC


def may_relate(organisation_id, other):
    return other.organisation_id == organisation_id or other.is_public


def attachment_path(instance, filename):
    # A generated name: the original one (often Chinese, sometimes a clerk's note) is kept in the row only.
    return f"attachments/{instance.document.written_date.year}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    position = models.PositiveIntegerField("顺序", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Which PDF cleaning the file went through (disclosure.files.PDF_CLEANING_VERSION): every upload
    # comes through accept_upload, so a new row has today's; rows from before hold an older number and
    # their PDFs are only offered for download, never shown inline.
    cleaned_version = models.PositiveSmallIntegerField("清理版本", default=PDF_CLEANING_VERSION, editable=False)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.original_name


class DocumentEvent(models.Model):
    """One step of a document's life. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        SUBMIT = "submit", "提交审核"
        PUBLISH = "publish", "审核发布"
        RETURN = "return", "退回修改"
        WITHDRAW = "withdraw", "撤回"
        VALIDITY = "validity", "变更有效性"
        ASSESS = "assess", "年度评估"
        # Through the push API (disclosure.push); the back office keeps edits in the history instead.
        EDIT = "edit", "修改"
        ATTACH = "attach", "上传附件"

    document = models.ForeignKey(Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Document.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Document.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    note = CleanTextField("说明", blank=True)
    # On a 审核发布 of 主动公开 information after its 公开时限 (条例第二十六条): by how many working days.
    working_days_late = models.PositiveSmallIntegerField("逾期工作日数", null=True, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_action_display()}（{self.actor}）"


class IndexCounter(models.Model):
    """The last serial handed out per organisation and year; it only grows, so no number is reused."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="index_counter_unique")]


class Guide(models.Model):
    """政府信息公开指南: each disclosure body's own text; contact data comes from its Organisation."""

    organisation = models.OneToOneField(Organisation, verbose_name="机构", on_delete=models.CASCADE, related_name="guide")
    body = CleanTextField("指南正文", help_text="获取政府信息的方式、依申请公开的办理程序、收费和救济途径等")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(verbose_name="修改记录")

    class Meta:
        verbose_name = "政府信息公开指南"
        verbose_name_plural = "政府信息公开指南"

    def __str__(self):
        return f"{self.organisation.name}政府信息公开指南"

    def save(self, *args, **kwargs):
        self.body = sanitise_html(self.body)
        super().save(*args, **kwargs)


def gazette_path(instance, filename):
    return f"gazette/{instance.year}/{uuid.uuid4().hex}.pdf"


def gazette_version_path(instance, filename):
    return f"gazette/{instance.issue.year}/{uuid.uuid4().hex}.pdf"


class GazetteIssue(models.Model):
    """政府公报: one issue, its PDF and its table of contents. Once published, a correction is a new
    GazettePdf; `pdf` always names the newest one and earlier ones stay on file."""

    year = models.PositiveIntegerField("年份")
    number = models.PositiveIntegerField("期号")
    publish_date = models.DateField("出版日期")
    pdf = models.FileField("PDF文件", upload_to=gazette_path, max_length=200, help_text="当前版本；发布后更正请上传新版本")
    is_published = models.BooleanField("已发布", default=False)
    documents = models.ManyToManyField(Document, verbose_name="目录", through="GazetteEntry", related_name="gazette_issues")
    # As on Attachment: the cleaning the current PDF went through; older ones are downloaded, not shown.
    cleaned_version = models.PositiveSmallIntegerField("清理版本", default=PDF_CLEANING_VERSION, editable=False)

    class Meta:
        verbose_name = "政府公报"
        verbose_name_plural = "政府公报"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="gazette_issue_unique")]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return f"{settings.SITE_NAME}公报 {self.year}年第{self.number}期"


class GazettePdf(models.Model):
    """One uploaded version of an issue's PDF. Append-only: a corrected issue keeps its earlier versions."""

    issue = models.ForeignKey(GazetteIssue, verbose_name="公报", on_delete=models.CASCADE, related_name="pdf_versions")
    file = models.FileField("PDF文件", upload_to=gazette_version_path, max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="早于版本记录的原始文件为空",
    )
    note = CleanTextField("更正说明", blank=True)

    class Meta:
        verbose_name = "公报PDF版本"
        verbose_name_plural = "公报PDF版本"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.issue}（{self.uploaded_at:%Y-%m-%d %H:%M}）"


class GazetteEntry(models.Model):
    issue = models.ForeignKey(GazetteIssue, verbose_name="公报", on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(Document, verbose_name="文件", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("顺序", default=0)
    page = models.PositiveIntegerField("页码", null=True, blank=True)

    class Meta:
        verbose_name = "公报目录条目"
        verbose_name_plural = "公报目录"
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "document"], name="gazette_entry_unique")]


def annual_report_due(organisation, year):
    """条例第四十九条: a department's (and a township's) report for `year` is due by 31 January; 第五十条:
    the county government's by 31 March."""
    if organisation.kind == Organisation.Kind.COUNTY_GOVERNMENT:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


# Table 四 (行政复议、行政诉讼): three groups of the same five columns; 总计 is the sum of the four before it.
REVIEW_GROUPS = (("reconsideration", "行政复议"), ("lawsuit_direct", "行政诉讼：未经复议直接起诉"), ("lawsuit_after", "行政诉讼：复议后起诉"))
REVIEW_COLUMNS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计"))


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class AnnualReport(models.Model):
    """政府信息公开工作年度报告 (国办公开办函〔2021〕30号) of one disclosure body for one year. The tables
    the register holds are computed (table 三, table 二's 行政规范性文件 row) and frozen into `figures`
    when the report is published; the figures the portal does not hold are entered here, with their
    sources. A published report is never edited: a correction is a new version, the old one kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        RETURNED = "returned", "已退回"
        SUBMITTED = "submitted", "待审核"
        PUBLISHED = "published", "已发布"
        CORRECTED = "corrected", "已更正（旧版本）"

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    OPEN = (Status.DRAFT, Status.RETURNED, Status.SUBMITTED)

    organisation = models.ForeignKey(Organisation, verbose_name="报告机关", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1, editable=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    corrects = models.OneToOneField(
        "self", verbose_name="更正的版本", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="correction",
    )
    correction_note = CleanTextField("更正说明", blank=True, help_text="更正已发布的报告时填写：更正了什么、为什么")

    overview = CleanTextField("一、总体情况", blank=True, help_text="可先生成草稿，再修改")
    problems = CleanTextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = CleanTextField("六、其他需要报告的事项", blank=True)

    # Table 二: the figures the portal does not hold. 县级 bodies make no 规章; the row is entered, usually 0.
    regulations_issued = _count("规章：本年制发件数")
    regulations_repealed = _count("规章：本年废止件数")
    regulations_in_force = _count("规章：现行有效件数")
    licensing_decisions = _count("行政许可：本年处理决定数量")
    penalty_decisions = _count("行政处罚：本年处理决定数量")
    enforcement_decisions = _count("行政强制：本年处理决定数量")
    fees_amount = models.DecimalField(
        "行政事业性收费：本年收费金额（万元）", max_digits=12, decimal_places=4, default=0,
        validators=[MinValueValidator(0, "表二“行政事业性收费”金额不能为负数")],
    )
    table_two_source = CleanTextField("表二填报数据来源", blank=True, help_text="例如：行政许可、处罚数据取自县政务服务平台和行政执法监督平台")
    # Table 四, 15 cells.
    reconsideration_upheld = _count("行政复议：结果维持")
    reconsideration_corrected = _count("行政复议：结果纠正")
    reconsideration_other = _count("行政复议：其他结果")
    reconsideration_pending = _count("行政复议：尚未审结")
    reconsideration_total = _count("行政复议：总计")
    lawsuit_direct_upheld = _count("行政诉讼：未经复议直接起诉：结果维持")
    lawsuit_direct_corrected = _count("行政诉讼：未经复议直接起诉：结果纠正")
    lawsuit_direct_other = _count("行政诉讼：未经复议直接起诉：其他结果")
    lawsuit_direct_pending = _count("行政诉讼：未经复议直接起诉：尚未审结")
    lawsuit_direct_total = _count("行政诉讼：未经复议直接起诉：总计")
    lawsuit_after_upheld = _count("行政诉讼：复议后起诉：结果维持")
    lawsuit_after_corrected = _count("行政诉讼：复议后起诉：结果纠正")
    lawsuit_after_other = _count("行政诉讼：复议后起诉：其他结果")
    lawsuit_after_pending = _count("行政诉讼：复议后起诉：尚未审结")
    lawsuit_after_total = _count("行政诉讼：复议后起诉：总计")
    table_four_source = CleanTextField("表四填报数据来源", blank=True, help_text="例如：县司法局行政复议台账、县人民法院行政案件统计")

    # Frozen at publication: {"table_three": [[row, [counts]]...], "normative": {...}, "computed_at": ...}.
    figures = models.JSONField("发布时的统计数据", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "organisation__tree_id", "organisation__lft", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "version"], name="annual_report_version_unique"),
            # One report in the making and one published at a time for a body and a year.
            models.UniqueConstraint(fields=["organisation", "year"], condition=Q(status__in=["draft", "returned", "submitted"]),
                                    name="annual_report_one_open"),
            models.UniqueConstraint(fields=["organisation", "year"], condition=Q(status="published"), name="annual_report_one_published"),
            models.CheckConstraint(condition=Q(status__in=["draft", "returned", "submitted"]) | Q(figures__isnull=False),
                                   name="annual_report_published_has_figures"),
        ]

    def __str__(self):
        suffix = f"（第{self.version}版）" if self.version > 1 else ""
        return f"{self.organisation.name}{self.year}年政府信息公开工作年度报告{suffix}"

    @property
    def due_date(self):
        return annual_report_due(self.organisation, self.year)

    def review_cells(self):
        """Table 四 as {group: {column: count}}."""
        return {group: {column: getattr(self, f"{group}_{column}") for column, _ in REVIEW_COLUMNS} for group, _ in REVIEW_GROUPS}

    def figure_errors(self):
        """Entered figures that break the format's rules, as {field: message naming the cell}."""
        errors = {}
        for group, group_label in REVIEW_GROUPS:
            parts = [getattr(self, f"{group}_{column}") or 0 for column, _ in REVIEW_COLUMNS[:-1]]
            total = getattr(self, f"{group}_total") or 0
            if sum(parts) != total:
                errors[f"{group}_total"] = (
                    f"表四“{group_label}”的总计应为结果维持、结果纠正、其他结果、尚未审结之和（{sum(parts)}），现填{total}"
                )
        if self.regulations_in_force is not None and self.regulations_issued is not None and self.regulations_issued > self.regulations_in_force + self.regulations_repealed:
            errors["regulations_issued"] = "表二“规章”本年制发件数不能多于现行有效件数与本年废止件数之和"
        return errors

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.year and self.year > today.year:
            raise ValidationError({"year": f"不能填报{self.year}年度的报告：该年度尚未开始"})
        if self.year and self.year < 2008:
            raise ValidationError({"year": "年度报告自2008年起编制，请检查年度"})
        if self.organisation_id and self.year and not self.pk:
            existing = AnnualReport.objects.filter(organisation_id=self.organisation_id, year=self.year)
            if existing.exists():
                raise ValidationError({"year": f"{self.organisation.name}{self.year}年度的报告已存在；已发布的报告如需修改，请在原报告上“更正”"})


class AnnualReportEvent(models.Model):
    """One step of an annual report's life. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", "创建"
        EDIT = "edit", "修改"
        SUBMIT = "submit", "提交审核"
        RETURN = "return", "退回修改"
        PUBLISH = "publish", "审核发布"
        CORRECT = "correct", "发起更正"

    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=AnnualReport.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=AnnualReport.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    note = CleanTextField("说明", blank=True)

    class Meta:
        verbose_name = "年度报告操作记录"
        verbose_name_plural = "年度报告操作记录"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_action_display()}（{self.actor}）"
