"""The rules every path into a step keeps (the workflow, not the forms): dates of steps, four eyes,
the event each step writes, text that PostgreSQL or a .docx letter cannot hold."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps

from portal.models import Organisation, Staff
from requests_app import workflow
from requests_app.models import Application, ApplicationEvent, ReplyType
from requests_app.workflow import WorkflowError
from tests.factories import make_application, make_organisation, make_staff

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))
OCT_12 = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ)  # received 2026-09-28, "today" in these tests


def unchanged(application):
    fresh = Application.objects.get(pk=application.pk)
    return fresh.state, fresh.clock_start, fresh.due_date, fresh.third_party_sent_on, fresh.replied_on, fresh.events.count()


def to_supplement_requested(application, clerk, reviewer):
    workflow.request_supplement(application, by=clerk, note="请写明年份", on=D(2026, 9, 30))


def to_third_party(application, clerk, reviewer):
    workflow.consult_third_party(application, by=clerk, sent_on=D(2026, 10, 9), consultee="某公司", matter="该公司的经营数据", reasons="可能涉及商业秘密")


def to_reply_approved(application, clerk, reviewer):
    workflow.draft_reply(application, by=clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    workflow.approve_reply(application, by=reviewer)


def as_is(application, clerk, reviewer):
    pass


STEP_DATES = {
    "request_supplement": (as_is, "on", {"note": "请写明年份"}),
    "record_supplement": (to_supplement_requested, "received_on", {}),
    "consult_third_party": (as_is, "sent_on", {"consultee": "某公司", "matter": "该公司的经营数据", "reasons": "可能涉及商业秘密"}),
    "record_third_party_answer": (to_third_party, "answered_on", {"outcome": "consented"}),
    "send_reply": (to_reply_approved, "sent_on", {}),
}


@time_machine.travel(OCT_12)
@pytest.mark.parametrize("step", list(STEP_DATES))
@pytest.mark.parametrize(
    "day, message",
    [
        (D(1900, 1, 1), "不能早于2019-05-15"),  # the year mistyped
        (D(226, 10, 9), "不能早于2019-05-15"),  # 0226 for 2026: the calendar cannot count from it
        (D(2026, 9, 25), "不能早于"),  # before receipt (or the step before)
        (D(2026, 10, 13), "不能晚于今天（2026-10-12）"),
        (D(2099, 6, 1), "不能晚于今天"),  # would hide an overdue application
    ],
)
def test_every_date_a_step_takes_is_checked_on_2026_10_12(application, gongan_clerk, gongan_reviewer, step, day, message):
    prepare, field, kwargs = STEP_DATES[step]
    prepare(application, gongan_clerk, gongan_reviewer)
    before = unchanged(application)
    with pytest.raises(WorkflowError, match=message) as refused:
        getattr(workflow, step)(application, by=gongan_clerk, **{field: day}, **kwargs)
    assert refused.value.field == field
    assert unchanged(application) == before


@time_machine.travel(OCT_12)
def test_dates_of_the_step_before_bound_the_next_on_2026_10_12(application, gongan_clerk, gongan_reviewer):
    workflow.request_supplement(application, by=gongan_clerk, note="请写明年份", on=D(2026, 10, 5))
    with pytest.raises(WorkflowError, match="补正材料收到日期不能早于告知补正日期（2026-10-05）"):
        workflow.record_supplement(application, by=gongan_clerk, received_on=D(2026, 10, 2))
    workflow.record_supplement(application, by=gongan_clerk, received_on=D(2026, 10, 9))
    with pytest.raises(WorkflowError, match="征求意见发出日期不能早于计时起算日（2026-10-09）"):
        workflow.consult_third_party(application, by=gongan_clerk, sent_on=D(2026, 10, 8), consultee="某公司", matter="该公司的经营数据", reasons="可能涉及商业秘密")
    workflow.consult_third_party(application, by=gongan_clerk, sent_on=D(2026, 10, 9), consultee="某公司", matter="该公司的经营数据", reasons="可能涉及商业秘密")
    with pytest.raises(WorkflowError, match="第三方答复日期不能早于征求意见发出日期（2026-10-09）"):
        workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 8), outcome="consented")


@time_machine.travel(OCT_12)
def test_a_reply_is_not_delivered_before_it_was_approved_on_2026_10_12(application, gongan_clerk, gongan_reviewer):
    to_reply_approved(application, gongan_clerk, gongan_reviewer)  # approved today, 2026-10-12
    with pytest.raises(WorkflowError, match="送达日期不能早于答复审批日期（2026-10-12）"):
        workflow.send_reply(application, by=gongan_clerk, sent_on=D(2026, 10, 9))


@time_machine.travel(OCT_12)
def test_paper_application_arriving_in_year_0226_or_tomorrow_is_refused_on_2026_10_12(gongan, gongan_clerk):
    for day, message in ((D(226, 9, 28), "不能早于2019-05-15"), (D(2026, 10, 13), "不能晚于今天")):
        with pytest.raises(WorkflowError, match=message):
            make_application(gongan, gongan_clerk, arrived_on=day)
    assert not Application.objects.exists()


@time_machine.travel(OCT_12)
def test_a_third_party_consultation_stored_with_year_0226_no_longer_blocks_the_answer_on_2026_10_12(
    client, application, gongan_clerk
):
    """Before dates were checked, 0226 could be stored as the consultation day; counting the paused
    working days from year 226 then failed (the calendar knows no such year) on every later try."""
    to_third_party(application, gongan_clerk, None)
    Application.objects.filter(pk=application.pk).update(third_party_sent_on=D(226, 10, 9))
    client.force_login(gongan_clerk)
    assert client.get(f"/admin/requests_app/application/{application.pk}/change/").status_code == 200
    application = workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 12), outcome="consented")
    # counted from the clock's start (2026-09-28), at most 15 working days
    assert application.state == "registered" and application.third_party_paused_days == 6


# ---------------------------------------------------------------- four eyes


@pytest.fixture
def township(county):
    return make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")


@pytest.fixture
def township_clerk(township):
    return make_staff("township_clerk", township, Staff.Role.CLERK, Staff.Role.REVIEWER)


def test_the_drafter_cannot_approve_or_return_their_own_reply(township, township_clerk):
    application = make_application(township, township_clerk)
    workflow.draft_reply(application, by=township_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    before = unchanged(application)
    with pytest.raises(WorkflowError, match="不能审批本人拟定的答复"):
        workflow.approve_reply(application, by=township_clerk)
    with pytest.raises(WorkflowError, match="不能退回本人拟定的答复"):
        workflow.return_reply(application, by=township_clerk, note="再改改")
    assert unchanged(application) == before


def test_county_office_approves_for_an_organisation_with_no_other_reviewer(township, township_clerk, county_reviewer):
    application = make_application(township, township_clerk)
    workflow.draft_reply(application, by=township_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    application = workflow.approve_reply(application, by=county_reviewer, note="同意")
    assert application.state == "reply_approved"
    assert application.events.latest("pk").actor == county_reviewer


def test_county_office_does_not_approve_where_the_organisation_has_its_own_reviewer(
    application, gongan_clerk, gongan_reviewer, county_reviewer
):
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    with pytest.raises(WorkflowError, match="只有本单位审核员可以审批答复"):
        workflow.approve_reply(application, by=county_reviewer)


# ---------------------------------------------------------------- events and text


def test_returning_a_reply_and_replacing_a_letter_are_their_own_steps(application, gongan_clerk, gongan_reviewer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.requests_app.test_permissions import a_docx

    settings.MEDIA_ROOT = tmp_path
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    workflow.replace_letter(application, by=gongan_clerk, letter=SimpleUploadedFile("告知书.docx", a_docx()))
    workflow.return_reply(application, by=gongan_reviewer, note="请补充提供方式")
    actions = list(application.events.values_list("action", flat=True))
    assert actions[-3:] == ["reply_drafted", "letter_replaced", "reply_returned"]
    assert ApplicationEvent.Action("reply_returned").label == "退回答复"


def test_earlier_returns_and_replaced_letters_are_renamed_by_the_migration(application, gongan_clerk, gongan_reviewer):
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    common = {"application": application, "on": D(2026, 10, 9), "action": "reply_drafted"}
    replaced = ApplicationEvent.objects.create(**common, from_state="reply_drafted", to_state="reply_drafted", actor=gongan_clerk)
    returned = ApplicationEvent.objects.create(**common, from_state="reply_drafted", to_state="registered", actor=gongan_reviewer)
    importlib.import_module("requests_app.migrations.0002_appadmin_actions").name_the_steps(apps, None)
    assert list(application.events.values_list("action", flat=True))[2:] == ["reply_drafted", "letter_replaced", "reply_returned"]
    assert ApplicationEvent.objects.get(pk=replaced.pk).actor == gongan_clerk  # who and when are kept
    assert ApplicationEvent.objects.get(pk=returned.pk).on == D(2026, 10, 9)


def test_nul_in_a_note_is_refused_and_other_control_characters_are_dropped(application, gongan_clerk):
    before = unchanged(application)
    with pytest.raises(WorkflowError, match="空字符") as refused:
        workflow.withdraw(application, by=gongan_clerk, note="书面\x00撤回")
    assert refused.value.field == "note" and unchanged(application) == before
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供\x01统计\x1b表\n附件")
    application.refresh_from_db()
    assert application.reply_text == "提供统计表\n附件" and application.letters.get(kind="reply").file.name.endswith(".docx")
