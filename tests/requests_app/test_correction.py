"""Correction requests (条例第四十一条): filed with evidence, answered with one of their own four outcomes,
never with a disclosure reply type, in a 政府信息更正申请答复书 that a second person approves."""

import datetime
import io
import re
import shutil

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from docx import Document

from requests_app import permissions, selectors, workflow
from requests_app.models import Application, CorrectionOutcome, Letter, LetterKind, ReplyType
from requests_app.remedies import PARAGRAPHS, Remedy
from requests_app.workflow import WorkflowError
from tests.factories import make_application, pdf_bytes, pdf_texts
from tests.requests_app.test_views import form_data

TZ = datetime.timezone(datetime.timedelta(hours=8))
MONDAY = datetime.datetime(2026, 9, 28, 10, 0, tzinfo=TZ)
OCT_12 = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ)  # a Monday; the request came on 2026-09-28
O = CorrectionOutcome

CORRECTION_FIELDS = {
    "kind": "correction", "description": "本人户籍登记信息", "document_number_sought": "",
    "provided_in": "青公依复〔2026〕3号答复告知书", "inaccuracy": "出生日期记载为1980年5月1日",
    "correct_record": "出生日期应为1980年5月11日", "form_wanted": "",
}
CHOICE = PARAGRAPHS[Remedy.RECONSIDERATION_OR_LAWSUIT].replace("本告知书", "本答复书").format(
    reconsideration_body="青禾县人民政府", court="青禾县人民法院",
)


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def evidence():
    return SimpleUploadedFile("出生证明.pdf", pdf_bytes("出生医学证明"), content_type="application/pdf")


def make_correction(organisation, clerk=None, **fields):
    """A correction request received in person on 2026-09-28, with its evidence, registered by `clerk`."""
    values = {**CORRECTION_FIELDS, "supporting_file": evidence()}
    values.update(fields)
    return make_application(organisation, clerk, **values)


@pytest.fixture
def correction(gongan, gongan_clerk):
    return make_correction(gongan, gongan_clerk)


def approved_and_sent(application, clerk, reviewer, outcome=O.CORRECTED, **fields):
    fields.setdefault("reply_text", "已将出生日期更正为1980年5月11日")
    workflow.draft_correction_reply(application, by=clerk, outcome=outcome, **fields)
    workflow.approve_reply(application, by=reviewer)
    return workflow.send_reply(application, by=clerk)


def letter_bytes(application):
    letter = application.letters.get(kind=LetterKind.CORRECTION_REPLY)
    with letter.file.open("rb") as file:
        return file.read()


# ---------------------------------------------------------------- filing

@time_machine.travel(MONDAY)
def test_public_form_files_a_correction_request_with_its_evidence(client, gongan):
    response = client.post("/xxgk/apply/", {**form_data(gongan), **CORRECTION_FIELDS, "supporting_file": evidence()})

    assert response.status_code == 302
    application = Application.objects.get()
    assert application.kind == Application.Kind.CORRECTION and application.supporting_file
    assert application.inaccuracy == "出生日期记载为1980年5月1日" and application.correct_record == "出生日期应为1980年5月11日"
    assert application.provided_in == "青公依复〔2026〕3号答复告知书" and application.form_wanted == ""
    # The 条例 sets no period for 第四十一条: the 20 working days of 第三十三条.
    assert application.due_date == datetime.date(2026, 10, 30)
    receipt = client.get("/xxgk/apply/receipt/").content.decode()
    assert "政府信息更正申请回执" in receipt and "要求更正的信息" in receipt and application.tracking_number in receipt


@time_machine.travel(MONDAY)
def test_correction_request_without_evidence_is_refused_with_everything_typed_kept(client, gongan):
    response = client.post("/xxgk/apply/", {**form_data(gongan), **CORRECTION_FIELDS})

    assert response.status_code == 400
    page = response.content.decode()
    assert "申请更正须有证据证明（条例第四十一条）" in page
    assert "出生日期记载为1980年5月1日" in page and "出生日期应为1980年5月11日" in page and "青公依复〔2026〕3号" in page
    assert re.search(r'value="correction"[^>]*checked', page)
    assert not Application.objects.exists()


