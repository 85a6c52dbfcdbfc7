import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from requests_app import workflow
from requests_app.models import Application, ApplicationChallenge
from tests.factories import VALID_RESIDENT_ID

MONDAY = datetime.datetime(2026, 9, 28, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def pdf_bytes(text):
    out = io.BytesIO()
    page = Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def form_data(receiver, **extra):
    data = {
        "organisation": receiver.pk, "applicant_kind": "person", "applicant_name": "王小明",
        "id_type": "resident_id", "id_number": VALID_RESIDENT_ID, "phone": "13800138000", "email": "wang@example.com",
        "address": "青禾县人民路18号", "postcode": "379900", "description": "2025年青禾县户籍人口统计数据",
        "document_number_sought": "", "form_wanted": "email", "delivery": "email",
        "website": "",
    }
    challenge = ApplicationChallenge.issue()  # what the form's page would have shown
    data.update(challenge=str(challenge.pk), answer=str(challenge.answer))
    data.update(extra)
    return data


def answer_anew(data, response):
    """A refused form's page asks a new question: answer it as the person would, the rest as sent."""
    content = response.content.decode()
    challenge = re.search(r'name="challenge" value="([^"]+)"', content).group(1)
    a, b = re.search(r"(\d) 加 (\d) 等于几", content).groups()
    return {**data, "challenge": challenge, "answer": str(int(a) + int(b))}


@time_machine.travel(MONDAY)
def test_online_application_gets_a_receipt_with_number_and_code_on_2026_09_28(client, gongan):
    response = client.post("/xxgk/apply/", form_data(gongan))
    assert response.status_code == 302 and response["Location"] == "/xxgk/apply/receipt/"
    application = Application.objects.get()
    assert application.channel == "online" and application.state == "received"
    assert application.receipt_date == datetime.date(2026, 9, 28) and application.due_date == datetime.date(2026, 10, 30)
    assert len(mail.outbox) == 1
    query_code = re.search(r"查询码：(\w{8})", mail.outbox[0].body).group(1)
    assert application.tracking_number in mail.outbox[0].body and application.check_query_code(query_code)
    receipt = client.get("/xxgk/apply/receipt/").content.decode()
    assert application.tracking_number in receipt and query_code in receipt
    assert "2026年10月30日" in receipt and "打印回执" in receipt


@time_machine.travel(MONDAY)
def test_double_submission_creates_one_application(client, gongan):
    data = form_data(gongan)
    client.post("/xxgk/apply/", data)
    client.post("/xxgk/apply/", data)
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("id_number", "110105194912310021", "校验位不正确"),
        ("id_number", "12345", "应为18位"),
        ("description", "", "请描述所需政府信息"),
        ("phone", "12345", "联系电话格式不正确"),
        ("answer", "one more than the right answer", "验证问题回答错误"),
        ("organisation", "", "请选择受理机关"),
    ],
)
def test_each_bad_field_gets_its_message_and_nothing_typed_is_lost(client, gongan, field, value, message):
    data = form_data(gongan)
    # The question is random: a fixed wrong answer would be right one time in twelve.
    data[field] = str(int(data["answer"]) + 1) if field == "answer" else value
    response = client.post("/xxgk/apply/", data)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "青禾县人民路18号" in content and "wang@example.com" in content
    if field != "description":
        assert "2025年青禾县户籍人口统计数据" in content
    assert not Application.objects.exists()


def test_organisation_applicant_needs_a_valid_credit_code(client, gongan):
    data = form_data(gongan, applicant_kind="organisation", organisation_category="business", applicant_name="青禾某科技有限公司",
                     credit_code="91350100M000100Y44", legal_representative="李四", id_type="", id_number="")
    response = client.post("/xxgk/apply/", data)
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    data = answer_anew(data, response)
    data["credit_code"] = "91350100M000100Y43"
    assert client.post("/xxgk/apply/", data).status_code == 302
    assert Application.objects.get().organisation_category == "business"


