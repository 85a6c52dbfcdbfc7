"""信息处理费 under 条例第四十二条 and 国办函〔2020〕109号《政府信息公开信息处理费管理办法》: the
amount for one application, by count (按件) or by quantity (按量), with the computation staff show."""

from decimal import Decimal

from django.db.models import Q

from .models import Application, FeeSchedule


def active_schedule():
    """The county's active standard; the 109号 figures when the office has none active."""
    return FeeSchedule.objects.filter(is_active=True).first() or FeeSchedule()


def plain(amount):
    """A sum of money or a rate without trailing zeros: 100, 12.5."""
    return f"{Decimal(amount).normalize():f}"


def _yuan(amount):
    return f"{plain(amount)}元"


def fee_by_count(nth_in_month, schedule):
    """办法第五条（按件计收）: the nth application of one applicant in a calendar month. Up to 10 free;
    the 11th to 30th 100元 each; after that each band of 10 costs 100元 more per application
    (31st–40th 200元, 41st–50th 300元 …). Returns (amount, computation)."""
    if nth_in_month <= schedule.count_free:
        return Decimal(0), f"本月第{nth_in_month}件，{schedule.count_free}件以内（含）不收费"
    if nth_in_month <= schedule.count_first_band_end:
        rate = Decimal(schedule.count_first_rate)
        band = f"第{schedule.count_free + 1}—{schedule.count_first_band_end}件"
    else:
        step = (nth_in_month - schedule.count_first_band_end - 1) // schedule.count_band_size + 1
        rate = Decimal(schedule.count_first_rate) + step * Decimal(schedule.count_band_increase)
        first = schedule.count_first_band_end + (step - 1) * schedule.count_band_size + 1
        band = f"第{first}—{first + schedule.count_band_size - 1}件"
    return rate, f"本月第{nth_in_month}件，属{band}，{_yuan(rate)}/件 = {_yuan(rate)}"


def fee_by_quantity(pages, schedule):
    """办法第五条（按量计收）: pages of the information provided for one application, each band at its
    own rate: up to 30 free; 31–100 10元/页; 101–200 20元/页; beyond 200 40元/页. Returns
    (amount, computation)."""
    bands = [
        (schedule.page_free, schedule.page_band1_end, Decimal(schedule.page_band1_rate)),
        (schedule.page_band1_end, schedule.page_band2_end, Decimal(schedule.page_band2_rate)),
        (schedule.page_band2_end, None, Decimal(schedule.page_above_rate)),
    ]
    total, parts = Decimal(0), []
    for low, high, rate in bands:
        top = pages if high is None else min(pages, high)
        if top <= low:
            continue
        amount = (top - low) * rate
        total += amount
        label = f"第{low + 1}页以上" if high is None else f"第{low + 1}—{high}页"
        parts.append(f"{label} {top - low}页 × {_yuan(rate)} = {_yuan(amount)}")
    if not parts:
        return Decimal(0), f"共{pages}页，{schedule.page_free}页以内（含）不收费"
    text = f"共{pages}页，前{schedule.page_free}页不收费；" + "；".join(parts)
    if len(parts) > 1:
        text += f"；合计{_yuan(total)}"
    return total, text


def nth_in_month(application):
    """Which application of this applicant to this organisation it is in its receipt month (办法第五条:
    同一申请人一个自然月内), by ID number or credit code, counting in receipt order."""
    key = (
        {"credit_code": application.credit_code}
        if application.applicant_kind == Application.ApplicantKind.ORGANISATION
        else {"id_number_hash": application.id_number_hash}
    )
    day = application.receipt_date
    earlier = Application.objects.filter(
        organisation_id=application.organisation_id, receipt_date__year=day.year, receipt_date__month=day.month, **key,
    ).filter(Q(receipt_date__lt=day) | Q(receipt_date=day, pk__lt=application.pk))
    return earlier.count() + 1


def compute_fee(application, method, pages=None, schedule=None):
    """(amount, computation) for the method the agency chose for this application."""
    schedule = schedule or active_schedule()
    if method == Application.FeeMethod.BY_COUNT:
        return fee_by_count(nth_in_month(application), schedule)
    return fee_by_quantity(pages, schedule)


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
