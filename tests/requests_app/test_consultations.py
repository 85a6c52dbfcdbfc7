"""Consultations (条例第三十二条 third parties, 第三十四条 other agencies): the letter each is sent, the
pause of the answer period (第三十三条第三款), 逾期未提出意见, and the notice a third party that objected
gets before information is disclosed over its objection. The application is received on Monday
2026-09-28 and due on Friday 2026-10-30."""

import datetime
import io
import shutil

import docx
import pytest
import time_machine

from requests_app import letters, permissions, workflow
from portal.workdays import add_working_days
from requests_app.models import Application, Consultation, LetterKind, ReplyType
from requests_app.workflow import WorkflowError
from tests.factories import make_application, pdf_texts

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=8))
O = Consultation.Outcome
DUE = D(2026, 10, 30)


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


THIRD_PARTY = {
    "consultee": "青禾县恒达建材有限公司", "contact": "青禾县工业园区纬二路8号",
    "matter": "该公司2025年度排污许可执行报告中的原料配比", "reasons": "原料配比属于该公司的技术信息，可能涉及商业秘密",
}
AGENCY = {"consultee": "青禾县交通运输局", "matter": "两局联合印发的《城区货车通行管理办法》是否可以公开"}


def consult(application, clerk, sent_on, **fields):
    return workflow.consult_third_party(application, by=clerk, sent_on=sent_on, **{**THIRD_PARTY, **fields})


def consult_agency(application, clerk, sent_on, **fields):
    return workflow.consult_agency(application, by=clerk, sent_on=sent_on, **{**AGENCY, **fields})


def step_url(application, step):
    return f"/admin/requests_app/application/{application.pk}/step/{step}/"


def snapshot(application):
    fresh = Application.objects.get(pk=application.pk)
    consultations = list(fresh.consultations.values_list("answered_on", "outcome", "disclosure_notice"))
    return fresh.state, fresh.due_date, fresh.third_party_paused_days, fresh.events.count(), fresh.letters.count(), consultations


def letter_bytes(letter):
    with letter.file.open("rb") as file:
        return file.read()


# ---------------------------------------------------------------- the letters

@at(D(2026, 10, 12))
def test_third_party_consultation_sends_a_numbered_letter_addressed_to_the_third_party(application, gongan_clerk):
    application = consult(application, gongan_clerk, D(2026, 10, 12))

    consultation = application.consultations.get()
    letter = consultation.letter
    assert letter.kind == LetterKind.THIRD_PARTY_CONSULTATION and letter.is_issued
    assert letter.number == f"{letters.letter_prefix(application.organisation)}依征〔2026〕1号"
    assert letter.recipient == "青禾县恒达建材有限公司"
    assert letter.paragraphs[2] == "青禾县恒达建材有限公司："
    text = letter.text
    assert "原料配比" in text and "可能涉及商业秘密" in text and "第三十二条" in text
    assert "自收到本意见书之日起15个工作日内" in text and "逾期未提出意见" in text
    assert application.applicant_name not in text  # the third party is not told who asked
    # 15 working days from Monday 2026-10-12.
    assert consultation.reply_by == D(2026, 11, 2) == add_working_days(D(2026, 10, 12), 15)
    event = application.events.latest("pk")
    assert event.action == "third_party_consulted" and letter.number in event.note and "青禾县恒达建材有限公司" in event.note


@at(D(2026, 10, 12))
def test_agency_consultation_sends_a_letter_to_the_agency_saying_no_opinion_is_consent(application, gongan_clerk):
    application = consult_agency(application, gongan_clerk, D(2026, 10, 12))

    consultation = application.consultations.get()
    assert consultation.kind == Consultation.Kind.AGENCY and application.state == "third_party"
    assert application.get_state_display() == "征求意见中"
    letter = consultation.letter
    assert letter.kind == LetterKind.AGENCY_CONSULTATION and letter.recipient == "青禾县交通运输局"
    assert "依征〔2026〕1号" in letter.number
    assert "第三十四条" in letter.text and "共同制作" in letter.text and "逾期未提出意见的，视为同意公开" in letter.text
    assert application.events.latest("pk").action == "agency_consulted"


