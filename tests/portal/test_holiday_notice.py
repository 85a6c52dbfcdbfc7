"""Reading the State Council's yearly 节假日安排 notice into CalendarDay rows, and the county
office's admin page that pastes it, confirms it and recomputes open applications' due dates."""

import datetime
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import time_machine

from portal.holiday_notice import NoticeDay, NoticeError, parse_notice
from portal.models import CalendarDay
from tests.factories import make_application

TZ = datetime.timezone(datetime.timedelta(hours=8))
DATA = Path(__file__).parent / "data"
URL = "/admin/portal/calendarday/import-notice/"


def notice_text(year):
    return (DATA / f"holiday_notice_{year}.txt").read_text(encoding="utf-8")


def official_days(year):
    """chinesecalendar's holidays and 调休 workdays of a year, as date → (is working day, holiday name)."""
    days = {}
    day = date(year, 1, 1)
    while day.year == year:
        _on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
        if holiday is not None:
            days[day] = (chinese_calendar.is_workday(day), chinese_calendar.Holiday(holiday).chinese)
        day += timedelta(days=1)
    return days


# --- the parser, checked against chinesecalendar ---


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_real_notice_of_gives_exactly_chinesecalendars_holidays_and_workdays(year):
    rows = {row.date: row for row in parse_notice(notice_text(year))}
    official = official_days(year)
    assert set(rows) == set(official)
    for day, (working, name) in official.items():
        assert rows[day].is_working_day == working, day
        # chinesecalendar writes 清明, 端午, 中秋 where the notice writes 清明节 …
        assert name.removesuffix("节") in rows[day].note, (day, rows[day].note, name)
    # Every date that differs from Monday to Friday is among the rows, and the rows say so.
    day = date(year, 1, 1)
    while day.year == year:
        if chinese_calendar.is_workday(day) != (day.weekday() < 5):
            assert rows[day].is_working_day == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_notice_2026_rows_name_their_holiday_and_workdays_say_tiaoxiu_shangban():
    rows = {row.date: row for row in parse_notice(notice_text(2026))}
    assert rows[date(2026, 1, 1)] == NoticeDay(date(2026, 1, 1), False, "元旦")
    assert rows[date(2026, 1, 4)] == NoticeDay(date(2026, 1, 4), True, "元旦调休上班")
    assert rows[date(2026, 2, 15)].note == "春节"  # 农历腊月二十八 in the brackets is not a date
    assert rows[date(2026, 9, 20)] == NoticeDay(date(2026, 9, 20), True, "国庆节调休上班")
    assert len(rows) == 39
    # The signing date 2025年11月4日 and 国办发明电〔2025〕7号 give no row.
    assert not [day for day in rows if day.year != 2026]


def test_notice_2025_single_day_cross_month_range_and_joint_item():
    rows = {row.date: row for row in parse_notice(notice_text(2025))}
    assert rows[date(2025, 1, 1)] == NoticeDay(date(2025, 1, 1), False, "元旦")  # 放假1天，不调休
    assert date(2025, 1, 2) not in rows
    assert [d for d in rows if rows[d].note == "端午节"] == [date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2)]
    assert rows[date(2025, 10, 8)].note == "国庆节、中秋节"
    assert rows[date(2025, 10, 11)] == NoticeDay(date(2025, 10, 11), True, "国庆节、中秋节调休上班")


def test_full_width_digits_brackets_and_colons_are_read():
    rows = parse_notice(
        "国务院办公厅关于２０２７年部分节假日安排的通知\n"
        "一、劳动节：５月１日（周六）至５日（周三）放假调休，共５天。４月２５日（周日）上班。"
    )
    assert rows == [NoticeDay(date(2027, 4, 25), True, "劳动节调休上班")] + [
        NoticeDay(date(2027, 5, d), False, "劳动节") for d in range(1, 6)
    ]


def test_range_across_months_and_single_workday_on_saturday():
    rows = parse_notice(
        "国务院办公厅关于2023年部分节假日安排的通知\n"
        "六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。"
    )
    assert [row.date for row in rows if not row.is_working_day] == [
        date(2023, 9, 29), date(2023, 9, 30), *[date(2023, 10, d) for d in range(1, 7)]
    ]
    assert [row.date for row in rows if row.is_working_day] == [date(2023, 10, 7), date(2023, 10, 8)]


