"""The application page's steps through real admin URLs, as the fixed cast: one shape for every step,
refusals shown again at the field with what was typed, the trail and the files for every role that
may see the application."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Organisation, Staff
from requests_app import workflow
from requests_app.models import Application, ReplyType
from tests.factories import make_application, make_organisation, make_staff, pdf_bytes
from tests.requests_app.test_permissions import a_docx

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))
OCT_12 = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ)


def step_url(application, step):
    return f"/admin/requests_app/application/{application.pk}/step/{step}/"


def change_url(application):
    return f"/admin/requests_app/application/{application.pk}/change/"


def snapshot(application):
    fresh = Application.objects.get(pk=application.pk)
    return fresh.state, fresh.due_date, fresh.events.count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@time_machine.travel(OCT_12)
@pytest.mark.parametrize(
    "step, data, field_message",
    [
        ("request_supplement", {"on": "0226-09-30"}, "告知补正日期不能早于2019-05-15"),
        ("request_supplement", {"on": "1900-01-01"}, "告知补正日期不能早于2019-05-15"),
        ("request_supplement", {"on": "2026-09-25"}, "告知补正日期不能早于收到申请之日（2026-09-28）"),
        ("request_supplement", {"on": "2026-10-30"}, "告知补正日期不能晚于今天（2026-10-12）"),
        ("request_supplement", {"on": "2026-13-01"}, "日期格式不正确"),
    ],
)
def test_a_refused_date_is_shown_at_its_field_with_the_text_kept_on_2026_10_12(
    client, application, gongan_clerk, step, data, field_message
):
    before = snapshot(application)
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, step), {"note": "请写明所需信息的年份，15日内补正", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert field_message in page
    assert "请写明所需信息的年份，15日内补正</textarea>" in page  # what was typed is still there
    assert snapshot(application) == before


@time_machine.travel(OCT_12)
def test_a_supplement_received_in_2099_is_refused_on_2026_10_12(client, application, gongan_clerk):
    workflow.request_supplement(application, by=gongan_clerk, note="请写明年份", on=D(2026, 9, 30))
    before = snapshot(application)
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "record_supplement"), {"received_on": "2099-06-01", "note": "申请人来电补正"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "补正材料收到日期不能晚于今天（2026-10-12）" in page and "申请人来电补正</textarea>" in page
    assert snapshot(application) == before


@time_machine.travel(OCT_12)
def test_delivery_before_receipt_is_refused_on_2026_10_12(client, application, gongan_clerk, gongan_reviewer):
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    workflow.approve_reply(application, by=gongan_reviewer)
    before = snapshot(application)
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "send_reply"), {"sent_on": "2026-09-01", "note": "邮寄送达"})
    assert response.status_code == 400
    assert "送达日期不能早于答复审批日期（2026-10-12）" in response.content.decode()
    assert snapshot(application) == before


@time_machine.travel(OCT_12)
def test_a_paper_application_typed_as_year_0226_is_explained_not_a_500_on_2026_10_12(client, gongan, gongan_clerk):
    from tests.factories import VALID_RESIDENT_ID

    client.force_login(gongan_clerk)
    response = client.post("/admin/requests_app/application/add/", {
        "organisation": gongan.pk, "channel": "in_person", "arrived_on": "0226-10-09", "applicant_kind": "person",
        "applicant_name": "赵六", "id_type": "resident_id", "id_number": VALID_RESIDENT_ID, "phone": "13800138000",
        "address": "柳河镇前营村", "description": "前营村2025年低保名单", "form_wanted": "paper", "delivery": "pick_up",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "送达日期不能早于2019-05-15" in page and "前营村2025年低保名单" in page
    assert not Application.objects.exists()


def test_nul_in_a_note_is_refused_with_a_message_and_the_note_kept(client, application, gongan_clerk):
    before = snapshot(application)
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "withdraw"), {"note": "申请人\x00书面撤回"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "中含有不可见的空字符（NUL），无法保存" in page and "书面撤回</textarea>" in page
    assert snapshot(application) == before


def test_control_characters_in_a_reply_are_dropped_not_a_500(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "draft_reply"), {"reply_type": "disclosed", "reply_text": "提供\x0b统计表"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "reply_drafted" and application.reply_text == "提供\n统计表"


def test_a_refused_reply_keeps_everything_typed(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "draft_reply"), {
        "reply_type": "already_public", "reply_text": "经查，该信息已于2026年3月主动公开", "where_public": "",
        "responsible_body": "青禾县统计局",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "请告知获取该信息的方式和途径" in page
    assert "经查，该信息已于2026年3月主动公开</textarea>" in page and 'value="青禾县统计局"' in page
    assert '<option value="already_public" selected>' in page
    assert snapshot(application)[0] == "registered"


def test_a_step_succeeds_with_a_message(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "withdraw"), {"note": "申请人于2026年10月9日书面撤回"})
    assert response.status_code == 302 and response["Location"] == change_url(application)
    assert "已登记申请人撤回" in client.get(response["Location"]).content.decode()
    assert snapshot(application)[0] == "withdrawn"


def test_a_step_page_shows_its_form(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.get(step_url(application, "propose_extension"))
    assert response.status_code == 200
    assert "延长工作日数" in response.content.decode() and application.tracking_number in response.content.decode()


def test_another_organisations_application_is_404_at_every_step(client, application, jiaoyu_clerk):
    before = snapshot(application)
    client.force_login(jiaoyu_clerk)
    for step in ("register", "withdraw", "draft_reply", "approve_reply", "no_such_step"):
        assert client.post(step_url(application, step), {"note": "撤回"}).status_code == 404, step
        assert client.get(step_url(application, step)).status_code == 404, step
    assert snapshot(application) == before


def test_a_step_of_another_role_is_403(client, application, gongan_reviewer, gongan_clerk, county_reviewer):
    before = snapshot(application)
    for user, step in ((gongan_reviewer, "withdraw"), (gongan_clerk, "extend"), (county_reviewer, "draft_reply")):
        client.force_login(user)
        assert client.post(step_url(application, step), {"note": "理由", "days": "5"}).status_code == 403, (user, step)
    assert snapshot(application) == before


@time_machine.travel(OCT_12)
def test_the_page_shows_only_the_steps_this_user_may_take_now(client, application, gongan_clerk, gongan_reviewer, county_reviewer):
    client.force_login(gongan_clerk)
    page = client.get(change_url(application)).content.decode()
    assert step_url(application, "draft_reply") in page and step_url(application, "withdraw") in page
    assert step_url(application, "extend") not in page and step_url(application, "archive") not in page
    workflow.propose_extension(application, by=gongan_clerk, days=5, note="需协调")
    client.force_login(gongan_reviewer)
    page = client.get(change_url(application)).content.decode()
    assert step_url(application, "extend") in page and step_url(application, "draft_reply") not in page
    client.force_login(county_reviewer)
    assert "/step/" not in client.get(change_url(application)).content.decode()


def test_the_drafter_holding_both_roles_sees_no_approve_button_and_cannot_post_it(client, county, county_reviewer):
    township = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")
    only = make_staff("township_clerk", township, Staff.Role.CLERK, Staff.Role.REVIEWER)
    application = make_application(township, only)
    workflow.draft_reply(application, by=only, reply_type=ReplyType.DISCLOSED, reply_text="提供")
    client.force_login(only)
    assert step_url(application, "approve_reply") not in client.get(change_url(application)).content.decode()
    before = snapshot(application)
    assert client.post(step_url(application, "approve_reply"), {"note": "同意"}).status_code == 403
    assert snapshot(application) == before
    client.force_login(county_reviewer)
    assert step_url(application, "approve_reply") in client.get(change_url(application)).content.decode()
    assert client.post(step_url(application, "approve_reply"), {"note": "同意"}).status_code == 302
    assert snapshot(application)[0] == "reply_approved"


def test_the_trail_is_shown_to_every_role_that_sees_the_application(
    client, application, gongan_clerk, gongan_reviewer, county_reviewer, jiaoyu_clerk
):
    workflow.withdraw(application, by=gongan_clerk, note="申请人于2026年10月9日书面撤回")
    for user in (gongan_clerk, gongan_reviewer, county_reviewer):
        client.force_login(user)
        page = client.get(change_url(application)).content.decode()
        assert "办理记录（只追加，不可修改或删除）" in page, user
        assert "工作人员录入并登记" in page and "申请人于2026年10月9日书面撤回" in page, user
        assert 'name="events-0-note"' not in page  # read-only
    client.force_login(jiaoyu_clerk)
    assert client.get(change_url(application)).status_code == 302


def test_reviewer_and_county_office_see_and_download_the_applications_files(
    client, gongan, gongan_clerk, gongan_reviewer, county_reviewer, jiaoyu_clerk
):
    application = make_application(
        gongan, gongan_clerk, supporting_file=SimpleUploadedFile("证明.pdf", pdf_bytes()),
    )
    workflow.draft_reply(
        application, by=gongan_clerk, reply_type=ReplyType.PARTIALLY_DISCLOSED, reply_text="涉及个人隐私部分已区分处理",
        redacted_file=SimpleUploadedFile("提供.pdf", pdf_bytes()),
    )
    letter = application.letters.get(kind="reply")
    urls = [f"/admin/requests_app/application/{application.pk}/file/{name}/" for name in ("supporting_file", "redacted_file")]
    urls.append(f"/admin/requests_app/application/{application.pk}/letter/{letter.pk}/")
    for user in (gongan_reviewer, county_reviewer):
        client.force_login(user)
        page = client.get(change_url(application)).content.decode()
        assert letter.number in page and "草稿，待审批" in page
        for url in urls:
            assert url in page, (user, url)
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(jiaoyu_clerk)
    for url in urls:
        assert client.get(url).status_code == 404, url


@time_machine.travel(OCT_12)
def test_every_step_through_its_admin_form_on_2026_10_12(client, gongan, gongan_clerk, gongan_reviewer):
    """Each table entry's form fields are its workflow function's arguments."""

    application = make_application(gongan, None, channel="online")
    walk = [
        (gongan_clerk, "register", {}),
        (gongan_clerk, "request_supplement", {"on": "2026-09-30", "note": "请写明年份"}),
        (gongan_clerk, "record_supplement", {"received_on": "2026-10-08", "note": ""}),
        (gongan_clerk, "consult_third_party", {
            "sent_on": "2026-10-09", "consultee": "某公司", "matter": "该公司的经营数据", "reasons": "可能涉及商业秘密"}),
        (gongan_clerk, "record_third_party_answer", {"answered_on": "2026-10-12", "outcome": "consented", "opinion": "同意公开"}),
        (gongan_clerk, "propose_extension", {"days": "10", "note": "需协调"}),
        (gongan_reviewer, "extend", {"on": "2026-10-12", "note": "同意"}),
        (gongan_clerk, "draft_reply", {"reply_type": "disclosed", "reply_text": "提供统计表"}),
        (gongan_clerk, "replace_letter", {"letter": SimpleUploadedFile("告知书.docx", a_docx())}),
        (gongan_reviewer, "return_reply", {"note": "请写明提供方式"}),
        (gongan_clerk, "draft_reply", {"reply_type": "disclosed", "reply_text": "以电子邮件提供统计表"}),
        (gongan_reviewer, "approve_reply", {"note": "同意"}),
        (gongan_clerk, "send_reply", {"sent_on": "2026-10-12", "note": "电子邮件送达"}),
        (gongan_clerk, "archive", {}),
    ]
    for user, step, data in walk:
        client.force_login(user)
        response = client.post(step_url(application, step), data)
        assert response.status_code == 302, (step, response.content.decode()[-3000:])
    application.refresh_from_db()
    assert application.state == "archived" and application.extension_days == 10
    assert application.third_party_paused_days == 2 and application.replied_on == D(2026, 10, 12)
    assert list(application.events.values_list("action", flat=True)) == [
        "received", "registered", "supplement_requested", "supplement_received", "third_party_consulted",
        "third_party_answered", "extension_proposed", "extended", "reply_drafted", "letter_replaced", "reply_returned", "reply_drafted",
        "reply_approved", "replied", "archived",
    ]


def test_no_supplement_reply_only_once_the_supplement_period_passed_2026_10_12_and_11_02(client, application, gongan_clerk):
    with time_machine.travel(OCT_12):
        workflow.request_supplement(application, by=gongan_clerk, note="请写明年份", on=D(2026, 9, 30))
        application.refresh_from_db()
        assert application.supplement_due == D(2026, 10, 27)  # 15 working days after the notice: 国庆 left out, 10-10 worked
        client.force_login(gongan_clerk)
        assert step_url(application, "draft_no_supplement_reply") not in client.get(change_url(application)).content.decode()
        early = client.post(step_url(application, "draft_no_supplement_reply"), {"reply_text": "申请人逾期未补正"})
        assert early.status_code == 400 and "补正期限（2026年10月27日）尚未届满" in early.content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)):
        client.force_login(gongan_clerk)
        assert step_url(application, "draft_no_supplement_reply") in client.get(change_url(application)).content.decode()
        response = client.post(step_url(application, "draft_no_supplement_reply"), {"reply_text": "申请人逾期未补正"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "reply_drafted" and application.reply_type == ReplyType.OTHER_NO_SUPPLEMENT


def test_the_application_page_has_a_query_budget(client, application, gongan_clerk, gongan_reviewer, django_assert_max_num_queries):
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    for _ in range(5):
        workflow.replace_letter(application, by=gongan_clerk, letter=SimpleUploadedFile("告知书.docx", a_docx()))
    client.force_login(gongan_reviewer)
    client.get(change_url(application))  # warm the session and content types
    # Not one query per event of the timeline; one each for the consultations, letters and events inlines;
    # one to record the view of the applicant's personal data; one for the session's TOTP device (django-otp).
    with django_assert_max_num_queries(15):
        assert client.get(change_url(application)).status_code == 200