@at(D(2026, 10, 16))
def test_letters_to_the_third_party_are_not_on_the_applicants_status_page(client, application, gongan_clerk):
    consult(application, gongan_clerk, D(2026, 10, 12))
    letter = application.consultations.get().letter

    response = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": application.query_code})

    content = response.content.decode()
    assert response.status_code == 200 and "征求第三方意见" in content  # the pause is public, whom it asked is not
    assert letter.number not in content and "恒达建材" not in content and "征求第三方意见书" not in content
    assert client.get(f"/xxgk/apply/status/letters/{letter.pk}/").status_code == 404


@at(D(2026, 10, 16))
def test_staff_see_the_consultation_and_its_letter_on_the_application_page(client, application, gongan_clerk, gongan_reviewer):
    consult(application, gongan_clerk, D(2026, 10, 12))
    letter = application.consultations.get().letter
    client.force_login(gongan_reviewer)

    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()

    assert "征求意见（第三方、其他行政机关）" in page and "青禾县恒达建材有限公司" in page
    assert "2026-11-02" in page or "2026年11月2日" in page  # reply by
    assert letter.number in page and "待答复" in page
    download = client.get(f"/admin/requests_app/application/{application.pk}/letter/{letter.pk}/")
    assert download.status_code == 200


# ---------------------------------------------------------------- the pause (第三十三条第三款)

@at(D(2026, 10, 16))
def test_third_party_pause_moves_the_due_date_by_the_working_days_consulted(application, gongan_clerk):
    assert application.due_date == DUE
    application = consult(application, gongan_clerk, D(2026, 10, 12))
    assert application.due_date == D(2026, 11, 20) == add_working_days(DUE, 15)  # while open: all 15 days

    application = workflow.record_third_party_answer(
        application, by=gongan_clerk, answered_on=D(2026, 10, 16), outcome=O.CONSENTED, opinion="同意公开",
    )

    # Monday 10-12 to Friday 10-16: 4 working days, so Friday 10-30 becomes Thursday 11-05.
    assert application.third_party_paused_days == 4
    assert application.due_date == D(2026, 11, 5) == add_working_days(DUE, 4)
    assert application.state == "registered" and application.consultations.get().outcome == O.CONSENTED


@at(D(2026, 11, 6))
def test_agency_pause_moves_the_due_date_by_the_working_days_consulted(application, gongan_clerk):
    application = consult_agency(application, gongan_clerk, D(2026, 10, 19))
    assert application.due_date == add_working_days(DUE, 15)

    application = workflow.record_agency_answer(
        application, by=gongan_clerk, answered_on=D(2026, 11, 6), outcome=O.OBJECTED, opinion="涉及正在研究的事项，不同意公开",
    )

    # Monday 10-19 to Friday 11-06: 14 working days.
    assert application.third_party_paused_days == 14
    assert application.due_date == add_working_days(DUE, 14) == D(2026, 11, 19)
    assert application.events.latest("pk").action == "agency_answered"


@at(D(2026, 11, 27))
def test_the_pause_is_at_most_15_working_days_for_an_agency_answering_late(application, gongan_clerk):
    application = consult_agency(application, gongan_clerk, D(2026, 10, 19))
    application = workflow.record_agency_answer(
        application, by=gongan_clerk, answered_on=D(2026, 11, 27), outcome=O.CONSENTED, opinion="同意公开",
    )
    assert application.third_party_paused_days == 15
    assert application.due_date == add_working_days(DUE, 15) == D(2026, 11, 20)


@at(D(2026, 11, 27))
def test_two_consultations_one_after_the_other_each_pause_the_clock(application, gongan_clerk):
    application = consult(application, gongan_clerk, D(2026, 10, 12))
    application = workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 16), outcome=O.CONSENTED)
    application = consult_agency(application, gongan_clerk, D(2026, 10, 19))
    application = workflow.record_agency_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 21), outcome=O.CONSENTED)
    assert application.third_party_paused_days == 4 + 2
    assert application.due_date == add_working_days(DUE, 6)
    assert application.consultations.count() == 2


