"""The remedy paragraph of every reply letter, reply type by reply type, for an ordinary department and
for a vertically managed one: 复议前置 for 不予公开 (《行政复议法》2023 第二十三条) and for the withheld part
of 部分公开; the choice of 行政复议 or 行政诉讼 otherwise; the reconsideration body by 第二十四条 and
第二十七条. Letters are drafted through the workflow and read back from the stored .docx."""

import datetime
import io
import shutil

import docx
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from portal.models import Organisation, Staff
from requests_app import workflow
from requests_app.models import REPLY_REQUIREMENTS, Application, ReplySettings, ReplyType
from tests.factories import make_application, make_organisation, make_staff, pdf_bytes, pdf_texts, reply_letter_bytes

R = ReplyType
TODAY = datetime.datetime(2026, 10, 30, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))

# Written out here, not read from remedies.py, so that a wrong rule or a wrong word fails a test.
FIRST = "reconsideration_first"
WITHHELD_PART_FIRST = "withheld_part_first"
CHOICE = "choice"
EXPECTED_REMEDY = {
    R.ALREADY_PUBLIC: CHOICE,
    R.DISCLOSED: CHOICE,
    R.PARTIALLY_DISCLOSED: WITHHELD_PART_FIRST,
    R.WITHHELD_STATE_SECRET: FIRST,
    R.WITHHELD_LAW: FIRST,
    R.WITHHELD_THREE_SECURITIES: FIRST,
    R.WITHHELD_THIRD_PARTY: FIRST,
    R.WITHHELD_INTERNAL: FIRST,
    R.WITHHELD_PROCESS: FIRST,
    R.WITHHELD_ENFORCEMENT: FIRST,
    R.WITHHELD_QUERY: FIRST,
    R.UNAVAILABLE_NOT_HELD: CHOICE,
    R.NOT_THIS_BODY: CHOICE,
    R.UNAVAILABLE_NEEDS_CREATION: CHOICE,
    R.UNAVAILABLE_UNCLEAR: CHOICE,
    R.NOT_PROCESSED_PETITION: CHOICE,
    R.NOT_PROCESSED_REPEAT: CHOICE,
    R.NOT_PROCESSED_PUBLICATION: CHOICE,
    R.NOT_PROCESSED_EXCESSIVE: CHOICE,
    R.NOT_PROCESSED_CONFIRMATION: CHOICE,
    R.OTHER_NO_SUPPLEMENT: CHOICE,
    R.OTHER_FEE_UNPAID: CHOICE,
    R.OTHER: CHOICE,
}

PARAGRAPH = {
    CHOICE: "如对本答复不服，可以自收到本告知书之日起六十日内向{body}申请行政复议，或者在六个月内向{court}提起行政诉讼。",
    FIRST: (
        "根据《中华人民共和国行政复议法》第二十三条的规定，如对本答复不服，应当先自收到本告知书之日起六十日内向{body}申请行政复议；"
        "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
    ),
    WITHHELD_PART_FIRST: (
        "根据《中华人民共和国行政复议法》第二十三条的规定，如对本答复中不予公开的部分不服，应当先自收到本告知书之日起六十日内向"
        "{body}申请行政复议，对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼；"
        "如对本答复的其他内容不服，可以自收到本告知书之日起六十日内向{body}申请行政复议，或者在六个月内向{court}提起行政诉讼。"
    ),
}

ANSWERS = {
    "reply_text": "经认真核查，相关情况说明如下",
    "where_public": "青禾县人民政府门户网站“政府信息公开”栏目",
    "responsible_body": "青禾县交通运输局（联系电话：0539-7900220）",
}


