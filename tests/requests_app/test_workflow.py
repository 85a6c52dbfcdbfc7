import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from requests_app import workflow
from portal.models import CalendarDay
from requests_app.models import Application, ApplicationEvent, ReplyType
from requests_app.workflow import WorkflowError, receipt_date_for
from tests.factories import make_application

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))
State = Application.State


@pytest.mark.parametrize(
    "channel, arrived, expected",
    [
        ("in_person", D(2026, 9, 28), D(2026, 9, 28)),       # the day it was handed in
        ("registered_post", D(2026, 10, 9), D(2026, 10, 9)),  # the day it was signed for
        ("post", D(2026, 10, 12), D(2026, 10, 12)),           # the day the office got it
        ("fax", D(2026, 10, 12), D(2026, 10, 12)),            # the day both sides confirmed it
        ("fax", D(2026, 10, 3), D(2026, 10, 8)),              # 第三十一条 treats fax as online: confirmed on a day off
        ("email", D(2026, 10, 3), D(2026, 10, 8)),            # e-mail is an internet channel
        ("online", D(2026, 9, 28), D(2026, 9, 28)),
        ("online", D(2026, 10, 3), D(2026, 10, 8)),           # 国庆 2026: next working day
        ("online", D(2026, 10, 10), D(2026, 10, 10)),         # a 调休 Saturday is a working day
    ],
)
def test_receipt_date_per_channel(db, channel, arrived, expected):
    assert receipt_date_for(channel, arrived) == expected


def test_online_receipt_on_a_day_off_can_be_kept_by_setting(db, settings):
    settings.ONLINE_RECEIPT_NEXT_WORKING_DAY = False
    assert receipt_date_for("online", D(2026, 10, 3)) == D(2026, 10, 3)


def test_received_2026_09_28_is_due_2026_10_30(application, gongan):
    assert application.receipt_date == D(2026, 9, 28)
    assert application.due_date == D(2026, 10, 30)
    assert application.state == State.REGISTERED
    assert application.tracking_number.startswith("YSQ-2026-")
    assert [e.action for e in application.events.all()] == ["received", "registered"]


def test_tracking_numbers_count_up_per_year(gongan, gongan_clerk):
    first = make_application(gongan, gongan_clerk)
    second = make_application(gongan, gongan_clerk)
    assert (first.tracking_number, second.tracking_number) == ("YSQ-2026-00001", "YSQ-2026-00002")
    assert first.query_code != second.query_code and len(first.query_code) == 8


def test_supplement_stops_the_clock_and_restarts_it_from_its_arrival(application, gongan_clerk):
    application = workflow.request_supplement(application, by=gongan_clerk, note="请写明所需信息的年份", on=D(2026, 9, 30))
    assert application.state == State.SUPPLEMENT_REQUESTED and application.due_date is None
    application = workflow.record_supplement(application, by=gongan_clerk, received_on=D(2026, 10, 12))
    # 20 working days after Monday 2026-10-12.
    assert application.clock_start == D(2026, 10, 12)
    assert application.due_date == D(2026, 11, 9)


def test_supplement_notice_after_7_working_days_is_refused(application, gongan_clerk):
    # 7 working days after 2026-09-28 is 2026-10-13 (国庆 in between).
    workflow.request_supplement(application, by=gongan_clerk, note="补正", on=D(2026, 10, 13))
    other = make_application(application.organisation, gongan_clerk)
    with pytest.raises(WorkflowError, match="7个工作日内"):
        workflow.request_supplement(other, by=gongan_clerk, note="补正", on=D(2026, 10, 14))


def test_third_party_time_is_not_counted(application, gongan_clerk):
    application = workflow.consult_third_party(application, by=gongan_clerk, sent_on=D(2026, 10, 12), consultee="某公司", matter="该公司的经营数据", reasons="可能涉及商业秘密")
    # While waiting, the due date assumes the full 15 working days.
    assert application.due_date == D(2026, 11, 20)
    application = workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 16), outcome="consented")
    # The 4 working days 13th–16th are not counted (the day it was sent is): 2026-10-30 + 4 working days.
    assert application.third_party_paused_days == 4
    assert application.due_date == D(2026, 11, 5)


