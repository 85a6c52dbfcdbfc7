"""The letters the handling of an application sends (LetterKind): their words live in templates, one
per kind, as .docx files that docxtpl fills in. The shipped templates are written in
letter_templates/<kind>.txt (a paragraph a line, see reply.txt) and laid out here as a county
government sends its letters; the county office may upload its own .docx in their place
(LetterTemplate). Each letter is numbered in its organisation's series, and what was sent is kept:
the Letter row holds the file and its text, and an issued letter never changes."""

import io
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError

from portal.official_docx import BODY_FONT, BODY_SIZE, HEADING_FONT, HEADING_SIZE, add_paragraph, official_page, set_font
from portal.text import clean_text

from .models import Application, Letter, LetterKind, LetterSeries, LetterTemplate, ReplyType
from .remedies import correction_remedy_paragraph, remedy_paragraph

TEMPLATE_DIR = Path(__file__).parent / "letter_templates"

# What every template may use, with an example (used to check an uploaded template and listed for
# whoever edits one).
COMMON_VARIABLES = {
    "number": ("文号", "青教依复〔2026〕12号"),
    "recipient": ("收件人：申请人的姓名或名称（征求意见书、决定公开告知书为第三方或被征求意见的机关）", "王秀英"),
    "you": ("对申请人的称谓：“你”或“你单位”", "你"),
    "receipt_date": ("收到申请之日", "2026年3月2日"),
    "requested": ("申请获取的政府信息（申请人所写，去掉开头的“申请获取”和句末标点）", "2025年城区道路维修资金使用情况"),
    "document_number": ("申请人写明的文号（可能为空）", ""),
    "tracking_number": ("申请编号", "YSQ-2026-00012"),
    "organisation": ("落款机关", "青禾县教育局"),
    "date": ("落款日期", "2026年3月20日"),
    "phone": ("机关联系电话（可能为空）", "0539-7900100"),
    "address": ("机关办公地址（可能为空）", "青禾县人民路1号"),
}
KIND_VARIABLES = {
    LetterKind.ACKNOWLEDGEMENT: {
        "channel": ("申请方式", "当面提交"),
        "query_code": ("查询码", "7KQ2M9PX"),
        "status_url": ("办理进度查询网址", "http://www.qinghe.gov.cn/yisqing/chaxun/"),
        "due_date": ("答复期限", "2026年3月30日"),
        "application_kind": ("申请类型的代码：disclosure（政府信息公开申请）或 correction（政府信息更正申请）", "disclosure"),
    },
    LetterKind.SUPPLEMENT: {
        "matters": ("需要补正的事项", "请写明所需信息的名称、文号或者其他特征性描述"),
        "supplement_days": ("补正期限（工作日数）", 15),
        "supplement_due": ("补正期限届满之日", "2026年3月23日"),
    },
    LetterKind.REASONS: {
        "matters": ("申请数量、频次明显超过合理范围的情况", "你在30日内提出申请42件"),
        "due_date": ("答复期限", "2026年3月30日"),
    },
    LetterKind.LONGER_PERIOD: {
        "days": ("延迟答复的工作日数", 20),
        "reason": ("无法按期答复的情况", "所申请信息数量较大，需逐件检索"),
        "due_date": ("延迟后的答复期限", "2026年4月28日"),
    },
    LetterKind.EXTENSION: {
        "days": ("延长的工作日数", 20),
        "reason": ("延期理由", "所申请信息涉及多个内设机构，需逐一检索"),
        "due_date": ("延长后的答复期限", "2026年4月28日"),
    },
    LetterKind.FEE: {
        "method": ("计收方式", "按量计收"),
        "standard": ("收费标准", "30页以下（含30页）的，不收费；……"),
        "computation": ("计算过程", "共45页，其中30页免费，31—45页共15页×10元"),
        "amount": ("应缴金额（元）", "150"),
        "payment_days": ("缴费期限（工作日数）", 20),
        "fee_due": ("缴费期限届满之日", "2026年4月20日"),
        "payment_instructions": ("缴费方式", "请持本通知到本机关政府信息公开工作机构办理缴费手续"),
    },
    LetterKind.THIRD_PARTY_CONSULTATION: {
        "matter": ("涉及第三方的政府信息内容", "青禾县某某建材有限公司2025年度环境影响评价报告中的生产工艺部分"),
        "reasons": ("公开可能损害第三方合法权益的情况", "该部分载有企业的生产工艺参数，可能涉及商业秘密"),
        "reply_days": ("提出意见的期限（工作日数）", 15),
        "reply_by": ("提出意见的期限届满之日（自发出之日起计算）", "2026年10月30日"),
    },
    LetterKind.AGENCY_CONSULTATION: {
        "matter": ("共同制作的政府信息及征求意见的事项", "《关于2025年城区道路维修资金安排的通知》是否可以公开"),
        "reply_days": ("提出意见的期限（工作日数）", 15),
        "reply_by": ("提出意见的期限届满之日（自发出之日起计算）", "2026年10月30日"),
    },
    LetterKind.DISCLOSURE_DECISION: {
        "consulted_on": ("征求第三方意见之日", "2026年10月9日"),
        "content": ("决定公开的政府信息内容", "青禾县某某建材有限公司2025年度环境影响评价报告（删除生产工艺参数后）"),
        "reasons": ("决定公开的理由", "该信息涉及周边居民的环境权益，不公开可能对公共利益造成重大影响"),
    },
    LetterKind.REPLY: {
        "reply_type": ("答复类型的代码，如 disclosed（予以公开）、withheld_state_secret（国家秘密），见模板中的各段", "disclosed"),
        "reply_text": ("经办人写的答复内容（理由、提供的信息）", "经认真核查，相关情况说明如下"),
        "where_public": ("已公开信息的获取途径", "青禾县人民政府门户网站“政府信息公开”栏目"),
        "responsible_body": ("负责公开该信息的机关及联系方式", "青禾县交通运输局（联系电话：0539-7900220）"),
        "extra_text": ("答复类型的正文中没有位置时，经办人另写的说明（可能为空）", ""),
        "attachment": ("附件名称（可能为空）", "所申请公开的政府信息"),
        "remedy": ("救济途径段落（可能为空）", "如对本答复不服，可以自收到本告知书之日起六十日内向青禾县人民政府申请行政复议，或者在六个月内向青禾县人民法院提起行政诉讼。"),
    },
    LetterKind.CORRECTION_REPLY: {
        "outcome": ("处理结果的代码：corrected（予以更正）、not_corrected（不予更正）、transferred（转送）、told_to_apply（告知向有权机关提出）", "corrected"),
        "provided_in": ("申请人写明的该信息的提供途径（可能为空）", "青公依复〔2026〕3号答复告知书"),
        "inaccuracy": ("申请人所写的记录不准确之处", "出生日期记载为1980年5月1日"),
        "correct_record": ("申请人所写的正确记录", "出生日期应为1980年5月11日"),
        "reply_text": ("经办人写的更正内容或理由（转送、告知时可能为空）", "已将出生日期更正为1980年5月11日"),
        "competent_body": ("有权更正的行政机关（转送、告知时填写）", "青禾县民政局"),
        "remedy": ("救济途径段落", "如对本答复不服，可以自收到本答复书之日起六十日内向青禾县人民政府申请行政复议，或者在六个月内向青禾县人民法院提起行政诉讼。"),
    },
}

