"""?format=csv and ?format=xlsx: Chinese column headers, a BOM on the CSV, and no cell a spreadsheet
would evaluate."""

import csv
import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests.factories import make_document

pytestmark = pytest.mark.django_db

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"点击\")", "+1+2", "-3+4", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def test_csv_starts_with_a_bom_and_has_chinese_headers(client, notice):
    response = client.get("/api/v1/documents/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote('政府信息.csv')}")
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:4] == ["索引号", "标题", "文号", "发布机构"]
    assert row[1] == "关于办理出生登记的公告" and row[3] == "青禾县公安局"
    assert row[header.index("体裁")] == "公告" and row[header.index("行政规范性文件")] == "是"


def test_xlsx_has_chinese_headers_and_rows(client, catalogue):
    response = client.get("/api/v1/catalogue-items/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("领域", "编制单位", "层级", "事项名称")
    names = [row[3] for row in rows[1:]]
    assert "出生登记" in names and len(names) == catalogue.items.count()
    birth = rows[1 + names.index("出生登记")]
    assert birth[rows[0].index("公开渠道和载体")] == "政府网站、政务服务中心"


@pytest.fixture
def formula_documents(gongan, gongan_clerk, publish):
    for title in FORMULAS:
        publish(make_document(gongan, gongan_clerk, title=title, document_number=""))


def test_csv_cells_never_become_formulas(client, formula_documents):
    response = client.get("/api/v1/documents/", {"format": "csv"})
    titles = [row[1] for row in list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]]
    assert sorted(titles) == sorted(f"'{title}" for title in FORMULAS)


def test_xlsx_cells_never_become_formulas(client, formula_documents):
    response = client.get("/api/v1/documents/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted(FORMULAS)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_spreadsheet_pages_are_larger_and_the_next_page_is_in_the_link_header(client, formula_documents):
    response = client.get("/api/v1/documents/", {"format": "csv", "page_size": 4})
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 1 + 4
    assert 'rel="next"' in response["Link"] and "format=csv" in response["Link"]
    assert client.get("/api/v1/documents/", {"format": "csv", "page_size": 5000}).status_code == 200
    assert client.get("/api/v1/documents/", {"format": "json", "page_size": 5000}).status_code == 400


def test_spreadsheet_request_with_bad_input_gets_json_error(client, notice):
    response = client.get("/api/v1/documents/", {"format": "csv", "genre": "poem"})
    assert response.status_code == 400
    assert "genre" in response.json()