@time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=TZ))
def test_third_party_pause_is_at_most_15_working_days_answered_2026_12_31(application, gongan_clerk):
    workflow.consult_third_party(application, by=gongan_clerk, sent_on=D(2026, 10, 12), consultee="某公司", matter="该公司的经营数据", reasons="可能涉及商业秘密")
    application = workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 12, 31), outcome="consented")
    assert application.third_party_paused_days == 15


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
def test_one_extension_of_at_most_20_days_proposed_by_the_clerk_decided_by_the_reviewer_on_2026_10_12(
    application, gongan_clerk, gongan_reviewer
):
    with pytest.raises(WorkflowError, match="须先由经办人提出"):
        workflow.extend(application, by=gongan_reviewer)
    with pytest.raises(WorkflowError, match="20个工作日"):
        workflow.propose_extension(application, by=gongan_clerk, days=21, note="需协调")
    application = workflow.propose_extension(application, by=gongan_clerk, days=20, note="涉及多个科室，需协调")
    assert application.due_date == D(2026, 10, 30) and not application.events.get(action="extension_proposed").is_public
    with pytest.raises(WorkflowError, match="不能决定本人提出的延期申请"):
        workflow.extend(application, by=gongan_clerk)
    application = workflow.extend(application, by=gongan_reviewer)
    assert application.due_date == D(2026, 11, 27)
    assert application.events.get(action="extended").is_public
    letter = application.letters.get(kind="extension")
    assert letter.is_issued and letter.number == "县公安局依延〔2026〕1号"
    assert "因涉及多个科室，需协调，本机关不能在规定期限内作出答复" in letter.text
    assert "答复期限延长20个工作日，本机关将于2026年11月27日前作出答复" in letter.text
    with pytest.raises(WorkflowError, match="只能延长一次"):
        workflow.propose_extension(application, by=gongan_clerk, days=5, note="再延")


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
def test_nobody_decides_their_own_extension_and_a_refusal_keeps_the_period_on_2026_10_12(
    application, gongan_clerk, gongan_reviewer
):
    with pytest.raises(WorkflowError, match="只有受理机关的发布员可以提出延期申请"):
        workflow.propose_extension(application, by=gongan_reviewer, days=10, note="需协调")
    workflow.propose_extension(application, by=gongan_clerk, days=10, note="需协调")
    with pytest.raises(WorkflowError, match="不能决定本人提出的延期申请"):
        workflow.refuse_extension(application, by=gongan_clerk, note="不同意")
    with pytest.raises(WorkflowError, match="请写明不同意延期的理由"):
        workflow.refuse_extension(application, by=gongan_reviewer, note="")
    application = workflow.refuse_extension(application, by=gongan_reviewer, note="请按期答复")
    assert application.due_date == D(2026, 10, 30) and application.extension_days == 0
    assert not application.letters.filter(kind="extension").exists()
    assert application.events.last().action == "extension_refused"
    application = workflow.propose_extension(application, by=gongan_clerk, days=5, note="档案在外单位")
    assert application.extension_proposed_days == 5


def test_extension_is_refused_once_the_due_date_has_passed_2026_10_30_and_11_02(application, gongan_clerk, gongan_reviewer):
    with time_machine.travel(datetime.datetime(2026, 10, 29, 10, 0, tzinfo=TZ)):
        workflow.propose_extension(application, by=gongan_clerk, days=10, note="需协调")
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)):
        with pytest.raises(WorkflowError, match="答复期限已于2026年10月30日届满，不能再延长"):
            workflow.extend(application, by=gongan_reviewer)
    application.refresh_from_db()
    assert application.extension_days == 0 and application.due_date == D(2026, 10, 30)
    assert not application.events.filter(action="extended").exists()
    with time_machine.travel(datetime.datetime(2026, 10, 30, 17, 0, tzinfo=TZ)):  # the last day still counts
        assert workflow.extend(application, by=gongan_reviewer).due_date == D(2026, 11, 13)


