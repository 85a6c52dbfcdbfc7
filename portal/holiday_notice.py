"""Reading the State Council's yearly notice 《国务院办公厅关于XXXX年部分节假日安排的通知》 into
CalendarDay rows: each item's 放假 dates as rest days and its 上班 dates as 调休 workdays."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta


class NoticeError(ValueError):
    """The pasted text cannot be read as a holiday notice; the message says why, in Chinese."""


@dataclass(frozen=True)
class NoticeDay:
    date: date
    is_working_day: bool
    note: str


# 关于2026年部分节假日安排的通知; a body pasted without its title still says 现将2026年元旦、春节……
_YEAR = re.compile(r"关于(\d{4})年(?:部分)?节假日安排|现将(\d{4})年")
# 一、元旦：…  六、国庆节、中秋节：…  (after NFKC the colon is ASCII)
_ITEM = re.compile(r"(?:^|[\n。])\s*[一二三四五六七八九十]+、\s*([^:\n。]{1,20}?)\s*:")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_RANGE_JOINER = re.compile(r"^\s*(?:至|到|-|—|–|~|～)\s*$")
# (周四) (农历腊月二十八、周日) (星期六): the weekday and lunar date say nothing the date does not.
_PARENTHESIS = re.compile(r"\([^()]*\)")


def _normalise(text):
    # Full-width digits, brackets and colons as the notices print them (１月１日（周四）) become ASCII.
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _notice_year(text):
    match = _YEAR.search(text)
    if not match:
        raise NoticeError("未找到年份：请粘贴包括标题“国务院办公厅关于XXXX年部分节假日安排的通知”在内的全文")
    return int(match.group(1) or match.group(2))


def _make_date(year, month, day, source):
    try:
        return date(year, month, day)
    except ValueError:
        raise NoticeError(f"“{source}”中的{year}年{month}月{day}日不是有效日期") from None


def _sentence_dates(sentence, year, month):
    """The dates a sentence names, ranges ("1月1日至3日") expanded; and the month it ends in, which
    a following sentence that names only a day carries on."""
    plain = _PARENTHESIS.sub("", sentence)
    mentions = []
    for match in _DATE.finditer(plain):
        if match.group(1):
            year = int(match.group(1))
        if match.group(2):
            month = int(match.group(2))
        if month is None:
            raise NoticeError(f"“{sentence.strip()}”中的日期缺少月份")
        mentions.append((match, _make_date(year, month, int(match.group(3)), sentence.strip())))
    days = []
    index = 0
    while index < len(mentions):
        match, first = mentions[index]
        if index + 1 < len(mentions) and _RANGE_JOINER.match(plain[match.end():mentions[index + 1][0].start()]):
            last = mentions[index + 1][1]
            if last < first:
                raise NoticeError(f"“{sentence.strip()}”中的日期范围有误：{first:%Y年%m月%d日}晚于{last:%Y年%m月%d日}")
            days.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
            index += 2
        else:
            days.append(first)
            index += 1
    return days, month


def parse_notice(text: str) -> list[NoticeDay]:
    """The rows a notice gives, in date order: every date in a sentence that says 放假 is a rest
    day, every date in a sentence that says 上班 a workday, each noted with its item's holiday name
    ("春节", "春节调休上班"). Raises NoticeError when the text has no year, no item with dates, a
    date that does not exist, or a date both off and at work."""
    text = _normalise(text or "")
    year = _notice_year(text)
    items = list(_ITEM.finditer(text))
    found = {}
    for position, item in enumerate(items):
        name = item.group(1).strip()
        end = items[position + 1].start() if position + 1 < len(items) else len(text)
        month = None
        for sentence in re.split(r"[。\n;；]", text[item.end():end]):
            if "放假" in sentence:
                working = False
            elif "上班" in sentence:
                working = True
            else:
                continue
            days, month = _sentence_dates(sentence, year, month)
            for day in days:
                note = f"{name}调休上班" if working else name
                if day in found and found[day].is_working_day != working:
                    raise NoticeError(f"{day:%Y年%m月%d日}在通知中既放假又上班，请核对原文")
                if day in found and name not in found[day].note:
                    note = found[day].note + "、" + note
                found[day] = NoticeDay(day, working, note)
    if not found:
        raise NoticeError("未找到放假或上班日期：请粘贴通知正文，如“一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。”")
    return sorted(found.values(), key=lambda row: row.date)


def calendar_days(notice_days: list[NoticeDay]) -> list[NoticeDay]:
    """The CalendarDay rows to save for a notice: its own days and, for a year the calendar library
    does not know, a workday row for each weekday the provisional rule would have taken off for a
    holiday the notice arranges (a 补假 guess, a day the State Council moved) that the notice does
    not give off. Holidays the pasted text does not mention keep the provisional rule, so a text
    pasted in part takes no statutory holiday away."""
    from .workdays import provisional_rest_days, year_is_known

    listed = {day.date for day in notice_days}
    arranged = {name for day in notice_days if not day.is_working_day for name in day.note.split("、")}
    corrections = []
    for year in sorted({day.date.year for day in notice_days}):
        if year_is_known(year):
            continue
        for day, name in provisional_rest_days(year).items():
            holiday = name.removesuffix("补假")
            if day not in listed and day.weekday() < 5 and any(part in arranged for part in holiday.split("、")):
                corrections.append(NoticeDay(day, True, f"工作日（通知未安排{name}）"))
    return sorted([*notice_days, *corrections], key=lambda row: row.date)