@time_machine.travel(MONDAY)
@pytest.mark.parametrize("field, message", [("inaccuracy", "请写明该信息记录不准确之处"), ("correct_record", "请写明正确的记录")])
def test_correction_request_says_what_is_wrong_and_what_is_right(client, gongan, field, message):
    data = {**form_data(gongan), **CORRECTION_FIELDS, field: "", "supporting_file": evidence()}

    response = client.post("/xxgk/apply/", data)

    assert response.status_code == 400 and message in response.content.decode()


@time_machine.travel(MONDAY)
def test_evidence_goes_through_the_upload_checks(client, gongan):
    fake = SimpleUploadedFile("证明.pdf", b"not a pdf at all", content_type="application/pdf")

    response = client.post("/xxgk/apply/", {**form_data(gongan), **CORRECTION_FIELDS, "supporting_file": fake})

    assert response.status_code == 400 and not Application.objects.exists()


@time_machine.travel(MONDAY)
def test_disclosure_application_still_needs_the_carrier_form_and_keeps_no_correction_fields(client, gongan):
    refused = client.post("/xxgk/apply/", form_data(gongan, form_wanted=""))
    assert refused.status_code == 400 and "请选择信息的载体形式" in refused.content.decode()

    # Without JavaScript the correction fields are visible too; a disclosure application drops them.
    client.post("/xxgk/apply/", form_data(gongan, kind="disclosure", inaccuracy="随手填的"))
    application = Application.objects.get()
    assert application.kind == Application.Kind.DISCLOSURE and application.inaccuracy == ""


def test_a_correction_request_cannot_be_saved_without_evidence(gongan, gongan_clerk):
    with pytest.raises(WorkflowError, match="申请更正须有证据证明"):
        make_application(gongan, gongan_clerk, **CORRECTION_FIELDS)
    application = make_correction(gongan, gongan_clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(supporting_file="")


@time_machine.travel(MONDAY)
def test_clerk_enters_a_paper_correction_request_and_its_receipt_says_so(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/requests_app/application/add/", {
        **CORRECTION_FIELDS, "organisation": gongan.pk, "channel": "in_person", "arrived_on": "2026-09-28",
        "applicant_kind": "person", "applicant_name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "0539-7912345", "address": "柳河镇前营村", "postcode": "379901", "delivery": "pick_up", "email": "",
        "organisation_category": "", "credit_code": "", "legal_representative": "", "supporting_file": evidence(),
    })

    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get()
    assert application.kind == Application.Kind.CORRECTION and application.state == "registered"
    acknowledgement = application.letters.get(kind=LetterKind.ACKNOWLEDGEMENT)
    assert "提出的政府信息更正申请，要求更正“本人户籍登记信息”" in acknowledgement.text
    assert acknowledgement.paragraphs[0] == "政府信息更正申请登记回执" and "政府信息公开申请" not in acknowledgement.text


@time_machine.travel(MONDAY)
def test_paper_correction_request_without_evidence_or_with_a_fake_file_is_refused(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/requests_app/application/add/", {
        **CORRECTION_FIELDS, "organisation": gongan.pk, "channel": "in_person", "arrived_on": "2026-09-28",
        "applicant_kind": "person", "applicant_name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "0539-7912345", "address": "柳河镇前营村", "delivery": "pick_up",
    })
    assert response.status_code == 400 and "申请更正须有证据证明" in response.content.decode()
    assert not Application.objects.exists()

    fake = SimpleUploadedFile("证明.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post("/admin/requests_app/application/add/", {
        **CORRECTION_FIELDS, "organisation": gongan.pk, "channel": "in_person", "arrived_on": "2026-09-28",
        "applicant_kind": "person", "applicant_name": "赵六", "id_type": "resident_id", "id_number": "11010519491231002X",
        "phone": "0539-7912345", "address": "柳河镇前营村", "delivery": "pick_up", "supporting_file": fake,
    })
    assert response.status_code == 400 and not Application.objects.exists()


