"""The county office's oversight dashboard (政务公开监督统计): for one year, per disclosure body and month,
what was published and how fast (条例第二十六条), how applications were answered, how far each body's
catalogues cover the 26 pilot domains, which 不予公开 assessments are due, and whether the previous
year's annual report came out by its deadline (条例第四十九、五十条).

It lives in disclosure because, like the annual report, it reads figures across apps (design.md §2):
requests_app reads disclosure, so its modules are imported inside the functions. Every figure is one
grouped query, so the page costs the same number of queries for 3 organisations or 300."""

import datetime
from dataclasses import dataclass, field
from io import BytesIO

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Min, Q
from django.db.models.functions import ExtractMonth
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from catalog.models import Catalogue, CatalogueItem, Domain
from portal.models import Organisation
from portal import security_log
from portal.permissions import is_county_office
from portal.text import set_text_cell

from .forms import TimelinessForm
from .models import AnnualReport, Document, annual_report_due
from .permissions import timeliness_organisations
from .selectors import PUBLISHED_LATE, PUBLISHED_STATUSES
from .workflow import assessments_due

MONTHS = [f"{month}月" for month in range(1, 13)]

# The annual report's groups of reply types (ReplyType.group), in table 三's order.
REPLY_GROUPS = (
    ("disclosed", "予以公开"), ("partial", "部分公开"), ("withheld", "不予公开"),
    ("unavailable", "无法提供"), ("not_processed", "不予处理"), ("other", "其他处理"),
)

COVERAGE_PUBLISHED, COVERAGE_REVIEW, COVERAGE_DRAFT, COVERAGE_NONE = "published", "review", "draft", "none"
COVERAGE_LABELS = {COVERAGE_PUBLISHED: "已发布", COVERAGE_REVIEW: "审核中", COVERAGE_DRAFT: "草稿", COVERAGE_NONE: "未编制"}
# A body's furthest version counts: a published catalogue whose next version is in review is published.
COVERAGE_RANK = {COVERAGE_NONE: 0, COVERAGE_DRAFT: 1, COVERAGE_REVIEW: 2, COVERAGE_PUBLISHED: 3}
CATALOGUE_COVERAGE = {
    Catalogue.State.DRAFT: COVERAGE_DRAFT, Catalogue.State.RETURNED: COVERAGE_DRAFT,
    Catalogue.State.SUBMITTED: COVERAGE_REVIEW, Catalogue.State.FIRST_REVIEWED: COVERAGE_REVIEW,
    Catalogue.State.PUBLISHED: COVERAGE_PUBLISHED,
}
EXPECTED_MARK = "●"


def share(part, whole):
    """A share as people read it ("87.5%"), or "—" when there is nothing to divide."""
    return f"{part / whole:.1%}" if whole else "—"


@dataclass
class Table:
    """One table of the page: shown as HTML and downloaded as .xlsx from the same rows."""

    key: str
    title: str
    headers: list
    rows: list  # [[organisation name, value, ...]]
    total: list = None
    cell_classes: list = field(default_factory=list)  # per row, per value cell: a CSS class or ""
    links: list = field(default_factory=list)  # per row, per value cell: the evidence's address or ""

    def body(self):
        """[(organisation name, [(value, CSS class, link)])] for the template."""
        width = len(self.headers)
        return [
            (row[0], list(zip(
                row[1:],
                self.cell_classes[index] if index < len(self.cell_classes) else [""] * width,
                self.links[index] if index < len(self.links) else [""] * width,
            )))
            for index, row in enumerate(self.rows)
        ]


def organisation_rows(user):
    """The disclosure bodies (not villages and residents' committees), in the tree's order."""
    return list(timeliness_organisations(user).only("pk", "name", "short_name", "kind"))


def _documents(ids, year):
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    rows = (
        Document.objects.filter(
            attribute=Document.Attribute.PROACTIVE, status__in=PUBLISHED_STATUSES, organisation_id__in=ids,
            publish_date__gte=start, publish_date__lt=end,
        )
        .annotate(month=ExtractMonth("publish_date"))
        .values("organisation_id", "month")
        .annotate(published=Count("pk"), late=Count("pk", filter=PUBLISHED_LATE))
        .order_by()
    )
    return {(row["organisation_id"], row["month"]): (row["published"], row["late"]) for row in rows}


