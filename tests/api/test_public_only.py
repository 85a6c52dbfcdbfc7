"""The public-only rule across every endpoint and format: 依申请公开, 不予公开, draft, submitted, returned
and withdrawn documents, and catalogue versions that are not the published one (drafts, versions in
review, superseded versions, the national guideline), never appear; their detail addresses are 404."""

import csv
import io

import pytest
from openpyxl import load_workbook

from catalog import workflow as catalog_workflow
from catalog.models import Catalogue, CatalogueItem
from disclosure import workflow
from disclosure.models import GazetteIssue
from tests.factories import ELEMENTS, make_document, make_domain, make_guideline, make_published_catalogue

from .conftest import make_gazette_issue

LISTS = [
    "/api/v1/organisations/", "/api/v1/domains/", "/api/v1/catalogues/", "/api/v1/catalogue-items/",
    "/api/v1/catalogue-items/?tree=1", "/api/v1/documents/", "/api/v1/gazette-issues/",
]
SECRET = "机密"


@pytest.fixture
def hidden(notice, catalogue, gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk, county_reviewer, publish):
    """One of each kind the public must never see, each with 机密 in its name; and what they are."""
    documents = {}
    documents["on_request"] = publish(make_document(gongan, gongan_clerk, title=f"{SECRET}依申请公开的信息", attribute="on_request"))
    documents["withheld"] = publish(make_document(gongan, gongan_clerk, title=f"{SECRET}不予公开的信息", attribute="withheld"))
    documents["draft"] = make_document(gongan, gongan_clerk, title=f"{SECRET}草稿")
    submitted = make_document(gongan, gongan_clerk, title=f"{SECRET}待审核")
    documents["submitted"] = workflow.submit(submitted, by=gongan_clerk)
    returned = workflow.submit(make_document(gongan, gongan_clerk, title=f"{SECRET}已退回"), by=gongan_clerk)
    documents["returned"] = workflow.return_to_draft(returned, by=gongan_reviewer, note="请补充")
    withdrawn = publish(make_document(gongan, gongan_clerk, title=f"{SECRET}已撤回"))
    documents["withdrawn"] = workflow.withdraw(withdrawn, by=gongan_clerk, note="发布有误")
    make_gazette_issue([notice, *documents.values()])
    make_gazette_issue([], number=2, is_published=False)

    # A revision in review of the published catalogue, with an item of its own.
    revision = catalog_workflow.start_revision(catalogue, by=gongan_clerk)
    CatalogueItem.objects.create(catalogue=revision, name=f"{SECRET}修订中的事项", **ELEMENTS)
    catalog_workflow.submit(revision, by=gongan_clerk)
    # Another organisation's draft.
    draft_catalogue = Catalogue.objects.create(organisation=jiaoyu, domain=catalogue.domain)
    CatalogueItem.objects.create(catalogue=draft_catalogue, name=f"{SECRET}草稿目录的事项")
    # A superseded version: published, revised, the revision approved.
    other = make_domain(name="社会救助", slug="social-assistance", order=20)
    guideline = make_guideline(other)
    rename_items(guideline, f"{SECRET}指引事项")
    old = make_published_catalogue(gongan, other, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)
    rename_items(old, f"{SECRET}旧版事项")
    new = catalog_workflow.start_revision(old, by=gongan_clerk)
    rename_items(new, "新版事项")
    catalog_workflow.submit(new, by=gongan_clerk)
    catalog_workflow.first_review(new, by=gongan_reviewer)
    catalog_workflow.approve(new, by=county_reviewer)
    old.refresh_from_db()
    assert old.state == Catalogue.State.SUPERSEDED
    catalogues = [revision, draft_catalogue, old, guideline]
    return {
        "documents": documents,
        "catalogues": catalogues,
        "items": list(CatalogueItem.objects.filter(catalogue__in=catalogues)),
        "issues": [GazetteIssue.objects.get(number=2)],
    }


def rename_items(catalogue, prefix):
    for n, item in enumerate(CatalogueItem.objects.filter(catalogue=catalogue).order_by("pk")):
        CatalogueItem.objects.filter(pk=item.pk).update(name=f"{prefix}{n}")