# ---------------------------------------------------------------- 逾期未提出意见

@at(D(2026, 11, 2))
def test_third_party_no_opinion_is_refused_until_the_15_working_days_have_passed(application, gongan_clerk):
    consult(application, gongan_clerk, D(2026, 10, 12))  # reply by 2026-11-02
    before = snapshot(application)
    with pytest.raises(WorkflowError, match="期限至2026年11月2日届满，届满前不能按“逾期未提出意见”登记"):
        workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 11, 2), outcome=O.NO_OPINION)
    assert snapshot(application) == before


@at(D(2026, 11, 3))
def test_third_party_no_opinion_is_accepted_after_the_15_working_days(application, gongan_clerk):
    consult(application, gongan_clerk, D(2026, 10, 12))
    application = workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 11, 3), outcome=O.NO_OPINION)
    consultation = application.consultations.get()
    assert consultation.outcome == O.NO_OPINION and not consultation.deemed_consent
    assert application.third_party_paused_days == 15 and application.due_date == add_working_days(DUE, 15)
    assert "逾期未提出意见" in application.events.latest("pk").note


@at(D(2026, 11, 10))
def test_agency_no_opinion_after_its_15_working_days_is_recorded_as_deemed_consent(application, gongan_clerk):
    consult_agency(application, gongan_clerk, D(2026, 10, 19))  # reply by 2026-11-09
    with pytest.raises(WorkflowError, match="届满前不能按“逾期未提出意见”登记"):
        workflow.record_agency_answer(application, by=gongan_clerk, answered_on=D(2026, 11, 9), outcome=O.NO_OPINION)

    application = workflow.record_agency_answer(application, by=gongan_clerk, answered_on=D(2026, 11, 10), outcome=O.NO_OPINION)

    consultation = application.consultations.get()
    assert consultation.deemed_consent and consultation.outcome_display == "逾期未提出意见（视为同意公开）"
    note = application.events.latest("pk").note
    assert "视为同意公开" in note and "第三十四条" in note
    assert application.third_party_paused_days == 15


@at(D(2026, 11, 10))
def test_the_answer_step_must_match_the_open_consultation(application, gongan_clerk):
    consult_agency(application, gongan_clerk, D(2026, 10, 19))
    with pytest.raises(WorkflowError, match="该申请未在征求第三方意见"):
        workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 11, 10), outcome=O.CONSENTED)
    application.refresh_from_db()
    assert permissions.available_steps(gongan_clerk, application) == ["record_agency_answer", "propose_extension", "withdraw"]


# ---------------------------------------------------------------- disclosing over an objection

def objected_and_disclosed(application, clerk, reviewer, reply_type=ReplyType.DISCLOSED):
    consult(application, clerk, D(2026, 10, 12))
    workflow.record_third_party_answer(
        application, by=clerk, answered_on=D(2026, 10, 16), outcome=O.OBJECTED, opinion="涉及本公司商业秘密，不同意公开",
    )
    fields = {"reply_text": "提供排污许可执行报告"}
    workflow.draft_reply(application, by=clerk, reply_type=reply_type, **fields)
    return workflow.approve_reply(application, by=reviewer)


NOTICE = {"content": "该公司2025年度排污许可执行报告（含原料配比）", "reasons": "原料配比关系周边居民饮用水安全，不公开可能对公共利益造成重大影响"}