@pytest.fixture(autouse=True)
def county_defaults(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REMEDY_RECONSIDERATION_BODY = "青禾县人民政府"
    settings.REMEDY_COURT = "青禾县人民法院"


@pytest.fixture
def shuiwu(county):
    organisation = make_organisation("国家税务总局青禾县税务局", parent=county, short_name="县税务局")
    ReplySettings.objects.create(
        organisation=organisation, is_vertically_managed=True, superior_authority="国家税务总局青禾市税务局"
    )
    return organisation


@pytest.fixture
def shuiwu_clerk(shuiwu):
    return make_staff("shuiwu_clerk", shuiwu, Staff.Role.CLERK)


def drafted(organisation, clerk, reply_type, **answers):
    """An application received on 2026-10-09 and answered with `reply_type` by `clerk`, through the workflow."""
    application = make_application(organisation, clerk, arrived_on=datetime.date(2026, 10, 9))
    details = {field: ANSWERS[field] for field in REPLY_REQUIREMENTS.get(reply_type, {}) if field in ANSWERS}
    details.update(answers)
    if "redacted_file" in REPLY_REQUIREMENTS.get(reply_type, {}):
        details["redacted_file"] = ContentFile(pdf_bytes(), name="redacted.pdf")
    # The replies that rest on an earlier step get it first (条例第三十条、第三十五条).
    if reply_type in (ReplyType.UNAVAILABLE_UNCLEAR, ReplyType.OTHER_NO_SUPPLEMENT):
        application = workflow.request_supplement(application, by=clerk, note="请写明年份", on=datetime.date(2026, 10, 9))
    if reply_type == ReplyType.UNAVAILABLE_UNCLEAR:
        application = workflow.record_supplement(application, by=clerk, received_on=datetime.date(2026, 10, 12))
    if reply_type == ReplyType.OTHER_NO_SUPPLEMENT:
        application.supplement_due = datetime.date(2026, 10, 29)  # as if the period given had been 14 working days
        application.save(update_fields=["supplement_due"])
    if reply_type == ReplyType.NOT_PROCESSED_EXCESSIVE:
        application = workflow.request_reasons(application, by=clerk, on=datetime.date(2026, 10, 12), note="请说明理由")
    if reply_type == ReplyType.OTHER_FEE_UNPAID:
        with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))):
            application = workflow.notify_fee(application, by=clerk, method="by_quantity", pages=260,
                                              on=datetime.date(2026, 10, 9))
        application.fee_due = datetime.date(2026, 10, 29)  # as if the period had been shorter
        application.save(update_fields=["fee_due"])
    return workflow.draft_reply(application, by=clerk, reply_type=reply_type, **details)


def letter_paragraphs(application):
    return [paragraph.text for paragraph in docx.Document(io.BytesIO(reply_letter_bytes(application))).paragraphs]


def remedy_of(paragraphs):
    """The paragraph before 特此告知。: where every letter puts its remedy."""
    return paragraphs[paragraphs.index("特此告知。") - 1]


@time_machine.travel(TODAY)
@pytest.mark.parametrize("reply_type", list(ReplyType), ids=[t.value for t in ReplyType])
def test_ordinary_department_letter_names_the_county_government_and_the_county_court(
    gongan, gongan_clerk, reply_type
):
    """《行政复议法》第二十四条: a county department's replies go to the county government."""
    application = drafted(gongan, gongan_clerk, reply_type)

    expected = PARAGRAPH[EXPECTED_REMEDY[reply_type]].format(body="青禾县人民政府", court="青禾县人民法院")
    assert remedy_of(letter_paragraphs(application)) == expected


@time_machine.travel(TODAY)
@pytest.mark.parametrize("reply_type", list(ReplyType), ids=[t.value for t in ReplyType])
def test_vertically_managed_body_letter_names_its_superior_not_the_county_government(
    shuiwu, shuiwu_clerk, reply_type
):
    """《行政复议法》第二十七条: 税务 → 上一级主管部门 (国家税务总局青禾市税务局); the suit stays with the
    court where the bureau sits (《行政诉讼法》第十八条)."""
    application = drafted(shuiwu, shuiwu_clerk, reply_type)

    paragraphs = letter_paragraphs(application)
    expected = PARAGRAPH[EXPECTED_REMEDY[reply_type]].format(body="国家税务总局青禾市税务局", court="青禾县人民法院")
    assert remedy_of(paragraphs) == expected
    assert "青禾县人民政府" not in remedy_of(paragraphs)