def test_supplement_notice_carries_its_period_and_unclear_needs_a_supplement_on_2026_10_12(
    application, gongan_clerk, settings
):
    from requests_app.models import ReplySettings

    ReplySettings.objects.create(organisation=application.organisation, reconsideration_body="青禾县人民政府",
                                 court="青禾县人民法院", supplement_period_days=10)
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ)):
        with pytest.raises(WorkflowError, match="申请人尚未补正"):
            workflow.draft_reply(application, by=gongan_clerk, reply_type="unavailable_unclear", reply_text="仍不明确")
        application = workflow.request_supplement(application, by=gongan_clerk, note="请写明年份", on=D(2026, 10, 12))
        assert application.supplement_due == D(2026, 10, 26)  # the organisation's 10 working days
        assert "补正期限：2026年10月26日前（10个工作日）" in application.events.latest("pk").note
        with pytest.raises(WorkflowError, match="尚未届满"):
            workflow.draft_reply(application, by=gongan_clerk, reply_type="other_no_supplement", reply_text="逾期")
        application = workflow.record_supplement(application, by=gongan_clerk, received_on=D(2026, 10, 12))
        application = workflow.draft_reply(application, by=gongan_clerk, reply_type="unavailable_unclear",
                                           reply_text="补正后仍无法确定所需信息")
    assert application.state == "reply_drafted"


def test_full_reply_path(application, gongan_clerk, gongan_reviewer):
    with time_machine.travel(datetime.datetime(2026, 10, 19, 9, 0, tzinfo=TZ)):
        application = _draft_and_approve_already_public(application, gongan_clerk, gongan_reviewer)
    with time_machine.travel(datetime.datetime(2026, 10, 20, 9, 0, tzinfo=TZ)):
        application = workflow.send_reply(application, by=gongan_clerk, sent_on=D(2026, 10, 20))
        application = workflow.archive(application, by=gongan_clerk)
    assert application.state == State.ARCHIVED and application.replied_on == D(2026, 10, 20)
    assert [e.action for e in application.events.all()] == [
        "received", "registered", "reply_drafted", "reply_approved", "replied", "archived",
    ]


def _draft_and_approve_already_public(application, gongan_clerk, gongan_reviewer):
    application = workflow.draft_reply(
        application, by=gongan_clerk, reply_type=ReplyType.ALREADY_PUBLIC, where_public="青禾县人民政府网站“统计信息”栏目",
    )
    assert application.state == State.REPLY_DRAFTED and application.letters.get(kind="reply").file.name.endswith(".docx")
    return workflow.approve_reply(application, by=gongan_reviewer)


def test_reply_types_ask_for_what_the_law_requires(application, gongan_clerk):
    with pytest.raises(WorkflowError, match="获取该信息的方式和途径"):
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.ALREADY_PUBLIC)
    with pytest.raises(WorkflowError, match="区分处理后的信息"):
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.PARTIALLY_DISCLOSED, reply_text="涉及个人隐私部分不予公开")
    with pytest.raises(WorkflowError, match="理由"):
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.WITHHELD_PROCESS)
    application.refresh_from_db()
    assert application.state == State.REGISTERED and not application.reply_type


@pytest.mark.parametrize(
    "step, kwargs",
    [
        ("register", {}),  # already registered
        ("record_supplement", {"received_on": D(2026, 10, 1)}),
        ("record_third_party_answer", {"answered_on": D(2026, 10, 1), "outcome": "consented"}),
        ("approve_reply", {}),
        ("send_reply", {}),
        ("archive", {}),
    ],
)
def test_steps_out_of_order_are_refused_and_change_nothing(application, gongan_clerk, gongan_reviewer, step, kwargs):
    before = (Application.objects.get(pk=application.pk).state, ApplicationEvent.objects.count())
    actor = gongan_reviewer if step == "approve_reply" else gongan_clerk
    with pytest.raises(WorkflowError):
        getattr(workflow, step)(application, by=actor, **kwargs)
    assert (Application.objects.get(pk=application.pk).state, ApplicationEvent.objects.count()) == before


def test_another_organisations_clerk_cannot_handle(application, jiaoyu_clerk, county_reviewer):
    for actor in (jiaoyu_clerk, county_reviewer):
        with pytest.raises(WorkflowError):
            workflow.draft_reply(application, by=actor, reply_type=ReplyType.DISCLOSED, reply_text="提供")


def test_no_supplement_reply_from_the_waiting_state(application, gongan_clerk):
    workflow.request_supplement(application, by=gongan_clerk, note="请补正", on=D(2026, 9, 29))
    application = workflow.draft_reply(
        application, by=gongan_clerk, reply_type=ReplyType.OTHER_NO_SUPPLEMENT, reply_text="申请人逾期未补正"
    )
    assert application.state == State.REPLY_DRAFTED