def test_forbidden_or_oversized_files_are_refused(client, gongan):
    data = form_data(gongan, supporting_file=SimpleUploadedFile("证明.exe", b"MZ\x90\x00"))
    content = client.post("/xxgk/apply/", data).content.decode()
    assert "不允许上传“.exe”类型的文件" in content
    big = SimpleUploadedFile("证明.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024))
    content = client.post("/xxgk/apply/", form_data(gongan, supporting_file=big)).content.decode()
    assert "超过了 10 MB 的上限" in content
    assert not Application.objects.exists()


def test_bots_filling_the_hidden_field_are_refused(client, gongan):
    response = client.post("/xxgk/apply/", form_data(gongan, website="http://spam.example"))
    assert response.status_code == 400 and not Application.objects.exists()


def test_over_the_rate_limit_gets_a_clear_message_not_a_500(client, gongan, settings):
    settings.APPLICATION_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post("/xxgk/apply/", form_data(gongan)).status_code == 302
    response = client.post("/xxgk/apply/", form_data(gongan))
    assert response.status_code == 429
    content = response.content.decode()
    assert "提交申请过于频繁" in content and "青禾县人民路18号" in content
    assert Application.objects.count() == 2


@time_machine.travel(MONDAY + datetime.timedelta(days=22))  # approved and sent on 2026-10-20
def test_status_lookup_shows_public_steps_and_the_reply(client, application, gongan_clerk, gongan_reviewer):
    workflow.draft_reply(application, by=gongan_clerk, reply_type="disclosed", reply_text="提供2025年户籍人口统计表。")
    workflow.approve_reply(application, by=gongan_reviewer)
    workflow.send_reply(application, by=gongan_clerk, sent_on=datetime.date(2026, 10, 20))
    response = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number.lower(), "query_code": application.query_code})
    assert response.status_code == 200
    content = response.content.decode()
    assert "已答复" in content and "2026年10月30日" in content and "收到申请" in content and "答复送达" in content
    assert "审批答复" not in content  # internal steps stay internal
    assert "予以公开" in content and "六十日内" in content
    reply = application.letters.get(kind="reply")
    assert reply.number in content
    letter = client.get(f"/xxgk/apply/status/letters/{reply.pk}/")
    assert letter.status_code == 200 and letter["Content-Disposition"].startswith("attachment")


def test_wrong_code_reads_exactly_like_an_unknown_number(client, application):
    wrong = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": "ZZZZZZZZ"})
    unknown = client.post("/xxgk/apply/status/", {"tracking_number": "YSQ-2026-99999", "query_code": application.query_code})
    assert wrong.status_code == unknown.status_code == 404
    def strip(html):
        # The typed values and the per-response CSRF token are the only differences allowed.
        return re.sub(r'name="(tracking_number|query_code|csrfmiddlewaretoken)"[^>]*>', "", html.decode())

    assert strip(wrong.content).replace(application.tracking_number, "X") == strip(unknown.content).replace("YSQ-2026-99999", "X")
    assert "未找到该申请" in wrong.content.decode()
    assert client.get("/xxgk/apply/status/letters/1/").status_code == 404


def test_partially_disclosed_original_is_never_offered(client, application, gongan_clerk, gongan_reviewer):
    workflow.draft_reply(
        application, by=gongan_clerk, reply_type="partially_disclosed", reply_text="涉及个人隐私部分不予公开",
        information_file=SimpleUploadedFile("原件.pdf", pdf_bytes("ORIGINAL")),
        redacted_file=SimpleUploadedFile("区分处理.pdf", pdf_bytes("REDACTED")),
    )
    workflow.approve_reply(application, by=gongan_reviewer)
    workflow.send_reply(application, by=gongan_clerk)
    client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": application.query_code})
    response = client.get("/xxgk/apply/status/information/")
    assert PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text().strip() == "REDACTED"
    assert client.get("/xxgk/apply/status/original/").status_code == 404


def test_lookups_are_rate_limited(client, application):
    for _ in range(30):
        client.post("/xxgk/apply/status/", {"tracking_number": "YSQ-2026-00001", "query_code": "AAAAAAAA"})
    response = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": application.query_code})
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_the_column_links_to_the_form(client, db):
    content = client.get("/xxgk/").content.decode()
    assert 'href="/xxgk/apply/"' in content and 'href="/xxgk/apply/status/"' in content


@time_machine.travel(MONDAY)
def test_a_mail_server_that_is_down_does_not_lose_the_application(client, gongan, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    response = client.post("/xxgk/apply/", form_data(gongan))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.tracking_number in client.get("/xxgk/apply/receipt/").content.decode()


def test_a_forged_forwarded_for_does_not_dodge_the_rate_limit(client, gongan, settings):
    # No trusted proxy in front: every X-Forwarded-For entry, the last one too, is the client's word.
    settings.APPLICATION_RATE_LIMIT, settings.TRUSTED_PROXIES = 1, []
    assert client.post("/xxgk/apply/", form_data(gongan), HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    response = client.post("/xxgk/apply/", form_data(gongan), HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert response.status_code == 429