@time_machine.travel(TODAY)
def test_county_government_names_the_city_government_and_the_intermediate_court(county, superuser):
    """The county government's own replies go up a level: 上一级人民政府, and 中级人民法院 (《行政诉讼法》第十五条)."""
    clerk = make_staff("county_clerk", county, Staff.Role.CLERK)
    ReplySettings.objects.create(organisation=county, superior_authority="青禾市人民政府")

    application = drafted(county, clerk, ReplyType.WITHHELD_PROCESS)

    assert remedy_of(letter_paragraphs(application)) == PARAGRAPH[FIRST].format(body="青禾市人民政府", court="")
    disclosed = drafted(county, clerk, ReplyType.DISCLOSED)
    assert remedy_of(letter_paragraphs(disclosed)) == PARAGRAPH[CHOICE].format(
        body="青禾市人民政府", court="有管辖权的中级人民法院"
    )


@time_machine.travel(TODAY)
def test_county_government_without_settings_never_names_itself(county):
    clerk = make_staff("county_clerk", county, Staff.Role.CLERK)

    remedy = remedy_of(letter_paragraphs(drafted(county, clerk, ReplyType.DISCLOSED)))

    assert remedy == PARAGRAPH[CHOICE].format(body="上一级人民政府", court="有管辖权的中级人民法院")


@time_machine.travel(TODAY)
def test_township_names_the_county_government(county):
    township = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county)
    clerk = make_staff("lhz_clerk", township, Staff.Role.CLERK)

    remedy = remedy_of(letter_paragraphs(drafted(township, clerk, ReplyType.DISCLOSED)))

    assert remedy == PARAGRAPH[CHOICE].format(body="青禾县人民政府", court="青禾县人民法院")


@time_machine.travel(TODAY)
def test_reply_settings_override_wins_over_the_rule(shuiwu, shuiwu_clerk):
    shuiwu.reply_settings.reconsideration_body = "国家税务总局山东省税务局"
    shuiwu.reply_settings.court = "青禾市青山区人民法院"
    shuiwu.reply_settings.save()

    remedy = remedy_of(letter_paragraphs(drafted(shuiwu, shuiwu_clerk, ReplyType.DISCLOSED)))

    assert remedy == PARAGRAPH[CHOICE].format(body="国家税务总局山东省税务局", court="青禾市青山区人民法院")


def test_vertically_managed_body_must_name_its_superior(gongan):
    settings_row = ReplySettings(organisation=gongan, is_vertically_managed=True)

    with pytest.raises(ValidationError) as error:
        settings_row.full_clean()
    assert "实行垂直领导的机关须填写上一级主管部门（行政复议机关）" in error.value.message_dict["superior_authority"]
    with pytest.raises(IntegrityError), transaction.atomic():
        settings_row.save()


def test_reply_settings_form_in_the_admin_refuses_a_vertical_body_without_superior(client, superuser, gongan):
    client.force_login(superuser)

    response = client.post("/admin/requests_app/replysettings/add/", {
        "organisation": gongan.pk, "is_vertically_managed": "on", "superior_authority": "",
        "reconsideration_body": "", "court": "",
    })

    assert response.status_code == 400  # portal.admin.RefusedFormIs400
    assert "实行垂直领导的机关须填写上一级主管部门" in response.content.decode()
    assert not ReplySettings.objects.exists()


def test_reply_settings_list_shows_what_the_letters_print(
    client, superuser, shuiwu, gongan, county, django_assert_max_num_queries
):
    ReplySettings.objects.create(organisation=gongan, court="青禾市青山区人民法院")
    for n in range(5):
        ReplySettings.objects.create(organisation=make_organisation(f"青禾县第{n}局", parent=county), court="青禾县人民法院")
    client.force_login(superuser)

    with django_assert_max_num_queries(13):  # +1 the TOTP device; not one query per row for the county government
        page = client.get("/admin/requests_app/replysettings/").content.decode()

    assert "国家税务总局青禾市税务局" in page
    assert "青禾县人民政府" in page
    assert "青禾市青山区人民法院" in page