# ---------------------------------------------------------------- outcomes

@time_machine.travel(OCT_12)
@pytest.mark.parametrize("outcome, fields, field, message", [
    (O.CORRECTED, {}, "reply_text", "请写明已更正的内容"),
    (O.NOT_CORRECTED, {}, "reply_text", "请写明审核不属实、不予更正的理由"),
    (O.TRANSFERRED, {"reply_text": "户籍登记由公安派出所办理"}, "competent_body", "请写明已转送的有权更正的行政机关名称"),
    (O.TOLD_TO_APPLY, {"reply_text": "婚姻登记信息由民政部门登记"}, "competent_body", "请写明有权更正的行政机关名称"),
])
def test_each_correction_outcome_needs_its_fields(correction, gongan_clerk, outcome, fields, field, message):
    with pytest.raises(WorkflowError, match=message) as refused:
        workflow.draft_correction_reply(correction, by=gongan_clerk, outcome=outcome, **fields)
    assert refused.value.field == field
    correction.refresh_from_db()
    assert correction.state == "registered" and not correction.letters.filter(kind=LetterKind.CORRECTION_REPLY).exists()


@time_machine.travel(OCT_12)
@pytest.mark.parametrize("outcome, fields, words", [
    (O.CORRECTED, {"reply_text": "已将出生日期更正为1980年5月11日"}, "本机关已予以更正：已将出生日期更正为1980年5月11日。"),
    (O.NOT_CORRECTED, {"reply_text": "经审核，原始登记材料记载的出生日期为1980年5月1日"},
     "经审核，原始登记材料记载的出生日期为1980年5月1日。你提出的更正申请经审核不属实"),
    (O.TRANSFERRED, {"competent_body": "青禾县民政局"}, "本机关已将你的更正申请转送有权更正的行政机关青禾县民政局处理"),
    (O.TOLD_TO_APPLY, {"competent_body": "青禾县民政局"}, "请你向有权更正的行政机关青禾县民政局提出更正申请"),
])
def test_each_outcome_has_its_paragraph_and_the_remedy_choice(correction, gongan_clerk, outcome, fields, words):
    workflow.draft_correction_reply(correction, by=gongan_clerk, outcome=outcome, **fields)

    letter = workflow.draft_letter(correction)
    assert letter.kind == LetterKind.CORRECTION_REPLY and not letter.is_issued
    assert words in letter.text and "第四十一条" in letter.text
    # 不予更正 is not 不予公开: no 复议前置 (《行政复议法》第二十三条), the choice as for every outcome.
    assert CHOICE in letter.paragraphs and "应当先" not in letter.text


@time_machine.travel(OCT_12)
def test_only_outcomes_outside_this_bodys_functions_name_another_body(correction, gongan_clerk):
    workflow.draft_correction_reply(correction, by=gongan_clerk, outcome=O.CORRECTED, reply_text="已更正",
                                    competent_body="青禾县民政局")
    correction.refresh_from_db()
    assert correction.competent_body == "" and correction.correction_outcome == O.CORRECTED


@time_machine.travel(OCT_12)
def test_a_disclosure_reply_type_is_refused_for_a_correction_request(client, correction, gongan_clerk):
    with pytest.raises(WorkflowError, match="政府信息更正申请不能按政府信息公开申请的答复类型答复"):
        workflow.draft_reply(correction, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="提供")

    client.force_login(gongan_clerk)
    response = client.post(f"/admin/requests_app/application/{correction.pk}/step/draft_reply/",
                           {"reply_type": "disclosed", "reply_text": "提供"})
    assert response.status_code == 400 and "政府信息更正申请不能按政府信息公开申请的答复类型答复" in response.content.decode()
    correction.refresh_from_db()
    assert correction.state == "registered" and correction.reply_type == ""


