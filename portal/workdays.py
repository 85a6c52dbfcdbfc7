"""Deadlines counted in working days (工作日) on the statutory calendar, for every app: applications'
due dates (requests_app) and the 公开时限 of 主动公开 information (disclosure, 条例第二十六条).

《政府信息公开条例》第三十三条 gives an agency 20 working days from receipt of an application, and
its second paragraph leaves out the time spent consulting a third party (第三十二条) or another
agency (第三十四条). Whether a date is a working day is decided, in this order:

1. a CalendarDay row, because the county office enters the State Council's annual 放假调休 notice
   as rows as soon as it is published, before any library release carries it (pasted into the
   admin, read by holiday_notice.parse_notice);
2. chinesecalendar, for the years it has data for (2004–2026 in version 1.11.0);
3. otherwise a provisional (暂定) rule: Monday to Friday, less the statutory holidays of
   《全国年节及纪念日放假办法》 (2024 revision, 第二条) and their 补假 (第六条, see provisional_rest_days).
   The rule cannot know the 调休 workdays or the longer 春节 and 国庆 breaks that the State Council
   will announce (第七条), so every answer that rests on it is flagged and a due date computed from it
   is shown as 暂定.

All functions take plain dates. A receipt time must be turned into a local date by the caller
(timezone.localdate), because the day an application was received is a date in China time.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate

from portal.models import CalendarDay

# 20 working days never span more than about 40 calendar days, even across 春节 and 国庆, and an
# extension under 第三十三条 adds at most another 20; 120 days covers both with one query.
OVERRIDE_WINDOW_DAYS = 120

# lunardate covers lunar years 1900–2099, and 除夕 of 1901 lies in lunar year 1900.
FIRST_PROVISIONAL_YEAR = 1901
LAST_PROVISIONAL_YEAR = 2099


def _check_date(value):
    # A datetime is a date subclass but never equals a date key, so it would silently miss every
    # CalendarDay row and every holiday; refuse it instead.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError("请传入日期（date），带时间的收到时间请先用 timezone.localdate() 转换为本地日期")


def calendar_overrides(start: date, end: date) -> dict[date, bool]:
    """CalendarDay rows from start to end, both included, as date → is_working_day, in one query."""
    _check_date(start)
    _check_date(end)
    rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day")
    return dict(rows)


def _add_holiday(holidays, day, name):
    # 中秋节 can fall on 1 October (e.g. 2031); the date is then one holiday with both names, not two.
    if day in holidays:
        holidays[day] = holidays[day] + "、" + name
    else:
        holidays[day] = name


@lru_cache(maxsize=256)
def _statutory_holidays(year):
    if not FIRST_PROVISIONAL_YEAR <= year <= LAST_PROVISIONAL_YEAR:
        raise ValueError(
            f"暂定节假日只能推算{FIRST_PROVISIONAL_YEAR}年至{LAST_PROVISIONAL_YEAR}年，{year}年请录入法定工作日历"
        )
    holidays = {}
    # 第二条（一）新年，放假1天（1月1日）.
    _add_holiday(holidays, date(year, 1, 1), "元旦")
    # 第二条（二）春节，放假4天（农历除夕、正月初一至初三）. 除夕 is the last day of the 12th lunar
    # month, which has 29 or 30 days, so it is taken as the day before 正月初一 rather than as 腊月三十.
    new_year_eve = LunarDate(year, 1, 1).to_solar_date() - timedelta(days=1)
    for offset in range(4):
        _add_holiday(holidays, new_year_eve + timedelta(days=offset), "春节")
    # 第二条（三）清明节，放假1天（农历清明当日）: the day of the 清明 solar term, 4 or 5 April.
    for day, term in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30)):
        if term == "清明":
            _add_holiday(holidays, day, "清明节")
    # 第二条（四）劳动节，放假2天（5月1日、2日）.
    _add_holiday(holidays, date(year, 5, 1), "劳动节")
    _add_holiday(holidays, date(year, 5, 2), "劳动节")
    # 第二条（五）端午节，放假1天（农历端午当日）: 五月初五.
    _add_holiday(holidays, LunarDate(year, 5, 5).to_solar_date(), "端午节")
    # 第二条（六）中秋节，放假1天（农历中秋当日）: 八月十五.
    _add_holiday(holidays, LunarDate(year, 8, 15).to_solar_date(), "中秋节")
    # 第二条（七）国庆节，放假3天（10月1日至3日）.
    for day_of_month in (1, 2, 3):
        _add_holiday(holidays, date(year, 10, day_of_month), "国庆节")
    return holidays


def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of 《全国年节及纪念日放假办法》 (2024) in a year, as date → name.

    Only the holidays themselves: no 补假 (provisional_rest_days adds it) and no 调休 workdays,
    which only the State Council's annual notice fixes.
    """
    return dict(_statutory_holidays(year))


