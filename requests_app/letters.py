"""The reply letter (政府信息公开申请答复告知书) sent to an applicant: its text, one paragraph per line,
and the same paragraphs as a .docx laid out as a county government sends it."""

import io
import re
from dataclasses import dataclass

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from portal.text import clean_text

from .models import Application, ReplyType
from .remedies import remedy_paragraph

HEADING = "政府信息公开申请答复告知书"
REGULATION = "《中华人民共和国政府信息公开条例》"

# One decision per reply type, with the article of the 条例 (国务院令第711号, 2019) it rests on.
# Placeholders: {you} is 你 or 你单位; {reply_text}, {where_public} are what staff entered, without
# their closing punctuation. The 不予公开 texts cite the ground's article and 第三十六条第（三）项,
# which requires the refusal to be told with its reason.
DECISIONS = {
    ReplyType.ALREADY_PUBLIC: (
        "经审查，{you}申请获取的政府信息已经主动公开。根据" + REGULATION + "第三十六条第（一）项的规定，"
        "现告知{you}获取该政府信息的方式和途径：{where_public}。"
    ),
    ReplyType.DISCLOSED: (
        "经审查，{you}申请获取的政府信息属于可以公开的政府信息。根据" + REGULATION + "第三十六条第（二）项的规定，"
        "本机关向{you}提供该政府信息：{reply_text}。"
    ),
    ReplyType.PARTIALLY_DISCLOSED: (
        "经审查，{you}申请获取的政府信息中含有不应当公开的内容，但是能够作区分处理。根据" + REGULATION
        + "第三十七条的规定，本机关向{you}提供可以公开的政府信息内容（见附件），对不予公开的内容说明理由如下：{reply_text}。"
    ),
    ReplyType.WITHHELD_STATE_SECRET: (
        "经审查，{reply_text}。{you}申请获取的政府信息属于依法确定为国家秘密的政府信息，根据" + REGULATION
        + "第十四条、第三十六条第（三）项的规定，本机关决定不予公开。"
    ),
    ReplyType.WITHHELD_LAW: (
        "经审查，{reply_text}。{you}申请获取的政府信息属于法律、行政法规禁止公开的政府信息，根据" + REGULATION
        + "第十四条、第三十六条第（三）项的规定，本机关决定不予公开。"
    ),
    ReplyType.WITHHELD_THREE_SECURITIES: (
        "经审查，{reply_text}。{you}申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，根据"
        + REGULATION + "第十四条、第三十六条第（三）项的规定，本机关决定不予公开。"
    ),
    ReplyType.WITHHELD_THIRD_PARTY: (
        "经审查，{reply_text}。{you}申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，根据"
        + REGULATION + "第十五条、第三十六条第（三）项的规定，本机关决定不予公开。"
    ),
    ReplyType.WITHHELD_INTERNAL: (
        "经审查，{reply_text}。{you}申请获取的政府信息属于行政机关的内部事务信息，根据" + REGULATION
        + "第十六条第一款、第三十六条第（三）项的规定，本机关决定不予公开。"
    ),
    ReplyType.WITHHELD_PROCESS: (
        "经审查，{reply_text}。{you}申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
        "磋商信函、请示报告等过程性信息，根据" + REGULATION + "第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。"
    ),
    ReplyType.WITHHELD_ENFORCEMENT: (
        "经审查，{reply_text}。{you}申请获取的政府信息属于行政执法案卷信息，根据" + REGULATION
        + "第十六条第二款、第三十六条第（三）项的规定，本机关决定不予公开。"
    ),
    ReplyType.WITHHELD_QUERY: (
        "经审查，{you}申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定：{reply_text}。"
        "根据" + REGULATION + "第三十六条第（七）项的规定，请{you}依照有关法律、行政法规的规定办理。"
    ),
    ReplyType.UNAVAILABLE_NOT_HELD: (
        "经检索，本机关未制作或者获取{you}申请公开的政府信息：{reply_text}。根据" + REGULATION
        + "第三十六条第（四）项的规定，现告知{you}该政府信息在本机关不存在。"
    ),
    # 第三十六条第（五）项: the reason, and the responsible body's name and contact (REPLY_REQUIREMENTS).
    ReplyType.NOT_THIS_BODY: (
        "经审查，{you}申请获取的政府信息不属于本机关负责公开：{reply_text}。根据" + REGULATION
        + "第三十六条第（五）项的规定，现告知{you}负责公开该政府信息的行政机关为{responsible_body}，{you}可以向该机关提出申请。"
    ),
    ReplyType.UNAVAILABLE_NEEDS_CREATION: (
        "经审查，{reply_text}。{you}申请获取的信息需要本机关对现有政府信息进行加工、分析才能形成，本机关没有现成的政府信息。根据"
        + REGULATION + "第三十八条的规定，本机关不予提供。"
    ),
    ReplyType.UNAVAILABLE_UNCLEAR: (
        "本机关已告知{you}对申请内容作出补正，但补正后申请内容仍不明确：{reply_text}。根据" + REGULATION
        + "第三十条的规定，本机关无法按照{you}的申请提供政府信息。{you}可以在明确所需政府信息的名称、文号或者其他特征性描述后重新提出申请。"
    ),
    ReplyType.NOT_PROCESSED_PETITION: (
        "经审查，{you}以政府信息公开申请的形式提出的事项属于信访、投诉、举报等活动：{reply_text}。根据" + REGULATION
        + "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，{you}可以通过相应渠道提出。"
    ),
    ReplyType.NOT_PROCESSED_REPEAT: (
        "经查，本机关已就{you}提出的政府信息公开申请作出答复，{you}再次申请公开相同的政府信息：{reply_text}。根据" + REGULATION
        + "第三十六条第（六）项的规定，本机关不予重复处理。"
    ),
    ReplyType.NOT_PROCESSED_PUBLICATION: (
        "经审查，{you}申请获取的是政府公报、报纸、杂志、书籍等公开出版物。根据" + REGULATION
        + "第三十九条第二款的规定，现告知{you}获取该出版物的途径：{reply_text}。"
    ),
    ReplyType.NOT_PROCESSED_EXCESSIVE: (
        "{you}申请公开政府信息的数量、频次明显超过合理范围，本机关已要求{you}说明理由。经审查，{you}的申请理由不合理：{reply_text}。"
        "根据" + REGULATION + "第三十五条的规定，本机关不予处理。"
    ),
    # The 条例 has no article of its own for this case. 国办公开办函〔2021〕30号 counts it under 不予处理,
    # and practice rests it on 第三十九条: such a request seeks no government information that exists as
    # made or obtained, so it is not handled as a request for information.
    ReplyType.NOT_PROCESSED_CONFIRMATION: (
        "经审查，{you}要求本机关确认或者重新出具{you}已经获取的信息：{reply_text}。该申请不属于申请获取政府信息的情形，根据"
        + REGULATION + "第三十九条的规定和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉"
        "的通知》（国办公开办函〔2021〕30号）的有关要求，本机关不作为政府信息公开申请处理。"
    ),
    ReplyType.OTHER_NO_SUPPLEMENT: (
        "本机关已告知{you}对申请作出补正，并说明了需要补正的事项和合理的补正期限，{you}无正当理由逾期未补正：{reply_text}。根据"
        + REGULATION + "第三十条的规定，视为{you}放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    ReplyType.OTHER_FEE_UNPAID: (
        "{you}申请公开政府信息超出了免费提供的范围，本机关已依法向{you}发出收取信息处理费的通知，{you}逾期未缴纳：{reply_text}。"
        "根据" + REGULATION + "第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "视为{you}放弃申请，本机关不再处理该政府信息公开申请。"
    ),
    ReplyType.OTHER: "{reply_text}。",
}