def _applications(ids, year, today):
    from requests_app.models import ReplyType
    from requests_app.selectors import disclosure_applications
    from requests_app.selectors import overdue as overdue_applications

    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    applications = disclosure_applications().filter(organisation_id__in=ids)
    received = {
        (row["organisation_id"], row["month"]): row["n"]
        for row in applications.filter(receipt_date__gte=start, receipt_date__lt=end)
        .annotate(month=ExtractMonth("receipt_date")).values("organisation_id", "month").annotate(n=Count("pk")).order_by()
    }
    answered, on_time, on_time_months, mix = {}, {}, {}, {}
    for row in (
        applications.filter(replied_on__gte=start, replied_on__lt=end)
        .annotate(month=ExtractMonth("replied_on")).values("organisation_id", "month", "reply_type")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(replied_on__lte=F("due_date")))).order_by()
    ):
        org, month = row["organisation_id"], row["month"]
        answered[org, month] = answered.get((org, month), 0) + row["n"]
        on_time[org] = on_time.get(org, 0) + row["on_time"]
        on_time_months[org, month] = on_time_months.get((org, month), 0) + row["on_time"]
        if row["reply_type"]:
            group = ReplyType(row["reply_type"]).group
            mix[org, group] = mix.get((org, group), 0) + row["n"]
    overdue = dict(
        overdue_applications(applications, today)
        .values("organisation_id").annotate(n=Count("pk")).order_by().values_list("organisation_id", "n")
    )
    return received, answered, on_time, on_time_months, mix, overdue


def expected_domains(organisation, domains, township_domains):
    """The pilot domains a body is expected to have a catalogue for. The national guidelines
    (国办发〔2019〕54号) assign each domain to the county department that leads it (Domain.lead_department,
    seeded from fixtures/demo_lead_departments.json), and every township and subdistrict to the domains
    whose guideline holds items at the 乡级 level; other departments and the county government are
    expected to cover none, though what they publish is shown."""
    expected = {domain.pk for domain in domains if domain.lead_department_id == organisation.pk}
    if organisation.kind in (Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT):
        expected |= township_domains
    return expected


def _coverage(ids):
    domains = list(Domain.objects.filter(is_pilot=True).only("pk", "name", "order", "lead_department_id"))
    township_domains = set(
        CatalogueItem.objects.filter(catalogue__is_guideline=True, level_township=True, catalogue__domain__is_pilot=True)
        .values_list("catalogue__domain_id", flat=True).distinct()
    )
    cells = {}
    for org, domain, state in (
        Catalogue.objects.filter(is_guideline=False, organisation_id__in=ids, domain__is_pilot=True)
        .exclude(state=Catalogue.State.SUPERSEDED).values_list("organisation_id", "domain_id", "state")
    ):
        coverage = CATALOGUE_COVERAGE[state]
        if COVERAGE_RANK[coverage] > COVERAGE_RANK[cells.get((org, domain), COVERAGE_NONE)]:
            cells[org, domain] = coverage
    return domains, township_domains, cells


def _annual_reports(ids, year):
    """When each body first published its report for `year` (a correction keeps the first date)."""
    return dict(
        AnnualReport.objects.filter(organisation_id__in=ids, year=year, published_at__isnull=False)
        .values("organisation_id").annotate(first=Min("published_at")).order_by().values_list("organisation_id", "first")
    )


REPORT_ON_TIME, REPORT_LATE, REPORT_MISSING, REPORT_NOT_YET_DUE = "按时发布", "逾期发布", "未发布（已逾期）", "未发布（未到截止日期）"


def report_state(organisation, year, published_at, today):
    due = annual_report_due(organisation, year)
    if published_at is not None:
        published_on = timezone.localdate(published_at)
        return due, published_on, (REPORT_ON_TIME if published_on <= due else REPORT_LATE)
    return due, None, (REPORT_MISSING if today > due else REPORT_NOT_YET_DUE)


@dataclass
class Dashboard:
    year: int
    today: datetime.date
    organisations: list
    tables: dict
    document_months: list  # county totals per month, for the bars
    received_months: list
    domains: list
    coverage_grid: list  # [(organisation, [(domain, coverage, expected)])]


