"""条例第二十六条: 主动公开 information is published within 20 working days of the day it was formed or
changed (formed_on), counted on the statutory calendar (portal.workdays). Late publication is allowed
and recorded. Time is frozen in every test; the date is in its name or docstring."""

import datetime
import html
import itertools
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import workflow
from disclosure.models import Document, DocumentEvent
from portal.models import CalendarDay, Organisation, Staff
from tests.disclosure.test_admin import form_data
from tests.factories import make_document, make_organisation, make_staff, publish_document

TZ = datetime.timezone(datetime.timedelta(hours=8))
D = datetime.date


def at(year, month, day, hour=10):
    return time_machine.travel(datetime.datetime(year, month, day, hour, 0, tzinfo=TZ), tick=False)


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# ------------------------------------------------------------------ the deadline on the calendar

@at(2026, 9, 28)
def test_formed_2026_09_28_is_due_2026_10_30_across_guoqing_counting_the_tiaoxiu_saturday_10_10(gongan, gongan_clerk):
    # 1–7 October are off; Saturday 10 October is a 调休 workday, so the 20th working day is Friday 30 October.
    document = make_document(gongan, gongan_clerk, written_date=D(2026, 9, 28))
    assert document.formed_on == D(2026, 9, 28)  # defaults to the 成文日期
    assert document.publish_by == D(2026, 10, 30) and not document.publish_by_is_provisional


@at(2027, 1, 25)
def test_formed_2027_01_25_is_due_2027_02_26_provisionally_because_2027_is_not_announced(
    client, gongan, gongan_clerk, gongan_reviewer
):
    # Provisional rule: 除夕 5 February to 初三 8 February off, with 补假 on 9 and 10 February.
    document = make_document(gongan, gongan_clerk, written_date=D(2027, 1, 25))
    assert document.publish_by == D(2027, 2, 26) and document.publish_by_is_provisional
    workflow.submit(document, by=gongan_clerk)
    content = page(client, gongan_reviewer, f"/admin/disclosure/document/{document.pk}/change/")
    assert "距条例第二十六条规定的公开时限（2027年2月26日，暂定）还有20个工作日" in content


def test_a_document_that_is_not_proactive_has_no_publication_deadline(gongan, gongan_clerk):
    with at(2026, 11, 2):
        document = make_document(gongan, gongan_clerk, attribute="withheld", written_date=D(2026, 11, 2))
    assert document.formed_on == D(2026, 11, 2) and document.publish_by is None


@at(2026, 12, 1)
def test_a_calendar_row_recomputes_the_deadline_of_unpublished_documents_only(
    client, gongan, gongan_clerk, gongan_reviewer, county_reviewer
):
    """On 2026-12-01 the county office makes 2026-12-10 a holiday: the draft formed 2026-11-24 moves
    from 2026-12-22 to 2026-12-23; the one published already keeps the deadline it was published against."""
    draft = make_document(gongan, gongan_clerk, title="未发布", written_date=D(2026, 11, 24))
    published = publish_document(make_document(gongan, gongan_clerk, title="已发布", written_date=D(2026, 11, 24)),
                                 gongan_clerk, gongan_reviewer)
    assert draft.publish_by == published.publish_by == D(2026, 12, 22)
    client.force_login(county_reviewer)
    response = client.post("/admin/portal/calendarday/add/", {"date": "2026-12-10", "note": "临时放假"}, follow=True)
    assert "已重新计算未发布政府信息的公开时限：1件有变化" in response.content.decode()
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.publish_by == D(2026, 12, 23)
    assert published.publish_by == D(2026, 12, 22)


# ------------------------------------------------------------------ the date checks

