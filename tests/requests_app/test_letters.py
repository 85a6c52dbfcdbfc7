"""The reply letter: every reply type states its decision on the right article of the 条例. The remedy
paragraph, reply type by reply type, is proved in test_remedies.py."""

import datetime
import io
from pathlib import Path

import docx
import pytest
import time_machine
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from tests import factories

from requests_app import letters, workflow
from requests_app.letters import fill, reply_variables, text_of
from requests_app.models import REPLY_REQUIREMENTS, Application, LetterKind, ReplySettings, ReplyType

R = ReplyType
# Written out here, not read from the module, so that a wrong article in letters.py fails a test.
EXPECTED_BASIS = {
    R.ALREADY_PUBLIC: ["第三十六条第（一）项", "已经主动公开"],
    R.DISCLOSED: ["第三十六条第（二）项", "本机关向你提供该政府信息"],
    R.PARTIALLY_DISCLOSED: ["第三十七条", "区分处理"],
    R.WITHHELD_STATE_SECRET: ["第十四条", "第三十六条第（三）项", "国家秘密", "不予公开"],
    R.WITHHELD_LAW: ["第十四条", "第三十六条第（三）项", "法律、行政法规禁止公开", "不予公开"],
    R.WITHHELD_THREE_SECURITIES: ["第十四条", "第三十六条第（三）项", "国家安全、公共安全、经济安全、社会稳定", "不予公开"],
    R.WITHHELD_THIRD_PARTY: ["第十五条", "第三十六条第（三）项", "第三方合法权益", "不予公开"],
    R.WITHHELD_INTERNAL: ["第十六条第一款", "第三十六条第（三）项", "内部事务信息", "不予公开"],
    R.WITHHELD_PROCESS: ["第十六条第二款", "第三十六条第（三）项", "过程性信息", "不予公开"],
    R.WITHHELD_ENFORCEMENT: ["第十六条第二款", "第三十六条第（三）项", "行政执法案卷", "不予公开"],
    R.WITHHELD_QUERY: ["第三十六条第（七）项", "依照有关法律、行政法规的规定办理"],
    R.UNAVAILABLE_NOT_HELD: ["第三十六条第（四）项", "不存在"],
    R.NOT_THIS_BODY: ["第三十六条第（五）项", "不属于本机关负责公开", "负责公开该政府信息的行政机关为青禾县交通运输局（联系电话：0539-7900220）"],
    R.UNAVAILABLE_NEEDS_CREATION: ["第三十八条", "加工、分析", "不予提供"],
    R.UNAVAILABLE_UNCLEAR: ["第三十条", "补正后申请内容仍不明确"],
    R.NOT_PROCESSED_PETITION: ["第三十九条第一款", "信访、投诉、举报"],
    R.NOT_PROCESSED_REPEAT: ["第三十六条第（六）项", "不予重复处理"],
    R.NOT_PROCESSED_PUBLICATION: ["第三十九条第二款", "公开出版物"],
    R.NOT_PROCESSED_EXCESSIVE: ["第三十五条", "不予处理"],
    R.NOT_PROCESSED_CONFIRMATION: ["第三十九条", "国办公开办函〔2021〕30号", "确认或者重新出具"],
    R.OTHER_NO_SUPPLEMENT: ["第三十条", "逾期未补正", "不再处理"],
    R.OTHER_FEE_UNPAID: ["第四十二条", "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）", "不再处理"],
    R.OTHER: [],
}

REPLY_FIELDS = {
    "reply_text": "经认真核查，相关情况说明如下",
    "where_public": "青禾县人民政府门户网站“政府信息公开”栏目（http://www.qinghe.gov.cn/zfxxgk）",
    "redacted_file": "applications/2026/5f0c2b1e.pdf",
    "responsible_body": "青禾县交通运输局（联系电话：0539-7900220）",
}

REMEDY = "如对本答复不服，可以自收到本告知书之日起六十日内向{}申请行政复议，或者在六个月内向{}提起行政诉讼。"


@pytest.fixture(autouse=True)
def remedy_defaults(settings):
    settings.REMEDY_RECONSIDERATION_BODY = "青禾县人民政府"
    settings.REMEDY_COURT = "青禾县人民法院"


def make_application(organisation, reply_type, **fields):
    """An unsaved application to 县公安局, received 2026-10-09, answered 2026-10-30 with `reply_type`,
    carrying the fields REPLY_REQUIREMENTS asks of that type."""
    for field in REPLY_REQUIREMENTS.get(reply_type, {}):
        fields.setdefault(field, REPLY_FIELDS[field])
    values = {
        "tracking_number": "YSQ-2026-00042",
        "organisation": organisation,
        "applicant_kind": Application.ApplicantKind.PERSON,
        "applicant_name": "王秀英",
        "id_type": Application.IdType.RESIDENT_ID,
        "id_number": "11010519491231002X",
        "phone": "13800000000",
        "address": "青禾县城关镇人民路8号",
        "description": "2025年青禾县城区道路交通信号灯设置方案",
        "form_wanted": Application.Form.PAPER,
        "delivery": Application.Delivery.PICK_UP,
        "channel": Application.Channel.ONLINE,
        "arrived_on": datetime.date(2026, 10, 9),
        "receipt_date": datetime.date(2026, 10, 9),
        "reply_type": reply_type,
        "replied_on": datetime.date(2026, 10, 30),
        **fields,
    }
    return Application(**values)


