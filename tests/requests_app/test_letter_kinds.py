"""Every notice an applicant is owed is a .docx letter from a template, numbered in its organisation's
own series, and kept as it was sent: the status page, the download and the archive show the approved
letter whatever changes afterwards. The county office may replace a template with its own."""

import datetime
import io
import re
import shutil

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from requests_app import letters, workflow
from requests_app.models import Application, Letter, LetterKind, LetterTemplate, ReplySettings, ReplyType
from tests.factories import make_application, pdf_texts

TZ = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date
OCT_12 = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ)


def docx_text(data):
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip())


def file_bytes(letter):
    with letter.file.open("rb") as file:
        return file.read()


def look_up(client, application):
    response = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": application.query_code})
    assert response.status_code == 200
    return response.content.decode()


def replied(application, clerk, reviewer, **reply):
    workflow.draft_reply(application, by=clerk, **({"reply_type": ReplyType.DISCLOSED, "reply_text": "提供统计表"} | reply))
    workflow.approve_reply(application, by=reviewer)
    return workflow.send_reply(application, by=clerk)


@pytest.mark.parametrize("kind", list(LetterKind), ids=[k.value for k in LetterKind])
def test_every_shipped_template_fills_in_with_its_variables_and_leaves_no_markup(kind):
    data = letters.render(letters.shipped_template(kind), letters.sample_context(kind), title=kind.label, author="青禾县教育局")

    text = docx_text(data)
    assert text.startswith(kind.label + "\n青教依复〔2026〕12号\n王秀英：")
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert docx.Document(io.BytesIO(data)).core_properties.author == "青禾县教育局"


@time_machine.travel(OCT_12)
def test_letters_are_numbered_in_each_organisations_own_series_by_kind_and_year(
    gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk
):
    first = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))
    second = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))
    other = make_application(jiaoyu, jiaoyu_clerk, arrived_on=D(2026, 10, 9))

    assert [a.letters.get().number for a in (first, second, other)] == [
        "县公安局依登〔2026〕1号", "县公安局依登〔2026〕2号", "县教育局依登〔2026〕1号",
    ]
    workflow.draft_reply(second, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    workflow.draft_reply(first, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    assert second.letters.get(kind="reply").number == "县公安局依复〔2026〕1号"
    assert first.letters.get(kind="reply").number == "县公安局依复〔2026〕2号"
    # The 机关代字 the county sets for the organisation, e.g. 青公.
    ReplySettings.objects.create(organisation=jiaoyu, letter_code="青教")
    workflow.draft_reply(other, by=jiaoyu_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    assert other.letters.get(kind="reply").number == "青教依复〔2026〕1号"
    assert "\n青教依复〔2026〕1号\n" in other.letters.get(kind="reply").text


@time_machine.travel(OCT_12)
def test_a_returned_reply_drafted_again_keeps_its_number(application, gongan_clerk, gongan_reviewer):
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    number = application.letters.get(kind="reply").number
    workflow.return_reply(application, by=gongan_reviewer, note="请写明提供方式")
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="以电子邮件提供统计表")

    letter = application.letters.get(kind="reply")
    assert letter.number == number and not letter.is_issued
    assert "以电子邮件提供统计表" in letter.text


@time_machine.travel(OCT_12)
def test_the_letter_is_frozen_at_approval_whatever_changes_afterwards(
    client, application, gongan, gongan_clerk, gongan_reviewer
):
    """The office's phone and address change after approval: the status page, the download and the
    archived application still show the letter that was approved and sent."""
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    workflow.approve_reply(application, by=gongan_reviewer)
    letter = application.letters.get(kind="reply")
    approved_text, approved_file = letter.text, file_bytes(letter)
    assert "联系电话：0539-7900110" in approved_text and letter.is_issued and letter.issued_by == gongan_reviewer

    gongan.phone, gongan.address, gongan.name = "0539-7999999", "青禾县新城路1号", "青禾县公安局（新）"
    gongan.save()
    ReplySettings.objects.create(organisation=gongan, letter_code="青公", reconsideration_body="青禾市人民政府")
    with time_machine.travel(datetime.datetime(2026, 10, 20, 10, 0, tzinfo=TZ)):
        workflow.send_reply(application, by=gongan_clerk, sent_on=D(2026, 10, 20))
        workflow.archive(application, by=gongan_clerk)

    content = look_up(client, application)
    assert "联系电话：0539-7900110" in content and "0539-7999999" not in content and "青禾市人民政府" not in content
    assert "2026年10月12日" in content  # the day it was drafted and approved, not the day shown
    download = client.get(f"/xxgk/apply/status/letters/{letter.pk}/")
    assert b"".join(download.streaming_content) == approved_file
    letter.refresh_from_db()
    assert letter.text == approved_text
    letter.text = "改写"
    with pytest.raises(PermissionDenied):
        letter.save()
    with pytest.raises(PermissionDenied):
        letter.delete()


@time_machine.travel(OCT_12)
def test_a_letter_staff_edited_in_word_is_what_the_applicant_reads(client, application, gongan_clerk, gongan_reviewer):
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    edited = docx.Document(io.BytesIO(file_bytes(application.letters.get(kind="reply"))))
    edited.paragraphs[3].text = "本机关于2026年9月28日收到你的申请。经核查，现将统计表提供给你。"
    out = io.BytesIO()
    edited.save(out)
    workflow.replace_letter(application, by=gongan_clerk, letter=SimpleUploadedFile("告知书.docx", out.getvalue()))
    workflow.approve_reply(application, by=gongan_reviewer)
    workflow.send_reply(application, by=gongan_clerk)

    assert "经核查，现将统计表提供给你。" in look_up(client, application)


@time_machine.travel(OCT_12)
def test_the_reply_is_offered_to_the_applicant_only_once_delivered(client, application, gongan_clerk, gongan_reviewer):
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    workflow.approve_reply(application, by=gongan_reviewer)
    reply = application.letters.get(kind="reply")

    content = look_up(client, application)
    assert reply.number not in content and "县公安局依登〔2026〕1号" in content
    assert client.get(f"/xxgk/apply/status/letters/{reply.pk}/").status_code == 404
    workflow.send_reply(application, by=gongan_clerk)
    assert reply.number in look_up(client, application)
    assert client.get(f"/xxgk/apply/status/letters/{reply.pk}/").status_code == 200


@time_machine.travel(OCT_12)
def test_an_applicant_never_gets_another_applications_letter(client, gongan, gongan_clerk, application):
    other = make_application(gongan, gongan_clerk, applicant_name="李四")
    look_up(client, application)

    assert client.get(f"/xxgk/apply/status/letters/{other.letters.get().pk}/").status_code == 404
    assert client.get(f"/xxgk/apply/status/letters/{application.letters.get().pk}/").status_code == 200


@time_machine.travel(OCT_12)
def test_a_paper_application_gets_a_receipt_with_its_number_and_query_code_an_online_one_does_not(gongan, gongan_clerk, settings):
    settings.SITE_URL = "https://www.qinghe.gov.cn"
    paper = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))
    online = make_application(gongan, None, channel=Application.Channel.ONLINE, arrived_on=D(2026, 10, 9))

    receipt = paper.letters.get(kind=LetterKind.ACKNOWLEDGEMENT)
    # The kept letter never holds the query code; the applicant's copy is made once with it.
    assert f"申请编号：{paper.tracking_number}；查询码：{letters.QUERY_CODE_WITHHELD}" in receipt.text
    copy = letters.text_of(letters.acknowledgement_copy(receipt, paper.query_code))
    assert f"申请编号：{paper.tracking_number}；查询码：{paper.query_code}" in copy
    assert "https://www.qinghe.gov.cn/xxgk/apply/status/" in receipt.text
    assert "本机关将于2026年11月5日前作出答复"  # 10月10日 is a 调休 workday in receipt.text
    assert receipt.number in paper.events.get(action="registered").note
    workflow.register(online, by=gongan_clerk)
    assert not online.letters.exists()


