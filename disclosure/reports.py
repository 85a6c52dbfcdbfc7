"""The 政府信息公开工作年度报告's steps: a clerk drafts, a reviewer (not the submitter) publishes, and
a published report is corrected by a new version, never edited (条例第四十九条、第五十条;
国办公开办函〔2021〕30号). Publishing freezes the figures computed from the register."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal import cache as page_cache

from . import permissions
from .models import AnnualReport, AnnualReportEvent
from .statistics import normative_figures
from .workflow import WorkflowError

Status, Action = AnnualReport.Status, AnnualReportEvent.Action

# What a correction carries over from the version it corrects: everything staff wrote or entered.
COPIED_FIELDS = [
    field.name for field in AnnualReport._meta.concrete_fields
    if field.editable and field.name not in ("id", "organisation", "year", "correction_note")
]


def _locked(report):
    return AnnualReport.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=report.pk)


def _record(report, action, from_status, *, by, note=""):
    return AnnualReportEvent.objects.create(report=report, action=action, from_status=from_status, to_status=report.status,
                                            actor=by, note=note)


def _full_clean(report):
    try:
        report.full_clean(validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise WorkflowError(messages[0], field=None if field == "__all__" else field) from None


def compute_figures(organisation, year):
    """What the register says of `organisation`'s year: table 三 and table 二's 行政规范性文件 row."""
    # requests_app reads disclosure (the reply letters quote documents), so the import is here.
    from requests_app.models import Application
    from requests_app.statistics import table_three

    normative = normative_figures(year, [organisation.pk])
    return {
        "table_three": table_three(year, Application.objects.filter(organisation=organisation)).rows(),
        "normative": {"issued": normative.issued, "repealed": normative.repealed, "in_force": normative.in_force},
        "computed_at": timezone.now().isoformat(),
    }


@transaction.atomic
def start(organisation, year, *, by):
    """A new draft of `organisation`'s report for `year`."""
    if not permissions.can_draft_report(by, organisation):
        raise WorkflowError("只能编制本单位的年度报告（县人民政府的报告由县政府办公室编制）")
    report = AnnualReport(organisation=organisation, year=year, created_by=by)
    _full_clean(report)
    report.save()
    _record(report, Action.CREATE, "", by=by)
    return report


@transaction.atomic
def update(report, *, by, **values):
    """Staff edit the text and the entered figures of a draft."""
    report = _locked(report)
    if not permissions.can_edit_report(by, report):
        raise WorkflowError("只有本单位发布员可以修改草稿或退回的报告")
    for name, value in values.items():
        if name not in COPIED_FIELDS and name != "correction_note":
            raise WorkflowError(f"“{name}”不能在此修改")
        setattr(report, name, value)
    _full_clean(report)
    report.save()
    _record(report, Action.EDIT, report.status, by=by)
    return report


@transaction.atomic
def submit(report, *, by, note=""):
    report = _locked(report)
    if not permissions.can_edit_report(by, report):
        raise WorkflowError("只有本单位发布员可以提交本单位的报告")
    if report.year >= timezone.localdate().year:
        raise WorkflowError(f"{report.year}年度尚未结束，报告须在次年提交", field="year")
    _full_clean(report)
    errors = report.figure_errors()
    if errors:
        field, message = next(iter(errors.items()))
        raise WorkflowError(message, field=field)
    if not report.overview.strip():
        raise WorkflowError("请填写“一、总体情况”（可先生成草稿再修改）", field="overview")
    if report.corrects_id and not report.correction_note.strip():
        raise WorkflowError("更正已发布的报告，请写明更正说明", field="correction_note")
    before = report.status
    report.status = Status.SUBMITTED
    report.save(update_fields=["status", "updated_at"])
    _record(report, Action.SUBMIT, before, by=by, note=note)
    return report


def _check_reviewer(by, report, step):
    if permissions.can_publish_report(by, report):
        return
    if report.status == Status.SUBMITTED and permissions.report_submitter_id(report) == by.pk:
        raise WorkflowError(f"不能{step}自己提交的报告：须由本单位另一名审核员审核；本单位没有其他审核员的，由县政府办公室审核")
    raise WorkflowError(f"只有本单位审核员可以{step}待审核的报告")


@transaction.atomic
def return_to_draft(report, *, by, note):
    report = _locked(report)
    _check_reviewer(by, report, "退回")
    if not note.strip():
        raise WorkflowError("请写明退回的理由", field="note")
    report.status = Status.RETURNED
    report.save(update_fields=["status", "updated_at"])
    _record(report, Action.RETURN, Status.SUBMITTED, by=by, note=note)
    return report


@transaction.atomic
def publish(report, *, by, note=""):
    """The reviewer's approval: the figures are computed now and kept with the report; a correction
    replaces the version it corrects, which stays on file marked 已更正."""
    report = _locked(report)
    _check_reviewer(by, report, "审核发布")
    if report.corrects_id:
        previous = _locked(report.corrects)
        previous.status = Status.CORRECTED
        previous.save(update_fields=["status", "updated_at"])
        _record(previous, Action.CORRECT, Status.PUBLISHED, by=by, note=f"已由第{report.version}版更正：{report.correction_note}")
    report.figures = compute_figures(report.organisation, report.year)
    report.status = Status.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["figures", "status", "published_at", "updated_at"])
    _record(report, Action.PUBLISH, Status.SUBMITTED, by=by, note=note)
    page_cache.invalidate()  # the reports' list and pages, and the column's landing
    return report