def dashboard(user, year, today=None):
    today = today or timezone.localdate()
    organisations = organisation_rows(user)
    ids = [organisation.pk for organisation in organisations]
    documents = _documents(ids, year)
    received, answered, on_time, on_time_months, mix, overdue = _applications(ids, year, today)
    domains, township_domains, coverage = _coverage(ids)
    withheld_due = dict(
        assessments_due(Document.objects.filter(organisation_id__in=ids), today)
        .values("organisation_id").annotate(n=Count("pk")).order_by().values_list("organisation_id", "n")
    )
    reports = _annual_reports(ids, year - 1)

    def monthly(counts, pick=lambda value: value):
        return [[pick(counts.get((org.pk, month), 0)) for month in range(1, 13)] for org in organisations]

    published_months = monthly(documents, lambda value: value[0] if value else 0)
    late = {org.pk: sum(documents.get((org.pk, month), (0, 0))[1] for month in range(1, 13)) for org in organisations}
    received_months = monthly(received)
    answered_months = monthly(answered)

    def with_total(rows):
        return [sum(column) for column in zip(*rows)] if rows else [0] * 12

    tables = {}
    document_rows = []
    for org, months in zip(organisations, published_months):
        total = sum(months)
        document_rows.append([org.display_name, *months, total, total - late[org.pk], share(total - late[org.pk], total)])
    document_total = [sum(column) for column in zip(*(row[1:15] for row in document_rows))] or [0] * 14
    tables["documents"] = Table(
        "documents", f"{year}年主动公开信息发布数量（按月）及20个工作日内公开比例（条例第二十六条）",
        ["单位", *MONTHS, "全年", "20个工作日内公开", "及时公开比例"], document_rows,
        ["全县合计", *document_total, share(document_total[13], document_total[12])],
    )

    late_months = [[documents.get((org.pk, month), (0, 0))[1] for month in range(1, 13)] for org in organisations]
    county_late = with_total(late_months)
    county_published = document_total[:12]
    tables["documents_timely"] = Table(
        "documents_timely", f"{year}年主动公开信息20个工作日内公开比例（按月）", ["单位", *MONTHS, "全年"],
        [[org.display_name, *(share(count - late, count) for count, late in zip(months, lates)), share(sum(months) - sum(lates), sum(months))]
         for org, months, lates in zip(organisations, published_months, late_months)],
        ["全县合计", *(share(count - late, count) for count, late in zip(county_published, county_late)),
         share(sum(county_published) - sum(county_late), sum(county_published))],
    )

    application_rows, received_total_months = [], with_total(received_months)
    for org, got, done in zip(organisations, received_months, answered_months):
        answered_count = sum(done)
        application_rows.append([
            org.display_name, sum(got), answered_count, on_time.get(org.pk, 0), share(on_time.get(org.pk, 0), answered_count),
            overdue.get(org.pk, 0),
        ])
    sums = [sum(row[column] for row in application_rows) for column in (1, 2, 3)]
    tables["applications"] = Table(
        "applications", f"{year}年依申请公开办理情况",
        ["单位", "收到申请", "已答复", "按期答复", "按期答复率", f"当前逾期未答复（截至{today:%Y年%m月%d日}）"],
        application_rows, ["全县合计", *sums, share(sums[2], sums[1]), sum(overdue.get(org.pk, 0) for org in organisations)],
    )
    tables["received"] = Table(
        "received", f"{year}年收到依申请公开申请数量（按月）", ["单位", *MONTHS, "全年"],
        [[org.display_name, *months, sum(months)] for org, months in zip(organisations, received_months)],
        ["全县合计", *received_total_months, sum(received_total_months)],
    )
    tables["answered"] = Table(
        "answered", f"{year}年答复依申请公开申请数量（按月）", ["单位", *MONTHS, "全年"],
        [[org.display_name, *months, sum(months)] for org, months in zip(organisations, answered_months)],
        ["全县合计", *with_total(answered_months), sum(map(sum, answered_months))],
    )
    on_time_rows = [[on_time_months.get((org.pk, month), 0) for month in range(1, 13)] for org in organisations]
    county_on_time, county_answered = with_total(on_time_rows), with_total(answered_months)
    tables["on_time"] = Table(
        "on_time", f"{year}年依申请公开按期答复率（按答复月份）", ["单位", *MONTHS, "全年"],
        [[org.display_name, *(share(done, total) for done, total in zip(done_months, months)), share(sum(done_months), sum(months))]
         for org, done_months, months in zip(organisations, on_time_rows, answered_months)],
        ["全县合计", *(share(done, total) for done, total in zip(county_on_time, county_answered)),
         share(sum(county_on_time), sum(county_answered))],
    )
    mix_rows = [[org.display_name, *(mix.get((org.pk, key), 0) for key, _ in REPLY_GROUPS)] for org in organisations]
    tables["replies"] = Table(
        "replies", f"{year}年答复类型（按年度报告表三分组）", ["单位", *(label for _, label in REPLY_GROUPS)], mix_rows,
        ["全县合计", *(sum(row[column] for row in mix_rows) for column in range(1, len(REPLY_GROUPS) + 1))],
    )

    coverage_grid, coverage_rows, summary_rows = [], [], []
    for org in organisations:
        expected = expected_domains(org, domains, township_domains)
        cells = [(domain, coverage.get((org.pk, domain.pk), COVERAGE_NONE), domain.pk in expected) for domain in domains]
        coverage_grid.append((org, cells))
        coverage_rows.append([
            org.display_name, *((EXPECTED_MARK if is_expected else "") + COVERAGE_LABELS[state] for _d, state, is_expected in cells)
        ])
        expected_states = [state for _d, state, is_expected in cells if is_expected]
        summary_rows.append([
            org.display_name, len(expected_states),
            *(expected_states.count(state) for state in (COVERAGE_PUBLISHED, COVERAGE_REVIEW, COVERAGE_DRAFT, COVERAGE_NONE)),
            sum(1 for _d, state, _e in cells if state == COVERAGE_PUBLISHED),
        ])
    tables["coverage"] = Table(
        "coverage", f"26个试点领域标准目录编制情况（截至{today:%Y年%m月%d日}；{EXPECTED_MARK}为应编制领域）",
        ["单位", *(f"{domain.order}.{domain.name}" for domain in domains)], coverage_rows,
        cell_classes=[[f"coverage-{state}" + (" coverage-expected" if is_expected else "") for _d, state, is_expected in cells]
                      for _org, cells in coverage_grid],
    )
    tables["coverage_summary"] = Table(
        "coverage_summary", "应编制领域的标准目录", ["单位", "应编制领域", "已发布", "审核中", "草稿", "未编制", "已发布领域（全部）"],
        summary_rows, ["全县合计", *(sum(row[column] for row in summary_rows) for column in range(1, 7))],
    )
    tables["assessments"] = Table(
        "assessments", f"到期应复评的不予公开信息（截至{today:%Y年%m月%d日}）", ["单位", "到期应复评"],
        [[org.display_name, withheld_due.get(org.pk, 0)] for org in organisations],
        ["全县合计", sum(withheld_due.get(org.pk, 0) for org in organisations)],
    )
    report_rows, report_classes = [], []
    for org in organisations:
        due, published_on, state = report_state(org, year - 1, reports.get(org.pk), today)
        report_rows.append([org.display_name, f"{due:%Y年%m月%d日}", f"{published_on:%Y年%m月%d日}" if published_on else "—", state])
        report_classes.append(["", "", "state-bad" if state in (REPORT_LATE, REPORT_MISSING) else ""])
    tables["reports"] = Table(
        "reports", f"{year - 1}年度政府信息公开工作年度报告（条例第四十九、五十条）", ["单位", "截止日期", "发布日期", "情况"],
        report_rows, cell_classes=report_classes,
    )
    tables["self_check"] = self_check(
        organisations, year, today, expected_published=[row[1] == row[2] for row in summary_rows],
        documents=document_rows, applications=application_rows, withheld_due=withheld_due, reports=reports,
    )
    return Dashboard(
        year=year, today=today, organisations=organisations, tables=tables,
        document_months=document_total[:12], received_months=received_total_months,
        domains=domains, coverage_grid=coverage_grid,
    )