@at(D(2026, 10, 20))
def test_reply_disclosing_over_an_objection_is_not_sent_before_the_third_party_is_told(application, gongan_clerk, gongan_reviewer):
    objected_and_disclosed(application, gongan_clerk, gongan_reviewer)
    application.refresh_from_db()
    assert permissions.available_steps(gongan_clerk, application) == ["notify_disclosure", "send_reply", "withdraw"]
    before = snapshot(application)

    with pytest.raises(WorkflowError, match=r"第三方（青禾县恒达建材有限公司）不同意公开.*政府信息决定公开告知书"):
        workflow.send_reply(application, by=gongan_clerk, sent_on=D(2026, 10, 20))
    assert snapshot(application) == before

    workflow.notify_disclosure(application, by=gongan_clerk, sent_on=D(2026, 10, 20), **NOTICE)
    notice = application.consultations.get().disclosure_notice
    assert notice.kind == LetterKind.DISCLOSURE_DECISION and notice.recipient == "青禾县恒达建材有限公司"
    assert "依告〔2026〕1号" in notice.number
    assert "含原料配比" in notice.text and "饮用水安全" in notice.text and "第三十二条" in notice.text
    application.refresh_from_db()
    assert "notify_disclosure" not in permissions.available_steps(gongan_clerk, application)

    application = workflow.send_reply(application, by=gongan_clerk, sent_on=D(2026, 10, 20))
    assert application.state == "replied"
    assert list(application.events.values_list("action", flat=True))[-2:] == ["disclosure_notified", "replied"]


@at(D(2026, 10, 20))
def test_partial_disclosure_over_an_objection_also_needs_the_notice(application, gongan_clerk, gongan_reviewer, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    consult(application, gongan_clerk, D(2026, 10, 12))
    workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 16), outcome=O.OBJECTED, opinion="不同意")
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.PARTIALLY_DISCLOSED, reply_text="删除了个人信息",
                         redacted_file=SimpleUploadedFile("报告.pdf", pdf_bytes(), content_type="application/pdf"))
    workflow.approve_reply(application, by=gongan_reviewer)
    with pytest.raises(WorkflowError, match="政府信息决定公开告知书"):
        workflow.send_reply(application, by=gongan_clerk, sent_on=D(2026, 10, 20))


@at(D(2026, 10, 20))
def test_withholding_to_protect_the_third_party_needs_no_disclosure_notice(application, gongan_clerk, gongan_reviewer):
    consult(application, gongan_clerk, D(2026, 10, 12))
    workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 16), outcome=O.OBJECTED, opinion="不同意")
    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.WITHHELD_THIRD_PARTY, reply_text="涉及商业秘密")
    application = workflow.approve_reply(application, by=gongan_reviewer)
    assert "notify_disclosure" not in permissions.available_steps(gongan_clerk, application)
    with pytest.raises(WorkflowError, match="没有不同意公开、且须书面告知决定公开的第三方"):
        workflow.notify_disclosure(application, by=gongan_clerk, sent_on=D(2026, 10, 20), **NOTICE)
    assert workflow.send_reply(application, by=gongan_clerk, sent_on=D(2026, 10, 20)).state == "replied"


@at(D(2026, 10, 20))
def test_send_reply_through_the_admin_names_the_missing_notice_then_goes_through(client, application, gongan_clerk, gongan_reviewer):
    objected_and_disclosed(application, gongan_clerk, gongan_reviewer)
    client.force_login(gongan_clerk)
    before = snapshot(application)

    refused = client.post(step_url(application, "send_reply"), {"sent_on": "2026-10-20", "note": "邮寄送达，挂号信XA123"})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "须先将决定公开的政府信息内容和理由书面告知第三方" in page and "邮寄送达，挂号信XA123</textarea>" in page
    assert snapshot(application) == before

    assert client.post(step_url(application, "notify_disclosure"), {"sent_on": "2026-10-20", **NOTICE}).status_code == 302
    assert client.post(step_url(application, "send_reply"), {"sent_on": "2026-10-20", "note": "邮寄送达"}).status_code == 302
    assert Application.objects.get(pk=application.pk).state == "replied"


# ---------------------------------------------------------------- the admin steps and bad input