@time_machine.travel(TODAY)
def test_not_this_body_needs_the_responsible_body_and_a_reason(gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, arrived_on=datetime.date(2026, 10, 9))

    with pytest.raises(workflow.WorkflowError) as error:
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.NOT_THIS_BODY, reply_text="不属于本机关职责")
    assert error.value.field == "responsible_body"
    assert str(error.value) == "请写明负责公开该信息的行政机关名称及联系方式"
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.NOT_THIS_BODY, responsible_body="县交通运输局")
    assert error.value.field == "reply_text"
    application.refresh_from_db()
    assert application.state == Application.State.REGISTERED


def test_not_this_body_is_counted_as_not_held_in_the_annual_report():
    assert ReplyType.NOT_THIS_BODY.report_row == ReplyType.UNAVAILABLE_NOT_HELD.report_row
    assert ReplyType.NOT_THIS_BODY.report_row == "（四）无法提供 1.本机关不掌握相关政府信息"
    assert ReplyType.NOT_THIS_BODY.group == "unavailable"


def test_every_reply_type_has_a_report_row_of_table_three():
    rows = {reply_type.report_row for reply_type in ReplyType}
    # Table 三 (国办公开办函〔2021〕30号) has 1 + 1 + 8 + 3 + 5 + 3 result rows.
    assert len(rows) == 21
    assert ReplyType.ALREADY_PUBLIC.report_row == ReplyType.DISCLOSED.report_row == "（一）予以公开"


def test_other_processing_labels_are_the_annual_report_words():
    assert ReplyType.OTHER_NO_SUPPLEMENT.label == "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert ReplyType.OTHER_FEE_UNPAID.label == "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@time_machine.travel(TODAY)
def test_one_letter_of_each_remedy_kind_converts_to_pdf_with_its_paragraph(gongan, gongan_clerk, tmp_path):
    expected = {R.DISCLOSED: CHOICE, R.WITHHELD_THIRD_PARTY: FIRST, R.PARTIALLY_DISCLOSED: WITHHELD_PART_FIRST}
    paths = []
    for reply_type in expected:
        paths.append(tmp_path / f"{reply_type.value}.docx")
        paths[-1].write_bytes(reply_letter_bytes(drafted(gongan, gongan_clerk, reply_type)))

    texts = pdf_texts(paths, tmp_path)

    for reply_type, kind in expected.items():
        assert "政府信息公开申请答复告知书" in texts[reply_type.value]
        assert PARAGRAPH[kind].format(body="青禾县人民政府", court="青禾县人民法院") in texts[reply_type.value], reply_type


@time_machine.travel(TODAY)
def test_clerk_drafts_a_not_this_body_reply_in_the_admin_and_is_told_what_is_missing(client, gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, arrived_on=datetime.date(2026, 10, 9))
    client.force_login(gongan_clerk)
    url = f"/admin/requests_app/application/{application.pk}/step/draft_reply/"

    refused = client.post(url, {"reply_type": "not_this_body", "reply_text": "城区交通信号灯由交通运输部门设置和管理"})

    assert refused.status_code == 400
    assert "请写明负责公开该信息的行政机关名称及联系方式" in refused.content.decode()
    response = client.post(url, {
        "reply_type": "not_this_body", "reply_text": "城区交通信号灯由交通运输部门设置和管理",
        "responsible_body": "青禾县交通运输局（联系电话：0539-7900220）",
    })
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.REPLY_DRAFTED
    paragraphs = letter_paragraphs(application)
    assert any("第三十六条第（五）项" in paragraph and "青禾县交通运输局（联系电话：0539-7900220）" in paragraph for paragraph in paragraphs)
    assert remedy_of(paragraphs) == PARAGRAPH[CHOICE].format(body="青禾县人民政府", court="青禾县人民法院")