def all_pages(client, url, **params):
    """Every page of a list, in the given format, as text."""
    pages = []
    address = url
    while address:
        response = client.get(address, params)
        assert response.status_code == 200, response.content
        params = {}
        if response["Content-Type"].startswith("application/json"):
            pages.append(response.content.decode())
            address = response.json()["next"]
        else:
            pages.append(spreadsheet_text(response))
            link = response.get("Link", "")
            address = link[1:link.index(">")] if link else None
    return "\n".join(pages)


def spreadsheet_text(response):
    if response["Content-Type"].startswith("text/csv"):
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(",".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
@pytest.mark.parametrize("url", LISTS)
def test_no_list_shows_anything_non_public(client, hidden, url, fmt):
    text = all_pages(client, url, format=fmt, page_size=2)
    assert SECRET not in text
    # The public ones are there: the rule hides only what it must.
    if "documents" in url:
        assert "关于办理出生登记的公告" in text
    if "catalogue-items" in url:
        assert "出生登记" in text and "新版事项0" in text


def test_no_list_names_a_non_public_id(client, hidden):
    documents = {row["id"] for row in client.get("/api/v1/documents/").json()["results"]}
    assert documents.isdisjoint(d.pk for d in hidden["documents"].values())
    catalogues = {row["id"] for row in client.get("/api/v1/catalogues/").json()["results"]}
    assert catalogues.isdisjoint(c.pk for c in hidden["catalogues"])
    items = {row["id"] for row in client.get("/api/v1/catalogue-items/", {"page_size": 100}).json()["results"]}
    assert items.isdisjoint(i.pk for i in hidden["items"])


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_every_non_public_detail_is_404(client, hidden, fmt):
    addresses = [f"/api/v1/documents/{d.pk}/" for d in hidden["documents"].values()]
    addresses += [f"/api/v1/catalogues/{c.pk}/" for c in hidden["catalogues"]]
    addresses += [f"/api/v1/catalogue-items/{i.pk}/" for i in hidden["items"]]
    addresses += [f"/api/v1/gazette-issues/{issue.pk}/" for issue in hidden["issues"]]
    for address in addresses:
        response = client.get(address, {"format": fmt})
        assert response.status_code == 404, address
        assert SECRET not in response.content.decode()


def test_gazette_issue_detail_lists_public_entries_only(client, hidden):
    issue = GazetteIssue.objects.get(number=1)
    response = client.get(f"/api/v1/gazette-issues/{issue.pk}/")
    assert [entry["title"] for entry in response.json()["entries"]] == ["关于办理出生登记的公告"]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_change_feed_names_nothing_non_public(client, hidden, fmt):
    # The feed's `next` is always there (a mirror asks it again later): paged to the end by has_more
    # (JSON) or by the Link header, which only a page with more after it has (spreadsheets).
    texts, address, params = [], "/api/v1/changes/", {"format": fmt, "page_size": 2}
    while address:
        response = client.get(address, params)
        assert response.status_code == 200
        params = {}
        if fmt == "json":
            texts.append(response.content.decode())
            address = response.json()["next"] if response.json()["has_more"] else None
        else:
            texts.append(spreadsheet_text(response))
            link = response.get("Link", "")
            address = link[1:link.index(">")] if link else None
    assert len(texts) > 1
    assert SECRET not in "\n".join(texts)


def test_change_feed_never_lists_a_never_public_document_or_catalogue_version(client, hidden, notice):
    results = client.get("/api/v1/changes/", {"page_size": 100}).json()["results"]
    documents = {(e["id"], e["action"]) for e in results if e["kind"] == "document"}
    withdrawn = hidden["documents"]["withdrawn"].pk
    assert documents == {(notice.pk, "published"), (withdrawn, "published"), (withdrawn, "withdrawn")}
    catalogues = [(e["id"], e["action"]) for e in results if e["kind"] == "catalogue"]
    old = hidden["catalogues"][2]
    assert (old.pk, "superseded") in catalogues
    assert {pk for pk, _ in catalogues}.isdisjoint(c.pk for c in hidden["catalogues"] if c != old)