# Letters to the applicant; the status page offers them once issued. The consultation letters go to a
# third party or another agency (条例第三十二条、第三十四条): staff see them, the applicant does not.
NOT_TO_APPLICANT = (LetterKind.THIRD_PARTY_CONSULTATION, LetterKind.AGENCY_CONSULTATION, LetterKind.DISCLOSURE_DECISION)
APPLICANT_LETTERS = tuple(kind for kind in LetterKind if kind not in NOT_TO_APPLICANT)

ATTACHED_INFORMATION = {
    ReplyType.DISCLOSED: "所申请公开的政府信息",
    ReplyType.PARTIALLY_DISCLOSED: "区分处理后的政府信息",
}
# The decision of these reply types has no place for staff's explanation; it follows the decision.
NO_PLACE_FOR_REPLY_TEXT = (ReplyType.ALREADY_PUBLIC,)


class LetterError(Exception):
    """A template that cannot make a letter; the message is for the county office."""


def variables(kind):
    return {**COMMON_VARIABLES, **KIND_VARIABLES[LetterKind(kind)]}


def sample_context(kind):
    return {name: sample for name, (_label, sample) in variables(kind).items()}


# --- words -------------------------------------------------------------------------------------

def chinese_date(value):
    # GB/T 9704-2012 7.3.5.1: month and day are written without a leading zero (2026年3月5日).
    return f"{value.year}年{value.month}月{value.day}日"


