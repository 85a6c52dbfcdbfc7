"""Catalogue workbooks that are damaged, or small files whose sheets claim a million rows: refused with one
clear message before openpyxl builds a cell, in the admin import (400, the form kept) and in
import_catalogue (one line, non-zero exit). Every file is built here, a few kilobytes each."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility
from django.db import connections

from catalog.excel import ExcelRefused, parse_catalogue
from catalog.models import Catalogue
from tests.catalog.test_excel import row, workbook_bytes

DAMAGED = "文件已损坏或不是有效的Excel文件"
SHEET = "xl/worksheets/sheet1.xml"


def good_workbook():
    return workbook_bytes([row(1, "户口登记", "出生登记"), row(2, "户口登记", "死亡注销")])


def rezip(data, changes):
    """The workbook with parts replaced: {name: function of the old bytes}."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, changes[info.filename](content) if info.filename in changes else content)
    return out.getvalue()


def after_sheet_data(xml):
    return lambda content: content.replace(b"</sheetData>", b"</sheetData>" + xml)


def far_cell_workbook():
    return rezip(good_workbook(), {SHEET: lambda content: content.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')})


def huge_merge_workbook():
    return rezip(good_workbook(), {SHEET: after_sheet_data(b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')})


def huge_hyperlink_workbook():
    return rezip(good_workbook(), {SHEET: after_sheet_data(b'<hyperlinks><hyperlink ref="A1:XFD1048576" location="Sheet!A1"/></hyperlinks>')})


def whole_column_merge_workbook():
    return rezip(good_workbook(), {SHEET: after_sheet_data(b'<mergeCells count="1"><mergeCell ref="A:B"/></mergeCells>')})


DAMAGED_WORKBOOKS = {
    "malformed workbook.xml": lambda: rezip(good_workbook(), {"xl/workbook.xml": lambda content: content[: len(content) // 2]}),
    "truncated sheet": lambda: rezip(good_workbook(), {SHEET: lambda content: content[: len(content) // 2]}),
    "bad relationship": lambda: rezip(good_workbook(), {
        "xl/_rels/workbook.xml.rels": lambda content: content.replace(b"worksheets/sheet1.xml", b"worksheets/missing.xml")}),
    "truncated zip": lambda: good_workbook()[:3000],
    "not a zip": lambda: b"just text, saved as .xlsx",
}


@pytest.mark.parametrize("build", [far_cell_workbook, huge_merge_workbook, huge_hyperlink_workbook, whole_column_merge_workbook])
def test_a_small_file_claiming_a_huge_sheet_is_refused_without_loading_it(domain, build):
    data = build()
    assert len(data) < 20_000
    # Memory, not time: loading the sheet it claims would take gigabytes; a loaded machine changes nothing here.
    tracemalloc.start()
    try:
        with pytest.raises(ExcelRefused, match="目录表格最多5000行、50列") as caught:
            parse_catalogue(data, domain=domain)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    assert str(caught.value).startswith("工作表超出标准目录的范围（")


def test_the_far_cell_is_named(domain):
    with pytest.raises(ExcelRefused, match="（XFD1048576）"):
        parse_catalogue(far_cell_workbook(), domain=domain)


def test_a_catalogue_with_ordinary_merges_still_imports(domain):
    data = workbook_bytes([row(1, "户口登记", "出生登记"), row(2, "户口登记", "死亡注销")], merges=["A1:N1", "B4:B5"])
    parsed = parse_catalogue(data, domain=domain)
    assert parsed.problems == [] and [child.name for child in parsed.items[0].children] == ["出生登记", "死亡注销"]


@pytest.mark.parametrize("damage", DAMAGED_WORKBOOKS)
def test_a_damaged_workbook_is_reported_as_damaged(domain, damage):
    with pytest.raises(ExcelRefused) as caught:
        parse_catalogue(DAMAGED_WORKBOOKS[damage](), domain=domain)
    assert str(caught.value) == DAMAGED


@pytest.mark.parametrize("damage", DAMAGED_WORKBOOKS)
def test_the_admin_import_answers_a_damaged_workbook_with_400_and_keeps_the_form(client, domain, gongan, gongan_clerk, damage):
    client.force_login(gongan_clerk)
    response = client.post("/admin/catalog/catalogue/import/", {
        "organisation": gongan.pk, "domain": domain.pk, "file": SimpleUploadedFile("户籍.xlsx", DAMAGED_WORKBOOKS[damage]()),
    })
    assert response.status_code == 400
    content = response.content.decode()
    assert f"<li>{DAMAGED}</li>" in content
    assert f'<option value="{domain.pk}" selected>' in content and f'<option value="{gongan.pk}" selected>' in content
    assert not Catalogue.objects.filter(organisation=gongan).exists()


def test_the_admin_import_refuses_a_huge_merge_with_400(client, domain, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/catalog/catalogue/import/", {
        "organisation": gongan.pk, "domain": domain.pk, "file": SimpleUploadedFile("户籍.xlsx", huge_merge_workbook()),
    })
    assert response.status_code == 400 and "目录表格最多5000行、50列" in response.content.decode()


@pytest.mark.parametrize("damage", ["malformed workbook.xml", "truncated sheet", "bad relationship", "not a zip"])
def test_import_catalogue_on_a_damaged_file_exits_non_zero_with_one_line(
    tmp_path, domain, gongan, superuser, capfd, monkeypatch, damage
):
    path = tmp_path / "户籍.xlsx"
    path.write_bytes(DAMAGED_WORKBOOKS[damage]())
    # run_from_argv closes every connection when it ends; the test's transaction still needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    # What manage.py runs, so the exit status and the printed error are the operator's.
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "import_catalogue", str(path), "--organisation", "青禾县公安局", "--domain", "户籍管理"]).execute()
    assert exited.value.code != 0
    out, err = capfd.readouterr()
    assert (out, err) == ("", f"CommandError: {DAMAGED}\n")
    assert not Catalogue.objects.filter(organisation=gongan).exists()