# ---------------------------------------------------------------- the self-check

# The points of the county's assessment (大通区 plan, 基层政务公开标准化规范化 upgrade, points 1–43) that
# the register can show, with how each is judged here. The others (meetings, training, 5 h / 48 h
# responses to public concern, …) are not in the portal's data.
SELF_CHECK_POINTS = (
    ("catalogue", "目录（10、16）", "第10、16项：应编制领域的标准目录均已发布"),
    ("timely", "时效（11）", "第11项：主动公开信息均在20个工作日内公开（条例第二十六条）"),
    ("withheld", "复评（12）", "第12项：不予公开信息按年复评，无到期未评"),
    ("applications", "依申请（13）", "第13项：依申请公开按期答复，无逾期"),
    ("report", "年报（14）", "第14项：上年度政府信息公开工作年度报告按时发布"),
    ("interpretation", "解读（20、28）", "第20、28项：本年发布的行政规范性文件均有解读"),
    ("normative", "规范性文件（26）", "第26项：行政规范性文件目录现行（被替代的文件已标注有效性）"),
    ("embedded", "嵌入业务系统（27）", "第27项：业务系统通过接口报送信息（有有效的接口令牌）"),
    ("guide", "指南", "政府信息公开指南一年内更新过"),
)
MET, NOT_MET, NOT_APPLICABLE = "达标", "未达标", "不适用"