def test_single_day_holiday_and_explicit_years_across_new_year():
    rows = parse_notice(
        "国务院办公厅关于2019年部分节假日安排的通知\n"
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
        "四、劳动节：5月1日放假。"
    )
    assert [(row.date, row.is_working_day) for row in rows] == [
        (date(2018, 12, 29), True), (date(2018, 12, 30), False), (date(2018, 12, 31), False),
        (date(2019, 1, 1), False), (date(2019, 5, 1), False),
    ]


def test_a_body_pasted_without_its_title_takes_the_year_from_xianjiang():
    rows = parse_notice("经国务院批准，现将2026年元旦、春节放假调休日期的具体安排通知如下。\n一、元旦：1月1日放假。")
    assert rows == [NoticeDay(date(2026, 1, 1), False, "元旦")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。", "未找到年份"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n经国务院批准，现将安排通知如下。", "未找到放假或上班日期"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n二、春节：2月30日放假。", "2026年2月30日不是有效日期"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n二、春节：2月23日至15日放假。", "日期范围有误"),
        ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。1月1日上班。", "既放假又上班"),
        ("", "未找到年份"),
    ],
)
def test_bad_text_raises_a_chinese_notice_error(text, message):
    with pytest.raises(NoticeError, match=message):
        parse_notice(text)
    assert issubclass(NoticeError, ValueError)


# --- the admin page, as the county office ---


NOTICE_2027 = (
    # Made up for the test (the real 2027 notice is not out): 春节 from 除夕 Friday 5 February.
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月20日（周六）上班。"
)


def test_changelist_links_to_the_import_page_for_the_county_office(client, county_reviewer):
    client.force_login(county_reviewer)
    page = client.get("/admin/portal/calendarday/")
    assert page.status_code == 200
    assert URL in page.content.decode()


def test_a_clerk_may_not_open_or_post_the_import_page(client, gongan_clerk):
    client.force_login(gongan_clerk)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": notice_text(2026), "confirm": "1"}).status_code == 403
    assert URL not in client.get("/admin/portal/calendarday/").content.decode()
    assert not CalendarDay.objects.exists()


