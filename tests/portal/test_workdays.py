"""Working-day deadlines: CalendarDay rows, then chinesecalendar (2004–2026), then the provisional
rule of 《全国年节及纪念日放假办法》 (2024) for years nobody has data for yet."""

import datetime
from datetime import date, timedelta

import chinese_calendar
import pytest
import time_machine

from portal.workdays import (
    add_working_days,
    add_working_days_with_flag,
    calendar_overrides,
    is_provisional,
    is_working_day,
    provisional_rest_days,
    statutory_holidays,
    working_days_between,
)
from portal.models import CalendarDay

TZ = datetime.timezone(datetime.timedelta(hours=8))


def days_from(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# --- 2026: the State Council's arrangement (国办发明电〔2025〕7号) as chinesecalendar carries it ---


def test_received_2026_09_28_is_due_2026_10_30_across_guoqing(db):
    assert add_working_days(date(2026, 9, 28), 20) == date(2026, 10, 30)


def test_guoqing_2026_is_2026_10_01_to_10_07_with_workdays_2026_09_20_and_2026_10_10(db):
    for day in days_from(date(2026, 10, 1), date(2026, 10, 7)):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 9, 20))  # Sunday
    assert is_working_day(date(2026, 10, 10))  # Saturday
    assert is_working_day(date(2026, 10, 8))
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_zhongqiu_2026_is_2026_09_25_to_09_27(db):
    assert is_working_day(date(2026, 9, 24))
    for day in days_from(date(2026, 9, 25), date(2026, 9, 27)):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 9, 28))


def test_chunjie_2026_is_2026_02_15_to_02_23_with_workdays_2026_02_14_and_2026_02_28(db):
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 14))  # Saturday
    for day in days_from(date(2026, 2, 15), date(2026, 2, 23)):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 2, 24))
    assert is_working_day(date(2026, 2, 28))  # Saturday
    assert not is_working_day(date(2026, 3, 1))  # an ordinary Sunday


def test_received_friday_2026_02_13_counts_workday_saturday_2026_02_14_and_is_due_2026_03_19(db):
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 19)


def test_qingming_2026_is_2026_04_04_to_04_06(db):
    assert is_working_day(date(2026, 4, 3))
    for day in days_from(date(2026, 4, 4), date(2026, 4, 6)):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 4, 7))


def test_received_friday_2026_03_13_skips_qingming_and_is_due_2026_04_13(db):
    assert add_working_days(date(2026, 3, 13), 20) == date(2026, 4, 13)


def test_laodong_2026_is_2026_05_01_to_05_05_with_only_saturday_2026_05_09_as_workday(db):
    assert is_working_day(date(2026, 4, 30))
    for day in days_from(date(2026, 5, 1), date(2026, 5, 5)):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 5, 6))
    assert is_working_day(date(2026, 5, 9))  # Saturday
    # The 2026 notice has a single 调休 workday for 劳动节; Sunday 2026-04-26 stays a rest day.
    assert not is_working_day(date(2026, 4, 26))
    assert not is_working_day(date(2026, 5, 10))


def test_received_2026_04_30_is_due_2026_06_01_across_laodong(db):
    assert add_working_days(date(2026, 4, 30), 20) == date(2026, 6, 1)


def test_2026_dates_are_not_provisional(db):
    assert not is_provisional(date(2026, 10, 1))
    assert not is_provisional(date(2026, 12, 31))
    assert add_working_days_with_flag(date(2026, 9, 28), 20) == (date(2026, 10, 30), False)


# --- counting rules ---


def test_receipt_day_2026_03_02_is_not_counted(db):
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert add_working_days(date(2026, 3, 2), 20) == date(2026, 3, 30)


def test_zero_working_days_returns_receipt_day_2026_10_03_even_on_a_holiday(db):
    assert add_working_days_with_flag(date(2026, 10, 3), 0) == (date(2026, 10, 3), False)


def test_received_friday_2026_03_06_first_working_day_is_monday_2026_03_09(db):
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)


def test_received_on_holiday_2026_10_03_counts_from_2026_10_08_and_is_due_2026_11_03(db):
    assert add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 3), 20) == date(2026, 11, 3)


def test_negative_working_days_are_refused(db):
    with pytest.raises(ValueError, match="不能为负数"):
        add_working_days(date(2026, 3, 2), -1)


def test_a_datetime_is_refused_so_the_caller_picks_the_local_date(db):
    received = datetime.datetime(2026, 9, 28, 16, 30, tzinfo=datetime.timezone.utc)
    with pytest.raises(TypeError, match="localdate"):
        add_working_days(received, 20)
    with pytest.raises(TypeError):
        is_working_day(received)