def clause(value):
    """Staff text set inside a sentence: the template supplies the full stop, and the 经审查 that most
    decisions open with (staff often type it too). Its lines become paragraphs of their own."""
    text = clean_text(value or "").strip().rstrip("。．.；;，,：:")
    text = re.sub(r"^经审查[，,：:]?", "", text).strip()
    return as_paragraphs(text)


def as_paragraphs(text):
    # docxtpl starts a new paragraph, with the same layout, at "\a".
    return "\a".join(line.strip() for line in clean_text(text or "").splitlines() if line.strip())


# Applicants often start with the verb the letter already says, and end with a full stop.
REQUEST_VERB = re.compile(r"^(?:本人|我|我单位|本单位)?(?:现)?(?:申请|要求|请求)(?:获取|公开|提供)?[：:，,]?")
TRAILING_STOPS = "。．.；;，,、 "


def requested(description):
    """The information sought as the letter quotes it: one paragraph (the description may span lines),
    without a leading 申请获取 and the closing full stop, so the letter never reads 申请获取“申请获取…。”."""
    text = " ".join(clean_text(description).split())
    text = REQUEST_VERB.sub("", text, count=1).rstrip(TRAILING_STOPS)
    return text or " ".join(description.split())


def addressed_as(application):
    return "你单位" if application.applicant_kind == Application.ApplicantKind.ORGANISATION else "你"


def application_context(application, *, number, dated):
    organisation = application.organisation
    return {
        "number": number,
        "recipient": clean_text(application.applicant_name).strip(),
        "you": addressed_as(application),
        "receipt_date": chinese_date(application.receipt_date),
        "requested": requested(application.description),
        "document_number": clean_text(application.document_number_sought).strip(),
        "tracking_number": application.tracking_number,
        "organisation": organisation.name,
        "date": chinese_date(dated),
        "phone": organisation.phone,
        "address": organisation.address,
    }


def reply_variables(application):
    reply_type = ReplyType(application.reply_type)
    return {
        "reply_type": reply_type.value,
        "reply_text": clause(application.reply_text),
        "where_public": clause(application.where_public),
        "responsible_body": clause(application.responsible_body),
        "extra_text": as_paragraphs(application.reply_text) if reply_type in NO_PLACE_FOR_REPLY_TEXT else "",
        "attachment": ATTACHED_INFORMATION.get(reply_type, ""),
        "remedy": remedy_paragraph(reply_type, application.organisation),
    }


# --- numbers -----------------------------------------------------------------------------------

def letter_prefix(organisation):
    """The 机关代字 of the organisation's letter numbers: its setting, else its short name."""
    reply_settings = getattr(organisation, "reply_settings", None)
    if reply_settings is not None and reply_settings.letter_code.strip():
        return reply_settings.letter_code.strip()
    return organisation.short_name or organisation.name