def test_pasted_notice_is_shown_for_confirmation_and_nothing_is_saved_yet(
    client, county_reviewer, django_assert_max_num_queries
):
    client.force_login(county_reviewer)
    assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(8):  # session, user, the TOTP device, staff roles, the existing rows in one query
        page = client.post(URL, {"text": notice_text(2026)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "核对节假日安排" in html and "确认保存" in html
    assert "2026-01-04" in html and "元旦调休上班" in html and "2026-10-07" in html
    assert html.count("<td>放假</td>") == 33 and html.count("<td>上班</td>") == 6
    assert "2026-02-14（星期六）" in html
    assert not CalendarDay.objects.exists()


def test_bad_text_is_400_with_a_chinese_message_and_the_text_kept(client, county_reviewer):
    client.force_login(county_reviewer)
    text = "国务院办公厅关于2026年部分节假日安排的通知\n二、春节：2月30日（周一）放假。"
    for confirm in ({}, {"confirm": "1"}):
        page = client.post(URL, {"text": text, **confirm})
        assert page.status_code == 400
        html = page.content.decode()
        assert "2026年2月30日不是有效日期" in html
        assert "二、春节：2月30日（周一）放假。" in html
    no_year = client.post(URL, {"text": "一、元旦：1月1日放假。"})
    assert no_year.status_code == 400 and "未找到年份" in no_year.content.decode()
    assert client.post(URL, {"text": ""}).status_code == 400
    assert not CalendarDay.objects.exists()


def test_confirming_saves_the_rows_and_updates_existing_dates(client, county_reviewer):
    CalendarDay.objects.create(date=date(2026, 10, 8), is_working_day=False, note="假设临时放假")
    CalendarDay.objects.create(date=date(2026, 10, 10), is_working_day=False, note="录错了")
    client.force_login(county_reviewer)
    response = client.post(URL, {"text": notice_text(2026), "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/portal/calendarday/"
    assert "已导入节假日安排39天（新增38天，更新1天）" in response.content.decode()
    assert CalendarDay.objects.count() == 40  # 39 from the notice and the unrelated 8 October
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).is_working_day
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).note == "国庆节调休上班"
    assert CalendarDay.objects.get(date=date(2026, 10, 8)).note == "假设临时放假"
    saved = {row.date: (row.is_working_day, row.note) for row in CalendarDay.objects.exclude(date=date(2026, 10, 8))}
    assert saved == {row.date: (row.is_working_day, row.note) for row in parse_notice(notice_text(2026))}


@time_machine.travel(datetime.datetime(2027, 1, 25, 9, 0, tzinfo=TZ))
def test_importing_a_2027_notice_on_2027_01_25_moves_an_open_due_date_from_02_26_to_03_01(
    client, county_reviewer, gongan, gongan_clerk
):
    application = make_application(gongan, gongan_clerk, arrived_on=date(2027, 1, 25))
    # Provisional: 26 Jan–4 Feb (8); 除夕 5 Feb to 初三 8 Feb and 补假 9–10 Feb off; 11 Feb–26 Feb (20).
    assert application.due_date == date(2027, 2, 26) and application.due_date_is_provisional
    client.force_login(county_reviewer)
    response = client.post(URL, {"text": NOTICE_2027, "confirm": "1"}, follow=True)
    assert "已重新计算未办结申请的答复期限：1件有变化" in response.content.decode()
    application.refresh_from_db()
    # 26 Jan–4 Feb (8); 5–13 Feb off; 15–19 Feb (13), Saturday 20 Feb at work (14), 22–26 Feb (19), 1 Mar (20).
    assert application.due_date == date(2027, 3, 1)
    # Days without a row in 2027 are still the provisional rule's guess.
    assert application.due_date_is_provisional
    event = application.events.get(action="due_date_recomputed")
    assert event.actor == county_reviewer and "2027-02-26 → 2027-03-01" in event.note
    page = client.get(f"/admin/requests_app/application/{application.pk}/change/")
    assert "2027年3月1日" in page.content.decode()


def test_the_confirmation_page_posts_back_the_text_it_was_given(client, county_reviewer):
    import html as html_module
    import re

    client.force_login(county_reviewer)
    page = client.post(URL, {"text": notice_text(2025)}).content.decode()
    kept = html_module.unescape(re.search(r'<textarea name="text" hidden>(.*?)</textarea>', page, re.S).group(1))
    assert client.post(URL, {"text": kept, "confirm": "确认保存"}).status_code == 302
    assert CalendarDay.objects.count() == len(parse_notice(notice_text(2025))) == 33
    assert CalendarDay.objects.get(date=date(2025, 6, 2)).note == "端午节"


def test_a_2027_notice_overrules_the_provisional_buja_of_the_holidays_it_arranges(db):
    from portal.holiday_notice import calendar_days

    # Made up: 劳动节 2027 (Saturday 1 and Sunday 2 May) arranged as 1–3 May with no second 补假 day;
    # the provisional rule had guessed 3 and 4 May. 国庆节 is not in this text and keeps its guesses.
    text = "国务院办公厅关于2027年部分节假日安排的通知\n三、劳动节：5月1日（周六）至3日（周一）放假，共3天。"
    rows = {row.date: row for row in calendar_days(parse_notice(text))}
    assert [d for d, row in sorted(rows.items()) if not row.is_working_day] == [date(2027, 5, d) for d in (1, 2, 3)]
    assert rows[date(2027, 5, 4)] == NoticeDay(date(2027, 5, 4), True, "工作日（通知未安排劳动节补假）")
    assert date(2027, 10, 4) not in rows and date(2027, 1, 1) not in rows


def test_a_notice_for_a_year_the_library_knows_is_saved_as_written(db):
    from portal.holiday_notice import calendar_days

    assert calendar_days(parse_notice(notice_text(2026))) == parse_notice(notice_text(2026))