ATTACHED_INFORMATION = {
    ReplyType.DISCLOSED: "所申请公开的政府信息",
    ReplyType.PARTIALLY_DISCLOSED: "区分处理后的政府信息",
}

TRACKING_NUMBER = re.compile(r"^[A-Z]+-(?P<year>\d{4})-(?P<serial>\d+)$")


@dataclass
class Letter:
    """The letter's paragraphs, grouped by how they are laid out."""

    heading: str
    reference: str
    salutation: str
    body: list
    signature: list
    contact: str

    def paragraphs(self):
        lines = [self.heading, self.reference, self.salutation, *self.body, *self.signature]
        if self.contact:
            lines.append(self.contact)
        return lines

    def __post_init__(self):
        # Text stored before portal.text's rule may hold control characters, which no .docx can.
        for name in ("heading", "reference", "salutation", "contact"):
            setattr(self, name, clean_text(getattr(self, name)))
        self.body = [clean_text(paragraph) for paragraph in self.body]
        self.signature = [clean_text(paragraph) for paragraph in self.signature]


def chinese_date(value):
    # GB/T 9704-2012 7.3.5.1: month and day are written without a leading zero (2026年3月5日).
    return f"{value.year}年{value.month}月{value.day}日"


def _clause(value):
    """Staff text set inside a sentence: the template supplies the full stop, and the 经审查 that most
    decisions open with (staff often type it too)."""
    text = (value or "").strip().rstrip("。．.；;，,：:")
    return re.sub(r"^经审查[，,：:]?", "", text).strip()


def reference_number(application, kind="答"):
    """The letter's number, e.g. 县公安局依申请答〔2026〕42号 (a reply) or 县公安局依申请收费〔2026〕42号 (a
    fee notice), from tracking number YSQ-2026-00042."""
    match = TRACKING_NUMBER.match(application.tracking_number or "")
    if match is None:
        raise ValueError(f"申请编号“{application.tracking_number}”无法生成文号")
    organisation = application.organisation
    return f"{organisation.short_name or organisation.name}依申请{kind}〔{match['year']}〕{int(match['serial'])}号"