@at(2026, 12, 1)
def test_formed_on_left_blank_in_the_form_is_the_written_date(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/disclosure/document/add/", form_data(gongan, written_date="2026-11-24", formed_on=""))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.formed_on == D(2026, 11, 24) and document.publish_by == D(2026, 12, 22)


@at(2026, 12, 1)
def test_a_change_date_after_the_written_date_is_the_one_counted(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    data = form_data(gongan, written_date="2026-03-01", formed_on="2026-11-24")
    assert client.post("/admin/disclosure/document/add/", data).status_code == 302
    assert Document.objects.get().publish_by == D(2026, 12, 22)


@at(2026, 12, 1)
@pytest.mark.parametrize("written, formed, message", [
    ("2026-11-24", "2026-12-02", "形成或变更日期不能晚于今天"),
    ("2026-11-24", "2026-11-23", "形成或变更日期不能早于成文日期（2026年11月24日）"),
    ("2026-11-24", "2026-13-01", "输入一个有效的日期"),
])
def test_bad_formation_dates_are_400_with_a_chinese_message_and_the_input_kept(
    client, gongan, gongan_clerk, written, formed, message
):
    client.force_login(gongan_clerk)
    response = client.post("/admin/disclosure/document/add/", form_data(gongan, written_date=written, formed_on=formed))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert f'value="{formed}"' in content and "关于开展春季消防安全检查的通知" in content
    assert not Document.objects.exists()


@at(2026, 12, 1)
def test_a_proactive_document_without_formation_date_cannot_be_submitted(gongan, gongan_clerk):
    document = make_document(gongan, gongan_clerk, written_date=D(2026, 11, 24))
    Document.objects.filter(pk=document.pk).update(formed_on=None)
    document.refresh_from_db()
    with pytest.raises(workflow.WorkflowError, match="主动公开的信息须填写形成或变更日期"):
        workflow.submit(document, by=gongan_clerk)


# ------------------------------------------------------------------ the reviewer's page and the publish step

@pytest.fixture
def late_submission(gongan, gongan_clerk):
    """Formed 2026-10-08: due 2026-11-04 (Saturday 10 October is a 调休 workday); submitted 2026-12-01."""
    with at(2026, 12, 1, 9):
        document = make_document(gongan, gongan_clerk, title="逾期的通知", written_date=D(2026, 10, 8))
        return workflow.submit(document, by=gongan_clerk)


@at(2026, 12, 1)
def test_reviewer_is_warned_on_2026_12_01_that_publishing_is_19_working_days_past_2026_11_04(
    client, late_submission, gongan_reviewer, django_assert_max_num_queries
):
    assert late_submission.publish_by == D(2026, 11, 4)
    client.force_login(gongan_reviewer)
    with django_assert_max_num_queries(40):
        response = client.get(f"/admin/disclosure/document/{late_submission.pk}/change/")
    content = html.unescape(response.content.decode())
    assert "已超过条例第二十六条规定的公开时限（2026年11月4日），逾期19个工作日" in content
    assert "审核通过并发布" in content  # late publication is still allowed
    step = page(client, gongan_reviewer, f"/admin/disclosure/document/{late_submission.pk}/step/publish/")
    assert "逾期19个工作日" in step


@at(2026, 12, 1)
def test_reviewer_sees_on_2026_12_01_that_15_working_days_are_left_until_2026_12_22(
    client, gongan, gongan_clerk, gongan_reviewer
):
    document = workflow.submit(make_document(gongan, gongan_clerk, written_date=D(2026, 11, 24)), by=gongan_clerk)
    content = page(client, gongan_reviewer, f"/admin/disclosure/document/{document.pk}/change/")
    assert "距条例第二十六条规定的公开时限（2026年12月22日）还有15个工作日" in content
    assert "已超过" not in content


@at(2026, 11, 4)
def test_on_the_last_day_2026_11_04_the_reviewer_is_told_it_is_the_last_day(client, gongan, gongan_clerk, gongan_reviewer):
    document = workflow.submit(make_document(gongan, gongan_clerk, written_date=D(2026, 10, 8)), by=gongan_clerk)
    content = page(client, gongan_reviewer, f"/admin/disclosure/document/{document.pk}/change/")
    assert "今天是条例第二十六条规定的公开时限（2026年11月4日）的最后一天" in content


@at(2026, 12, 1)
def test_late_publication_on_2026_12_01_is_allowed_and_its_event_records_19_working_days(
    client, late_submission, gongan_reviewer
):
    client.force_login(gongan_reviewer)
    response = client.post(f"/admin/disclosure/document/{late_submission.pk}/step/publish/", {"note": "同意"}, follow=True)
    assert "已审核发布" in response.content.decode()
    late_submission.refresh_from_db()
    assert late_submission.is_public and late_submission.publish_date == D(2026, 12, 1)
    event = late_submission.events.get(action=DocumentEvent.Action.PUBLISH)
    assert event.working_days_late == 19 and event.note == "同意"
    timeline = page(client, gongan_reviewer, f"/admin/disclosure/document/{late_submission.pk}/change/")
    assert "逾期公开：超过条例第二十六条规定的公开时限19个工作日" in timeline


def test_publication_on_the_saturday_after_a_friday_deadline_is_one_day_late(gongan, gongan_clerk, gongan_reviewer):
    """Formed Friday 2026-10-30: due Friday 2026-11-27; published Saturday 2026-11-28, a rest day, it is late all the same."""
    with at(2026, 11, 2):
        document = make_document(gongan, gongan_clerk, written_date=D(2026, 10, 30))
        workflow.submit(document, by=gongan_clerk)
    assert document.publish_by == D(2026, 11, 27)
    with at(2026, 11, 28):
        workflow.publish(document, by=gongan_reviewer)
    assert document.events.get(action="publish").working_days_late == 1


@at(2026, 12, 1)
def test_publication_within_the_deadline_records_no_lateness(gongan, gongan_clerk, gongan_reviewer):
    document = publish_document(make_document(gongan, gongan_clerk, written_date=D(2026, 11, 24)), gongan_clerk, gongan_reviewer)
    assert document.events.get(action="publish").working_days_late is None


def test_withheld_information_disclosed_at_its_assessment_is_changed_that_day_and_not_late(
    gongan, gongan_clerk, gongan_reviewer
):
    with at(2025, 11, 3):
        document = publish_document(make_document(gongan, gongan_clerk, attribute="withheld", written_date=D(2025, 11, 3)),
                                    gongan_clerk, gongan_reviewer)
    with at(2026, 12, 1):
        workflow.record_assessment(document, by=gongan_reviewer, outcome="disclose", reason="情况已变化")
    document.refresh_from_db()
    assert document.formed_on == D(2026, 12, 1) and document.publish_date == D(2026, 12, 1)
    assert document.publish_by == D(2026, 12, 29)
    assert not Document.objects.filter(pk=document.pk, publish_by__lt=document.publish_date).exists()


# ------------------------------------------------------------------ the to-do home

@at(2026, 12, 1)
def test_todo_lists_drafts_for_the_clerk_and_submissions_for_the_reviewer_near_or_past_the_deadline(
    client, gongan, jiaoyu, gongan_clerk, gongan_reviewer, jiaoyu_clerk
):
    """On 2026-12-01 the 5th working day ahead is 2026-12-08: formed 2026-11-10 (due 12-08) is near,
    formed 2026-10-08 (due 11-04) is past, formed 2026-11-24 (due 12-22) is not listed."""
    near = make_document(gongan, gongan_clerk, title="临近时限的草稿", written_date=D(2026, 11, 10))
    past = workflow.submit(make_document(gongan, gongan_clerk, title="逾期待审", written_date=D(2026, 10, 8)), by=gongan_clerk)
    make_document(gongan, gongan_clerk, title="时间充裕的草稿", written_date=D(2026, 11, 24))
    make_document(jiaoyu, jiaoyu_clerk, title="教育局临近时限的草稿", written_date=D(2026, 11, 10))
    assert near.publish_by == D(2026, 12, 8)
    title = "临近或超过公开时限的主动公开信息（条例第二十六条）"

    clerk_home = page(client, gongan_clerk, "/admin/")
    block = clerk_home.split(title, 1)[1].split("</table>", 1)[0]
    assert f'/admin/disclosure/document/{near.pk}/change/' in block and "剩5个工作日：公开时限2026-12-08" in block
    assert "逾期待审" not in block and "时间充裕" not in block and "教育局" not in block

    reviewer_home = page(client, gongan_reviewer, "/admin/")
    block = reviewer_home.split(title, 1)[1].split("</table>", 1)[0]
    assert f'/admin/disclosure/document/{past.pk}/change/' in block and "已逾期：公开时限2026-11-04" in block
    assert "临近时限的草稿" not in block

    link = reviewer_home.split(title, 1)[0].rsplit('<a href="', 1)[1].split('"', 1)[0]
    listed = page(client, gongan_reviewer, link)
    assert "逾期待审" in listed and "临近时限的草稿" not in listed and "时间充裕" not in listed


# ------------------------------------------------------------------ the late count per organisation

TIMELINESS = "/admin/disclosure/document/timeliness/"
_names = itertools.count(1)


def publish_on(organisation, clerk, reviewer, formed, published):
    with at(formed.year, formed.month, formed.day):
        document = make_document(organisation, clerk, title=f"通知{next(_names)}", written_date=formed)
        workflow.submit(document, by=clerk)
    return workflow.publish(document, by=reviewer, on=published)


@pytest.fixture
def jiaoyu_reviewer(jiaoyu):
    return make_staff("jiaoyu_reviewer", jiaoyu, Staff.Role.REVIEWER)


@pytest.fixture
def published_2026(gongan, jiaoyu, gongan_clerk, gongan_reviewer, jiaoyu_clerk, jiaoyu_reviewer):
    """县公安局: 4 published in 2026, 1 late (formed 2026-10-08, due 11-04, published 11-05); 1 late in 2025.
    县教育局: 2 published in 2026, none late."""
    late = publish_on(gongan, gongan_clerk, gongan_reviewer, D(2026, 10, 8), D(2026, 11, 5))
    on_time = [publish_on(gongan, gongan_clerk, gongan_reviewer, day, day) for day in (D(2026, 3, 2), D(2026, 5, 11), D(2026, 11, 24))]
    late_last_year = publish_on(gongan, gongan_clerk, gongan_reviewer, D(2025, 3, 3), D(2025, 6, 2))
    for day in (D(2026, 4, 1), D(2026, 9, 1)):
        publish_on(jiaoyu, jiaoyu_clerk, jiaoyu_reviewer, day, day)
    return {"late": late, "on_time": on_time, "late_last_year": late_last_year}


def row(content, name):
    cells = content.split(f'<th scope="row">{name}</th>', 1)[1].split("</tr>", 1)[0]
    return [re.sub(r"<[^>]+>", "", part.split("</td>", 1)[0]).strip() for part in cells.split("<td>")[1:]]


@at(2026, 12, 1)
def test_county_office_sees_every_organisations_late_share_for_2026_by_default(client, published_2026, county_reviewer):
    content = page(client, county_reviewer, TIMELINESS)
    assert "2026年主动公开信息公开时效统计" in content
    assert row(content, "县公安局") == ["4", "1", "25.0%"]
    assert row(content, "县教育局") == ["2", "0", "0.0%"]
    assert row(content, "全县合计") == ["6", "1", "16.7%"]
    last_year = page(client, county_reviewer, f"{TIMELINESS}?year=2025")
    assert row(last_year, "县公安局") == ["1", "1", "100.0%"] and row(last_year, "县教育局") == ["0", "0", "—"]


@at(2026, 12, 1)
@pytest.mark.parametrize("username, own, other", [
    ("gongan_reviewer", "县公安局", "县教育局"), ("gongan_clerk", "县公安局", "县教育局"), ("jiaoyu_clerk", "县教育局", "县公安局"),
])
def test_staff_see_their_own_organisations_figure_only(client, request, published_2026, username, own, other):
    content = page(client, request.getfixturevalue(username), TIMELINESS)
    assert f'<th scope="row">{own}</th>' in content
    assert f'<th scope="row">{other}</th>' not in content and "全县合计" not in content


@at(2026, 12, 1)
def test_the_late_figure_links_to_the_late_documents(client, published_2026, gongan, county_reviewer):
    content = page(client, county_reviewer, TIMELINESS)
    query = f"organisation__id__exact={gongan.pk}&publish_date__year=2026"
    link = content.split(query, 1)[0].rsplit('href="', 1)[1] + query
    listed = page(client, county_reviewer, link)
    assert published_2026["late"].title in listed
    assert not any(f">{document.title}<" in listed for document in published_2026["on_time"])
    assert f">{published_2026['late_last_year'].title}<" not in listed


@at(2026, 12, 1)
@pytest.mark.parametrize("year, message", [("abc", "年度应为四位数字"), ("2027", "年度不能晚于今年"), ("1999", "年度不能早于2008年")])
def test_a_bad_year_is_400_with_a_chinese_message_and_the_input_kept(client, county_reviewer, year, message):
    client.force_login(county_reviewer)
    response = client.get(TIMELINESS, {"year": year})
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content and f'value="{year}"' in content


@at(2026, 12, 1)
def test_the_count_page_runs_the_same_queries_for_more_organisations_and_documents(
    client, published_2026, county, county_reviewer, gongan_clerk, gongan_reviewer, django_assert_max_num_queries
):
    client.force_login(county_reviewer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(TIMELINESS).status_code == 200
    for n in range(5):
        organisation = make_organisation(f"青禾县测试局{n}", parent=county, short_name=f"县测试局{n}")
        clerk = make_staff(f"clerk{n}", organisation, Staff.Role.CLERK)
        reviewer = make_staff(f"reviewer{n}", organisation, Staff.Role.REVIEWER)
        publish_on(organisation, clerk, reviewer, D(2026, 10, 8), D(2026, 11, 30))
    assert Organisation.objects.count() > 8
    with django_assert_max_num_queries(len(few)):
        content = client.get(TIMELINESS).content.decode()
    assert row(content, "全县合计") == ["11", "6", "54.5%"]
