"""What people paste from Word into applications and replies: it saves cleanly and the reply letter
is still made; a NUL is explained, not stored."""

import datetime
import io

import docx
import pytest
import time_machine
from django.core.cache import cache

from requests_app.models import Application
from tests.factories import make_application, reply_letter_bytes
from tests.requests_app.test_views import form_data

MONDAY = datetime.datetime(2026, 9, 28, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def draft(client, application, **fields):
    return client.post(f"/admin/requests_app/application/{application.pk}/step/draft_reply/", fields)


def letter_paragraphs(application):
    application.refresh_from_db()
    return [paragraph.text for paragraph in docx.Document(io.BytesIO(reply_letter_bytes(application))).paragraphs]


def test_word_line_break_in_applicant_name_still_makes_the_letter(client, gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, applicant_name="王小明\x0b李小红")
    client.force_login(gongan_clerk)
    response = draft(client, application, reply_type="disclosed", reply_text="见附件")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "reply_drafted"
    assert application.applicant_name == "王小明\n李小红"
    assert "王小明\n李小红：" in letter_paragraphs(application)


def test_control_characters_in_reply_text_still_make_the_letter(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    response = draft(
        client, application, reply_type="not_processed_petition", reply_text="属于投诉\x07事项\x0b请向县信访局反映",
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "reply_drafted"
    assert application.reply_text == "属于投诉事项\n请向县信访局反映"
    paragraphs = letter_paragraphs(application)
    assert any("属于投诉事项" in paragraph for paragraph in paragraphs)
    assert any(paragraph.startswith("请向县信访局反映") for paragraph in paragraphs)


def test_letter_is_made_from_rows_written_before_the_text_rule(client, application, gongan_clerk):
    # QuerySet.update() skips the fields' cleaning, as rows stored before the rule did.
    Application.objects.filter(pk=application.pk).update(
        applicant_name="王小明\x0b", address="人民路\x1f18号", description="户籍\x0c人口\x01统计",
    )
    client.force_login(gongan_clerk)
    assert draft(client, application, reply_type="disclosed", reply_text="见附件").status_code == 302
    paragraphs = letter_paragraphs(application)
    assert "王小明：" in paragraphs
    assert any("申请获取“户籍 人口统计”" in paragraph for paragraph in paragraphs)


@time_machine.travel(MONDAY)
def test_online_application_pasted_from_word_keeps_its_line_breaks(client, gongan):
    response = client.post("/xxgk/apply/", form_data(
        gongan, applicant_name="王小明\x0b", address="青禾县\x0b人民路18号",
        description="2025年户籍人口统计数据\x0b2025年出生登记数据\x0c附表\x07一",
    ))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_name == "王小明"
    assert application.address == "青禾县\n人民路18号"
    assert application.description == "2025年户籍人口统计数据\n2025年出生登记数据\n附表一"


@time_machine.travel(MONDAY)
def test_nul_in_the_online_form_is_explained_and_nothing_typed_is_lost(client, gongan):
    response = client.post("/xxgk/apply/", form_data(gongan, description="2025年户籍人口\x00统计数据"))
    assert response.status_code == 400
    content = response.content.decode()
    assert "“所需信息的名称或内容描述”中含有不可见的空字符（NUL）" in content
    assert "王小明" in content and "青禾县人民路18号" in content and "wang@example.com" in content
    assert "2025年户籍人口" in content
    assert not Application.objects.exists()


def test_nul_in_the_status_lookup_is_explained(client, db):
    response = client.post("/xxgk/apply/status/", {"tracking_number": "YSQ-2026-00001\x00", "query_code": "ABCDEFGH"})
    assert response.status_code == 400
    assert "空字符（NUL）" in response.content.decode()


@pytest.mark.parametrize("user, step, data", [
    ("gongan_clerk", "propose_extension", {"days": "10", "note": "需要\x00调取档案"}),
    ("gongan_clerk", "request_supplement", {"note": "请补充\x00文号"}),
])
def test_nul_in_a_step_note_is_refused_with_a_page_not_a_500(client, application, user, step, data, request):
    client.force_login(request.getfixturevalue(user))
    client.raise_request_exception = False
    events = application.events.count()
    response = client.post(f"/admin/requests_app/application/{application.pk}/step/{step}/", data)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "registered" and application.events.count() == events


@time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
def test_word_line_break_in_a_step_note_is_stored_as_a_newline_on_2026_10_12(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(f"/admin/requests_app/application/{application.pk}/step/propose_extension/", {
        "days": "10", "note": "需要调取\x0b历史档案\x1b",
    })
    assert response.status_code == 302
    assert application.events.last().note == "申请延长10个工作日：需要调取\n历史档案"
