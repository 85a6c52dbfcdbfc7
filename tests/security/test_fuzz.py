"""Fuzzing (issue 19) with hypothesis: the Excel importer, the public application form, the 文号
parser and the API filters take whatever they are given and answer it (a result, a Chinese refusal,
a 4xx), never a server error, and a refused input leaves nothing half-saved."""

import io
import os
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from catalog.api import CatalogueFilter, CatalogueItemFilter
from catalog.excel import ExcelRefused, export_catalogue, parse_catalogue
from catalog.models import Catalogue, CatalogueItem
from disclosure.api import ApiAnnualReportFilter, ApiDocumentFilter, GazetteIssueFilter
from disclosure.models import normalise_document_number
from portal.api import OrganisationFilter
from requests_app.models import Application, ApplicationEvent
from tests.factories import VALID_RESIDENT_ID, make_domain, make_guideline, make_published_catalogue

# Small and repeatable where CI runs it (CI=1); a little wider by hand.
settings.register_profile(
    "security", max_examples=50, deadline=None, derandomize=bool(os.getenv("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
fuzz = settings(settings.get_profile("security"))
# Each example of these is a real request (an upload, a form post): fewer, to keep the suite fast.
fuzz_requests = settings(fuzz, max_examples=25)

pytestmark = pytest.mark.django_db

# What people and programs paste: control characters, emoji, full-width forms, markup, huge texts.
nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.sampled_from(["\x00", "\x0b", "\u200b", "\ufeff", "\r", "\n", "😀", "〔", "〕", "（", "<", "&", "'", "号"]),
            max_size=20),
    st.sampled_from(["", " ", "x" * 10_000, "中" * 10_000, "2026-02-30", "-1", "1e309", "NaN", "=1/0", "0" * 400,
                     "'; DROP TABLE x; --", "../../etc/passwd", "%00", "null", "[]", "{}"]),
)
cell_value = st.one_of(
    nasty_text, st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(), st.sampled_from(["=1/0", "=SUM(A1:A3)", "=HYPERLINK(\"http://x\")", "#REF!"]),
)


# ---------------------------------------------------------------- the Excel importer


@pytest.fixture
def domain(db):
    return make_domain()


@pytest.fixture
def template(domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    """A valid catalogue workbook (our own export) to damage."""
    make_guideline(domain)
    catalogue = make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer,
                                         county_reviewer=county_reviewer)
    return export_catalogue(catalogue)


damage = st.lists(
    st.tuples(st.integers(1, 20), st.integers(1, 15), cell_value), max_size=12,
)


def damaged(template, changes, merges, wrong_sheet_first):
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for row, column, value in changes:
        if isinstance(value, str):
            value = value[:32767]  # Excel's own limit per cell; openpyxl refuses longer
        try:
            sheet.cell(row=row, column=column).value = value
        except (ValueError, TypeError, AttributeError, IllegalCharacterError):
            pass  # openpyxl refuses the value (an illegal character, a merged cell): not a workbook anyone sends
    for row, column in merges:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column + 1)
    if wrong_sheet_first:
        workbook.create_sheet("说明", 0)["A1"] = "本表为填报说明"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@fuzz
@given(changes=damage, merges=st.lists(st.tuples(st.integers(1, 12), st.integers(1, 10)), max_size=3),
       wrong_sheet_first=st.booleans())
def test_the_importer_parses_or_refuses_any_damaged_workbook_never_raising_anything_else(
    template, domain, changes, merges, wrong_sheet_first,
):
    data = damaged(template, changes, merges, wrong_sheet_first)
    try:
        parsed = parse_catalogue(data, domain=domain)
    except ExcelRefused as exc:
        assert re.search(r"[\u4e00-\u9fa5]", str(exc))
        return
    assert all(re.search(r"[\u4e00-\u9fa5]", str(problem)) for problem in parsed.problems)


@fuzz
@given(data=st.one_of(st.binary(max_size=2000), st.just(b"PK\x03\x04" + b"\x00" * 100)))
def test_the_importer_refuses_any_bytes_that_are_not_a_workbook_in_chinese(domain, data):
    try:
        parse_catalogue(data, domain=domain)
    except ExcelRefused as exc:
        assert re.search(r"[\u4e00-\u9fa5]", str(exc))


@fuzz_requests
@given(rows=st.lists(st.lists(cell_value, max_size=10), max_size=15))
def test_a_random_workbook_through_the_admin_upload_is_imported_or_refused_with_nothing_half_saved(
    client, gongan, gongan_clerk, domain, rows,
):
    workbook = Workbook()
    for row in rows:
        try:
            workbook.active.append([value[:32767] if isinstance(value, str) else value for value in row])
        except (ValueError, TypeError, IllegalCharacterError):
            pass  # openpyxl cannot write it (a raw control character): no workbook holds it
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(gongan_clerk)
    before = (Catalogue.objects.count(), CatalogueItem.objects.count())
    response = client.post("/admin/catalog/catalogue/import/", {
        "organisation": gongan.pk, "domain": domain.pk,
        "file": SimpleUploadedFile("目录.xlsx", out.getvalue()),
    })
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert (Catalogue.objects.count(), CatalogueItem.objects.count()) == before