def reply_letter(application):
    """The reply letter from the shipped template, as drafting makes it, for an unsaved application."""
    number = f"{application.organisation.short_name}依复〔2026〕42号"
    return fill(application, LetterKind.REPLY, number=number, dated=application.replied_on or datetime.date(2026, 10, 30),
                context=reply_variables(application))


def letter_text(application):
    return text_of(reply_letter(application))


def docx_paragraphs(data):
    return list(docx.Document(io.BytesIO(data)).paragraphs)


def docx_text(data):
    return "\n".join(paragraph.text for paragraph in docx_paragraphs(data))


def test_every_reply_type_has_a_decision_in_the_shipped_template():
    source = (Path(letters.__file__).parent / "letter_templates" / "reply.txt").read_text()
    for reply_type in ReplyType:
        if reply_type != ReplyType.OTHER:  # the else branch: staff's own text
            assert f'reply_type == "{reply_type.value}" %}}' in source, reply_type


@pytest.mark.parametrize("reply_type", list(ReplyType), ids=[t.value for t in ReplyType])
def test_letter_states_the_decision_and_its_article(gongan, reply_type):
    application = make_application(gongan, reply_type)

    text = docx_text(reply_letter(application))

    assert text.startswith("政府信息公开申请答复告知书\n县公安局依复〔2026〕42号\n王秀英：\n")
    assert "本机关于2026年10月9日收到你提出的政府信息公开申请，申请获取“2025年青禾县城区道路交通信号灯设置方案”。" in text
    for words in EXPECTED_BASIS[reply_type]:
        assert words in text
    if reply_type != ReplyType.OTHER:
        assert "《中华人民共和国政府信息公开条例》" in text
    if "reply_text" in REPLY_REQUIREMENTS[reply_type]:
        assert "经认真核查，相关情况说明如下" in text
    assert "申请行政复议" in text
    assert text.endswith("特此告知。\n青禾县公安局\n2026年10月30日\n联系电话：0539-7900110")


def test_docx_has_exactly_the_paragraphs_of_the_text(gongan):
    application = make_application(
        gongan, ReplyType.PARTIALLY_DISCLOSED, description="1. 设置方案\n2. 验收报告", reply_text="第一段理由。\n\n第二段理由。"
    )

    paragraphs = [paragraph.text for paragraph in docx_paragraphs(reply_letter(application))]

    assert [p for p in paragraphs if p.strip()] == letter_text(application).split("\n")
    assert "第二段理由。" in paragraphs
    assert "申请获取“1. 设置方案 2. 验收报告”。" in paragraphs[3]


def test_reply_settings_override_the_remedy_bodies(gongan):
    ReplySettings.objects.create(organisation=gongan, reconsideration_body="青禾市人民政府", court="青禾市青山区人民法院")
    application = make_application(gongan, ReplyType.DISCLOSED)

    text = docx_text(reply_letter(application))

    assert REMEDY.format("青禾市人民政府", "青禾市青山区人民法院") in text
    assert "青禾县人民法院" not in text


def test_department_without_reply_settings_names_its_county_government_and_the_default_court(gongan, settings):
    """《行政复议法》第二十四条: the county government of the organisation tree, not a setting."""
    settings.REMEDY_RECONSIDERATION_BODY = "某某县人民政府"
    settings.REMEDY_COURT = "青禾县人民法院"
    application = make_application(gongan, ReplyType.DISCLOSED)

    assert REMEDY.format("青禾县人民政府", "青禾县人民法院") in letter_text(application)


def test_not_this_body_names_the_body_responsible_for_disclosing(gongan):
    application = make_application(gongan, ReplyType.NOT_THIS_BODY, reply_text="城区交通信号灯由交通运输部门设置和管理")

    text = docx_text(reply_letter(application))

    assert (
        "经审查，你申请获取的政府信息不属于本机关负责公开：城区交通信号灯由交通运输部门设置和管理。根据《中华人民共和国政府信息公开条例》"
        "第三十六条第（五）项的规定，现告知你负责公开该政府信息的行政机关为青禾县交通运输局（联系电话：0539-7900220），你可以向该机关提出申请。"
    ) in text.split("\n")


def test_not_held_cites_item_four_only(gongan):
    """Item (五) is its own reply type now: a 不掌握 letter never cites it, even with a body entered."""
    text = letter_text(make_application(gongan, ReplyType.UNAVAILABLE_NOT_HELD, responsible_body="青禾县交通运输局"))

    assert "第三十六条第（四）项" in text
    assert "第三十六条第（五）项" not in text
    assert "青禾县交通运输局" not in text


def test_already_public_tells_where_to_get_it(gongan):
    application = make_application(gongan, ReplyType.ALREADY_PUBLIC, where_public="《青禾县人民政府公报》2026年第3期。")

    text = docx_text(reply_letter(application))

    assert "现告知你获取该政府信息的方式和途径：《青禾县人民政府公报》2026年第3期。" in text
    assert "。。" not in text


