"""信息处理费 (条例第四十二条, 国办函〔2020〕109号《政府信息公开信息处理费管理办法》): the amount by count
and by quantity at every threshold, the fee notice that stops the clock until payment, and 其他处理2
(逾期未缴费) only once the payment period has passed; through the workflow and the admin's step URLs."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from requests_app import fees, permissions, workflow
from requests_app.models import Application, FeeSchedule, ReplyType
from tests.factories import make_application

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))
OCT_12 = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ)
OCT_23 = datetime.datetime(2026, 10, 23, 10, 0, tzinfo=TZ)
NOV_09 = datetime.datetime(2026, 11, 9, 10, 0, tzinfo=TZ)


def step_url(application, step):
    return f"/admin/requests_app/application/{application.pk}/step/{step}/"


def snapshot(application):
    fresh = Application.objects.get(pk=application.pk)
    return fresh.state, fresh.due_date, fresh.fee_amount, fresh.events.count()


# ---------------------------------------------------------------- the computation


@pytest.mark.parametrize("pages, amount", [
    (0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700),
])
def test_by_quantity_each_band_at_its_own_rate(db, pages, amount):
    """办法第五条（按量计收）: 30 pages or fewer free; pages 31–100 at 10元, 101–200 at 20元, beyond 200 at
    40元, each band at its own rate (累进)."""
    assert fees.fee_by_quantity(pages, FeeSchedule())[0] == Decimal(amount)


def test_by_quantity_shows_its_computation(db):
    amount, text = fees.fee_by_quantity(201, FeeSchedule())
    assert amount == Decimal(2740)
    assert text == (
        "共201页，前30页不收费；第31—100页 70页 × 10元 = 700元；第101—200页 100页 × 20元 = 2000元；"
        "第201页以上 1页 × 40元 = 40元；合计2740元"
    )
    assert fees.fee_by_quantity(30, FeeSchedule())[1] == "共30页，30页以内（含）不收费"


@pytest.mark.parametrize("nth, amount", [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400),
])
def test_by_count_the_nth_application_of_the_month(db, nth, amount):
    """办法第五条（按件计收）: 10 applications a month or fewer free; the 11th to 30th 100元 each; above 30,
    in bands of 10, each band 100元 more per application (31st–40th 200元, 41st–50th 300元 …)."""
    assert fees.fee_by_count(nth, FeeSchedule())[0] == Decimal(amount)


def test_by_count_shows_its_band(db):
    assert fees.fee_by_count(41, FeeSchedule())[1] == "本月第41件，属第41—50件，300元/件 = 300元"
    assert fees.fee_by_count(11, FeeSchedule())[1] == "本月第11件，属第11—30件，100元/件 = 100元"


def test_the_109_standard_is_the_active_schedule_after_migrating(db):
    schedule = fees.active_schedule()
    assert schedule.pk is not None and schedule.is_active
    assert (schedule.count_free, schedule.count_first_rate, schedule.page_free, schedule.page_above_rate) == (
        10, Decimal(100), 30, Decimal(40),
    )


def test_the_county_office_adjusts_the_standard_in_the_admin(client, county_reviewer, gongan_clerk):
    schedule = fees.active_schedule()
    client.force_login(gongan_clerk)
    assert client.get(f"/admin/requests_app/feeschedule/{schedule.pk}/change/").status_code == 403
    client.force_login(county_reviewer)
    data = {
        "name": "县定标准", "is_active": "on", "payment_days": 20, "count_free": 10, "count_first_band_end": 30,
        "count_first_rate": "100", "count_band_size": 10, "count_band_increase": "100", "page_free": 50,
        "page_band1_end": 100, "page_band1_rate": "10", "page_band2_end": 200, "page_band2_rate": "20",
        "page_above_rate": "40",
    }
    response = client.post(f"/admin/requests_app/feeschedule/{schedule.pk}/change/", data)
    assert response.status_code == 302
    assert fees.fee_by_quantity(51, fees.active_schedule())[0] == Decimal(10)
    response = client.post(f"/admin/requests_app/feeschedule/{schedule.pk}/change/", {**data, "page_band1_end": 40})
    assert response.status_code == 400
    assert "页数档次应依次递增" in response.content.decode()


@time_machine.travel(OCT_12)
def test_the_nth_counts_this_applicant_to_this_organisation_in_the_receipt_month_on_2026_10_12(
    gongan, jiaoyu, gongan_clerk, jiaoyu_clerk
):
    """By ID number: another person, another organisation or another month does not count."""
    for _ in range(10):
        make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))
    make_application(gongan, gongan_clerk, arrived_on=D(2026, 9, 30))  # September
    make_application(jiaoyu, jiaoyu_clerk, arrived_on=D(2026, 10, 9))  # another organisation
    make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9), id_number="110105194912310037")  # another person
    eleventh = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 12))
    assert fees.nth_in_month(eleventh) == 11
    workflow.notify_fee(eleventh, by=gongan_clerk, method="by_count", on=D(2026, 10, 12))
    eleventh.refresh_from_db()
    assert eleventh.fee_amount == Decimal(100) and eleventh.fee_computation.startswith("本月第11件")
    tenth = Application.objects.filter(receipt_date=D(2026, 10, 9), id_number_hash=eleventh.id_number_hash,
                                       organisation=gongan).order_by("pk")[9]
    with pytest.raises(workflow.WorkflowError, match="未超过收费标准，不得收费"):
        workflow.notify_fee(tenth, by=gongan_clerk, method="by_count", on=D(2026, 10, 12))


# ---------------------------------------------------------------- the notice and the pause


@time_machine.travel(OCT_12)
def test_a_fee_notice_states_the_amount_and_stops_the_clock_on_2026_10_12(application, gongan_clerk):
    workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=101, on=D(2026, 10, 9))
    application.refresh_from_db()
    assert application.state == Application.State.FEE_NOTIFIED
    assert application.due_date is None  # paused
    assert (application.fee_method, application.fee_amount, application.fee_notified_on) == (
        "by_quantity", Decimal(720), D(2026, 10, 9),
    )
    assert application.fee_due == workflow.add_working_days(D(2026, 10, 9), 20)
    event = application.events.latest("pk")
    assert event.is_public
    assert "信息处理费720元" in event.note and f"{application.fee_due:%Y年%-m月%-d日}前缴纳" in event.note


@time_machine.travel(OCT_12)
def test_no_fee_at_or_under_the_free_threshold_on_2026_10_12(application, gongan_clerk):
    before = snapshot(application)
    with pytest.raises(workflow.WorkflowError, match="未超过收费标准，不得收费"):
        workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=30, on=D(2026, 10, 9))
    with pytest.raises(workflow.WorkflowError, match="未超过收费标准，不得收费"):
        workflow.notify_fee(application, by=gongan_clerk, method="by_count", on=D(2026, 10, 9))  # the 1st this month
    assert snapshot(application) == before


@time_machine.travel(OCT_23)
def test_payment_moves_the_due_date_by_the_working_days_from_notice_to_payment_on_2026_10_23(application, gongan_clerk):
    """Received 2026-09-28, due 2026-10-30; notice on Friday 10-09, paid on Friday 10-16: the six
    working days after the notice up to payment (Saturday 10-10, a 国庆 调休 working day, and 10-12…10-16)
    are not counted, so the due date moves six working days on."""
    due_before = application.due_date
    workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    workflow.record_payment(application, by=gongan_clerk, paid_on=D(2026, 10, 16))
    application.refresh_from_db()
    assert application.state == Application.State.REGISTERED
    assert application.fee_paused_days == 6 == workflow.working_days_between(D(2026, 10, 9), D(2026, 10, 16))
    assert application.fee_paid_on == D(2026, 10, 16)
    assert application.due_date == workflow.add_working_days(due_before, 6) == D(2026, 11, 9)
    assert "不计入答复期限的工作日：6日" in application.events.latest("pk").note


@time_machine.travel(OCT_23)
def test_payment_before_the_notice_is_refused_on_2026_10_23(application, gongan_clerk):
    workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    before = snapshot(application)
    with pytest.raises(workflow.WorkflowError, match="缴费日期不能早于收费通知日期"):
        workflow.record_payment(application, by=gongan_clerk, paid_on=D(2026, 10, 8))
    assert snapshot(application) == before


@time_machine.travel(OCT_12)
def test_only_one_fee_notice_and_only_the_clerk_sends_it_on_2026_10_12(application, gongan_clerk, gongan_reviewer):
    with pytest.raises(workflow.WorkflowError, match="只有受理机关的发布员"):
        workflow.notify_fee(application, by=gongan_reviewer, method="by_quantity", pages=31, on=D(2026, 10, 9))
    workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    workflow.record_payment(application, by=gongan_clerk, paid_on=D(2026, 10, 12))
    application.refresh_from_db()
    assert "notify_fee" not in permissions.available_steps(gongan_clerk, application)
    with pytest.raises(workflow.WorkflowError, match="只能收费一次"):
        workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 12))


# ---------------------------------------------------------------- 其他处理2: 逾期未缴费


def test_fee_unpaid_reply_is_refused_without_a_notice(application, gongan_clerk):
    with time_machine.travel(NOV_09):
        with pytest.raises(workflow.WorkflowError, match="未发出收费通知"):
            workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.OTHER_FEE_UNPAID, reply_text="逾期")
    assert Application.objects.get(pk=application.pk).state == Application.State.REGISTERED


def test_fee_unpaid_reply_only_after_the_payment_period_notice_2026_10_09(application, gongan_clerk):
    """Notice on 2026-10-09: pay by the 20th working day after it; on that day 其他处理2 is refused and
    not offered, on the next day after it it is both."""
    with time_machine.travel(OCT_12):
        workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    application.refresh_from_db()
    last_day = application.fee_due
    with time_machine.travel(datetime.datetime.combine(last_day, datetime.time(10), tzinfo=TZ)):
        assert "draft_fee_unpaid_reply" not in permissions.available_steps(gongan_clerk, application)
        with pytest.raises(workflow.WorkflowError, match="缴费期限.*尚未届满"):
            workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.OTHER_FEE_UNPAID, reply_text="逾期")
    with time_machine.travel(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(10), tzinfo=TZ)):
        assert "draft_fee_unpaid_reply" in permissions.available_steps(gongan_clerk, application)
        with pytest.raises(workflow.WorkflowError, match="不能拟定此类答复"):
            workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.OTHER_FEE_UNPAID,
                             reply_text="申请人逾期未缴纳信息处理费，依据国办函〔2020〕109号第八条不再处理")
    application.refresh_from_db()
    assert application.state == Application.State.REPLY_DRAFTED
    assert application.reply_type == ReplyType.OTHER_FEE_UNPAID


# ---------------------------------------------------------------- through the admin, as the cast


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@time_machine.travel(OCT_12)
@pytest.mark.parametrize("data, message", [
    ({"method": "by_quantity", "pages": "", "on": "2026-10-09"}, "按量计收请填写提供信息的页数（整数）"),
    ({"method": "by_quantity", "pages": "-3", "on": "2026-10-09"}, "页数不能为负数"),
    ({"method": "by_quantity", "pages": "三十一", "on": "2026-10-09"}, "页数应为整数"),
    ({"method": "by_quantity", "pages": "12", "on": "2026-10-09"}, "未超过收费标准，不得收费"),
    ({"method": "", "pages": "120", "on": "2026-10-09"}, "请选择计收方式（按件或按量）"),
    ({"method": "by_quantity", "pages": "120", "on": "2026-09-25"}, "收费通知日期不能早于收到申请之日（2026-09-28）"),
    ({"method": "by_quantity", "pages": "120", "on": "2026-10-30"}, "收费通知日期不能晚于今天（2026-10-12）"),
])
def test_a_refused_fee_notice_is_400_with_the_form_kept_on_2026_10_12(client, application, gongan_clerk, data, message):
    before = snapshot(application)
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "notify_fee"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{data["on"]}"' in page  # what was typed is kept
    if data["pages"]:
        assert f'value="{data["pages"]}"' in page
    assert snapshot(application) == before


@time_machine.travel(OCT_23)
def test_notice_and_payment_through_the_admin_on_2026_10_23(client, application, gongan_clerk, gongan_reviewer):
    client.force_login(gongan_reviewer)
    assert client.post(step_url(application, "notify_fee"), {"method": "by_quantity", "pages": "31",
                                                               "on": "2026-10-09"}).status_code == 403
    client.force_login(gongan_clerk)
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()
    assert "收费通知" in page
    response = client.post(step_url(application, "notify_fee"), {"method": "by_quantity", "pages": "100", "on": "2026-10-09"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.FEE_NOTIFIED and application.fee_amount == Decimal(700)
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()
    assert "待缴费" in page and "暂停计时" in page and "第31—100页 70页 × 10元 = 700元" in page
    response = client.post(step_url(application, "record_payment"), {"paid_on": "2026-10-08"})
    assert response.status_code == 400 and "缴费日期不能早于收费通知日期（2026-10-09）" in response.content.decode()
    response = client.post(step_url(application, "record_payment"), {"paid_on": "2026-10-16"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.REGISTERED and application.fee_paused_days == 6


def test_fee_unpaid_reply_through_the_admin_only_after_the_period(client, application, gongan_clerk):
    with time_machine.travel(OCT_12):
        workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    client.force_login(gongan_clerk)
    data = {"reply_text": "申请人逾期未缴纳信息处理费，不再处理"}
    with time_machine.travel(OCT_23):
        before = snapshot(application)
        response = client.post(step_url(application, "draft_fee_unpaid_reply"), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "尚未届满" in page and "申请人逾期未缴纳信息处理费，不再处理</textarea>" in page
        assert snapshot(application) == before
    with time_machine.travel(NOV_09):
        assert client.post(step_url(application, "draft_fee_unpaid_reply"), data).status_code == 302
    application.refresh_from_db()
    assert (application.state, application.reply_type) == (Application.State.REPLY_DRAFTED, ReplyType.OTHER_FEE_UNPAID)


# ---------------------------------------------------------------- the 收费通知书


@time_machine.travel(OCT_12)
def test_the_fee_notice_letter_states_basis_standard_amount_and_period_on_2026_10_12(client, application, gongan_clerk):
    """办法第八条: the notice says the basis, the standard, the amount and how and by when to pay. Read
    back with python-docx, downloaded through the admin as the clerk."""
    import io

    from docx import Document

    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "notify_fee"), {
        "method": "by_quantity", "pages": "201", "on": "2026-10-09", "payment_instructions": "到县政务服务中心3号窗口缴纳",
    })
    assert response.status_code == 302
    application.refresh_from_db()
    letter = application.letters.get(kind="fee")
    response = client.get(f"/admin/requests_app/application/{application.pk}/letter/{letter.pk}/")
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert text.startswith("政府信息公开信息处理费收费通知书\n")
    assert "县公安局依费〔2026〕1号" in text and "王小明：" in text
    assert letter.is_issued and letter.text == "\n".join(p for p in text.split("\n") if p.strip())
    assert "第四十二条" in text and "国办函〔2020〕109号" in text and "按量计收" in text
    assert "30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页" in text
    assert "第201页以上 1页 × 40元 = 40元；合计2740元。" in text
    assert "人民币2740.00元" in text
    assert f"20个工作日内（{application.fee_due.year}年{application.fee_due.month}月{application.fee_due.day}日前）" in text
    assert "缴纳方式：到县政务服务中心3号窗口缴纳。" in text
    assert "不计算在政府信息公开申请的答复期限内" in text and "不再处理该政府信息公开申请" in text
    assert document.core_properties.author == application.organisation.name


def test_a_returned_fee_unpaid_reply_can_be_drafted_again_after_the_period(application, gongan_clerk, gongan_reviewer):
    with time_machine.travel(OCT_12):
        workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    with time_machine.travel(NOV_09):
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.OTHER_FEE_UNPAID, reply_text="逾期未缴")
        workflow.return_reply(application, by=gongan_reviewer, note="请写明收费通知送达日期")
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.OTHER_FEE_UNPAID,
                             reply_text="收费通知已于2026年10月9日当面送达，申请人逾期未缴")
    application.refresh_from_db()
    assert (application.state, application.reply_type) == (Application.State.REPLY_DRAFTED, ReplyType.OTHER_FEE_UNPAID)


def test_a_paid_fee_is_no_ground_for_the_fee_unpaid_reply(application, gongan_clerk):
    with time_machine.travel(OCT_12):
        workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
        workflow.record_payment(application, by=gongan_clerk, paid_on=D(2026, 10, 12))
    with time_machine.travel(NOV_09):
        with pytest.raises(workflow.WorkflowError, match="申请人已缴费"):
            workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.OTHER_FEE_UNPAID, reply_text="逾期")


@time_machine.travel(OCT_12)
def test_the_applicant_sees_the_fee_and_its_period_in_the_status_lookup_on_2026_10_12(client, application, gongan_clerk):
    workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=31, on=D(2026, 10, 9))
    application.refresh_from_db()
    response = client.post("/xxgk/apply/status/", {
        "tracking_number": application.tracking_number, "query_code": application.query_code,
    })
    page = response.content.decode()
    assert "待缴费" in page and "发出收费通知" in page and "信息处理费10元" in page
    assert f"{application.fee_due:%Y年%-m月%-d日}前缴纳" in page


def test_only_one_standard_is_active(client, county_reviewer):
    client.force_login(county_reviewer)
    data = {
        "name": "第二套标准", "is_active": "on", "payment_days": 20, "count_free": 10, "count_first_band_end": 30,
        "count_first_rate": "100", "count_band_size": 10, "count_band_increase": "100", "page_free": 30,
        "page_band1_end": 100, "page_band1_rate": "10", "page_band2_end": 200, "page_band2_rate": "20",
        "page_above_rate": "40",
    }
    response = client.post("/admin/requests_app/feeschedule/add/", data)
    assert response.status_code == 400
    assert "只能有一条启用的收费标准" in response.content.decode()
    assert FeeSchedule.objects.count() == 1
