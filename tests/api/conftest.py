import datetime

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from disclosure.models import GazetteEntry, GazetteIssue
from tests.factories import make_document, make_domain, make_guideline, make_published_catalogue, make_topic, publish_document


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The anonymous rate limit counts in the cache, which lives as long as the test process.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def domain(db):
    return make_domain()


@pytest.fixture
def catalogue(domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    make_guideline(domain)
    return make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)


@pytest.fixture
def publish(gongan_clerk, gongan_reviewer):
    def _publish(document, on=datetime.date(2026, 2, 1)):
        return publish_document(document, gongan_clerk, gongan_reviewer, on=on)

    return _publish


@pytest.fixture
def notice(gongan, gongan_clerk, catalogue, publish):
    """A public document filed under a catalogue item, with a document number."""
    item = catalogue.items.get(name="出生登记")
    document = make_document(
        gongan, gongan_clerk, title="关于办理出生登记的公告", document_number="青公发〔2026〕3号", catalogue_item=item,
        genre="announcement", is_normative=True, written_date=datetime.date(2026, 1, 10), body="<p>出生登记须知</p>",
    )
    return publish(document, on=datetime.date(2026, 1, 15))


def make_gazette_issue(documents, *, year=2026, number=1, is_published=True):
    issue = GazetteIssue(year=year, number=number, publish_date=datetime.date(year, 6, 30), is_published=is_published)
    issue.pdf.save("g.pdf", ContentFile(b"%PDF-1.4"), save=False)
    issue.save()
    for position, document in enumerate(documents):
        GazetteEntry.objects.create(issue=issue, document=document, position=position, page=position + 1)
    return issue


def add_public_documents(organisation, clerk, reviewer, count, start=0):
    """`count` public documents published on distinct and shared days (the keyset's ties are tested too)."""
    documents = []
    for n in range(start, start + count):
        topic = make_topic(f"07{n % 3:02d}", f"子主题{n % 3}")
        document = make_document(organisation, clerk, title=f"关于第{n}项工作的通知", topic=topic, is_normative=n % 2 == 0)
        documents.append(publish_document(document, clerk, reviewer, on=datetime.date(2026, 3, 1 + n // 3)))
    return documents
