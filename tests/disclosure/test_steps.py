"""The document's workflow steps: who may take which step in which state (permissions.available_steps,
and the page offers exactly those), the one step view's refusals, and four eyes on publishing."""

import re

import pytest

from disclosure import permissions, workflow
from disclosure.models import Document
from portal.models import Organisation, Staff
from tests.factories import make_document, make_organisation, make_staff

ROLES = ["gongan_clerk", "gongan_reviewer", "county_reviewer", "jiaoyu_clerk"]

# state of a 县公安局 document -> role -> the steps offered
EXPECTED = {
    "draft": {"gongan_clerk": ["submit"]},
    "returned": {"gongan_clerk": ["submit"]},
    "submitted": {"gongan_reviewer": ["publish", "return"]},
    "published": {"gongan_clerk": ["validity", "withdraw"], "gongan_reviewer": ["validity", "withdraw"]},
    "withdrawn": {},
}


def bring_to(document, state, clerk, reviewer):
    if state == "draft":
        return document
    document = workflow.submit(document, by=clerk)
    if state == "returned":
        return workflow.return_to_draft(document, by=reviewer, note="请修改")
    if state == "submitted":
        return document
    workflow.publish(document, by=reviewer)
    if state == "withdrawn":
        workflow.withdraw(document, by=clerk, note="发布有误")
    document.refresh_from_db()
    return document


def offered_steps(content, document):
    return re.findall(rf'action="/admin/disclosure/document/{document.pk}/step/(\w+)/"', content)


@pytest.mark.parametrize("state", list(EXPECTED))
def test_step_matrix_and_the_page_offers_exactly_those(client, request, state, gongan, gongan_clerk, gongan_reviewer):
    document = bring_to(make_document(gongan, gongan_clerk), state, gongan_clerk, gongan_reviewer)
    assert document.status == state
    for role in ROLES:
        user = request.getfixturevalue(role)
        expected = EXPECTED[state].get(role, [])
        assert permissions.available_steps(user, document) == expected, (state, role)
        client.force_login(user)
        response = client.get(f"/admin/disclosure/document/{document.pk}/change/")
        if role == "jiaoyu_clerk":
            assert response.status_code == 302  # not in their scope: the admin's "does not exist"
            continue
        assert response.status_code == 200
        assert offered_steps(response.content.decode(), document) == expected, (state, role)