@time_machine.travel(OCT_12)
def test_the_supplement_notice_states_what_to_supplement_and_by_when(gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))

    workflow.request_supplement(application, by=gongan_clerk, note="请写明所需信息的年份\n请提供文号", on=D(2026, 10, 12))

    letter = application.letters.get(kind=LetterKind.SUPPLEMENT)
    paragraphs = letter.paragraphs
    assert paragraphs[:3] == ["补正申请告知书", "县公安局依补〔2026〕1号", "王小明："]
    assert "请写明所需信息的年份" in paragraphs and "请提供文号" in paragraphs
    assert "请你于2026年11月2日前（自本告知书发出之日起15个工作日内）向本机关提交补正材料" in letter.text
    assert letter.dated == D(2026, 10, 12) and letter.is_issued


@time_machine.travel(OCT_12)
def test_asking_for_reasons_and_the_longer_period_each_send_their_letter(gongan, gongan_clerk, gongan_reviewer):
    application = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))

    workflow.request_reasons(application, by=gongan_clerk, on=D(2026, 10, 12), note="你在30日内提出申请42件")
    workflow.set_longer_period(application, by=gongan_reviewer, days=15, note="所申请信息数量较大")

    reasons = application.letters.get(kind=LetterKind.REASONS)
    assert "你在30日内提出申请42件" in reasons.text and "请你说明申请理由" in reasons.text
    longer = application.letters.get(kind=LetterKind.LONGER_PERIOD)
    application.refresh_from_db()
    due = application.due_date
    assert f"本机关确定延迟15个工作日答复，将于{due.year}年{due.month}月{due.day}日前作出答复" in longer.text
    assert [n for n in (reasons.number, longer.number)] == ["县公安局依询〔2026〕1号", "县公安局依延〔2026〕1号"]