@time_machine.travel(OCT_12)
def test_a_correction_outcome_is_refused_for_a_disclosure_application(client, application, gongan_clerk):
    with pytest.raises(WorkflowError, match="政府信息公开申请不能按更正申请的处理结果答复"):
        workflow.draft_correction_reply(application, by=gongan_clerk, outcome=O.CORRECTED, reply_text="已更正")

    client.force_login(gongan_clerk)
    response = client.post(f"/admin/requests_app/application/{application.pk}/step/draft_correction_reply/",
                           {"outcome": "corrected", "reply_text": "已更正"})
    assert response.status_code == 400 and "政府信息公开申请不能按更正申请的处理结果答复" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "registered" and application.correction_outcome == ""


def test_the_database_keeps_each_kind_to_its_own_answer(correction, application):
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=correction.pk).update(reply_type=ReplyType.DISCLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(correction_outcome=O.CORRECTED)


@time_machine.travel(OCT_12)
def test_a_correction_request_is_offered_its_own_steps_only(correction, application, gongan_clerk):
    steps = permissions.available_steps(gongan_clerk, correction)
    assert "draft_correction_reply" in steps
    assert not {"draft_reply", "request_supplement", "notify_fee", "request_reasons"} & set(steps)
    assert "draft_correction_reply" not in permissions.available_steps(gongan_clerk, application)
    with pytest.raises(WorkflowError, match="不适用“收取信息处理费”"):
        workflow.notify_fee(correction, by=gongan_clerk, method="by_count", on=datetime.date(2026, 10, 12))
    with pytest.raises(WorkflowError, match="不适用“告知补正”"):
        workflow.request_supplement(correction, by=gongan_clerk, note="请补充", on=datetime.date(2026, 9, 29))


# ---------------------------------------------------------------- four eyes, letter, status page

@time_machine.travel(OCT_12)
def test_correction_reply_is_drafted_approved_by_another_reviewer_sent_and_shown_frozen(
    client, correction, gongan_clerk, gongan_reviewer, gongan,
):
    admin_url = f"/admin/requests_app/application/{correction.pk}/step/"
    client.force_login(gongan_clerk)
    drafted = client.post(admin_url + "draft_correction_reply/", {
        "outcome": "corrected", "reply_text": "已将出生日期更正为1980年5月11日", "competent_body": "",
    })
    assert drafted.status_code == 302
    # The drafter is no second pair of eyes, whatever their roles.
    with pytest.raises(WorkflowError):
        workflow.approve_reply(correction, by=gongan_clerk)
    letter = workflow.draft_letter(correction)
    assert letter.number == "县公安局依更〔2026〕1号"

    client.force_login(gongan_reviewer)
    page = client.get(f"/admin/requests_app/application/{correction.pk}/change/").content.decode()
    assert "审批通过" in page and "予以更正（已更正并告知）" in page
    assert client.post(admin_url + "approve_reply/", {"note": "同意"}).status_code == 302
    letter.refresh_from_db()
    assert letter.is_issued and letter.issued_by == gongan_reviewer
    with pytest.raises(PermissionDenied):
        letter.save()
    issued_text = letter.text

    # Not on the status page until it is delivered.
    client.post("/xxgk/apply/status/", {"tracking_number": correction.tracking_number, "query_code": correction.query_code})
    assert letter.number not in client.get("/xxgk/apply/status/").content.decode()

    client.force_login(gongan_clerk)
    assert client.post(admin_url + "send_reply/", {"sent_on": "2026-10-12", "note": ""}).status_code == 302
    gongan.name = "青禾县公安局（改名）"
    gongan.save()

    status = client.post("/xxgk/apply/status/", {
        "tracking_number": correction.tracking_number, "query_code": correction.query_code,
    }).content.decode()
    assert "政府信息更正申请" in status and "已答复" in status
    assert "答复：予以更正（已更正并告知）" in status and "下载政府信息更正申请答复书" in status
    assert "本机关已予以更正：已将出生日期更正为1980年5月11日。" in status and letter.number in status
    assert Letter.objects.get(pk=letter.pk).text == issued_text and "改名" not in issued_text
    download = client.get(f"/xxgk/apply/status/letters/{letter.pk}/")
    assert download.status_code == 200
    assert Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs[0].text == "政府信息更正申请答复书"


@time_machine.travel(OCT_12)
def test_correction_reply_letter_opens_with_python_docx(correction, gongan_clerk, gongan_reviewer):
    approved_and_sent(correction, gongan_clerk, gongan_reviewer, O.NOT_CORRECTED, reply_text="原始登记材料记载无误")

    document = Document(io.BytesIO(letter_bytes(correction)))

    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "政府信息更正申请答复书" and texts[1] == "县公安局依更〔2026〕1号" and texts[2] == "王小明："
    assert any("本机关不予更正" in text for text in texts) and CHOICE in texts
    assert document.core_properties.title == "政府信息更正申请答复书"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@time_machine.travel(OCT_12)
def test_correction_reply_letter_converts_to_pdf_with_its_article_and_remedy(correction, gongan_clerk, gongan_reviewer, tmp_path):
    approved_and_sent(correction, gongan_clerk, gongan_reviewer, O.TRANSFERRED, reply_text="", competent_body="青禾县民政局")
    path = tmp_path / "correction_reply.docx"
    path.write_bytes(letter_bytes(correction))

    text = pdf_texts([path], tmp_path)[path.stem]

    assert "政府信息更正申请答复书" in text and "第四十一条" in text
    assert "转送有权更正的行政机关青禾县民政局处理" in text
    assert "".join(CHOICE.split()) in text


# ---------------------------------------------------------------- queue, scoping, statistics

@time_machine.travel(OCT_12)
def test_queue_and_application_page_show_the_kind(client, correction, application, gongan_clerk, django_assert_max_num_queries):
    client.force_login(gongan_clerk)
    with django_assert_max_num_queries(30):
        listing = client.get("/admin/requests_app/application/").content.decode()
    assert "政府信息更正申请" in listing and "政府信息公开申请" in listing
    only = client.get("/admin/requests_app/application/", {"kind__exact": "correction"}).content.decode()
    assert correction.tracking_number in only and application.tracking_number not in only
    page = client.get(f"/admin/requests_app/application/{correction.pk}/change/").content.decode()
    assert f"{correction.tracking_number}（政府信息更正申请）" in page and "出生日期应为1980年5月11日" in page
    assert "要求更正的信息（条例第四十一条）" in page and "信息处理费计收方式" not in page


@time_machine.travel(OCT_12)
def test_clerk_of_another_organisation_gets_404_for_a_correction_request(client, correction, jiaoyu_clerk):
    client.force_login(jiaoyu_clerk)
    base = f"/admin/requests_app/application/{correction.pk}/"
    assert client.get(base + "change/").status_code in (302, 404)  # the admin's "does not exist" redirect
    assert client.post(base + "step/draft_correction_reply/", {"outcome": "corrected", "reply_text": "已更正"}).status_code == 404
    assert client.get(base + "file/supporting_file/").status_code == 404
    correction.refresh_from_db()
    assert correction.state == "registered"


@time_machine.travel(OCT_12)
def test_correction_requests_are_not_counted_as_disclosure_applications(gongan, gongan_clerk):
    for _ in range(3):
        make_correction(gongan, gongan_clerk, description="本人户籍登记信息")
    disclosure = make_application(gongan, gongan_clerk, description="本人户籍登记信息")

    assert list(selectors.disclosure_applications()) == [disclosure]
    # 条例第四十一条 requests are no sign that many people want information published (第四十四条).
    assert not selectors.frequently_requested(Application.objects.all())
    assert not selectors.same_subject(disclosure).exists()
