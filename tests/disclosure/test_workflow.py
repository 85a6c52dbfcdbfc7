import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from disclosure import workflow
from disclosure.models import Document, DocumentEvent, validate_document_number
from disclosure.permissions import public_documents
from disclosure.workflow import WorkflowError
from tests.factories import make_document


@time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
def test_proactive_information_is_public_once_the_reviewer_publishes_it_on_2026_03_02(
    draft, gongan, gongan_clerk, gongan_reviewer
):
    workflow.submit(draft, by=gongan_clerk)
    assert not public_documents().filter(pk=draft.pk).exists()
    document = workflow.publish(draft, by=gongan_reviewer)

    assert document.status == Document.Status.PUBLISHED
    assert document.publish_date == datetime.date(2026, 3, 2)
    assert document.index_number == f"{gongan.credit_code}/2026-00001"
    assert public_documents().filter(pk=draft.pk).exists()
    assert document.attribute_mark == "此件公开发布"
    assert list(document.events.values_list("action", "actor__username")) == [
        ("create", "gongan_clerk"), ("submit", "gongan_clerk"), ("publish", "gongan_reviewer"),
    ]


def test_index_numbers_count_per_organisation_and_year_and_are_never_reused(
    gongan, jiaoyu, gongan_clerk, gongan_reviewer, jiaoyu_clerk, superuser, publish
):
    first = publish(make_document(gongan, gongan_clerk, title="一"))
    second = publish(make_document(gongan, gongan_clerk, title="二"))
    other = make_document(jiaoyu, jiaoyu_clerk, title="教育")
    workflow.submit(other, by=jiaoyu_clerk)
    other = workflow.publish(other, by=superuser)
    assert first.index_number.split("-")[-1] == "00001"
    assert second.index_number.split("-")[-1] == "00002"
    assert other.index_number == f"{jiaoyu.credit_code}/{other.publish_date.year}-00001"

    workflow.withdraw(second, by=gongan_clerk, note="内容有误")
    third = publish(make_document(gongan, gongan_clerk, title="三"))
    assert third.index_number.split("-")[-1] == "00003"  # the withdrawn number is not handed out again