def next_number(organisation, kind, year):
    """(series, serial, number) for the next letter of this kind; the caller holds a transaction."""
    series, _ = LetterSeries.objects.select_for_update().get_or_create(
        organisation=organisation, code=LetterKind(kind).series, year=year,
    )
    series.last_serial += 1
    series.save(update_fields=["last_serial"])
    return series, series.last_serial, f"{letter_prefix(organisation)}依{series.code}〔{year}〕{series.last_serial}号"


# --- templates ---------------------------------------------------------------------------------

# Layout after GB/T 9704-2012 (党政机关公文格式): A4, title in 2号 (22 pt), text in 3号 (16 pt) 仿宋,
# 22 lines a page, first lines indented two characters. 黑体 rather than 方正小标宋 for the title
# because every Chinese Windows and WPS has it.
LINE_SPACING = Pt(28.9)


def layout(source):
    """A shipped template's text (letter_templates/<kind>.txt) laid out as a .docx template."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    official_page(section)

    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_font(normal.font, normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_SPACING
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)

    first_signature = True
    for line in source.splitlines():
        if not line.strip() or line.startswith(";;"):
            continue
        if line.startswith("# "):
            heading = add_paragraph(document, line[2:], align=WD_ALIGN_PARAGRAPH.CENTER, font=HEADING_FONT, size=HEADING_SIZE)
            heading.paragraph_format.line_spacing = Pt(36)
        elif line.startswith("= "):
            add_paragraph(document, line[2:], align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.space_after = Pt(16)
        elif line.startswith("< "):
            add_paragraph(document, line[2:])
        elif line.startswith("> "):
            paragraph = add_paragraph(document, line[2:], align=WD_ALIGN_PARAGRAPH.RIGHT)
            if first_signature:
                paragraph.paragraph_format.space_before = Pt(32)
                first_signature = False
        elif line.startswith("{%p"):
            add_paragraph(document, line)
        else:
            add_paragraph(document, line, indent=True)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def shipped_template(kind):
    """The template the portal ships for this kind, as .docx bytes."""
    # Keyed by the plain value: an enum member and its string hash differently.
    return _shipped(LetterKind(kind).value)


@lru_cache(maxsize=None)
def _shipped(kind):
    return layout((TEMPLATE_DIR / f"{kind}.txt").read_text(encoding="utf-8"))


def current_template(kind):
    """The county's own template for this kind if the county office uploaded one, else the shipped one."""
    custom = LetterTemplate.objects.filter(kind=kind).first()
    if custom is not None:
        with custom.file.open("rb") as file:
            return file.read()
    return shipped_template(kind)


class _LetterEnvironment(Environment):
    """Compiles each template part's XML once: docxtpl hands the same XML to from_string for every
    letter of a kind, and compiling it took most of the time of making a letter."""

    @lru_cache(maxsize=256)  # noqa: B019 - one environment for the process, kept for its life
    def from_string(self, source, globals=None, template_class=None):
        return super().from_string(source, globals, template_class)


# Autoescape: the applicant's words go into XML. StrictUndefined: a misspelt variable in a county's
# template is an error when it is uploaded, not a blank in a letter.
_ENVIRONMENT = _LetterEnvironment(autoescape=True, undefined=StrictUndefined)


def render(template, context, *, title, author):
    """A template (.docx bytes) filled in with context, as .docx bytes."""
    document = DocxTemplate(io.BytesIO(template))
    try:
        document.render(context, jinja_env=_ENVIRONMENT)
    except UndefinedError as exc:
        name = re.search(r"'(\w+)' is undefined", str(exc))
        raise LetterError(f"模板中的变量“{name[1] if name else exc}”不存在，请对照可用变量修改") from None
    except TemplateError as exc:
        raise LetterError(f"模板中的标记有误（{exc.message}），请检查 {{{{ }}}} 和 {{% %}} 是否成对") from None
    # The template's properties would name whoever made it and when; the letter goes to the applicant.
    properties = document.docx.core_properties
    properties.created = properties.modified = timezone.now()
    properties.title = title
    properties.author = properties.last_modified_by = clean_text(author)
    properties.comments = properties.keywords = properties.subject = ""
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def text_of(data):
    """A .docx's text, a paragraph a line: what the status page shows is what the file says."""
    paragraphs = Document(io.BytesIO(data)).paragraphs
    return "\n".join(clean_text(p.text).strip() for p in paragraphs if p.text.strip())