@transaction.atomic
def correct(report, *, by, note=""):
    """Start a correction of a published report: a new version, a draft, with everything the published
    one says; the published one stays public until the correction is published."""
    report = _locked(report)
    if not permissions.can_correct_report(by, report):
        raise WorkflowError("只有本单位发布员可以更正本单位已发布的报告，且同一时间只能有一份更正")
    correction = AnnualReport(
        organisation=report.organisation, year=report.year, version=report.version + 1, corrects=report,
        created_by=by, correction_note=note, **{name: getattr(report, name) for name in COPIED_FIELDS},
    )
    correction.status = Status.DRAFT
    correction.save()
    _record(correction, Action.CREATE, "", by=by, note=f"更正第{report.version}版")
    return correction


def _change(now, before):
    if now == before:
        return "与上年持平"
    return f"较上年{'增加' if now > before else '减少'}{abs(now - before)}件"


def draft_overview(organisation, year):
    """A first draft of 一、总体情况 from the register, compared with the year before; staff rewrite it."""
    from catalog.permissions import public_catalogues
    from requests_app.models import Application
    from requests_app.selectors import disclosure_applications

    def published(in_year):
        return permissions.public_documents().filter(organisation=organisation, publish_date__year=in_year).count()

    def received(in_year):
        return disclosure_applications(Application.objects.filter(organisation=organisation, receipt_date__year=in_year))

    documents, documents_before = published(year), published(year - 1)
    domains = public_catalogues().filter(organisation=organisation).values("domain").distinct().count()
    applications = received(year)
    count, count_before = applications.count(), received(year - 1).count()
    answered = applications.filter(replied_on__isnull=False)
    on_time = answered.filter(replied_on__lte=F("due_date")).count()
    answered_count = answered.count()
    paragraphs = [
        f"{year}年，{organisation.name}认真贯彻落实《中华人民共和国政府信息公开条例》，推进政务公开标准化规范化工作。",
        f"（一）主动公开。全年主动公开政府信息{documents}件，{_change(documents, documents_before)}；"
        f"已发布{domains}个领域的基层政务公开标准目录。",
        f"（二）依申请公开。全年新收政府信息公开申请{count}件，{_change(count, count_before)}；"
        + (f"已答复{answered_count}件，按期答复{on_time}件，按期答复率{on_time / answered_count:.1%}。" if answered_count else "尚无已答复的申请。"),
        "（三）政府信息管理。（请填写：信息发布审核、公开属性源头认定、不予公开信息年度评估等情况。）",
        "（四）平台建设。（请填写：政府网站信息公开专栏、政务新媒体等平台建设情况。）",
        "（五）监督保障。（请填写：工作考核、社会评议、责任追究等情况。）",
    ]
    return "\n".join(paragraphs)


@dataclass
class ReportTables:
    """Tables 二, 三 and 四 as the national format lays them out, for the page and the downloads."""

    normative_rows: list  # [(信息内容, 本年制发件数, 本年废止件数, 现行有效件数)] for 规章 and 行政规范性文件
    decisions: list  # [(信息内容, 本年处理决定数量)] for 行政许可, 行政处罚, 行政强制
    fees_amount: object  # 行政事业性收费, 万元
    table_three: list  # [(row, [count per column])]
    table_four: list  # the 15 cells, group by group, column by column

    @property
    def fees_display(self):
        """万元 as people write it: 0.47, 12, never 0.4700."""
        return format(self.fees_amount.normalize(), "f") if self.fees_amount else "0"


def tables(report):
    """A published report's tables from the figures frozen when it was published; a draft's computed now."""
    figures = report.figures or compute_figures(report.organisation, report.year)
    normative = figures["normative"]
    return ReportTables(
        normative_rows=[
            ("规章", report.regulations_issued, report.regulations_repealed, report.regulations_in_force),
            ("行政规范性文件", normative["issued"], normative["repealed"], normative["in_force"]),
        ],
        decisions=[
            ("行政许可", report.licensing_decisions), ("行政处罚", report.penalty_decisions), ("行政强制", report.enforcement_decisions),
        ],
        fees_amount=report.fees_amount,
        table_three=[(row, list(counts)) for row, counts in figures["table_three"]],
        table_four=[cell for cells in report.review_cells().values() for cell in cells.values()],
    )


def write_overview_draft(report, *, by):
    """Put the generated draft of 一、总体情况 into the report, for staff to rewrite."""
    return update(report, by=by, overview=draft_overview(report.organisation, report.year))


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def table_three_layout(rows):
    """Table 三's rows as the national format prints them: the row labels as cells with their spans
    (三、本年度办理结果 spanning its results, each （三）… group spanning its items), then the counts."""
    results = [row for row, _counts in rows if row.startswith("（")]
    groups = {}
    for row in results:
        groups.setdefault(row.split(" ", 1)[0], []).append(row)
    laid_out = []
    for row, counts in rows:
        labels = []
        if not row.startswith("（"):
            labels.append(Cell(row, colspan=3))
        else:
            if row == results[0]:
                labels.append(Cell("三、本年度办理结果", rowspan=len(results)))
            group, _, item = row.partition(" ")
            if not item:
                labels.append(Cell(group, colspan=2))
            else:
                if groups[group][0] == row:
                    labels.append(Cell(group, rowspan=len(groups[group])))
                labels.append(Cell(item))
        laid_out.append((labels, counts))
    return laid_out
