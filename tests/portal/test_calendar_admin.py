"""The statutory calendar's admin (portal): only the county office edits it, and every change tells
the other apps (portal.signals.calendar_changed), which recompute the deadlines counted on it."""

import datetime

import pytest

from portal.models import CalendarDay
from tests.factories import make_application

URL = "/admin/portal/calendarday/"


@pytest.fixture
def application(gongan, gongan_clerk):
    """Received in person on Monday 2026-09-28 and registered: due 2026-10-30."""
    return make_application(gongan, gongan_clerk)


def test_calendar_row_entered_in_the_admin_recomputes_due_dates_and_says_how_many_changed(
    client, application, county_reviewer
):
    client.force_login(county_reviewer)
    response = client.post(f"{URL}add/", {"date": "2026-10-08", "note": "临时放假"}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "已重新计算未办结申请的答复期限：1件有变化" in response.content.decode()
    application.refresh_from_db()
    assert application.due_date == datetime.date(2026, 11, 2)
    assert application.events.filter(action="due_date_recomputed", actor=county_reviewer).exists()


def test_deleting_a_calendar_row_recomputes_due_dates_back(client, application, county_reviewer):
    row = CalendarDay.objects.create(date=datetime.date(2026, 10, 8), is_working_day=False, note="临时放假")
    client.force_login(county_reviewer)
    client.post(f"{URL}add/", {"date": "2026-10-09", "note": "临时放假"})
    response = client.post(f"{URL}{row.pk}/delete/", {"post": "yes"}, follow=True)
    assert "已重新计算未办结申请的答复期限：1件有变化" in response.content.decode()
    application.refresh_from_db()
    assert application.due_date == datetime.date(2026, 11, 2)  # only 9 October is off now


@pytest.mark.parametrize("username", ["gongan_clerk", "gongan_reviewer", "jiaoyu_clerk"])
def test_only_the_county_office_edits_the_calendar_others_read_it(client, request, application, username):
    row = CalendarDay.objects.create(date=datetime.date(2026, 10, 8), is_working_day=False, note="临时放假")
    client.force_login(request.getfixturevalue(username))
    assert client.get(URL).status_code == 200
    assert client.post(f"{URL}add/", {"date": "2026-10-09", "note": "临时放假"}).status_code == 403
    assert client.post(f"{URL}{row.pk}/change/", {"date": "2026-10-08", "is_working_day": "on"}).status_code == 403
    assert client.post(f"{URL}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(CalendarDay.objects.values_list("date", "is_working_day")) == [(datetime.date(2026, 10, 8), False)]


def test_the_calendar_keeps_its_table_so_no_row_was_moved():
    assert CalendarDay._meta.db_table == "requests_app_calendarday"