def test_withdrawal_is_a_state_and_nothing_is_ever_deleted(application, gongan_clerk):
    application = workflow.withdraw(application, by=gongan_clerk, note="申请人于2026年10月9日书面撤回")
    assert application.state == State.WITHDRAWN
    with pytest.raises(PermissionDenied):
        application.delete()
    event = application.events.first()
    with pytest.raises(PermissionDenied):
        event.delete()
    event.note = "改写"
    with pytest.raises(PermissionDenied):
        event.save()
    assert Application.objects.filter(pk=application.pk).exists()


def test_calendar_changes_recompute_open_due_dates(application, superuser):
    CalendarDay.objects.create(date=D(2026, 10, 8), is_working_day=False, note="假设临时放假")
    assert workflow.recompute_due_dates(by=superuser) == 1
    application.refresh_from_db()
    assert application.due_date == D(2026, 11, 2)
    assert application.events.filter(action="due_date_recomputed").exists()


@time_machine.travel(datetime.datetime(2026, 12, 21, 9, 0, tzinfo=TZ))
def test_due_date_in_an_unannounced_year_is_provisional_on_2026_12_21(gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, arrived_on=D(2026, 12, 21))
    assert application.due_date.year == 2027
    assert application.due_date_is_provisional


def test_recomputing_many_due_dates_reads_the_calendar_once(gongan, gongan_clerk, superuser, django_assert_max_num_queries):
    for _ in range(10):
        make_application(gongan, gongan_clerk)
    CalendarDay.objects.create(date=D(2026, 10, 8), is_working_day=False, note="假设临时放假")
    # savepoint in and out, the locking read, one calendar read, then a save and an event per application
    with django_assert_max_num_queries(4 + 2 * 10):
        assert workflow.recompute_due_dates(by=superuser) == 10


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
def test_excessive_requests_need_the_reasons_asked_first_article_35_on_2026_10_12(application, gongan_clerk, gongan_reviewer):
    from requests_app import permissions

    with pytest.raises(WorkflowError, match="须先要求申请人说明理由"):
        workflow.draft_reply(application, by=gongan_clerk, reply_type="not_processed_excessive", reply_text="大量反复申请")
    with pytest.raises(WorkflowError, match="须先要求申请人说明理由"):
        workflow.set_longer_period(application, by=gongan_reviewer, days=30, note="理由合理")
    assert "set_longer_period" not in permissions.available_steps(gongan_reviewer, application)
    application = workflow.request_reasons(application, by=gongan_clerk, on=D(2026, 10, 12),
                                           note="一个月内提出120件申请，请说明理由")
    assert application.events.latest("pk").is_public  # the applicant sees it in the status lookup
    assert "request_reasons" not in permissions.available_steps(gongan_clerk, application)
    assert "set_longer_period" in permissions.available_steps(gongan_reviewer, application)
    with pytest.raises(WorkflowError, match="负责人"):
        workflow.set_longer_period(application, by=gongan_clerk, days=30, note="理由合理")
    application = workflow.set_longer_period(application, by=gongan_reviewer, days=30, note="理由合理，信息量大")
    assert application.longer_period_days == 30 and application.due_date == D(2026, 12, 11)  # 10-30 + 30 working days
    with pytest.raises(WorkflowError, match="不能再次确定"):
        workflow.set_longer_period(application, by=gongan_reviewer, days=5, note="再延")


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ))
def test_not_processed_as_excessive_once_reasons_were_asked_on_2026_10_12(application, gongan_clerk):
    workflow.request_reasons(application, by=gongan_clerk, on=D(2026, 10, 12), note="请说明理由")
    application = workflow.draft_reply(application, by=gongan_clerk, reply_type="not_processed_excessive",
                                       reply_text="申请人未说明合理理由")
    assert application.state == "reply_drafted"


def test_a_fax_confirmed_on_a_day_off_records_the_confirmation_and_counts_from_the_next_working_day(gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, channel="fax", arrived_on=D(2026, 10, 3))
    assert application.receipt_date == D(2026, 10, 8)
    received = application.events.get(action="received")
    assert received.note == "传真（双方确认日：2026年10月3日，非工作日，自2026年10月8日起算）"
