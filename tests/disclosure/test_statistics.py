"""Table 二's 行政规范性文件 row computed from the documents' history (本年制发, 本年废止, 现行有效)."""

import datetime

import time_machine

from disclosure import workflow
from disclosure.statistics import NormativeFigures, normative_figures
from tests.factories import make_document, publish_document

D = datetime.date
CST = datetime.timezone(datetime.timedelta(hours=8))


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CST), tick=False)


def normative(organisation, clerk, reviewer, *, written, published, title, **fields):
    with at(published):
        document = make_document(organisation, clerk, title=title, written_date=written, is_normative=True,
                                 document_number=f"青公规〔{written.year}〕{written.day}号", **fields)
        return publish_document(document, clerk, reviewer)


def test_the_normative_row_reads_the_year_as_it_was_not_as_it_is_today(gongan, jiaoyu, gongan_clerk, gongan_reviewer, jiaoyu_clerk):
    old = normative(gongan, gongan_clerk, gongan_reviewer, written=D(2024, 3, 1), published=D(2024, 3, 5), title="关于规范户籍管理的规定")
    normative(gongan, gongan_clerk, gongan_reviewer, written=D(2025, 6, 2), published=D(2025, 6, 9), title="关于居住证办理的规定")
    repealed_later = normative(gongan, gongan_clerk, gongan_reviewer, written=D(2025, 7, 3), published=D(2025, 7, 8), title="关于临时户口的规定")
    # Not normative, not public, or another organisation's: not in 县公安局's row.
    with at(D(2025, 8, 1)):
        publish_document(make_document(gongan, gongan_clerk, title="关于开展交通安全宣传的通知", written_date=D(2025, 7, 28)), gongan_clerk, gongan_reviewer)
        make_document(gongan, gongan_clerk, title="关于户籍档案的规定（草稿）", written_date=D(2025, 7, 30), is_normative=True)
    with at(D(2025, 11, 20)):
        workflow.change_validity(old, by=gongan_reviewer, validity="repealed", note="已被新规定替代")
    with at(D(2026, 2, 10)):
        workflow.change_validity(repealed_later, by=gongan_reviewer, validity="expired")

    assert normative_figures(2025, [gongan.pk]) == NormativeFigures(issued=2, repealed=1, in_force=2)
    assert normative_figures(2024, [gongan.pk]) == NormativeFigures(issued=1, repealed=0, in_force=1)
    assert normative_figures(2026, [gongan.pk]) == NormativeFigures(issued=0, repealed=1, in_force=1)
    assert normative_figures(2025, [jiaoyu.pk]) == NormativeFigures(issued=0, repealed=0, in_force=0)
    assert normative_figures(2025) == NormativeFigures(issued=2, repealed=1, in_force=2)


def test_a_withdrawn_normative_document_is_no_longer_counted_in_force(gongan, gongan_clerk, gongan_reviewer):
    document = normative(gongan, gongan_clerk, gongan_reviewer, written=D(2025, 6, 2), published=D(2025, 6, 9), title="关于居住证办理的规定")
    with at(D(2025, 9, 1)):
        workflow.withdraw(document, by=gongan_reviewer, note="发布有误")

    assert normative_figures(2025, [gongan.pk]).in_force == 0
