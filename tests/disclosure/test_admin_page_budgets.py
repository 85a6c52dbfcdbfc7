"""The document and gazette pages of the back office run a fixed number of queries, however many
attachments, trail rows, history rows and PDF versions there are."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import workflow
from disclosure.models import Attachment, GazetteIssue
from tests.factories import make_document


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def grow(document, clerk, reviewer, rounds):
    """More attachments and more trail: each round is a return and a resubmission."""
    for n in range(rounds):
        Attachment.objects.create(document=document, file=ContentFile(b"%PDF-1.4", name="a.pdf"),
                                  original_name=f"附件{n}.pdf", kind="pdf", size=8)
        workflow.return_to_draft(document, by=reviewer, note=f"第{n}次退回")
        document.title = f"修改稿{n}"
        document.save()
        workflow.submit(document, by=clerk, note=f"第{n}次提交")


def assert_flat(client, url, more, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more()
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("username, suffix", [
    ("gongan_reviewer", "change/"), ("county_reviewer", "change/"), ("gongan_clerk", "change/"),
    ("gongan_reviewer", "history/"), ("gongan_reviewer", "step/return/"),
])
def test_document_pages_do_not_grow(client, request, gongan, gongan_clerk, gongan_reviewer, username, suffix,
                                    django_assert_max_num_queries):
    document = make_document(gongan, gongan_clerk, body="<p>正文</p>")
    workflow.submit(document, by=gongan_clerk)
    grow(document, gongan_clerk, gongan_reviewer, 1)
    client.force_login(request.getfixturevalue(username))
    url = f"/admin/disclosure/document/{document.pk}/{suffix}"
    assert_flat(client, url, lambda: grow(document, gongan_clerk, gongan_reviewer, 8), django_assert_max_num_queries)


def test_the_returned_draft_page_of_the_clerk_does_not_grow(client, gongan, gongan_clerk, gongan_reviewer,
                                                           django_assert_max_num_queries):
    document = make_document(gongan, gongan_clerk)
    workflow.submit(document, by=gongan_clerk)
    grow(document, gongan_clerk, gongan_reviewer, 1)
    workflow.return_to_draft(document, by=gongan_reviewer, note="再改")
    client.force_login(gongan_clerk)

    def more():
        for n in range(8):
            Attachment.objects.create(document=document, file=ContentFile(b"%PDF-1.4", name="a.pdf"),
                                      original_name=f"补充{n}.pdf", kind="pdf", size=8)

    assert_flat(client, f"/admin/disclosure/document/{document.pk}/change/", more, django_assert_max_num_queries)


def test_the_gazette_page_does_not_grow_with_versions(client, county_reviewer, django_assert_max_num_queries):
    issue = GazetteIssue(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=False)
    issue.pdf.save("g.pdf", ContentFile(b"%PDF-1.4"), save=False)
    issue.save()
    workflow.add_gazette_pdf(issue, by=county_reviewer, content=ContentFile(b"%PDF-1.4", name="a.pdf"))
    client.force_login(county_reviewer)

    def more():
        for n in range(8):
            workflow.add_gazette_pdf(issue, by=county_reviewer, content=ContentFile(b"%PDF-1.4", name="a.pdf"), note=f"更正{n}")

    assert_flat(client, f"/admin/disclosure/gazetteissue/{issue.pk}/change/", more, django_assert_max_num_queries)