# ---------------------------------------------------------------- the public application form

QUESTION = re.compile(r"(\d+)\s*加\s*(\d+)\s*等于几")
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')


def fresh_form(client):
    """The form's server-issued fields as a person's browser gets them: every hidden input on the
    page (the challenge, and the submission key if the server issues it) and the question answered."""
    page = client.get("/xxgk/apply/").content.decode()
    data = {}
    for tag in HIDDEN.findall(page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            data[name.group(1)] = value.group(1) if value else ""
    a, b = QUESTION.search(page).groups()
    data["answer"] = str(int(a) + int(b))
    data.setdefault("submission_key", str(uuid.uuid4()))
    return data


FORM_FIELDS = (
    "organisation", "applicant_kind", "applicant_name", "id_type", "id_number", "phone", "email", "address", "postcode",
    "description", "document_number_sought", "form_wanted", "delivery", "answer", "kind", "credit_code",
)


def valid_application(client, gongan, **values):
    return {
        "organisation": gongan.pk, "applicant_kind": "person", "applicant_name": "王小明", "id_type": "resident_id",
        "id_number": VALID_RESIDENT_ID, "phone": "13800138000", "email": "wang@example.com",
        "address": "青禾县人民路18号", "postcode": "379900", "description": "2025年青禾县户籍人口统计数据",
        "document_number_sought": "", "form_wanted": "email", "delivery": "email", "website": "",
        **fresh_form(client), **values,
    }


def test_the_fuzzed_form_starts_from_an_application_the_form_accepts(client, gongan):
    response = client.post("/xxgk/apply/", valid_application(client, gongan))
    assert response.status_code == 302 and Application.objects.count() == 1


@fuzz_requests
@given(values=st.dictionaries(st.sampled_from(FORM_FIELDS), nasty_text, min_size=1, max_size=4))
def test_the_public_form_answers_any_input_without_a_server_error_and_saves_nothing_it_refuses(
    client, gongan, values, settings,
):
    settings.APPLICATION_RATE_LIMIT = 10_000
    data = valid_application(client, gongan, **values)
    before = (Application.objects.count(), ApplicationEvent.objects.count())
    response = client.post("/xxgk/apply/", data)
    assert response.status_code in (200, 302, 400, 429)
    if response.status_code != 302:
        assert (Application.objects.count(), ApplicationEvent.objects.count()) == before


# ---------------------------------------------------------------- the 文号 parser

number_like = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda agency, open_, year, close, serial: f"{agency}{open_}{year}{close}{serial}号",
        st.text(alphabet="青政办公发字 ", min_size=0, max_size=6), st.sampled_from("〔[［(（【"),
        st.integers(1900, 2100), st.sampled_from("〕]］)）】"), st.integers(0, 99999),
    ),
)
BRACKET_FORMS = [("[", "]"), ("［", "］"), ("(", ")"), ("（", "）"), ("【", "】")]


@fuzz
@given(value=number_like)
def test_the_document_number_parser_never_raises_is_idempotent_and_reads_every_bracket_alike(value):
    once = normalise_document_number(value)
    assert normalise_document_number(once) == once
    for opening, closing in BRACKET_FORMS:
        typed = value.replace("〔", opening).replace("〕", closing)
        assert normalise_document_number(typed) == once


# ---------------------------------------------------------------- the API filters

LISTS = {
    "/api/v1/organisations/": OrganisationFilter, "/api/v1/catalogues/": CatalogueFilter,
    "/api/v1/catalogue-items/": CatalogueItemFilter, "/api/v1/documents/": ApiDocumentFilter,
    "/api/v1/gazette-issues/": GazetteIssueFilter, "/api/v1/annual-reports/": ApiAnnualReportFilter,
}
filter_value = st.one_of(
    nasty_text, st.integers(min_value=-(2**70), max_value=2**70).map(str), st.floats().map(str),
    st.uuids().map(str), st.dates().map(str), st.sampled_from(["true", "false", "1", "0", "county", "township"]),
)


@fuzz
@given(url=st.sampled_from(sorted(LISTS)), data=st.data())
def test_every_api_filter_answers_any_value_with_200_or_400(client, settings, url, data):
    settings.API_ANON_RATE = "100000/min"
    names = sorted({*LISTS[url].base_filters, "page_size", "tree"})
    params = data.draw(st.dictionaries(st.sampled_from(names), filter_value, min_size=1, max_size=4))
    response = client.get(url, params)
    assert response.status_code in (200, 400), (url, params, response.content[:300])
