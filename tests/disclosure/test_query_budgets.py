"""Every public list and detail page runs a fixed number of queries, however much data there is (a
page rendered, not served from the page cache: the budgets are for the first visitor after a change),
and none counts a table. What is read once per public generation in a process (the organisations' and
topics' names, the filters' options: portal.cache.rendered_once) the budgets leave out: a first
request to the same page, under a parameter that keeps it out of the page cache, reads it, as the
first visitor after a change reads it for every later one."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import GazetteEntry, GazetteIssue, Guide
from tests.factories import make_document, make_organisation, make_topic, publish_document

PAGES = {
    "/": 2,
    "/xxgk/": 8,
    "/xxgk/documents/": 1,
    "/xxgk/documents/?organisation={org}": 2,
    "/xxgk/documents/?topic=07": 2,
    "/xxgk/documents/?after=2099-01-01_1": 1,
    "/xxgk/guide/": 1,
    "/xxgk/guide/{org}/": 2,
    "/xxgk/org/{org}/": 3,
    "/xxgk/rules/": 1,
    "/xxgk/reports/": 2,
    "/xxgk/normative/": 1,
    "/xxgk/topics/": 1,
    "/xxgk/gazette/": 1,
    "/xxgk/gazette/{issue}/": 3,
    "/xxgk/feed/": 1,
    "/xxgk/feed/org/{org}/": 2,
    "/xxgk/feed/atom/": 1,
    "/sitemap.xml": 1,
    "/sitemap-documents.xml": 2,
    "/sitemap-catalogues.xml": 1,
    "/xxgk/documents/{document}/": 3,  # the document with its catalogue item, its related documents, attachments
    "/search/?q=通知": 2,
}


def add_documents(organisation, clerk, reviewer, count, start):
    documents = []
    for n in range(start, start + count):
        topic = make_topic(f"07{n % 5:02d}", f"子主题{n % 5}")
        document = make_document(organisation, clerk, title=f"关于第{n}项工作的通知", topic=topic,
                                 is_normative=n % 2 == 0, is_disclosure_rule=n % 3 == 0,
                                 genre="annual_report" if n % 4 == 0 else "notice")
        documents.append(publish_document(document, clerk, reviewer))
        Guide.objects.get_or_create(organisation=make_organisation(f"青禾县第{n}局", parent=organisation.parent),
                                    defaults={"body": "<p>指南</p>"})
    return documents


@pytest.fixture
def site_data(gongan, gongan_clerk, gongan_reviewer):
    documents = add_documents(gongan, gongan_clerk, gongan_reviewer, 3, 0)
    issue = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=True)
    issue.pdf.save("g.pdf", ContentFile(b"%PDF-1.4"), save=False)
    issue.save()
    for position, document in enumerate(documents):
        GazetteEntry.objects.create(issue=issue, document=document, position=position)
    return {"org": gongan.pk, "issue": issue.pk, "document": documents[0].pk, "issue_obj": issue}


@pytest.mark.parametrize("url, budget", PAGES.items())
def test_public_page_queries_do_not_grow_with_data(
    client, site_data, url, budget, gongan, gongan_clerk, gongan_reviewer, django_assert_max_num_queries
):
    address = url.format(**site_data)
    client.get(unstored(address))
    with django_assert_max_num_queries(budget):
        assert client.get(address).status_code == 200
    more = add_documents(gongan, gongan_clerk, gongan_reviewer, 12, 100)
    for position, document in enumerate(more, start=10):
        GazetteEntry.objects.create(issue=site_data["issue_obj"], document=document, position=position)
    client.get(unstored(address))
    with django_assert_max_num_queries(budget):
        assert client.get(address).status_code == 200


def unstored(address):
    """The page at `address` with a parameter it does not read: rendered, never stored (portal.cache.public_page)."""
    return address + ("&" if "?" in address else "?") + "unstored=1"


@pytest.mark.parametrize("url", [url for url in PAGES if url != "/search/?q=通知"])
def test_no_public_page_counts_rows(client, site_data, url):
    """COUNT(*) over documents grows with the table; a page says "下一页", never "第几页/共几页"."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url.format(**site_data)).status_code == 200
    assert not [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