def check_template(kind, data):
    """An uploaded template must fill in with every variable of its kind; raises LetterError."""
    try:
        render(data, sample_context(kind), title=LetterKind(kind).label, author="")
    except LetterError:
        raise
    except Exception:
        raise LetterError("无法读取该模板文件，请用 Word 或 WPS 另存为 .docx 后重新上传") from None


# --- letters -----------------------------------------------------------------------------------

def letter_filename(letter):
    return f"{letter.application.tracking_number}{letter.get_kind_display()}.docx"


def fill(application, kind, *, number, dated, context, template=None):
    """The .docx of one letter: the kind's current template (or `template`) filled in."""
    return render(
        template or current_template(kind),
        {**application_context(application, number=number, dated=dated), **context},
        title=LetterKind(kind).label, author=application.organisation.name,
    )


def make_letter(application, kind, *, by, dated, context, issue=True, recipient=None):
    """Fill in the kind's template for this application and keep it as a Letter, numbered in the
    organisation's series. issue=False keeps it as a draft (a reply before approval): drafting again
    replaces the draft and keeps its number. `recipient` names whom a letter not to the applicant goes
    to (a third party, another agency); the template's {{ recipient }} is then that name."""
    kind = LetterKind(kind)
    letter = application.letters.filter(kind=kind, issued_at__isnull=True).first()
    if letter is None:
        series, serial, number = next_number(application.organisation, kind, dated.year)
        letter = Letter(application=application, kind=kind, series=series, serial=serial, number=number)
    if recipient is not None:
        context = {**context, "recipient": clean_text(recipient).strip()}
    data = fill(application, kind, number=letter.number, dated=dated, context=context)
    letter.recipient = clean_text(recipient if recipient is not None else application.applicant_name).strip()[:100]
    letter.dated = dated
    letter.created_by = by
    letter.text = text_of(data)
    letter.file = ContentFile(data, name=f"{kind.value}.docx")
    if issue:
        letter.issued_by, letter.issued_at = by, timezone.now()
    letter.save()
    return letter


def replace_draft(letter, data, *, by):
    """Staff edited the draft in Word and uploaded it again: that file, and its text, is the letter."""
    letter.file = ContentFile(data, name=f"{letter.kind}.docx")
    letter.text = text_of(data)
    letter.created_by = by
    letter.save()
    return letter


def issue(letter, *, by):
    """The letter is approved: from now on it is what was sent, whatever changes afterwards."""
    letter.issued_by, letter.issued_at = by, timezone.now()
    letter.save(update_fields=["issued_by", "issued_at"])
    return letter


def draft_reply_letter(application, *, by, dated):
    return make_letter(
        application, LetterKind.REPLY, by=by, dated=dated,
        context=reply_variables(application), issue=False,
    )


# The query code is kept only as a hash: the stored 登记回执 (its text and its file) says this in its
# place, and the copy handed or posted to the applicant is made once with the code (acknowledgement_copy).
QUERY_CODE_WITHHELD = "＊＊＊＊＊＊＊＊（存档件不显示查询码）"


def _acknowledgement_context(application, query_code):
    # On paper the address must be whole; without SITE_URL the page is named instead.
    if settings.SITE_URL:
        status_url = settings.SITE_URL.rstrip("/") + reverse("requests_app:status")
    else:
        status_url = f"{settings.SITE_NAME}门户网站“政府信息公开”栏目的申请进度查询页面"
    return {
        "channel": application.get_channel_display(),
        "query_code": query_code,
        "status_url": status_url,
        "due_date": chinese_date(application.due_date) if application.due_date else "法定期限内",
        "application_kind": application.kind,
    }