def _per_organisation(queryset, key="organisation_id"):
    return dict(queryset.values(key).annotate(n=Count("pk")).order_by().values_list(key, "n"))


def self_check(organisations, year, today, *, expected_published, documents, applications, withheld_due, reports):
    """Per body, each point met or not, with a link to what shows it; from the dashboard's own figures
    and four grouped queries more."""
    from portal.models import ApiToken

    from .models import Guide
    from .permissions import public_documents

    ids = [organisation.pk for organisation in organisations]
    normative = public_documents().filter(organisation_id__in=ids, is_normative=True)
    issued = _per_organisation(normative.filter(publish_date__year=year))
    interpreted = _per_organisation(normative.filter(publish_date__year=year, interpretations__isnull=False).distinct())
    stale = _per_organisation(normative.filter(validity=Document.Validity.VALID, replaced_by__isnull=False))
    tokens = _per_organisation(ApiToken.objects.filter(organisation_id__in=ids, revoked_at__isnull=True))
    guides = dict(Guide.objects.filter(organisation_id__in=ids).values_list("organisation_id", "updated_at"))
    year_ago = timezone.now() - datetime.timedelta(days=365)
    rows, classes, links = [], [], []
    # The dashboard's rows are in the organisations' order.
    for org, catalogues_published, document_row, application_row in zip(organisations, expected_published, documents, applications):
        published, on_time = document_row[13], document_row[14]
        _due, _published_on, report = report_state(org, year - 1, reports.get(org.pk), today)
        guide_updated = guides.get(org.pk)
        verdicts = {
            "catalogue": catalogues_published,
            "timely": published == on_time if published else None,
            "withheld": not withheld_due.get(org.pk, 0),
            "applications": application_row[2] == application_row[3] and not application_row[5] if application_row[1] or application_row[5] else None,
            "report": None if report == REPORT_NOT_YET_DUE else report == REPORT_ON_TIME,
            "interpretation": interpreted.get(org.pk, 0) == issued[org.pk] if issued.get(org.pk) else None,
            "normative": not stale.get(org.pk, 0),
            "embedded": bool(tokens.get(org.pk)),
            "guide": guide_updated is not None and guide_updated >= year_ago,
        }
        evidence = {
            "catalogue": reverse("disclosure:organisation_detail", args=[org.pk]),
            "timely": reverse("admin:disclosure_document_timeliness") + f"?year={year}",
            "withheld": reverse("admin:disclosure_document_changelist") + "?assessment=due",
            "applications": reverse("admin:requests_app_application_changelist") + "?deadline=overdue",
            "report": reverse("disclosure:annual_reports") + f"?year={year - 1}&organisation={org.pk}",
            "interpretation": reverse("disclosure:normative_library") + f"?organisation={org.pk}&year={year}",
            "normative": reverse("disclosure:normative_library") + f"?organisation={org.pk}",
            "embedded": reverse("admin:portal_apitoken_changelist"),
            "guide": reverse("disclosure:guide_detail", args=[org.pk]),
        }
        values = [NOT_APPLICABLE if verdicts[key] is None else MET if verdicts[key] else NOT_MET for key, _, _ in SELF_CHECK_POINTS]
        rows.append([org.display_name, *values, f"{values.count(MET)}/{len(values) - values.count(NOT_APPLICABLE)}"])
        classes.append([{MET: "state-good", NOT_MET: "state-bad"}.get(value, "") for value in values] + [""])
        links.append([evidence[key] for key, _, _ in SELF_CHECK_POINTS] + [""])
    return Table(
        "self_check", f"考核自查（{year}年；截至{today:%Y年%m月%d日}，点击结果查看依据）",
        ["单位", *(short for _, short, _ in SELF_CHECK_POINTS), "达标项"], rows, cell_classes=classes, links=links,
    )