# Applicants often start with the verb the letter already says, and end with a full stop.
REQUEST_VERB = re.compile(r"^(?:本人|我|我单位|本单位)?(?:现)?(?:申请|要求|请求)(?:获取|公开|提供)?[：:，,]?")
TRAILING_STOPS = "。．.；;，,、 "


def requested(description):
    """The information sought as the letter quotes it: one paragraph (the description may span lines),
    without a leading 申请获取 and the closing full stop, so the letter never reads 申请获取“申请获取…。”."""
    text = " ".join(description.split())
    text = REQUEST_VERB.sub("", text, count=1).rstrip(TRAILING_STOPS)
    return text or " ".join(description.split())


def compose(application):
    """The letter for an application that has a reply type."""
    reply_type = ReplyType(application.reply_type)
    organisation = application.organisation
    you = "你单位" if application.applicant_kind == Application.ApplicantKind.ORGANISATION else "你"

    receipt = (
        f"本机关于{chinese_date(application.receipt_date)}收到{you}提出的政府信息公开申请，"
        f"申请获取“{requested(application.description)}”"
    )
    if application.document_number_sought:
        receipt += f"（文号：{application.document_number_sought.strip()}）"
    receipt += "。现答复如下："

    fields = {
        "you": you,
        "reply_text": _clause(application.reply_text),
        "where_public": _clause(application.where_public),
        "responsible_body": _clause(application.responsible_body),
    }
    template = DECISIONS[reply_type]
    decision = template.format(**fields)
    # A reply type whose text has no place for staff's explanation still shows it, after the decision.
    if "{reply_text}" not in template and application.reply_text.strip():
        decision += "\n" + application.reply_text.strip()

    body = [receipt]
    # Staff may write several paragraphs; each line becomes a paragraph, so text and .docx agree.
    body += [line.strip() for line in decision.splitlines() if line.strip()]
    if reply_type in ATTACHED_INFORMATION:
        # No file name: stored files carry generated names, and the letter must read the same whenever
        # it is shown again.
        body.append(f"附件：{ATTACHED_INFORMATION[reply_type]}")
    body.append(remedy_paragraph(reply_type, organisation))
    body.append("特此告知。")

    replied_on = application.replied_on or timezone.localdate()
    return Letter(
        heading=HEADING,
        reference=reference_number(application),
        salutation=f"{application.applicant_name.strip()}：",
        body=body,
        signature=[organisation.name, chinese_date(replied_on)],
        contact=f"联系电话：{organisation.phone}" if organisation.phone else "",
    )


def letter_text(application):
    """The letter as plain text, one paragraph per line."""
    return "\n".join(compose(application).paragraphs())


def letter_filename(application):
    return f"{application.tracking_number}答复告知书.docx"


# Layout after GB/T 9704-2012 (党政机关公文格式): A4, title in 2号 (22 pt), text in 3号 (16 pt) 仿宋,
# 22 lines a page, first lines indented two characters. 黑体 rather than 方正小标宋 for the title
# because every Chinese Windows and WPS has it.
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(16)
HEADING_SIZE = Pt(22)
LINE_SPACING = Pt(28.9)


def _set_font(font, element, name):
    # python-docx's font.name sets only the Latin fonts; Chinese text uses w:eastAsia.
    font.name = name
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _add_paragraph(document, text, *, align=None, indent=False, font=BODY_FONT, size=BODY_SIZE):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = size * 2
    run = paragraph.add_run(text)
    run.font.size = size
    _set_font(run.font, run._element, font)
    return paragraph


def reply_letter(application):
    """The letter as .docx bytes: the paragraphs of letter_text, laid out."""
    return letter_docx(compose(application), author=application.organisation.name)


def letter_docx(letter, *, author):
    """A Letter as .docx bytes, laid out as the county sends its letters (the reply, the fee notice)."""
    document = Document()

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _set_font(normal.font, normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_SPACING
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)

    # The default template names python-docx as author and dates the file 2013; it goes to the applicant.
    properties = document.core_properties
    properties.created = properties.modified = timezone.now()
    properties.title = letter.heading
    properties.author = properties.last_modified_by = clean_text(author)
    properties.comments = ""

    heading = _add_paragraph(
        document, letter.heading, align=WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT, size=HEADING_SIZE
    )
    heading.paragraph_format.line_spacing = Pt(36)
    reference = _add_paragraph(document, letter.reference, align=WD_ALIGN_PARAGRAPH.CENTER)
    reference.paragraph_format.space_after = Pt(16)
    _add_paragraph(document, letter.salutation)
    for text in letter.body:
        _add_paragraph(document, text, indent=True)
    for index, text in enumerate(letter.signature):
        paragraph = _add_paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(32)
    if letter.contact:
        contact = _add_paragraph(document, letter.contact)
        contact.paragraph_format.space_before = Pt(16)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