def test_already_public_keeps_an_explanation_staff_added(gongan):
    application = make_application(gongan, ReplyType.ALREADY_PUBLIC, reply_text="该方案已于2026年5月8日发布。")

    assert "\n该方案已于2026年5月8日发布。\n" in letter_text(application)


def test_organisation_applicant_is_addressed_as_your_organisation(gongan):
    application = make_application(
        gongan, ReplyType.WITHHELD_THIRD_PARTY, applicant_kind=Application.ApplicantKind.ORGANISATION,
        applicant_name="青禾县明德律师事务所", organisation_category=Application.OrganisationCategory.LEGAL_SERVICE,
    )

    text = docx_text(reply_letter(application))

    assert "青禾县明德律师事务所：" in text
    assert "收到你单位提出的政府信息公开申请" in text
    assert "你单位申请获取的政府信息涉及商业秘密、个人隐私等" in text


def test_person_is_addressed_as_you(gongan):
    text = letter_text(make_application(gongan, ReplyType.WITHHELD_INTERNAL))

    assert "收到你提出的政府信息公开申请" in text
    assert "你单位" not in text


def test_document_number_sought_follows_the_description(gongan):
    application = make_application(gongan, ReplyType.DISCLOSED, document_number_sought="青公发〔2025〕12号")

    assert "申请获取“2025年青禾县城区道路交通信号灯设置方案”（文号：青公发〔2025〕12号）。" in letter_text(application)


def test_disclosed_and_partially_disclosed_name_the_attached_information(gongan):
    partial = make_application(gongan, ReplyType.PARTIALLY_DISCLOSED)
    disclosed = make_application(gongan, ReplyType.DISCLOSED)
    withheld = make_application(gongan, ReplyType.WITHHELD_PROCESS)

    # The stored file's generated name never appears: the letter reads the same whenever shown again.
    assert "附件：区分处理后的政府信息" in letter_text(partial).split("\n")
    assert "5f0c2b1e" not in letter_text(partial)
    assert "附件：所申请公开的政府信息" in letter_text(disclosed).split("\n")
    assert "附件：" not in letter_text(withheld)


@time_machine.travel(datetime.datetime(2026, 10, 31, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
def test_a_drafted_letter_is_dated_the_day_it_was_drafted_in_china(gongan, gongan_clerk):
    """2026-10-31 00:30 in Beijing is still 10-30 in UTC: the letter carries the local date."""
    application = factories.make_application(gongan, gongan_clerk, arrived_on=datetime.date(2026, 10, 9))

    workflow.draft_reply(application, by=gongan_clerk, reply_type=ReplyType.DISCLOSED, reply_text="见附件")

    letter = application.letters.get(kind="reply")
    assert letter.dated == datetime.date(2026, 10, 31)
    assert "\n青禾县公安局\n2026年10月31日\n" in letter.text


def test_signature_is_right_aligned_and_heading_centred(gongan):
    application = make_application(gongan, ReplyType.DISCLOSED)

    paragraphs = docx_paragraphs(reply_letter(application))

    assert paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [p.text for p in paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.RIGHT] == ["青禾县公安局", "2026年10月30日"]


def test_docx_is_a4_with_chinese_fonts(gongan):
    document = docx.Document(io.BytesIO(reply_letter(make_application(gongan, ReplyType.DISCLOSED))))

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 2.8
    heading_fonts = document.paragraphs[0].runs[0]._element.rPr.rFonts
    body_fonts = document.paragraphs[3].runs[0]._element.rPr.rFonts
    assert heading_fonts.get(qn("w:eastAsia")) == "黑体"
    assert body_fonts.get(qn("w:eastAsia")) == "仿宋"
    assert document.core_properties.author == "青禾县公安局"


def test_organisation_without_phone_has_no_contact_line(county):
    application = make_application(county, ReplyType.DISCLOSED)

    text = letter_text(application)

    assert text.startswith("政府信息公开申请答复告知书\n县政府依复〔2026〕42号\n")
    assert text.endswith("青禾县人民政府\n2026年10月30日")


@pytest.mark.parametrize("description, quoted", [
    ("申请获取2025年城乡低保名单。", "2025年城乡低保名单"),
    ("本人申请公开：青禾县2025年征地补偿标准；", "青禾县2025年征地补偿标准"),
    ("2025年户籍人口统计数据", "2025年户籍人口统计数据"),
])
def test_the_letter_quotes_the_request_without_repeating_its_verb_or_full_stop(gongan, description, quoted):
    text = letter_text(make_application(gongan, ReplyType.DISCLOSED, description=description))
    assert f"申请获取“{quoted}”。现答复如下：" in text
    assert "申请获取“申请" not in text and "。”" not in text


def test_a_reply_text_that_opens_with_jingshencha_is_not_said_twice(gongan):
    text = letter_text(make_application(gongan, ReplyType.WITHHELD_THIRD_PARTY, reply_text="经审查，该信息涉及企业纳税信息"))
    assert "经审查，该信息涉及企业纳税信息。" in text and "经审查，经审查" not in text