# --- working_days_between ---


def test_working_days_between_2026_09_30_and_2026_10_09_skips_guoqing(db):
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2


def test_working_days_between_counts_the_end_day_not_the_start_day(db):
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 3)) == 1
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 30)) == 20


def test_working_days_between_is_zero_when_end_is_not_after_start(db):
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert working_days_between(date(2026, 3, 3), date(2026, 3, 2)) == 0


def test_working_days_between_honours_a_calendar_day_row(db):
    CalendarDay.objects.create(date=date(2026, 10, 9), is_working_day=False, note="临时放假")
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 1


# --- years without data: the provisional rule ---


def test_2027_chuxi_2027_02_05_to_chuyi_san_2027_02_08_are_provisional_holidays(db):
    # Lunar 2026 has a 29-day 12th month: 除夕 is 腊月二十九, the day before 正月初一 2027-02-06.
    assert is_working_day(date(2027, 2, 4))
    for day in days_from(date(2027, 2, 5), date(2027, 2, 8)):
        assert not is_working_day(day), day
        assert is_provisional(day), day


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
def test_buja_chunjie_2027_saturday_and_sunday_are_made_up_on_2027_02_09_and_02_10_seen_2026_12_01(db):
    # 第六条: 初一 Saturday 6 Feb and 初二 Sunday 7 Feb; 初三 Monday 8 Feb is itself a holiday, so the
    # 补假 days are the next two weekdays after it.
    for day in (date(2027, 2, 9), date(2027, 2, 10)):
        assert not is_working_day(day), day
        assert is_provisional(day), day
    assert is_working_day(date(2027, 2, 11))
    assert is_provisional(date(2027, 2, 11))


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
def test_buja_guoqing_2027_saturday_and_sunday_are_made_up_on_2027_10_04_and_10_05_seen_2026_12_01(db):
    for day in days_from(date(2027, 10, 1), date(2027, 10, 5)):
        assert not is_working_day(day), day
        assert is_provisional(day), day
    assert is_working_day(date(2027, 9, 30))
    assert is_working_day(date(2027, 10, 6))


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
def test_buja_laodong_2027_on_saturday_and_sunday_is_made_up_on_2027_05_03_and_05_04_seen_2026_12_01(db):
    assert is_working_day(date(2027, 4, 30))
    for day in days_from(date(2027, 5, 1), date(2027, 5, 4)):
        assert not is_working_day(day), day
    assert is_working_day(date(2027, 5, 5))
    # Received Friday 2027-04-30: 5–7 May (3), 10–28 May (18), 31 May–1 Jun (20).
    assert add_working_days_with_flag(date(2027, 4, 30), 20) == (date(2027, 6, 1), True)


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
def test_buja_none_for_2027_holidays_on_weekdays_yuandan_qingming_duanwu_zhongqiu_seen_2026_12_01(db):
    # 元旦 Friday, 清明 Monday 5 Apr, 端午 Wednesday 9 Jun, 中秋 Wednesday 15 Sep: nothing to make up.
    for day in (date(2027, 1, 4), date(2027, 4, 6), date(2027, 6, 10), date(2027, 9, 16)):
        assert is_working_day(day), day
    assert [name for name in provisional_rest_days(2027).values() if name.endswith("补假")] == [
        "春节补假", "春节补假", "劳动节补假", "劳动节补假", "国庆节补假", "国庆节补假",
    ]


@time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
def test_buja_sunday_holiday_is_made_up_on_monday_qingming_2032_04_04_seen_2026_12_01(db):
    # 清明 2032 is Sunday 4 April, made up on Monday 5 April.
    assert date(2032, 4, 4) in statutory_holidays(2032)
    assert provisional_rest_days(2032)[date(2032, 4, 5)] == "清明节补假"
    assert not is_working_day(date(2032, 4, 5))
    assert is_working_day(date(2032, 4, 6))


def test_2027_weekends_are_provisional_rest_days(db):
    assert not is_working_day(date(2027, 3, 6))  # Saturday
    assert not is_working_day(date(2027, 3, 7))  # Sunday
    assert is_working_day(date(2027, 3, 8))


@time_machine.travel(datetime.datetime(2027, 9, 27, 9, 0, tzinfo=TZ))
def test_buja_moves_due_date_received_2027_09_27_from_10_26_to_10_28_and_it_is_provisional(db):
    # 28–30 Sep (3); 1–3 Oct 国庆, 4–5 Oct 补假; 6–8 Oct (6), 11–22 Oct (16), 25–28 Oct (20).
    assert add_working_days_with_flag(date(2027, 9, 27), 20) == (date(2027, 10, 28), True)


