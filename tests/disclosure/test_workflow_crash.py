"""A fault in the middle of a document step (the disk full when its event is written, after the
document row and its history were) leaves the document, its events and its history as they were, and
the reviewer sees the 503 page, not a 500."""

from disclosure.models import Document, DocumentEvent
from tests.portal.test_faults import assert_503_page, disk_full_on_insert


def snapshot(document):
    fresh = Document.objects.get(pk=document.pk)
    return (
        (fresh.status, fresh.publish_date, fresh.index_number, fresh.updated_at),
        list(fresh.events.values_list("pk", "action")),
        list(fresh.history.values_list("history_id", "status")),
    )


def step(client, document, action, note=""):
    return client.post(f"/admin/disclosure/document/{document.pk}/step/{action}/", {"note": note})


def test_a_crash_while_publishing_leaves_the_document_its_events_and_history_unchanged(client, draft, gongan_clerk,
                                                                                     gongan_reviewer):
    from disclosure import workflow

    workflow.submit(draft, by=gongan_clerk)
    before = snapshot(draft)
    client.force_login(gongan_reviewer)
    with disk_full_on_insert(DocumentEvent):
        response = step(client, draft, "publish")
    assert_503_page(response)
    assert snapshot(draft) == before
    assert draft.pk not in Document.objects.filter(status=Document.Status.PUBLISHED).values_list("pk", flat=True)


def test_a_crash_while_withdrawing_leaves_the_document_public_with_its_events_and_history(client, public_document,
                                                                                        gongan_reviewer):
    before = snapshot(public_document)
    client.force_login(gongan_reviewer)
    with disk_full_on_insert(DocumentEvent):
        response = step(client, public_document, "withdraw", "发布有误")
    assert_503_page(response)
    assert snapshot(public_document) == before
    assert client.get(f"/xxgk/documents/{public_document.pk}/").status_code == 200
