"""Files staff hand applicants (the information provided, the reply letter) and the internal original are
checked and cleaned as attachments are, in the workflow itself: through the admin's buttons as the clerk
and reviewer, and by calling the workflow directly. A refused file changes nothing."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from requests_app import workflow
from requests_app.models import Application, ApplicationEvent
from requests_app.workflow import WorkflowError
from tests.factories import reply_letter_bytes

INSIDER = "张三-内部经办人"


def docx_bytes(text="经区分处理，现提供可以公开的部分。", author=INSIDER):
    document = docx.Document()
    document.add_paragraph(text)
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def step_url(application, action):
    return f"/admin/requests_app/application/{application.pk}/step/{action}/"


def snapshot(application):
    row = Application.objects.get(pk=application.pk)
    return (row.state, row.reply_type, row.redacted_file.name, row.information_file.name,
            list(row.letters.values_list("pk", "file", "text")),
            list(ApplicationEvent.objects.filter(application=application).values_list("pk", flat=True)))


def test_redacted_docx_reaches_the_applicant_without_its_author(client, application, gongan_clerk, gongan_reviewer):
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "draft_reply"), {
        "reply_type": "partially_disclosed", "reply_text": "涉及个人隐私部分不予公开",
        "redacted_file": SimpleUploadedFile("区分处理后.docx", docx_bytes()),
        "information_file": SimpleUploadedFile("原件.docx", docx_bytes("原件全文。")),
    })
    assert response.status_code == 302
    client.force_login(gongan_reviewer)
    client.post(step_url(application, "approve_reply"), {"note": "同意"})
    client.force_login(gongan_clerk)
    sent = client.post(step_url(application, "send_reply"), {"sent_on": timezone.localdate().isoformat()})
    assert sent.status_code == 302, sent.content.decode()[-3000:]
    application.refresh_from_db()
    assert application.state == Application.State.REPLIED

    client.logout()
    client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": application.query_code})
    response = client.get("/xxgk/apply/status/information/")
    received = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert received.paragraphs[0].text == "经区分处理，现提供可以公开的部分。"
    assert (received.core_properties.author, received.core_properties.last_modified_by) == ("", "")
    original = docx.Document(application.information_file.open("rb"))
    assert original.core_properties.author == ""


def test_an_html_file_is_refused_as_the_redacted_file_and_nothing_is_saved(client, application, gongan_clerk):
    before = snapshot(application)
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "draft_reply"), {
        "reply_type": "partially_disclosed", "reply_text": "涉及个人隐私部分不予公开",
        "redacted_file": SimpleUploadedFile("区分处理后.html", b"<html><body>\xe4\xbf\xa1\xe6\x81\xaf</body></html>"),
    }, follow=True)
    assert "不允许上传“.html”类型的文件（“区分处理后.html”）" in response.content.decode()
    assert snapshot(application) == before


def test_an_exe_named_letter_docx_is_refused_on_replace_letter(client, application, gongan_clerk):
    workflow.draft_reply(application, by=gongan_clerk, reply_type="disclosed", reply_text="提供统计表")
    before = snapshot(application)
    client.force_login(gongan_clerk)
    response = client.post(step_url(application, "replace_letter"), {
        "letter": SimpleUploadedFile("letter.docx", b"MZ\x90\x00\x03" + bytes(200)),
    }, follow=True)
    assert "文件“letter.docx”的内容不是 Word 文档（看起来是“Windows 可执行程序”）" in response.content.decode()
    assert snapshot(application) == before


def test_a_replaced_letter_is_a_cleaned_docx(client, application, gongan_clerk):
    workflow.draft_reply(application, by=gongan_clerk, reply_type="disclosed", reply_text="提供统计表")
    client.force_login(gongan_clerk)
    client.post(step_url(application, "replace_letter"), {"letter": SimpleUploadedFile("告知书.docx", docx_bytes("修改后的告知书"))})
    application.refresh_from_db()
    letter = docx.Document(io.BytesIO(reply_letter_bytes(application)))
    assert letter.paragraphs[0].text == "修改后的告知书"
    assert letter.core_properties.author == ""


def test_the_letter_must_be_a_docx_even_when_the_file_is_fine(application, gongan_clerk):
    workflow.draft_reply(application, by=gongan_clerk, reply_type="disclosed", reply_text="提供统计表")
    pdf = SimpleUploadedFile("告知书.pdf", b"%PDF-1.4")
    with pytest.raises(WorkflowError, match="此处只能上传Word 文档") as caught:
        workflow.replace_letter(application, by=gongan_clerk, letter=pdf)
    assert caught.value.field == "letter"


def test_the_workflow_refuses_a_disguised_file_whoever_calls_it(application, gongan_clerk):
    before = snapshot(application)
    with pytest.raises(WorkflowError, match="与扩展名不符") as caught:
        workflow.draft_reply(
            application, by=gongan_clerk, reply_type="disclosed", reply_text="提供统计表",
            redacted_file=SimpleUploadedFile("统计表.pdf", b"<html><script>alert(1)</script></html>"),
        )
    assert caught.value.field == "redacted_file"
    assert snapshot(application) == before