@at(D(2026, 10, 16))
def test_consultation_steps_through_the_admin_as_the_clerk(client, application, gongan_clerk):
    client.force_login(gongan_clerk)
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()
    assert "征求第三方意见" in page and "征求其他行政机关意见" in page

    response = client.post(step_url(application, "consult_agency"), {"sent_on": "2026-10-12", **AGENCY})
    assert response.status_code == 302
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/").content.decode()
    assert "登记其他行政机关意见" in page and "逾期未提出意见（视为同意公开）" in page
    response = client.post(step_url(application, "record_agency_answer"), {
        "answered_on": "2026-10-16", "outcome": "consented", "opinion": "同意公开"})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).due_date == add_working_days(DUE, 4)


@at(D(2026, 10, 16))
@pytest.mark.parametrize(
    "step, data, message",
    [
        ("consult_third_party", {"sent_on": "2026-09-25"}, "征求意见发出日期不能早于计时起算日（2026-09-28）"),
        ("consult_third_party", {"sent_on": "2026-10-19"}, "征求意见发出日期不能晚于今天（2026-10-16）"),
        ("consult_third_party", {"sent_on": "2026-10-12", "consultee": ""}, "请填写征求意见的第三方名称"),
        ("consult_third_party", {"sent_on": "2026-10-12", "reasons": ""}, "请写明公开可能损害第三方合法权益的情况"),
        ("consult_agency", {"sent_on": "2026-10-12", "consultee": " "}, "请填写征求意见的其他行政机关名称"),
        ("consult_agency", {"sent_on": "2026-10-12", "matter": ""}, "请写明征求意见的事项"),
    ],
)
def test_a_refused_consultation_is_shown_again_with_what_was_typed(client, application, gongan_clerk, step, data, message):
    client.force_login(gongan_clerk)
    before = snapshot(application)
    typed = {**(THIRD_PARTY if step == "consult_third_party" else AGENCY), **data}

    response = client.post(step_url(application, step), typed)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # What was typed is still there.
    assert f"{typed['matter']}</textarea>" in page if typed["matter"] else f'value="{typed["consultee"]}"' in page
    assert snapshot(application) == before
    assert not application.consultations.exists()


