"""The public 政府信息公开工作年度报告 pages: published reports only, by year and body, the national
tables readable, the downloads, a corrected version kept and marked."""

import datetime
import io

import docx
import openpyxl
import pytest
import time_machine

from disclosure import reports
from tests.disclosure.test_annual_reports import FEB_2027, written


@pytest.fixture
def published(gongan, gongan_clerk, gongan_reviewer):
    with time_machine.travel(FEB_2027, tick=False):
        report = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk, licensing_decisions=120)
        reports.submit(report, by=gongan_clerk)
        return reports.publish(report, by=gongan_reviewer)


def test_a_published_report_is_listed_and_shows_its_tables_and_downloads(client, published, django_assert_max_num_queries):
    listing = client.get("/xxgk/reports/?year=2026").content.decode()
    assert "青禾县公安局2026年政府信息公开工作年度报告" in listing

    with django_assert_max_num_queries(3):
        page = client.get(f"/xxgk/reports/{published.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    for words in ("一、总体情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "三、本年度办理结果",
                  "第二十条第（五）项", "复议后起诉", "六、其他需要报告的事项"):
        assert words in text
    word = client.get(f"/xxgk/reports/{published.pk}/report.docx")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert docx.Document(io.BytesIO(word.content)).paragraphs[0].text == "青禾县公安局2026年政府信息公开工作年度报告"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/xxgk/reports/{published.pk}/report.xlsx").content))
    assert [row for row in sheet["表二 主动公开"].iter_rows(values_only=True) if row[0] == "行政许可"][0][1] == 120
    assert client.get(f"/xxgk/reports/{published.pk}/report.pdf").status_code == 404


def test_drafts_and_submitted_reports_are_never_public(client, gongan, gongan_clerk):
    with time_machine.travel(FEB_2027, tick=False):
        draft = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk)
        assert "青禾县公安局2026年政府信息公开工作年度报告" not in client.get("/xxgk/reports/").content.decode()
        for url in (f"/xxgk/reports/{draft.pk}/", f"/xxgk/reports/{draft.pk}/report.docx", f"/xxgk/reports/{draft.pk}/report.xlsx"):
            assert client.get(url).status_code == 404
        reports.submit(draft, by=gongan_clerk)
        assert client.get(f"/xxgk/reports/{draft.pk}/").status_code == 404


def test_a_correction_replaces_the_report_in_the_list_and_the_old_version_is_kept_and_marked(client, published, gongan_clerk, gongan_reviewer):
    assert "青禾县公安局2026年政府信息公开工作年度报告" in client.get("/xxgk/").content.decode()  # cached now
    with time_machine.travel(FEB_2027, tick=False):
        correction = reports.correct(published, by=gongan_clerk, note="行政许可数量填写有误")
        correction = reports.update(correction, by=gongan_clerk, licensing_decisions=126)
        reports.submit(correction, by=gongan_clerk)
        reports.publish(correction, by=gongan_reviewer)

    listing = client.get("/xxgk/reports/").content.decode()
    old = client.get(f"/xxgk/reports/{published.pk}/").content.decode()

    assert f"/xxgk/reports/{correction.pk}/" in listing and f'"/xxgk/reports/{published.pk}/"' not in listing
    assert "此版本已被更正，以最新版本为准" in old and f"/xxgk/reports/{correction.pk}/" in old
    assert "（第2版）" in client.get("/xxgk/").content.decode()  # the landing's cached copy was dropped


def test_a_bad_filter_is_a_400_with_a_message(client, published):
    response = client.get("/xxgk/reports/?year=abc&organisation=999999")

    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


def test_the_page_the_word_file_and_the_workbook_hold_the_same_numbers(client, gongan, gongan_clerk, gongan_reviewer):
    import re

    from requests_app.models import ReplyType
    from tests.disclosure.test_annual_reports import answered

    answered(gongan, gongan_clerk, gongan_reviewer, received=datetime.date(2026, 3, 2), replied=datetime.date(2026, 3, 20),
             reply_type=ReplyType.UNAVAILABLE_NOT_HELD)
    with time_machine.travel(FEB_2027, tick=False):
        report = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk, licensing_decisions=120,
                         lawsuit_after_upheld=2, lawsuit_after_total=2)
        reports.submit(report, by=gongan_clerk)
        report = reports.publish(report, by=gongan_reviewer)

    page = client.get(f"/xxgk/reports/{report.pk}/").content.decode()
    tables_html = re.findall(r'<table class="report-table[^"]*">(.*?)</table>', page, re.S)
    html_three = [int(n) for n in re.findall(r"<td>(\d+)</td>", tables_html[1])]
    html_four = [int(n) for n in re.findall(r"<td>(\d+)</td>", tables_html[2])]
    document = docx.Document(io.BytesIO(client.get(f"/xxgk/reports/{report.pk}/report.docx").content))
    docx_three = [int(cell.text) for row in document.tables[1].rows[3:] for cell in row.cells[3:]]
    docx_four = [int(cell.text) for cell in document.tables[2].rows[3].cells]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/xxgk/reports/{report.pk}/report.xlsx").content))
    xlsx_three = [value for row in workbook["表三 依申请公开"].iter_rows(min_row=5, min_col=4, values_only=True) for value in row]
    xlsx_four = list(next(workbook["表四 复议诉讼"].iter_rows(min_row=5, values_only=True)))

    assert html_three == docx_three == xlsx_three and len(html_three) == 25 * 7 and sum(html_three) > 0
    assert html_four == docx_four == xlsx_four and html_four[10] == 2 and html_four[14] == 2


def test_a_published_reports_files_are_made_once_and_then_served_from_the_cache(client, published, django_assert_max_num_queries):
    first = client.get(f"/xxgk/reports/{published.pk}/report.docx")

    with django_assert_max_num_queries(0):
        again = client.get(f"/xxgk/reports/{published.pk}/report.docx")
    assert again.content == first.content and again["Content-Disposition"] == first["Content-Disposition"]