def template_with(text_change):
    """The shipped reply template with one wording changed, as the county office would edit it in Word."""
    document = docx.Document(io.BytesIO(letters.shipped_template(LetterKind.REPLY)))
    for paragraph in document.paragraphs:
        if paragraph.text == "特此告知。":
            paragraph.runs[0].text = text_change
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@time_machine.travel(OCT_12)
def test_the_county_office_replaces_a_template_and_only_later_letters_use_it(
    client, gongan, gongan_clerk, gongan_reviewer, county_reviewer
):
    before = make_application(gongan, gongan_clerk)
    workflow.draft_reply(before, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    workflow.approve_reply(before, by=gongan_reviewer)

    client.force_login(county_reviewer)
    listing = client.get("/admin/requests_app/lettertemplate/").content.decode()
    assert "答复告知书" in listing and "下载默认模板" in listing
    shipped = client.get("/admin/requests_app/lettertemplate/shipped/reply/")
    assert b"".join(shipped.streaming_content) == letters.shipped_template(LetterKind.REPLY)
    response = client.post("/admin/requests_app/lettertemplate/add/", {
        "kind": "reply", "file": SimpleUploadedFile("答复.docx", template_with("特此告知。请{{ recipient }}查收。")),
    })
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert LetterTemplate.objects.get().uploaded_by == county_reviewer

    after = make_application(gongan, gongan_clerk)
    workflow.draft_reply(after, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    assert "特此告知。请王小明查收。" in after.letters.get(kind="reply").text
    assert "请王小明查收" not in before.letters.get(kind="reply").text

    LetterTemplate.objects.get().delete()  # back to the shipped template
    workflow.return_reply(after, by=gongan_reviewer, note="重拟")
    workflow.draft_reply(after, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供统计表")
    assert "请王小明查收" not in after.letters.get(kind="reply").text


@pytest.mark.parametrize("upload, message", [
    (lambda: template_with("特此告知。{{ applicant_phone }}"), "模板中的变量“applicant_phone”不存在"),
    (lambda: template_with("特此告知。{% if phone %}"), "模板中的标记有误"),
    (lambda: b"%PDF-1.4 not a template", "的内容不是 Word 文档"),
])
def test_a_template_that_cannot_make_a_letter_is_refused_with_a_chinese_message(client, county_reviewer, upload, message):
    client.force_login(county_reviewer)
    response = client.post("/admin/requests_app/lettertemplate/add/", {
        "kind": "reply", "file": SimpleUploadedFile("答复.docx", upload()),
    })
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LetterTemplate.objects.exists()


def test_only_the_county_office_keeps_the_templates(client, gongan_clerk, gongan_reviewer):
    for user in (gongan_clerk, gongan_reviewer):
        client.force_login(user)
        assert client.get("/admin/requests_app/lettertemplate/").status_code == 403
        assert client.get("/admin/requests_app/lettertemplate/shipped/reply/").status_code == 403


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@time_machine.travel(OCT_12)
def test_one_letter_of_each_kind_opens_in_libreoffice_with_its_text(gongan, gongan_clerk, gongan_reviewer, tmp_path):
    application = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))
    workflow.request_supplement(application, by=gongan_clerk, note="请写明年份", on=D(2026, 10, 12))
    workflow.record_supplement(application, by=gongan_clerk, received_on=D(2026, 10, 12))
    workflow.request_reasons(application, by=gongan_clerk, on=D(2026, 10, 12), note="申请42件")
    workflow.set_longer_period(application, by=gongan_reviewer, days=5, note="数量较大")
    workflow.propose_extension(application, by=gongan_clerk, days=5, note="需协调")
    workflow.extend(application, by=gongan_reviewer)
    workflow.notify_fee(application, by=gongan_clerk, method="by_quantity", pages=45, on=D(2026, 10, 12))
    workflow.record_payment(application, by=gongan_clerk, paid_on=D(2026, 10, 12))
    replied(application, gongan_clerk, gongan_reviewer)

    made = {letter.kind: letter for letter in Letter.objects.filter(application=application)}
    # Letters to consultees: test_consultations.py; the correction reply: test_correction.py.
    assert set(made) == set(letters.APPLICANT_LETTERS) - {LetterKind.CORRECTION_REPLY}
    paths = []
    for kind, letter in made.items():
        paths.append(tmp_path / f"{kind}.docx")
        paths[-1].write_bytes(file_bytes(letter))
    texts = pdf_texts(paths, tmp_path)
    for kind, letter in made.items():
        text = texts[kind]
        assert LetterKind(kind).label in text and letter.number in text, kind
        # PDF text extraction may move a quotation mark past a digit: compare words only.
        assert re.sub(r"\W", "", letter.paragraphs[3]) in re.sub(r"\W", "", text), kind