@lru_cache(maxsize=256)
def _provisional_rest_days(year):
    holidays = _statutory_holidays(year)
    rest_days = dict(holidays)
    # 第六条: 全体公民放假的假日，如果适逢周六、周日，应当在工作日补假. Each holiday date that falls on a
    # Saturday or Sunday gives one 补假 day: the first Monday-to-Friday after it that is neither a
    # holiday nor already someone's 补假, taken in date order (so 春节 2027, 除夕 Friday to 初三 Monday,
    # is made up on Tuesday and Wednesday 9 and 10 February). A date that carries two holidays (中秋节
    # on 1 October) is one date and gives at most one 补假: the 办法 makes up weekend days only.
    # Not guessed: the 调休 workdays and the longer 春节 and 国庆 breaks the State Council arranges
    # under 第七条; they come with the annual notice as CalendarDay rows.
    for day in sorted(holidays):
        if day.weekday() < 5:
            continue
        make_up = day + timedelta(days=1)
        while make_up.weekday() >= 5 or make_up in rest_days:
            make_up = make_up + timedelta(days=1)
        rest_days[make_up] = holidays[day] + "补假"
    return rest_days


def provisional_rest_days(year: int) -> dict[date, str]:
    """The days off the provisional rule gives a year, as date → name: the statutory holidays of
    第二条 and, for each of them that falls on a Saturday or Sunday, a 补假 day under 第六条 on the
    next Monday-to-Friday that is not already off (named e.g. "劳动节补假")."""
    return dict(_provisional_rest_days(year))


def year_is_known(year: int) -> bool:
    """Whether chinesecalendar carries the State Council's arrangement for the year."""
    try:
        chinese_calendar.is_workday(date(year, 6, 15))
    except NotImplementedError:
        return False
    return True


def _answer(day, overrides):
    """(is the day a working day, does the answer rest on the provisional rule)."""
    if day in overrides:
        return overrides[day], False
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        # chinesecalendar raises NotImplementedError for a year it has no State Council data for.
        pass
    if day in _provisional_rest_days(day.year):
        return False, True
    return day.weekday() < 5, True


def is_working_day(day: date, overrides: dict[date, bool] | None = None) -> bool:
    """Whether the day is a working day; overrides as built by calendar_overrides, or one query."""
    _check_date(day)
    if overrides is None:
        overrides = calendar_overrides(day, day)
    working, _provisional = _answer(day, overrides)
    return working


def is_provisional(day: date, overrides: dict[date, bool] | None = None) -> bool:
    """Whether is_working_day(day) is only the provisional rule's guess.

    True for a day with no CalendarDay row in a year chinesecalendar has no data for. A row speaks
    only for its own date: the days around it in that year stay provisional until they get rows or
    the library learns the year.
    """
    _check_date(day)
    if overrides is None:
        overrides = calendar_overrides(day, day)
    _working, provisional = _answer(day, overrides)
    return provisional


def add_working_days_with_flag(
    start: date, days: int, overrides: dict[date, bool] | None = None
) -> tuple[date, bool]:
    """The days-th working day after start, and whether any day counted or skipped rests on the
    provisional rule.

    The start day is not counted (第三十三条: the period runs from the day after receipt, as
    periods do under 《民法典》第二百零一条). Given overrides must cover every date the count can
    reach; without them the rows are loaded OVERRIDE_WINDOW_DAYS at a time.
    """
    _check_date(start)
    if days < 0:
        raise ValueError("工作日天数不能为负数")
    loads_own_rows = overrides is None
    if loads_own_rows:
        overrides = {}
    loaded_through = start
    current = start
    counted = 0
    provisional = False
    while counted < days:
        current = current + timedelta(days=1)
        if loads_own_rows and current > loaded_through:
            loaded_through = current + timedelta(days=OVERRIDE_WINDOW_DAYS)
            overrides.update(calendar_overrides(current, loaded_through))
        working, guessed = _answer(current, overrides)
        if guessed:
            provisional = True
        if working:
            counted += 1
    return current, provisional


def add_working_days(start: date, days: int, overrides: dict[date, bool] | None = None) -> date:
    """The days-th working day after start; the start day is not counted. days=0 returns start."""
    due, _provisional = add_working_days_with_flag(start, days, overrides)
    return due


def working_days_between(start: date, end: date, overrides: dict[date, bool] | None = None) -> int:
    """Working days after start up to and including end; 0 when end is not after start.

    Measures time that 第三十三条第二款 leaves out of the deadline, such as a third-party
    consultation under 第三十二条.
    """
    _check_date(start)
    _check_date(end)
    if end <= start:
        return 0
    first = start + timedelta(days=1)
    if overrides is None:
        overrides = calendar_overrides(first, end)
    count = 0
    current = first
    while current <= end:
        working, _provisional = _answer(current, overrides)
        if working:
            count += 1
        current = current + timedelta(days=1)
    return count
