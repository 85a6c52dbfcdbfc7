"""已退回: a returned document is told apart from a fresh draft, carries the reviewer's comment on
its page until it is resubmitted, and is edited and resubmitted like a draft."""

import pytest

from disclosure import workflow
from disclosure.models import Document, DocumentEvent
from disclosure.permissions import public_documents


@pytest.fixture
def returned(draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    return workflow.return_to_draft(draft, by=gongan_reviewer, note="文号有误，请核对后重新提交")


def test_return_moves_the_document_to_returned(returned):
    returned.refresh_from_db()
    assert returned.status == Document.Status.RETURNED == "returned"
    event = returned.events.last()
    assert event.action == DocumentEvent.Action.RETURN
    assert (event.from_status, event.to_status) == ("submitted", "returned")


def test_the_list_and_its_filter_say_returned(client, returned, gongan_clerk):
    client.force_login(gongan_clerk)
    listing = client.get("/admin/disclosure/document/").content.decode()
    assert "已退回" in listing
    assert "status__exact=returned" in listing  # offered as a filter
    filtered = client.get("/admin/disclosure/document/", {"status__exact": "returned"}).content.decode()
    assert returned.title in filtered
    assert returned.title not in client.get("/admin/disclosure/document/", {"status__exact": "draft"}).content.decode()


def test_the_clerk_reads_the_reviewers_comment_at_the_top(client, returned, gongan_clerk):
    client.force_login(gongan_clerk)
    content = client.get(f"/admin/disclosure/document/{returned.pk}/change/").content.decode()
    top = content.index("审核员退回意见")
    assert top < content.index('id="document_form"')
    assert "文号有误，请核对后重新提交" in content and "退回人：gongan_reviewer" in content
    assert "退回时间：" in content


def test_the_clerk_edits_and_resubmits_a_returned_document(client, returned, gongan, gongan_clerk, gongan_reviewer):
    from tests.disclosure.test_admin import form_data

    client.force_login(gongan_clerk)
    data = form_data(gongan, title="关于做好2026年春节期间有关工作的通知（修改稿）", document_number="青公发〔2026〕11号",
                     **{"attachments-TOTAL_FORMS": "0", "events-TOTAL_FORMS": "2", "events-INITIAL_FORMS": "2"})
    for n, event in enumerate(returned.events.all()):
        data[f"events-{n}-id"] = event.pk
        data[f"events-{n}-document"] = returned.pk
    response = client.post(f"/admin/disclosure/document/{returned.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(f"/admin/disclosure/document/{returned.pk}/step/submit/", {"note": "已更正文号"})
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == Document.Status.SUBMITTED and returned.document_number == "青公发〔2026〕11号"
    assert returned.events.last().from_status == "returned"
    client.force_login(gongan_reviewer)
    content = client.get(f"/admin/disclosure/document/{returned.pk}/change/").content.decode()
    assert "审核员退回意见" not in content  # gone once resubmitted; the trail keeps it
    assert "文号有误，请核对后重新提交" in content


def test_a_returned_document_is_not_public(returned):
    assert not public_documents().filter(pk=returned.pk).exists()