def acknowledgement(application, *, by):
    """The 登记回执 for an application that did not come through the online form, as kept."""
    return make_letter(
        application, LetterKind.ACKNOWLEDGEMENT, by=by, dated=timezone.localdate(),
        context=_acknowledgement_context(application, QUERY_CODE_WITHHELD),
    )


def acknowledgement_copy(letter, query_code):
    """The applicant's copy of a 登记回执: the kept letter with the query code, made once, never stored."""
    return fill(
        letter.application, LetterKind.ACKNOWLEDGEMENT, number=letter.number, dated=letter.dated,
        context=_acknowledgement_context(letter.application, query_code),
    )


DEFAULT_PAYMENT = "请持本通知到本机关政府信息公开工作机构办理缴费手续"


def fee_letter(application, schedule, *, by, payment_instructions=""):
    """The 收费通知书 for an application whose fee was just computed (fee_* fields set)."""
    from .fees import standard_text

    return make_letter(application, LetterKind.FEE, by=by, dated=application.fee_notified_on, context={
        "method": Application.FeeMethod(application.fee_method).label,
        "standard": standard_text(application.fee_method, schedule),
        "computation": clause(application.fee_computation),
        "amount": f"{application.fee_amount:.2f}",  # money in a notice: to the fen
        "payment_days": schedule.payment_days,
        "fee_due": chinese_date(application.fee_due),
        "payment_instructions": clause(payment_instructions) or DEFAULT_PAYMENT,
    })


# --- consultations (条例第三十二条、第三十四条) -----------------------------------------------------

def consultation_letter(consultation, *, by):
    """The 征求第三方意见书 or (to another agency) 征求意见书 of a consultation just being sent."""
    from .models import Consultation

    context = {
        "matter": clause(consultation.matter),
        "reply_days": Consultation.REPLY_DAYS,
        "reply_by": chinese_date(consultation.reply_by),
    }
    if consultation.kind == Consultation.Kind.THIRD_PARTY:
        kind = LetterKind.THIRD_PARTY_CONSULTATION
        context["reasons"] = clause(consultation.reasons)
    else:
        kind = LetterKind.AGENCY_CONSULTATION
    return make_letter(consultation.application, kind, by=by, dated=consultation.sent_on, context=context,
                       recipient=consultation.consultee)


def disclosure_decision_letter(consultation, *, by, dated, content, reasons):
    """The 政府信息决定公开告知书 to a third party that objected (条例第三十二条)."""
    return make_letter(consultation.application, LetterKind.DISCLOSURE_DECISION, by=by, dated=dated, context={
        "consulted_on": chinese_date(consultation.sent_on),
        "content": clause(content),
        "reasons": clause(reasons),
    }, recipient=consultation.consultee)


# --- correction requests (条例第四十一条) ----------------------------------------------------------

def _applicant_words(value):
    # The applicant's words quoted inside a sentence: one line, without the closing full stop.
    return " ".join(clean_text(value or "").split()).rstrip(TRAILING_STOPS)


def correction_reply_variables(application):
    # Staff often open with 经审核 too; the template says it once.
    reply_text = re.sub(r"^经审核[，,：:]?", "", clause(application.reply_text)).strip()
    return {
        "outcome": application.correction_outcome,
        "provided_in": _applicant_words(application.provided_in),
        "inaccuracy": _applicant_words(application.inaccuracy),
        "correct_record": _applicant_words(application.correct_record),
        "reply_text": reply_text,
        "competent_body": clause(application.competent_body),
        "remedy": correction_remedy_paragraph(application.organisation),
    }


def draft_correction_reply_letter(application, *, by):
    """The 政府信息更正申请答复书, a draft until a second person approves it (as the reply is)."""
    return make_letter(
        application, LetterKind.CORRECTION_REPLY, by=by, dated=timezone.localdate(),
        context=correction_reply_variables(application), issue=False,
    )