@at(D(2026, 10, 16))
@pytest.mark.parametrize(
    "data, message",
    [
        ({"answered_on": "2026-10-09", "outcome": "consented"}, "第三方答复日期不能早于征求意见发出日期（2026-10-12）"),
        ({"answered_on": "2026-10-20", "outcome": "consented"}, "第三方答复日期不能晚于今天（2026-10-16）"),
        ({"answered_on": "2026-10-16", "outcome": ""}, "请选择第三方的意见"),
        ({"answered_on": "2026-10-16", "outcome": "objected"}, "请填写第三方不同意公开的理由"),
        ({"answered_on": "2026-10-16", "outcome": "no_opinion"}, "届满前不能按“逾期未提出意见”登记"),
    ],
)
def test_a_refused_third_party_answer_changes_nothing(client, application, gongan_clerk, data, message):
    consult(application, gongan_clerk, D(2026, 10, 12))
    client.force_login(gongan_clerk)
    before = snapshot(application)

    response = client.post(step_url(application, "record_third_party_answer"), {"note": "", "opinion": "", **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(application) == before


@at(D(2026, 10, 20))
def test_a_refused_disclosure_notice_keeps_what_was_typed(client, application, gongan_clerk, gongan_reviewer):
    objected_and_disclosed(application, gongan_clerk, gongan_reviewer)
    client.force_login(gongan_clerk)
    before = snapshot(application)
    response = client.post(step_url(application, "notify_disclosure"), {"sent_on": "2026-10-20", "content": NOTICE["content"], "reasons": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请写明决定公开的理由" in page and f"{NOTICE['content']}</textarea>" in page
    assert snapshot(application) == before


def test_the_education_clerk_cannot_consult_for_the_police(client, application, jiaoyu_clerk):
    client.force_login(jiaoyu_clerk)
    response = client.post(step_url(application, "consult_third_party"), {"sent_on": "2026-10-12", **THIRD_PARTY})
    assert response.status_code in (403, 404)
    assert not application.consultations.exists()


# ---------------------------------------------------------------- the files

def made_one_of_each(application, clerk, reviewer):
    objected_and_disclosed(application, clerk, reviewer)
    workflow.notify_disclosure(application, by=clerk, sent_on=D(2026, 10, 21), **NOTICE)
    return workflow.send_reply(application, by=clerk, sent_on=D(2026, 10, 21))


def test_shipped_templates_of_the_new_kinds_fill_in_with_their_samples():
    for kind in letters.NOT_TO_APPLICANT:
        letters.check_template(kind, letters.shipped_template(kind))  # raises LetterError when not


@at(D(2026, 10, 21))
def test_the_new_letters_open_with_python_docx(application, gongan_clerk, gongan_reviewer, gongan):
    made_one_of_each(application, gongan_clerk, gongan_reviewer)
    other = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))
    consult_agency(other, gongan_clerk, D(2026, 10, 12))
    for kind in letters.NOT_TO_APPLICANT:
        letter = Application.objects.get(pk=(other if kind == LetterKind.AGENCY_CONSULTATION else application).pk).letters.get(kind=kind)
        document = docx.Document(io.BytesIO(letter_bytes(letter)))
        paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
        assert paragraphs[0] == kind.label and paragraphs[1] == letter.number
        assert document.core_properties.title == kind.label


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@at(D(2026, 10, 21))
def test_one_letter_of_each_new_kind_converts_to_pdf_with_its_text(application, gongan_clerk, gongan_reviewer, gongan, tmp_path):
    made_one_of_each(application, gongan_clerk, gongan_reviewer)
    other = make_application(gongan, gongan_clerk, arrived_on=D(2026, 10, 9))
    consult_agency(other, gongan_clerk, D(2026, 10, 12))
    expected = {
        LetterKind.THIRD_PARTY_CONSULTATION: (application, ["征求第三方意见书", "自收到本意见书之日起15个工作日内", "可能涉及商业秘密"]),
        LetterKind.AGENCY_CONSULTATION: (other, ["政府信息公开征求意见书", "逾期未提出意见的，视为同意公开", "青禾县交通运输局"]),
        LetterKind.DISCLOSURE_DECISION: (application, ["政府信息决定公开告知书", "决定公开的理由", "饮用水安全"]),
    }
    out = tmp_path / "pdf"
    out.mkdir()
    paths = []
    for kind, (owner, _words) in expected.items():
        paths.append(out / f"{kind.value}.docx")
        paths[-1].write_bytes(letter_bytes(owner.letters.get(kind=kind)))
    texts = pdf_texts(paths, out)
    for kind, (_owner, words) in expected.items():
        for word in words:
            assert word in texts[kind.value], (kind, word)


@at(D(2026, 10, 16))
def test_an_application_waiting_for_a_third_party_before_the_migration_can_record_the_answer(application, gongan_clerk):
    """Migration 0010 gives an application in 征求意见中 without a Consultation (consulted before they were
    recorded) its row, from the event that opened it, so the answer can be recorded and counted."""
    import importlib

    from django.apps import apps

    from requests_app.models import ApplicationEvent

    Application.objects.filter(pk=application.pk).update(state="third_party", third_party_sent_on=D(2026, 10, 12))
    ApplicationEvent.objects.create(application=application, action="third_party_consulted", from_state="registered",
                                    to_state="third_party", actor=gongan_clerk, on=D(2026, 10, 12), note="征求某公司意见")
    importlib.import_module("requests_app.migrations.0012_consultations").open_consultations(apps, None)

    consultation = application.consultations.get()
    assert consultation.matter == "征求某公司意见" and consultation.reply_by == D(2026, 11, 2) and consultation.is_open
    application = workflow.record_third_party_answer(application, by=gongan_clerk, answered_on=D(2026, 10, 16), outcome=O.CONSENTED)
    assert application.third_party_paused_days == 4 and application.state == "registered"