@time_machine.travel(datetime.datetime(2027, 1, 29, 9, 0, tzinfo=TZ))
def test_buja_moves_due_date_received_2027_01_29_from_03_02_to_03_04_and_it_is_provisional(db):
    # 1-4 Feb (4); 除夕 5 Feb to 初三 8 Feb, 补假 9–10 Feb; 11-12 Feb (6), 15-26 Feb (16), 1-4 Mar (20).
    assert add_working_days_with_flag(date(2027, 1, 29), 20) == (date(2027, 3, 4), True)


def test_received_2026_12_15_due_in_january_2027_is_flagged_because_2027_days_are_counted(db):
    # 2026-12-16..12-31: 12 working days; 2027-01-01 is 元旦; 4-8 Jan (17), 11-13 Jan (20).
    due, provisional = add_working_days_with_flag(date(2026, 12, 15), 20)
    assert due == date(2027, 1, 13)
    assert provisional


def test_due_date_inside_2026_is_not_flagged_even_near_year_end(db):
    assert add_working_days_with_flag(date(2026, 12, 1), 20) == (date(2026, 12, 29), False)


def test_2031_without_data_raises_nothing_and_zhongqiu_falls_on_guoqing_2031_10_01(db):
    assert not is_working_day(date(2031, 10, 1))
    assert is_provisional(date(2031, 10, 1))
    assert is_working_day(date(2031, 10, 6))  # Monday: the shared day gives no fourth holiday
    due, provisional = add_working_days_with_flag(date(2031, 9, 29), 20)
    assert due == date(2031, 10, 30)
    assert provisional
    assert working_days_between(date(2031, 9, 29), date(2031, 10, 30)) == 20


def test_years_1901_to_2099_never_raise(db):
    overrides = {}
    for year in (1901, 1949, 2003, 2050, 2099):
        for day in (date(year, 1, 1), date(year, 6, 15), date(year, 12, 20)):
            is_working_day(day, overrides)
            add_working_days_with_flag(day, 5, overrides)
    # A year before chinesecalendar's data (2004) falls to the provisional rule as well.
    assert is_provisional(date(2003, 10, 1))
    assert not is_working_day(date(2003, 10, 1))


# --- CalendarDay rows win ---


def test_row_making_2026_10_08_a_holiday_moves_due_date_from_2026_10_30_to_2026_11_02(db):
    CalendarDay.objects.create(date=date(2026, 10, 8), is_working_day=False, note="临时放假")
    assert not is_working_day(date(2026, 10, 8))
    assert add_working_days(date(2026, 9, 28), 20) == date(2026, 11, 2)


def test_row_making_saturday_2026_10_17_a_workday_brings_due_date_to_2026_10_29(db):
    CalendarDay.objects.create(date=date(2026, 10, 17), is_working_day=True, note="调休上班")
    assert is_working_day(date(2026, 10, 17))
    assert add_working_days(date(2026, 9, 28), 20) == date(2026, 10, 29)


def test_rows_for_2027_win_over_the_provisional_rule_and_are_not_provisional(db):
    CalendarDay.objects.create(date=date(2027, 2, 9), is_working_day=False, note="春节")
    CalendarDay.objects.create(date=date(2027, 2, 20), is_working_day=True, note="春节调休上班")
    CalendarDay.objects.create(date=date(2027, 10, 1), is_working_day=True, note="测试：行优先")

    assert not is_working_day(date(2027, 2, 9))
    assert not is_provisional(date(2027, 2, 9))
    assert is_working_day(date(2027, 2, 20))  # Saturday
    assert not is_provisional(date(2027, 2, 20))
    assert is_working_day(date(2027, 10, 1))
    # A row speaks only for its own date.
    assert is_provisional(date(2027, 2, 10))


def test_2027_due_date_is_still_flagged_when_only_some_days_have_rows(db):
    CalendarDay.objects.create(date=date(2027, 10, 6), is_working_day=False, note="国庆节")
    assert add_working_days_with_flag(date(2027, 9, 27), 20) == (date(2027, 10, 29), True)


def test_due_date_counted_only_over_2027_rows_is_not_flagged(db):
    # 1 Mar 2027 (Mon) + 3: every day counted or skipped has a row.
    for day, working in (
        (date(2027, 3, 2), True),
        (date(2027, 3, 3), False),
        (date(2027, 3, 4), True),
        (date(2027, 3, 5), True),
    ):
        CalendarDay.objects.create(date=day, is_working_day=working)
    assert add_working_days_with_flag(date(2027, 3, 1), 3) == (date(2027, 3, 5), False)


# --- loading rows in one query ---


