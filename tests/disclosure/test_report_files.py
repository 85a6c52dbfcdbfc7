"""The annual report's .docx and .xlsx hold the same sections and numbers as its tables, read back with
python-docx and openpyxl (and once through LibreOffice)."""

import datetime
import io
import shutil

import docx
import openpyxl
import pytest
import time_machine

from disclosure import reports
from disclosure.report_files import report_docx, report_xlsx
from requests_app.models import ReplyType
from tests.disclosure.test_annual_reports import FEB_2027, answered, written
from tests.factories import pdf_texts

D = datetime.date


@pytest.fixture
def published(gongan, gongan_clerk, gongan_reviewer):
    with time_machine.travel(FEB_2027, tick=False):
        answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 3, 2), replied=D(2026, 3, 20))
        answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 5, 6), replied=D(2026, 5, 20), reply_type=ReplyType.UNAVAILABLE_NOT_HELD)
        with time_machine.travel(datetime.datetime(2026, 12, 28, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
            from tests.factories import make_application
            make_application(gongan, gongan_clerk, arrived_on=D(2026, 12, 28))
        report = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk, licensing_decisions=120, fees_amount="12.5",
                         reconsideration_upheld=1, reconsideration_pending=1, reconsideration_total=2, problems="一是……\n二是……")
        reports.submit(report, by=gongan_clerk)
        return reports.publish(report, by=gongan_reviewer)


def test_the_docx_has_the_six_sections_and_the_tables_numbers(published):
    document = docx.Document(io.BytesIO(report_docx(published)))
    text = "\n".join(p.text for p in document.paragraphs)

    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in text
    assert document.paragraphs[0].text == "青禾县公安局2026年政府信息公开工作年度报告"
    two, three, four = document.tables
    assert [cell.text for cell in two.rows[2].cells] == ["规章", "0", "0", "0"]
    assert two.rows[-1].cells[0].text == "行政事业性收费" and two.rows[-1].cells[1].text == "12.5"
    rows = {row.cells[2].text: [cell.text for cell in row.cells[3:]] for row in three.rows[3:]}
    assert rows["一、本年新收政府信息公开申请数量"] == ["3", "0", "0", "0", "0", "0", "3"]
    assert rows["（一）予以公开"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert rows["1.本机关不掌握相关政府信息"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert rows["四、结转下年度继续办理"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert [cell.text for cell in four.rows[3].cells][:5] == ["1", "0", "0", "1", "2"]
    assert document.core_properties.author == "青禾县公安局"


def test_the_xlsx_holds_the_same_numbers_as_numbers(published):
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(published)))

    assert workbook.sheetnames == ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼"]
    three = workbook["表三 依申请公开"]
    # A label spanning columns sits in its first cell: the row's label is its last one given.
    values = {next(v for v in reversed(row[:3]) if v): list(row[3:]) for row in three.iter_rows(min_row=5, values_only=True)}
    assert values["一、本年新收政府信息公开申请数量"] == [3, 0, 0, 0, 0, 0, 3]
    assert values["（七）总计"] == [2, 0, 0, 0, 0, 0, 2]
    assert three["A2"].value.startswith("（本列数据的勾稽关系为") and "A2:C4" in [str(r) for r in three.merged_cells.ranges]
    two = workbook["表二 主动公开"]
    assert [row for row in two.iter_rows(min_row=2, values_only=True) if row[0] == "行政许可"] == [("行政许可", 120, None, None)]
    assert list(workbook["表四 复议诉讼"].iter_rows(min_row=5, values_only=True))[0][:5] == (1, 0, 0, 1, 2)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_the_docx_converts_with_libreoffice_and_reads_as_the_report(published, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(report_docx(published))

    text = pdf_texts([path], tmp_path)["report"]

    assert "青禾县公安局2026年政府信息公开工作年度报告" in text and "三、本年度办理结果" in text and "行政事业性收费" in text
