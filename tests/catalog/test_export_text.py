"""The public .xlsx export holds whatever clerks typed: control characters do not break it and text
that looks like a formula stays text."""

import csv
import io
import shutil
import subprocess

import openpyxl
import pytest

from catalog.models import CatalogueItem
from tests.factories import ELEMENTS, make_published_catalogue


def export(client, domain, organisation):
    response = client.get(f"/xxgk/catalogue/{domain.slug}/{organisation.pk}/export.xlsx")
    assert response.status_code == 200
    return response.content


def cells(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}


@pytest.fixture
def word_guideline(guideline):
    """A guideline item typed with Word's line break and a stray escape character."""
    top = guideline.items.get(name="户口登记")
    CatalogueItem.objects.create(
        catalogue=guideline, parent=top, name="户口\x0b更正", **{**ELEMENTS, "content": "更正依据\x0b申请材料\x1b"},
    )
    return guideline


def test_control_characters_typed_into_an_item_do_not_break_the_export(
    client, word_guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer
):
    make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)
    found = cells(export(client, domain, gongan))
    assert "户口\n更正" in found and "更正依据\n申请材料" in found


def test_control_characters_in_rows_written_before_the_text_rule_do_not_break_the_export(client, published, domain, gongan):
    # QuerySet.update() skips the fields' cleaning, as rows stored before the rule did.
    published.items.filter(name="出生登记").update(content="出生医学证明\x0b户口簿\x07", basis="《户口登记条例》\x1f")
    found = cells(export(client, domain, gongan))
    assert "出生医学证明\n户口簿" in found and "《户口登记条例》" in found


FORMULA_LIKE = ["=HYPERLINK(\"http://example.com\",\"点击\")", "+86 0539 7900110", "-20个工作日内", "@县公安局"]


@pytest.fixture
def formula_like(published):
    for item, text in zip(published.items.filter(parent__isnull=False), FORMULA_LIKE):
        item.content = text
        item.save()
    return published


def test_text_that_looks_like_a_formula_is_exported_as_text(client, formula_like, domain, gongan):
    found = cells(export(client, domain, gongan))
    for text in FORMULA_LIKE:
        assert found[text].data_type == "s", text
        assert found[text].quotePrefix, text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (apt-get install libreoffice-calc)")
def test_libreoffice_does_not_evaluate_formula_like_text(client, formula_like, domain, gongan, tmp_path):
    (tmp_path / "export.xlsx").write_bytes(export(client, domain, gongan))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(tmp_path / "export.xlsx")],
        check=True, capture_output=True, timeout=180,
    )
    values = {value for row in csv.reader(io.StringIO((tmp_path / "export.csv").read_text("utf-8"))) for value in row}
    for text in FORMULA_LIKE:
        assert text in values
    assert "点击" not in values
