"""The 收费通知书 (条例第四十二条, 国办函〔2020〕109号第八条): the fee's basis, standard, amount,
computation, payment period and way of paying, laid out as the reply letter is."""

from django.template.loader import render_to_string

from .fees import plain
from .letters import Letter, _clause, chinese_date, letter_docx, reference_number
from .models import Application

HEADING = "政府信息公开信息处理费收费通知书"
DEFAULT_PAYMENT = "请持本通知到本机关政府信息公开工作机构办理缴费手续"


def standard_text(method, schedule):
    """The standard the method applies, in the words of 办法第五条, with the county's figures."""
    if method == Application.FeeMethod.BY_COUNT:
        return (
            f"同一申请人一个自然月内累计申请{schedule.count_free}件以下（含{schedule.count_free}件）的，不收费；"
            f"{schedule.count_free + 1}—{schedule.count_first_band_end}件（含{schedule.count_first_band_end}件）的部分，"
            f"{plain(schedule.count_first_rate)}元/件；{schedule.count_first_band_end}件以上的部分，以{schedule.count_band_size}件为一档，"
            f"每增加一档，收费标准提高{plain(schedule.count_band_increase)}元/件"
        )
    return (
        f"{schedule.page_free}页以下（含{schedule.page_free}页）的，不收费；"
        f"{schedule.page_free + 1}—{schedule.page_band1_end}页（含{schedule.page_band1_end}页）的部分，{plain(schedule.page_band1_rate)}元/页；"
        f"{schedule.page_band1_end + 1}—{schedule.page_band2_end}页（含{schedule.page_band2_end}页）的部分，{plain(schedule.page_band2_rate)}元/页；"
        f"{schedule.page_band2_end}页以上的部分，{plain(schedule.page_above_rate)}元/页"
    )


def compose(application, schedule, payment_instructions=""):
    """The notice for an application whose fee was just computed (fee_* fields set)."""
    organisation = application.organisation
    you = "你单位" if application.applicant_kind == Application.ApplicantKind.ORGANISATION else "你"
    text = render_to_string("requests_app/letters/fee_notice.txt", {
        "you": you,
        "receipt_date": chinese_date(application.receipt_date),
        "description": " ".join(application.description.split()),
        "method": Application.FeeMethod(application.fee_method).label,
        "standard": standard_text(application.fee_method, schedule),
        "computation": _clause(application.fee_computation),
        "amount": application.fee_amount,
        "payment_days": schedule.payment_days,
        "fee_due": chinese_date(application.fee_due),
        "payment_instructions": _clause(payment_instructions) or DEFAULT_PAYMENT,
    })
    return Letter(
        heading=HEADING,
        reference=reference_number(application, "收费"),
        salutation=f"{application.applicant_name.strip()}：",
        body=[line.strip() for line in text.splitlines() if line.strip()],
        signature=[organisation.name, chinese_date(application.fee_notified_on)],
        contact=f"联系电话：{organisation.phone}" if organisation.phone else "",
    )


def notice_filename(application):
    return f"{application.tracking_number}收费通知书.docx"


def fee_notice_docx(application, schedule, payment_instructions=""):
    return letter_docx(compose(application, schedule, payment_instructions), author=application.organisation.name)
