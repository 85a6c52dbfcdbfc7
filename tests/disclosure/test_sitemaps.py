"""The sitemap is an index of sections of at most SITEMAP_SIZE addresses, read by id range: no COUNT,
no OFFSET, only public information."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import sitemaps
from tests.factories import make_document, publish_document


@pytest.fixture
def documents(gongan, gongan_clerk, gongan_reviewer):
    """Five public documents, with a draft and a 不予公开 item among them."""
    public = []
    for n in range(7):
        attribute = "withheld" if n == 3 else "proactive"
        document = make_document(gongan, gongan_clerk, title=f"第{n}号通知", attribute=attribute)
        if n != 5:  # stays a draft
            publish_document(document, gongan_clerk, gongan_reviewer)
        if n not in (3, 5):
            public.append(document)
    return public


def locations(content):
    return re.findall(r"<loc>(.*?)</loc>", content)


def test_documents_are_split_into_sections_of_at_most_the_limit_by_id(client, documents, monkeypatch):
    monkeypatch.setattr(sitemaps, "SITEMAP_SIZE", 2)
    index = locations(client.get("/sitemap.xml").content.decode())
    sections = [url for url in index if "sitemap-documents.xml" in url]
    last = (documents[-1].pk - 1) // 2 + 1
    assert sections[0] == "http://testserver/sitemap-documents.xml"
    assert sections[1:] == [f"http://testserver/sitemap-documents.xml?p={n}" for n in range(2, last + 1)]
    listed = []
    for section in sections:
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
        urls = locations(response.content.decode())
        assert len(urls) <= 2
        listed += urls
    assert listed == [f"http://testserver/xxgk/documents/{document.pk}/" for document in documents]


def test_drafts_and_withheld_information_are_in_no_section(client, gongan, gongan_clerk, gongan_reviewer):
    withheld = publish_document(make_document(gongan, gongan_clerk, attribute="withheld"), gongan_clerk, gongan_reviewer)
    draft = make_document(gongan, gongan_clerk)
    content = client.get("/sitemap-documents.xml").content.decode()
    assert f"/xxgk/documents/{withheld.pk}/" not in content
    assert f"/xxgk/documents/{draft.pk}/" not in content


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-documents.xml", "/sitemap-documents.xml?p=2",
                                 "/sitemap-catalogues.xml", "/sitemap-column.xml"])
def test_sitemaps_never_count_nor_skip_rows_with_offset(client, documents, monkeypatch, url):
    monkeypatch.setattr(sitemaps, "SITEMAP_SIZE", 2)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    for query in queries.captured_queries:
        assert "COUNT(" not in query["sql"].upper()
        assert "OFFSET" not in query["sql"].upper()


@pytest.mark.parametrize("page", ["0", "abc", "-1", "1.5", "１", "1000000000", "9" * 5000])
def test_a_sitemap_page_that_does_not_exist_is_404(client, documents, page):
    assert client.get("/sitemap-documents.xml", {"p": page}).status_code == 404


def test_an_unknown_section_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404