# ---------------------------------------------------------------- charts (inline SVG, drawn here)

BAR_WIDTH, BAR_GAP, CHART_HEIGHT, AXIS = 22, 5, 160, 24  # 348 px wide: a phone shows all twelve


def bar_chart(values, title):
    """Twelve bars, one a month, with the figure above each: geometry for the template's <svg>."""
    top = max(values) or 1
    bars = []
    for index, value in enumerate(values):
        height = round(value / top * (CHART_HEIGHT - 20))
        x = AXIS + index * (BAR_WIDTH + BAR_GAP)
        bars.append({
            "x": x, "y": CHART_HEIGHT - height, "height": height, "value": value, "label": MONTHS[index],
            "centre": x + BAR_WIDTH // 2,
        })
    return {"title": title, "bars": bars, "width": AXIS + 12 * (BAR_WIDTH + BAR_GAP), "height": CHART_HEIGHT + 22,
            "bar_width": BAR_WIDTH, "baseline": CHART_HEIGHT}


CELL, LABEL_WIDTH, HEADER = 22, 190, 24


def heat_map(grid, domains):
    """Organisations × domains, one square per catalogue's state; expected domains ringed."""
    rows = []
    for index, (org, cells) in enumerate(grid):
        y = HEADER + index * CELL
        rows.append({
            "label": org.display_name, "y": y, "text_y": y + CELL - 7,
            "cells": [
                {"x": LABEL_WIDTH + column * CELL, "state": state, "expected": expected,
                 "title": f"{org.display_name}·{domain.name}：{COVERAGE_LABELS[state]}{'（应编制）' if expected else ''}"}
                for column, (domain, state, expected) in enumerate(cells)
            ],
        })
    columns = [{"x": LABEL_WIDTH + column * CELL + CELL // 2, "order": domain.order} for column, domain in enumerate(domains)]
    return {"rows": rows, "columns": columns, "cell": CELL - 2, "width": LABEL_WIDTH + len(domains) * CELL + 4,
            "height": HEADER + len(grid) * CELL + 4, "header_y": HEADER - 8}


# ---------------------------------------------------------------- the view and the downloads


def table_xlsx(table):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    set_text_cell(sheet.cell(row=1, column=1), table.title)
    sheet.cell(row=1, column=1).font = Font(bold=True)
    for row_number, values in enumerate([table.headers, *table.rows, *([table.total] if table.total else [])], start=2):
        for column, value in enumerate(values, start=1):
            set_text_cell(sheet.cell(row=row_number, column=column), value)
    for column in range(1, len(table.headers) + 1):
        sheet.cell(row=2, column=column).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def oversight_view(request):
    """<ADMIN_PATH>oversight/: the county office's dashboard; everyone else is refused."""
    if not is_county_office(request.user):
        raise PermissionDenied("只有县政府办公室可以查看政务公开监督统计")
    today = timezone.localdate()
    form = TimelinessForm(request.GET or None, initial={"year": today.year})
    refused = form.is_bound and not form.is_valid()
    year = today.year if refused or not form.is_bound else form.cleaned_data["year"]
    board = dashboard(request.user, year, today)
    download = request.GET.get("download")
    if download is not None and not refused:
        table = board.tables.get(download)
        if table is None:
            raise Http404("没有这张统计表")
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, f"{table.title}.xlsx")
        security_log.record("export", request=request, what="oversight", table=download, year=year)
        return response
    context = {
        **admin.site.each_context(request),
        "title": f"{year}年政务公开监督统计", "form": form, "year": year, "board": board, "tables": board.tables,
        "document_chart": bar_chart(board.document_months, f"{year}年全县每月发布主动公开信息数量"),
        "received_chart": bar_chart(board.received_months, f"{year}年全县每月收到依申请公开申请数量"),
        "heat_map": heat_map(board.coverage_grid, board.domains),
        "coverage_labels": COVERAGE_LABELS, "expected_mark": EXPECTED_MARK, "self_check_points": SELF_CHECK_POINTS,
    }
    return TemplateResponse(request, "admin/oversight/dashboard.html", context, status=400 if refused else 200)