def test_calendar_overrides_loads_a_range_in_one_query(db, django_assert_num_queries):
    CalendarDay.objects.create(date=date(2026, 10, 8), is_working_day=False)
    CalendarDay.objects.create(date=date(2026, 10, 17), is_working_day=True)
    CalendarDay.objects.create(date=date(2027, 1, 1), is_working_day=False)
    with django_assert_num_queries(1):
        overrides = calendar_overrides(date(2026, 10, 1), date(2026, 12, 31))
    assert overrides == {date(2026, 10, 8): False, date(2026, 10, 17): True}


def test_add_working_days_runs_one_query_without_overrides_and_none_with_them(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(date(2026, 9, 28), 20)
    overrides = calendar_overrides(date(2026, 9, 28), date(2026, 9, 28) + timedelta(days=120))
    with django_assert_num_queries(0):
        for offset in range(30):
            add_working_days(date(2026, 9, 1) + timedelta(days=offset), 20, overrides)
        working_days_between(date(2026, 9, 28), date(2026, 10, 30), overrides)
        is_working_day(date(2026, 10, 8), overrides)


def test_a_count_longer_than_the_window_loads_rows_beyond_it(db):
    start = date(2026, 1, 5)
    plain = add_working_days(start, 120)
    assert plain > start + timedelta(days=121)
    CalendarDay.objects.create(date=plain - timedelta(days=1), is_working_day=False)
    CalendarDay.objects.create(date=plain - timedelta(days=2), is_working_day=False)
    expected = add_working_days(start, 120, calendar_overrides(start, start + timedelta(days=400)))
    assert expected != plain
    assert add_working_days(start, 120) == expected


# --- statutory_holidays on its own ---


def test_statutory_holidays_2027_chuxi_2027_02_05_after_a_29_day_twelfth_month():
    assert statutory_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }


def test_statutory_holidays_2030_chuxi_2030_02_02_after_a_30_day_twelfth_month():
    assert statutory_holidays(2030) == {
        date(2030, 1, 1): "元旦",
        date(2030, 2, 2): "春节",
        date(2030, 2, 3): "春节",
        date(2030, 2, 4): "春节",
        date(2030, 2, 5): "春节",
        date(2030, 4, 5): "清明节",
        date(2030, 5, 1): "劳动节",
        date(2030, 5, 2): "劳动节",
        date(2030, 6, 5): "端午节",
        date(2030, 9, 12): "中秋节",
        date(2030, 10, 1): "国庆节",
        date(2030, 10, 2): "国庆节",
        date(2030, 10, 3): "国庆节",
    }


def test_statutory_holidays_2026_chuxi_is_2026_02_16_the_29th_of_the_twelfth_month():
    holidays = statutory_holidays(2026)
    assert [day for day, name in holidays.items() if name == "春节"] == days_from(date(2026, 2, 16), date(2026, 2, 19))
    assert date(2026, 2, 15) not in holidays  # 腊月二十八 is a holiday only by the 2026 notice


def test_statutory_holidays_2031_zhongqiu_on_2031_10_01_is_one_date_with_both_names():
    holidays = statutory_holidays(2031)
    assert holidays[date(2031, 10, 1)] == "中秋节、国庆节"
    assert [day for day in holidays if day.month == 10] == days_from(date(2031, 10, 1), date(2031, 10, 3))
    assert len(holidays) == 12
    assert holidays[date(2031, 1, 22)] == "春节"  # 除夕


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_holidays_are_rest_days_in_the_official_arrangements_under_the_2024_rules(year):
    for day in statutory_holidays(year):
        assert not chinese_calendar.is_workday(day), day


def test_statutory_holidays_cover_1901_to_2099_and_refuse_other_years():
    assert len(statutory_holidays(1901)) == 13
    assert len(statutory_holidays(2099)) == 13
    with pytest.raises(ValueError, match="2099"):
        statutory_holidays(2100)


def test_statutory_holidays_returns_a_copy_callers_cannot_spoil():
    statutory_holidays(2027).clear()
    assert len(statutory_holidays(2027)) == 13


@pytest.mark.parametrize("year", [2025, 2026])
def test_provisional_rest_days_with_buja_are_rest_days_in_the_official_arrangements_of(year):
    # The years chinesecalendar knows under the 2024 rules: every day the provisional rule gives off,
    # 补假 included (2025-06-02 端午; 2026-04-06 清明, 05-04 劳动节, 10-05 国庆节), was off.
    rest_days = provisional_rest_days(year)
    assert any(name.endswith("补假") for name in rest_days.values())
    for day in rest_days:
        assert not chinese_calendar.is_workday(day), day
