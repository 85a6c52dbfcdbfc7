"""The whole-county download for the city's collectors: every published catalogue in one .xlsx, a sheet
per domain in the national layout, each organisation's items under its name; nothing unpublished."""

import io

from openpyxl import load_workbook

from catalog import workflow
from tests.factories import make_published_catalogue, make_staff

URL = "/xxgk/catalogue/county.xlsx"


def workbook(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def column(ws, letter):
    return [cell.value for cell in ws[letter] if cell.value is not None]


def test_a_sheet_per_domain_with_each_organisations_items_under_its_name(
    client, published, published_other_domain, jiaoyu, county_reviewer
):
    jiaoyu_clerk, jiaoyu_reviewer = make_staff("jy_c", jiaoyu, "clerk"), make_staff("jy_r", jiaoyu, "reviewer")
    make_published_catalogue(jiaoyu, published.domain, clerk=jiaoyu_clerk, reviewer=jiaoyu_reviewer, county_reviewer=county_reviewer)

    wb = workbook(client)

    assert wb.sheetnames == ["社会救助", "户籍管理"]  # the statutory order of the domains
    ws = wb["户籍管理"]
    assert "户籍管理领域基层政务公开标准目录（汇总）" in ws["A1"].value
    assert [ws["A2"].value, ws["B2"].value, ws["B3"].value, ws["D2"].value] == ["序号", "公开事项", "一级事项", "公开内容（要素）"]
    headings = [value for value in column(ws, "A") if isinstance(value, str) and "（第" in value]
    assert headings == ["青禾县公安局（第1版）", "青禾县教育局（第1版）"]
    assert column(ws, "C").count("出生登记") == 2  # both organisations' 二级事项
    assert ws.freeze_panes == "A4"


def test_only_published_versions_appear(client, published, gongan_clerk):
    revision = workflow.start_revision(published, by=gongan_clerk)
    item = revision.items.filter(parent__isnull=False).first()
    item.name = "草稿中的事项"
    item.save()

    ws = workbook(client)["户籍管理"]

    values = [cell.value for row in ws.iter_rows() for cell in row if cell.value]
    assert "草稿中的事项" not in values
    assert [v for v in column(ws, "A") if isinstance(v, str) and "（第" in v] == ["青禾县公安局（第1版）"]


def test_no_catalogue_gives_an_empty_workbook_not_an_error(client, db):
    assert workbook(client).sheetnames == ["目录"]


def test_queries_do_not_grow_with_catalogues(client, published, published_other_domain, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        workbook(client)
