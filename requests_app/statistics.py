"""Table 三 of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号): the applications of one year,
computed from the register. The report (disclosure) prints it; the dashboard reads it."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery

from .models import REPORT_ROWS, Application, ApplicationEvent, ReplyType
from .selectors import disclosure_applications

Kind, Category = Application.ApplicantKind, Application.OrganisationCategory

# The columns as the table prints them: 自然人, then 法人或其他组织 in its five categories, then 总计.
COLUMNS = (
    ("person", Kind.PERSON.label),
    *((category.value, category.label) for category in Category),
    ("total", "总计"),
)
COLUMN_KEYS = tuple(key for key, _label in COLUMNS)

NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS_TOTAL = "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"
# An application the applicant withdrew is concluded without a reply: the format's notes count it in
# 其他处理 3.其他.
WITHDRAWN_ROW = "（六）其他处理 3.其他"

# The result rows in the table's order (REPORT_ROWS is in the order of ReplyType, which is the table's).
RESULT_ROWS = tuple(dict.fromkeys(REPORT_ROWS.values()))
ROWS = (NEW, CARRIED_IN, *RESULT_ROWS, RESULTS_TOTAL, CARRIED_OUT)


@dataclass
class TableThree:
    year: int
    cells: dict  # {row: Counter({column: count})}

    def cell(self, row, column):
        return self.cells[row][column]

    def rows(self):
        """(row, [count per column]) in the table's order, for templates and spreadsheets."""
        return [(row, [self.cells[row][column] for column in COLUMN_KEYS]) for row in ROWS]

    def identity_breaks(self):
        """The columns where 一 + 二 ≠ 三（七） + 四; the register makes it hold, entered figures may not."""
        return [
            column for column in COLUMN_KEYS
            if self.cell(NEW, column) + self.cell(CARRIED_IN, column)
            != self.cell(RESULTS_TOTAL, column) + self.cell(CARRIED_OUT, column)
        ]


def _column(applicant_kind, category):
    return "person" if applicant_kind == Kind.PERSON else category


def table_three(year, applications=None):
    """Table 三 for `year` over `applications` (one organisation's, or all of the county's; default all).
    An application counts as new in the year it was received, as a result in the year it was concluded
    (the reply delivered, or withdrawn), and as carried to the next year at the end of every year in
    between: one received in December and answered in January is 一 and 四 of the first year, 二 and a
    result of the second."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    withdrawn_on = ApplicationEvent.objects.filter(
        application=OuterRef("pk"), action=ApplicationEvent.Action.WITHDRAWN,
    ).values("on")[:1]
    rows = (
        disclosure_applications(applications)
        .filter(receipt_date__lte=end)
        # Concluded before the year began: not in this year's table. Withdrawn ones are few; their
        # date is read below.
        .filter(Q(replied_on__isnull=True) | Q(replied_on__gte=start))
        .annotate(withdrawn_on=Subquery(withdrawn_on))
        .values_list("applicant_kind", "organisation_category", "receipt_date", "state", "reply_type", "replied_on", "withdrawn_on")
    )
    cells = {row: Counter({column: 0 for column in COLUMN_KEYS}) for row in ROWS}

    def count(row, column):
        cells[row][column] += 1
        cells[row]["total"] += 1

    for applicant_kind, category, received, state, reply_type, replied_on, withdrawn in rows:
        concluded_on = replied_on if replied_on is not None else (withdrawn if state == Application.State.WITHDRAWN else None)
        if concluded_on is not None and concluded_on < start:
            continue
        column = _column(applicant_kind, category)
        count(NEW if received >= start else CARRIED_IN, column)
        if concluded_on is None or concluded_on > end:
            count(CARRIED_OUT, column)
        else:
            result = REPORT_ROWS[ReplyType(reply_type)] if replied_on is not None else WITHDRAWN_ROW
            count(result, column)
            count(RESULTS_TOTAL, column)
    return TableThree(year=year, cells=cells)
