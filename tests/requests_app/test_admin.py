import datetime

import pytest
import time_machine

from requests_app.models import Application
from tests.factories import VALID_RESIDENT_ID, make_application

TZ = datetime.timezone(datetime.timedelta(hours=8))


def test_receiving_organisation_staff_see_personal_data_others_do_not(
    client, application, gongan_clerk, gongan_reviewer, jiaoyu_clerk, county_reviewer, citizen
):
    url = f"/admin/requests_app/application/{application.pk}/change/"
    for user in (gongan_clerk, gongan_reviewer, county_reviewer):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200, user
        assert VALID_RESIDENT_ID in page.content.decode() and "13800138000" in page.content.decode()
    client.force_login(jiaoyu_clerk)
    assert client.get(url).status_code == 302  # not in their queryset: "不存在"
    listing = client.get("/admin/requests_app/application/").content.decode()
    assert application.tracking_number not in listing
    client.force_login(citizen)
    assert client.get(url).status_code == 302 and "/admin/login/" in client.get(url)["Location"]


def test_lists_mask_id_numbers_and_phones(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    listing = client.get("/admin/requests_app/application/").content.decode()
    assert application.tracking_number in listing
    assert "138****8000" in listing and "王**" in listing and "王小明" not in listing
    assert VALID_RESIDENT_ID not in listing and "13800138000" not in listing
    assert application.masked_id_number == "1101**********002X"


@time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ))
def test_queue_shows_days_left_and_filters_overdue_on_2026_11_02(client, gongan, gongan_clerk):
    late = make_application(gongan, gongan_clerk, applicant_name="张三")  # due 2026-10-30
    soon = make_application(gongan, gongan_clerk, applicant_name="李四", arrived_on=datetime.date(2026, 10, 9))
    client.force_login(gongan_clerk)
    listing = client.get("/admin/requests_app/application/").content.decode()
    assert "逾期1日" in listing
    overdue = client.get("/admin/requests_app/application/", {"deadline": "overdue"}).content.decode()
    assert late.tracking_number in overdue and soon.tracking_number not in overdue
    this_week = client.get("/admin/requests_app/application/", {"deadline": "this_week"}).content.decode()
    assert soon.tracking_number in this_week and late.tracking_number not in this_week


def test_clerk_enters_a_paper_application_by_its_channel(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/requests_app/application/add/", {
        "organisation": gongan.pk, "channel": "registered_post", "arrived_on": "2026-09-28",
        "applicant_kind": "person", "applicant_name": "赵六", "id_type": "resident_id", "id_number": VALID_RESIDENT_ID,
        "phone": "0539-7912345", "address": "柳河镇前营村", "postcode": "379901", "description": "前营村2025年低保名单",
        "form_wanted": "paper", "delivery": "post", "email": "", "organisation_category": "", "credit_code": "",
        "legal_representative": "", "document_number_sought": "",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert application.receipt_date == datetime.date(2026, 9, 28) and application.state == "registered"
    assert application.events.first().actor == gongan_clerk


def test_bad_id_number_in_the_admin_form_is_explained(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/requests_app/application/add/", {
        "organisation": gongan.pk, "channel": "in_person", "arrived_on": "2026-09-28", "applicant_kind": "person",
        "applicant_name": "赵六", "id_type": "resident_id", "id_number": "110105194912310021", "phone": "13800138000",
        "address": "某地", "description": "某信息内容", "form_wanted": "paper", "delivery": "pick_up",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", "events-MIN_NUM_FORMS": "0", "events-MAX_NUM_FORMS": "0",
    })
    assert response.status_code == 400 and "校验位不正确" in response.content.decode()
    assert not Application.objects.exists()


def test_buttons_take_steps_and_refuse_outsiders(client, application, gongan_clerk, gongan_reviewer, jiaoyu_clerk):
    url = f"/admin/requests_app/application/{application.pk}/step/"
    client.force_login(jiaoyu_clerk)
    # Another organisation's application is not in their queryset: it does not exist for them.
    assert client.post(url + "draft_reply/", {"reply_type": "disclosed", "reply_text": "提供"}).status_code == 404
    client.force_login(gongan_clerk)
    assert client.post(url + "draft_reply/", {"reply_type": "disclosed", "reply_text": "提供统计表"}).status_code == 302
    client.force_login(gongan_reviewer)
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()
    assert "审批通过" in page
    client.post(url + "approve_reply/", {"note": "同意"})
    application.refresh_from_db()
    assert application.state == "reply_approved"


def test_step_out_of_turn_is_refused_with_a_message(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(f"/admin/requests_app/application/{application.pk}/step/archive/")
    assert response.status_code == 400
    assert "只有已答复的申请可以归档" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "registered"


@pytest.mark.parametrize("username", ["superuser", "county_reviewer", "gongan_clerk"])
def test_nobody_deletes_applications(client, request, application, username):
    client.force_login(request.getfixturevalue(username))
    response = client.post(f"/admin/requests_app/application/{application.pk}/delete/", {"post": "yes"})
    assert response.status_code in (302, 403)
    assert Application.objects.filter(pk=application.pk).exists()


def test_frequently_requested_information_is_flagged(client, gongan, gongan_clerk):
    for name in ("甲", "乙", "丙"):
        make_application(gongan, gongan_clerk, applicant_name=name, document_number_sought="青公发[2026]3号")
    single = make_application(gongan, gongan_clerk, applicant_name="丁", description="其他信息")
    client.force_login(gongan_clerk)
    flagged = client.get("/admin/requests_app/application/", {"deadline": "frequent"}).content.decode()
    assert flagged.count("YSQ-2026-") >= 3 and single.tracking_number not in flagged


def test_staff_download_the_generated_letter_to_edit_it_others_cannot(client, application, gongan_clerk, jiaoyu_clerk):
    from requests_app import workflow

    workflow.draft_reply(application, by=gongan_clerk, reply_type="disclosed", reply_text="提供统计表")
    client.force_login(gongan_clerk)
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()
    letter = application.letters.get(kind="reply")
    url = f"/admin/requests_app/application/{application.pk}/letter/{letter.pk}/"
    assert url in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a .docx
    client.force_login(jiaoyu_clerk)
    assert client.get(url).status_code == 404
    client.force_login(gongan_clerk)
    assert client.get(f"/admin/requests_app/application/{application.pk}/file/query_code/").status_code == 404