def test_older_information_keeps_its_own_publication_year(draft, gongan, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    document = workflow.publish(draft, by=gongan_reviewer, on=datetime.date(2025, 6, 30))
    assert document.index_number == f"{gongan.credit_code}/2025-00001"


@pytest.mark.parametrize("attribute, mark", [("on_request", "此件依申请公开"), ("withheld", "此件不予公开")])
def test_information_not_proactive_is_kept_with_its_ground_and_never_public(
    attribute, mark, gongan, gongan_clerk, publish
):
    document = publish(make_document(gongan, gongan_clerk, attribute=attribute))
    assert document.status == Document.Status.PUBLISHED and document.index_number
    assert document.attribute_mark == mark
    assert document.ground and document.ground_reason
    assert not public_documents().filter(pk=document.pk).exists()


def test_withheld_information_is_due_for_assessment_a_year_later(gongan, gongan_clerk, gongan_reviewer):
    document = make_document(gongan, gongan_clerk, attribute="withheld")
    workflow.submit(document, by=gongan_clerk)
    workflow.publish(document, by=gongan_reviewer, on=datetime.date(2025, 2, 10))
    document.refresh_from_db()
    assert document.next_assessment_date == datetime.date(2026, 2, 10)
    assert list(workflow.assessments_due(Document.objects.all(), today=datetime.date(2026, 2, 9))) == []
    assert list(workflow.assessments_due(Document.objects.all(), today=datetime.date(2026, 2, 10))) == [document]


def test_assessment_keeps_it_withheld_for_another_year_or_makes_it_public(gongan, gongan_clerk, gongan_reviewer, publish):
    kept = publish(make_document(gongan, gongan_clerk, title="留", attribute="withheld"))
    kept = workflow.record_assessment(kept, by=gongan_reviewer, outcome="keep", reason="仍属过程性信息")
    assert kept.attribute == Document.Attribute.WITHHELD
    assert kept.next_assessment_date > datetime.date.today()

    opened = publish(make_document(gongan, gongan_clerk, title="开", attribute="withheld"))
    opened = workflow.record_assessment(opened, by=gongan_reviewer, outcome="disclose", reason="决定已正式作出")
    assert opened.attribute == Document.Attribute.PROACTIVE and opened.ground == ""
    assert public_documents().filter(pk=opened.pk).exists()
    event = opened.events.get(action=DocumentEvent.Action.ASSESS)
    assert "转为主动公开" in event.note and "过程性信息" in event.note


def test_clerks_cannot_assess(gongan, gongan_clerk, publish):
    document = publish(make_document(gongan, gongan_clerk, attribute="withheld"))
    with pytest.raises(WorkflowError, match="只有本单位审核员"):
        workflow.record_assessment(document, by=gongan_clerk, outcome="disclose", reason="x")


def test_submitting_without_an_attribute_is_refused_naming_the_field(gongan, gongan_clerk):
    document = make_document(gongan, gongan_clerk, attribute="")
    with pytest.raises(WorkflowError) as error:
        workflow.submit(document, by=gongan_clerk)
    assert error.value.field == "attribute" and "公开属性" in str(error.value)


@pytest.mark.parametrize(
    "attribute, ground, reason, field",
    [
        ("withheld", "", "理由", "ground"),
        ("on_request", "", "理由", "ground"),
        ("withheld", "specific_parties", "理由", "ground"),  # an on-request ground cannot withhold
        ("withheld", "state_secret", "", "ground_reason"),
    ],
)
def test_not_proactive_without_a_proper_ground_is_refused(gongan, gongan_clerk, attribute, ground, reason, field):
    document = make_document(gongan, gongan_clerk, attribute=attribute, ground=ground, ground_reason=reason)
    with pytest.raises(WorkflowError) as error:
        workflow.submit(document, by=gongan_clerk)
    assert error.value.field == field
    document.refresh_from_db()
    assert document.status == Document.Status.DRAFT


def test_the_database_refuses_published_information_without_attribute(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=draft.pk).update(status="published", attribute="")


def test_only_the_own_reviewer_publishes(draft, gongan_clerk, gongan_reviewer, jiaoyu_clerk, county_reviewer):
    # 县公安局 has a reviewer of its own, so the county office does not approve for it.
    workflow.submit(draft, by=gongan_clerk)
    for actor in (gongan_clerk, jiaoyu_clerk, county_reviewer):
        with pytest.raises(WorkflowError):
            workflow.publish(draft, by=actor)
    draft.refresh_from_db()
    assert draft.status == Document.Status.SUBMITTED and draft.index_number is None


def test_clerk_of_another_organisation_cannot_create_for_it(gongan, jiaoyu_clerk):
    with pytest.raises(WorkflowError, match="只能以本单位名义"):
        make_document(gongan, jiaoyu_clerk)
    assert not Document.objects.exists()


def test_return_and_withdraw_need_a_reason(draft, gongan_clerk, gongan_reviewer):
    workflow.submit(draft, by=gongan_clerk)
    with pytest.raises(WorkflowError, match="退回意见"):
        workflow.return_to_draft(draft, by=gongan_reviewer, note="")
    workflow.return_to_draft(draft, by=gongan_reviewer, note="标题有误")
    workflow.submit(draft, by=gongan_clerk)
    document = workflow.publish(draft, by=gongan_reviewer)
    with pytest.raises(WorkflowError, match="原因"):
        workflow.withdraw(document, by=gongan_clerk, note=" ")
    document = workflow.withdraw(document, by=gongan_clerk, note="发布有误")
    assert document.status == Document.Status.WITHDRAWN and not document.is_public


def test_validity_change_links_the_replacing_document(gongan, gongan_clerk, publish):
    old = publish(make_document(gongan, gongan_clerk, title="旧办法", is_normative=True))
    new = publish(make_document(gongan, gongan_clerk, title="新办法", is_normative=True))
    workflow.change_validity(old, by=gongan_clerk, validity="repealed", replaced_by=new)
    old.refresh_from_db()
    assert old.validity == Document.Validity.REPEALED and old.replaced_by == new
    assert list(new.replaces.all()) == [old]
    assert "现行有效 → 已废止，由《新办法》替代" in old.events.get(action="validity").note
    assert old.history.count() >= 2  # every change kept with who and when


@pytest.mark.parametrize("number", ["青政办〔2026〕12号", "青政办[2026]12号", "青政办（2026）12号", "青公发〔2025〕3号"])
def test_document_numbers_in_the_usual_shapes_are_accepted(number):
    validate_document_number(number)


@pytest.mark.parametrize("number", ["2026年12号", "青政办〔26〕12号", "青政办〔2026〕", "青政办2026-12"])
def test_document_number_in_a_wrong_shape_gets_a_clear_message(number):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="青政办〔2026〕12号"):
        validate_document_number(number)


def test_square_brackets_are_stored_as_the_proper_ones(gongan, gongan_clerk):
    document = make_document(gongan, gongan_clerk, document_number="青公发[2026]7号")
    document.refresh_from_db()
    assert document.document_number == "青公发〔2026〕7号"


def test_body_is_sanitised_on_save(gongan, gongan_clerk):
    document = make_document(gongan, gongan_clerk, body=(
        '<p class="MsoNormal" style="color:red" onclick="steal()">正文<script>alert(1)</script></p>'
        '<img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">链接</a><a href="https://www.gov.cn/">国务院</a>'
        "<table><tr><th>序号</th><td rowspan=\"2\">内容</td></tr></table><style>p{}</style><h2>二、标题</h2><ul><li>一</li></ul>"
    ))
    document.refresh_from_db()
    body = document.body
    for bad in ("<script", "alert(1)", "onerror", "onclick", "javascript:", "style=", "class=", "<style"):
        assert bad not in body
    assert '<td rowspan="2">内容</td>' in body and "<th>序号</th>" in body
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">国务院</a>' in body
    assert "<h2>二、标题</h2>" in body and "<li>一</li>" in body and '<img src="x.png">' in body