def test_the_reviewer_assesses_published_withheld_information(gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    document = bring_to(make_document(gongan, gongan_clerk, attribute="withheld"), "published", gongan_clerk, gongan_reviewer)
    assert permissions.available_steps(gongan_reviewer, document) == ["validity", "withdraw", "assess"]
    assert permissions.available_steps(gongan_clerk, document) == ["validity", "withdraw"]
    assert permissions.available_steps(county_reviewer, document) == []


@pytest.mark.parametrize("state", ["draft", "submitted", "published"])
def test_a_step_on_another_organisations_document_is_404(client, state, gongan, gongan_clerk, gongan_reviewer, jiaoyu_clerk):
    document = bring_to(make_document(gongan, gongan_clerk), state, gongan_clerk, gongan_reviewer)
    client.force_login(jiaoyu_clerk)
    for action in ("submit", "publish", "return", "withdraw", "validity"):
        assert client.post(f"/admin/disclosure/document/{document.pk}/step/{action}/", {"note": "x"}).status_code == 404
    document.refresh_from_db()
    assert document.status == state


def test_a_step_not_offered_is_403_and_changes_nothing(client, draft, gongan_clerk, gongan_reviewer):
    client.force_login(gongan_reviewer)
    assert client.post(f"/admin/disclosure/document/{draft.pk}/step/submit/").status_code == 403
    client.force_login(gongan_clerk)
    assert client.post(f"/admin/disclosure/document/{draft.pk}/step/publish/").status_code == 403
    assert client.post(f"/admin/disclosure/document/{draft.pk}/step/unknown/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Document.Status.DRAFT


def test_return_without_a_comment_is_400_with_the_message(client, draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    client.force_login(gongan_reviewer)
    response = client.post(f"/admin/disclosure/document/{draft.pk}/step/return/", {"note": "  "})
    assert response.status_code == 400
    assert "退回时必须填写退回意见" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Document.Status.SUBMITTED


def test_a_refused_validity_change_keeps_what_was_typed(client, public_document, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(f"/admin/disclosure/document/{public_document.pk}/step/validity/",
                           {"validity": "repealed", "replaced_by": "不存在的索引号", "note": "被新办法替代"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "找不到该索引号对应的已公开文件" in content
    assert 'value="不存在的索引号"' in content and "被新办法替代" in content
    assert '<option value="repealed" selected>' in content
    public_document.refresh_from_db()
    assert public_document.validity == Document.Validity.VALID


def test_a_workflow_refusal_is_shown_on_the_form(client, public_document, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(f"/admin/disclosure/document/{public_document.pk}/step/validity/",
                           {"validity": "repealed", "replaced_by": public_document.index_number})
    assert response.status_code == 400
    assert "替代文件必须是另一件已公开发布的文件" in response.content.decode()
    public_document.refresh_from_db()
    assert public_document.validity == Document.Validity.VALID and public_document.replaced_by is None


def test_assessment_needs_a_reason(client, gongan, gongan_clerk, gongan_reviewer):
    document = bring_to(make_document(gongan, gongan_clerk, attribute="withheld"), "published", gongan_clerk, gongan_reviewer)
    client.force_login(gongan_reviewer)
    response = client.post(f"/admin/disclosure/document/{document.pk}/step/assess/", {"outcome": "disclose", "note": ""})
    assert response.status_code == 400 and "请写明评估理由" in response.content.decode()
    assert re.search(r'value="disclose"[^>]*checked', response.content.decode())  # the choice is kept
    document.refresh_from_db()
    assert document.attribute == Document.Attribute.WITHHELD


def test_the_step_page_shows_the_form(client, draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    client.force_login(gongan_reviewer)
    response = client.get(f"/admin/disclosure/document/{draft.pk}/step/return/")
    assert response.status_code == 200
    assert "退回意见（必填）" in response.content.decode()


def test_publish_with_a_comment_goes_back_to_the_page(client, draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    client.force_login(gongan_reviewer)
    response = client.post(f"/admin/disclosure/document/{draft.pk}/step/publish/", {"note": "同意"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/disclosure/document/{draft.pk}/change/"
    assert "已审核发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_public and draft.events.last().note == "同意"


# ---------------------------------------------------------------- four eyes


@pytest.fixture
def clerk_and_reviewer(gongan):
    return make_staff("gongan_both", gongan, Staff.Role.CLERK, Staff.Role.REVIEWER)


def test_nobody_publishes_their_own_submission(client, gongan, clerk_and_reviewer, gongan_reviewer):
    document = workflow.submit(make_document(gongan, clerk_and_reviewer), by=clerk_and_reviewer)
    assert permissions.available_steps(clerk_and_reviewer, document) == []
    with pytest.raises(workflow.WorkflowError, match="不能审核发布自己提交的信息"):
        workflow.publish(document, by=clerk_and_reviewer)
    with pytest.raises(workflow.WorkflowError, match="不能退回自己提交的信息"):
        workflow.return_to_draft(document, by=clerk_and_reviewer, note="自己退回")
    client.force_login(clerk_and_reviewer)
    assert client.post(f"/admin/disclosure/document/{document.pk}/step/publish/").status_code == 403
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED and not document.index_number
    workflow.publish(document, by=gongan_reviewer)  # another reviewer of the organisation may
    document.refresh_from_db()
    assert document.is_public


def test_a_reviewer_publishes_what_a_colleague_holding_both_roles_submitted(gongan, gongan_clerk, clerk_and_reviewer):
    document = workflow.submit(make_document(gongan, gongan_clerk), by=gongan_clerk)
    assert permissions.available_steps(clerk_and_reviewer, document) == ["publish", "return"]


@pytest.fixture
def township(county):
    return make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")


def test_a_one_person_organisation_has_the_county_office_approve(client, township, county_reviewer, gongan_reviewer):
    lhz_clerk = make_staff("lhz_clerk", township, Staff.Role.CLERK, Staff.Role.REVIEWER)
    document = workflow.submit(make_document(township, lhz_clerk, title="柳河镇2026年低保对象公示"), by=lhz_clerk)
    assert permissions.available_steps(lhz_clerk, document) == []
    assert permissions.available_steps(gongan_reviewer, document) == []
    assert permissions.available_steps(county_reviewer, document) == ["publish", "return"]
    client.force_login(county_reviewer)
    page = client.get(f"/admin/disclosure/document/{document.pk}/change/").content.decode()
    assert offered_steps(page, document) == ["publish", "return"]
    response = client.post(f"/admin/disclosure/document/{document.pk}/step/publish/", {"note": "县政府办公室代为审核"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_public and document.events.last().actor == county_reviewer


def test_the_county_office_does_not_approve_for_an_organisation_with_a_reviewer(draft, gongan_clerk, gongan_reviewer,
                                                                                 county_reviewer):
    draft = workflow.submit(draft, by=gongan_clerk)
    assert permissions.available_steps(county_reviewer, draft) == []
    with pytest.raises(workflow.WorkflowError):
        workflow.publish(draft, by=county_reviewer)
