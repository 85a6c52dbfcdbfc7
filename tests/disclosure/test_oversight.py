"""The county office's oversight dashboard (/admin/oversight/): who may open it, and every figure equal to
a count made here from the objects the test created."""

import datetime
from io import BytesIO

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from disclosure import reports
from portal.models import Organisation, Staff
from requests_app import workflow as applications
from requests_app.models import REPLY_REQUIREMENTS, Application, ReplyType
from tests.factories import (
    make_application, make_document, make_domain, make_guideline, make_organisation, make_published_catalogue,
    make_staff, pdf_bytes, publish_document,
)
from tests.requests_app.test_remedies import ANSWERS

D = datetime.date
CST = datetime.timezone(datetime.timedelta(hours=8))
URL = "/admin/oversight/"
TODAY = D(2026, 11, 20)


def on(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CST), tick=False)


def published(organisation, clerk, reviewer, *, written, on_day, attribute="proactive", title="关于做好有关工作的通知"):
    with on(on_day):
        document = make_document(organisation, clerk, title=title, written_date=written, attribute=attribute)
        return publish_document(document, clerk, reviewer)


def answered(organisation, clerk, reviewer, *, received, replied, reply_type=ReplyType.DISCLOSED):
    with on(received):
        application = make_application(organisation, clerk, arrived_on=received)
    details = {field: ANSWERS[field] for field in REPLY_REQUIREMENTS.get(reply_type, {}) if field in ANSWERS}
    if "redacted_file" in REPLY_REQUIREMENTS.get(reply_type, {}):
        details["redacted_file"] = ContentFile(pdf_bytes(), name="redacted.pdf")
    with on(replied):
        applications.draft_reply(application, by=clerk, reply_type=reply_type, **{"reply_text": "提供统计表", **details})
        applications.approve_reply(application, by=reviewer)
        return applications.send_reply(application, by=clerk, sent_on=replied)


def row_of(response, key, name):
    table = response.context["tables"][key]
    return next(row[1:] for row in table.rows if row[0] == name)


@pytest.fixture
def as_county(client, county_reviewer):
    client.force_login(county_reviewer)
    return client


@pytest.mark.parametrize("username", ["gongan_clerk", "gongan_reviewer", "jiaoyu_clerk"])
def test_only_the_county_office_may_open_the_dashboard(client, county_reviewer, gongan_clerk, gongan_reviewer, jiaoyu_clerk, username):
    others = {"gongan_clerk": gongan_clerk, "gongan_reviewer": gongan_reviewer, "jiaoyu_clerk": jiaoyu_clerk}
    client.force_login(others[username])
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"year": 2026, "download": "documents"}).status_code == 403
    assert "政务公开监督统计" not in client.get("/admin/").content.decode()

    client.force_login(county_reviewer)
    response = client.get(URL)
    assert response.status_code == 200 and "政务公开监督统计" in response.content.decode()
    assert URL in client.get("/admin/").content.decode()


@pytest.mark.parametrize(("year", "message"), [("20x6", "年度应为四位数字"), ("2999", "年度不能晚于今年"), ("1999", "不能早于2008年")])
def test_a_bad_year_is_refused_with_a_chinese_message_and_kept_in_the_box(as_county, year, message):
    response = as_county.get(URL, {"year": year})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and f'value="{year}"' in page
    # A download asked for with a bad year gets the page and its message, not a spreadsheet of another year.
    assert as_county.get(URL, {"year": year, "download": "documents"}).status_code == 400


def test_an_unknown_table_is_404(as_county):
    assert as_county.get(URL, {"year": 2026, "download": "nonsense"}).status_code == 404


def test_documents_published_per_month_and_the_share_within_20_working_days_equal_direct_counts(
    as_county, gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk,
):
    jiaoyu_reviewer = make_staff("jiaoyu_reviewer", jiaoyu, Staff.Role.REVIEWER)
    # (written, published, late?): 20 working days are about four weeks; 2 days is on time, 10 weeks late.
    plan = [
        (gongan, gongan_clerk, gongan_reviewer, D(2026, 3, 2), D(2026, 3, 4), False),
        (gongan, gongan_clerk, gongan_reviewer, D(2026, 1, 5), D(2026, 3, 16), True),
        (gongan, gongan_clerk, gongan_reviewer, D(2026, 6, 1), D(2026, 6, 3), False),
        (jiaoyu, jiaoyu_clerk, jiaoyu_reviewer, D(2026, 6, 8), D(2026, 6, 9), False),
        (jiaoyu, jiaoyu_clerk, jiaoyu_reviewer, D(2025, 12, 1), D(2025, 12, 3), False),  # another year
    ]
    for index, (organisation, clerk, reviewer, written, day, _late) in enumerate(plan):
        published(organisation, clerk, reviewer, written=written, on_day=day, title=f"关于做好第{index}项工作的通知")
    # Neither 依申请公开 information nor a draft counts as 主动公开 published.
    published(gongan, gongan_clerk, gongan_reviewer, written=D(2026, 3, 2), on_day=D(2026, 3, 5), attribute="on_request", title="依申请公开的信息")
    with on(D(2026, 3, 5)):
        make_document(gongan, gongan_clerk, title="未提交的草稿")

    with on(TODAY):
        response = as_county.get(URL, {"year": 2026})

    assert response.status_code == 200
    for organisation in (gongan, jiaoyu):
        mine = [row for row in plan if row[0] == organisation and row[4].year == 2026]
        months = [sum(1 for row in mine if row[4].month == month) for month in range(1, 13)]
        on_time = sum(1 for row in mine if not row[5])
        share = f"{on_time / len(mine):.1%}"
        assert row_of(response, "documents", organisation.display_name) == [*months, len(mine), on_time, share]
    total = response.context["tables"]["documents"].total
    assert total[13:] == [4, 3, "75.0%"]
    # Month by month: March 1 of 2 on time, June 1 of 1; the months with nothing published have no share.
    expected = ["—"] * 12
    expected[2], expected[5] = "50.0%", "100.0%"
    assert row_of(response, "documents_timely", gongan.display_name) == [*expected, "66.7%"]
    assert response.context["document_chart"]["bars"][2]["value"] == 2  # March: 2 (the 依申请公开 one is not counted)


def test_applications_received_answered_on_time_overdue_and_reply_mix_equal_direct_counts(
    as_county, gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk,
):
    done = [
        answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 3, 2), replied=D(2026, 3, 10)),
        answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 3, 9), replied=D(2026, 3, 20), reply_type=ReplyType.PARTIALLY_DISCLOSED),
        answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 5, 6), replied=D(2026, 5, 8), reply_type=ReplyType.WITHHELD_PROCESS),
        answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 5, 11), replied=D(2026, 5, 12), reply_type=ReplyType.NOT_PROCESSED_REPEAT),
        # Received in December 2025, answered in January: received in 2025, answered in 2026.
        answered(gongan, gongan_clerk, gongan_reviewer, received=D(2025, 12, 29), replied=D(2026, 1, 8), reply_type=ReplyType.NOT_THIS_BODY),
    ]
    # One answered after its due date: the register is corrected to say so (a late reply is what is tested).
    Application.objects.filter(pk=done[1].pk).update(due_date=D(2026, 3, 13))
    with on(D(2026, 9, 1)):
        still_open = make_application(gongan, gongan_clerk, arrived_on=D(2026, 9, 1))
    with on(D(2026, 11, 18)):
        in_time = make_application(jiaoyu, jiaoyu_clerk, arrived_on=D(2026, 11, 18))
    assert still_open.due_date < TODAY < in_time.due_date

    with on(TODAY):
        response = as_county.get(URL, {"year": 2026})

    mine = Application.objects.filter(organisation=gongan)
    received_2026 = [a for a in mine if a.receipt_date.year == 2026]
    replied_2026 = [a for a in mine if a.replied_on and a.replied_on.year == 2026]
    on_time = [a for a in replied_2026 if a.replied_on <= a.due_date]
    assert (len(received_2026), len(replied_2026), len(on_time)) == (5, 5, 4)
    assert row_of(response, "applications", gongan.display_name) == [5, 5, 4, "80.0%", 1]
    assert row_of(response, "applications", jiaoyu.display_name) == [1, 0, 0, "—", 0]
    months = [sum(1 for a in received_2026 if a.receipt_date.month == month) for month in range(1, 13)]
    assert row_of(response, "received", gongan.display_name) == [*months, 5]
    assert row_of(response, "answered", gongan.display_name)[0] == 1  # January: the one from December
    # The on-time rate by the month of the answer: January 1/1, March 1/2 (the late one), May 2/2.
    expected = ["—"] * 12
    expected[0], expected[2], expected[4] = "100.0%", "50.0%", "100.0%"
    assert row_of(response, "on_time", gongan.display_name) == [*expected, "80.0%"]
    # 予以公开, 部分公开, 不予公开, 无法提供 (不属于本机关 counts there), 不予处理, 其他处理
    assert row_of(response, "replies", gongan.display_name) == [1, 1, 1, 1, 1, 0]
    assert response.context["received_chart"]["bars"][8]["value"] == 1  # September


def test_catalogue_coverage_marks_the_domains_each_body_is_expected_to_cover(
    as_county, county, gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk, county_reviewer,
):
    household = make_domain()
    guideline = make_guideline(household)  # holds a 乡级 item: townships are expected to cover it
    schools = make_domain("义务教育", "compulsory-education", 17)
    household.lead_department = gongan
    household.save()
    schools.lead_department = jiaoyu
    schools.save()
    town = make_organisation("青禾县河口镇", kind=Organisation.Kind.TOWNSHIP, parent=county, is_disclosure_body=True)
    village = make_organisation("河口村民委员会", kind=Organisation.Kind.VILLAGE, parent=town, is_disclosure_body=True)
    make_published_catalogue(gongan, household, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)
    town_clerk = make_staff("town_clerk", town, Staff.Role.CLERK)
    from catalog import workflow as catalogues

    catalogues.start_catalogue(town, household, by=town_clerk, guideline_items=guideline.items.filter(level_township=True))

    with on(TODAY):
        response = as_county.get(URL, {"year": 2026})

    headers = response.context["tables"]["coverage"].headers
    assert headers[1:] == ["17.义务教育", "22.户籍管理"]
    assert row_of(response, "coverage", gongan.display_name) == ["未编制", "●已发布"]
    assert row_of(response, "coverage", jiaoyu.display_name) == ["●未编制", "未编制"]
    assert row_of(response, "coverage", town.display_name) == ["未编制", "●草稿"]
    names = [row[0] for row in response.context["tables"]["coverage"].rows]
    assert village.display_name not in names
    # 应编制, 已发布, 审核中, 草稿, 未编制, 已发布（全部）
    assert row_of(response, "coverage_summary", gongan.display_name) == [1, 1, 0, 0, 0, 1]
    assert row_of(response, "coverage_summary", jiaoyu.display_name) == [1, 0, 0, 0, 1, 0]
    assert row_of(response, "coverage_summary", town.display_name) == [1, 0, 0, 1, 0, 0]
    page = response.content.decode()
    assert "<svg" in page and f"{gongan.display_name}·户籍管理：已发布（应编制）" in page


def test_withheld_information_due_for_its_yearly_assessment_is_counted(as_county, gongan, gongan_clerk, gongan_reviewer):
    due = published(gongan, gongan_clerk, gongan_reviewer, written=D(2025, 3, 2), on_day=D(2025, 3, 4), attribute="withheld", title="到期的")
    later = published(gongan, gongan_clerk, gongan_reviewer, written=D(2026, 10, 2), on_day=D(2026, 10, 9), attribute="withheld", title="未到期的")
    assert due.next_assessment_date <= TODAY < later.next_assessment_date

    with on(TODAY):
        response = as_county.get(URL, {"year": 2026})

    assert row_of(response, "assessments", gongan.display_name) == [1]


def test_each_bodys_annual_report_is_on_time_late_or_missing_against_its_deadline(
    as_county, county, gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk,
):
    jiaoyu_reviewer = make_staff("jiaoyu_reviewer", jiaoyu, Staff.Role.REVIEWER)
    for organisation, clerk, reviewer, day in ((gongan, gongan_clerk, gongan_reviewer, D(2026, 1, 20)), (jiaoyu, jiaoyu_clerk, jiaoyu_reviewer, D(2026, 2, 10))):
        with on(day):
            report = reports.update(reports.start(organisation, 2025, by=clerk), by=clerk, overview="2025年工作概述")
            reports.submit(report, by=clerk)
            reports.publish(report, by=reviewer)

    with on(D(2026, 3, 2)):
        response = as_county.get(URL, {"year": 2026})

    assert row_of(response, "reports", gongan.display_name) == ["2026年01月31日", "2026年01月20日", "按时发布"]
    assert row_of(response, "reports", jiaoyu.display_name) == ["2026年01月31日", "2026年02月10日", "逾期发布"]
    # The county government's report is due on 31 March: not yet late on 2 March.
    assert row_of(response, "reports", county.display_name) == ["2026年03月31日", "—", "未发布（未到截止日期）"]
    with on(D(2026, 4, 1)):
        later = as_county.get(URL, {"year": 2026})
    assert row_of(later, "reports", county.display_name)[-1] == "未发布（已逾期）"


def test_each_table_downloads_as_xlsx_with_chinese_headers_the_same_figures_and_no_formulas(
    as_county, county, gongan, gongan_clerk, gongan_reviewer,
):
    make_organisation("=HYPERLINK(\"http://x\")", parent=county, is_disclosure_body=True)
    published(gongan, gongan_clerk, gongan_reviewer, written=D(2026, 3, 2), on_day=D(2026, 3, 4))

    with on(TODAY):
        page = as_county.get(URL, {"year": 2026})
        for key, table in page.context["tables"].items():
            response = as_county.get(URL, {"year": 2026, "download": key})
            assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
            sheet = load_workbook(BytesIO(response.content)).active
            values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
            assert values[0] == table.headers
            assert values[1 : 1 + len(table.rows)] == table.rows
            assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    sheet = load_workbook(BytesIO(as_county.get(URL, {"year": 2026, "download": "documents"}).content)).active
    gongan_row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == gongan.display_name)
    assert gongan_row[3] == 1 and gongan_row[13:] == (1, 1, "100.0%")


def _organisations_with_figures(county, n, county_reviewer):
    domain = make_domain(f"领域{n}", f"domain-{n}", 100 + n)
    make_guideline(domain)
    for index in range(n):
        organisation = make_organisation(f"青禾县第{n}-{index}局", parent=county, is_disclosure_body=True)
        clerk = make_staff(f"clerk_{n}_{index}", organisation, Staff.Role.CLERK)
        reviewer = make_staff(f"reviewer_{n}_{index}", organisation, Staff.Role.REVIEWER)
        published(organisation, clerk, reviewer, written=D(2026, 3, 2), on_day=D(2026, 3, 4), title=f"通知{n}-{index}")
        answered(organisation, clerk, reviewer, received=D(2026, 4, 1), replied=D(2026, 4, 3))
        make_published_catalogue(organisation, domain, clerk=clerk, reviewer=reviewer, county_reviewer=county_reviewer)


def test_the_dashboard_costs_the_same_queries_for_one_organisation_or_several(
    as_county, county, county_reviewer, django_assert_max_num_queries, django_assert_num_queries,
):
    _organisations_with_figures(county, 1, county_reviewer)
    with on(TODAY), CaptureQueriesContext(connection) as one:
        assert as_county.get(URL, {"year": 2026}).status_code == 200
    _organisations_with_figures(county, 6, county_reviewer)
    with on(TODAY), django_assert_num_queries(len(one)):
        response = as_county.get(URL, {"year": 2026})
    assert len(response.context["tables"]["documents"].rows) >= 7
    with on(TODAY), django_assert_max_num_queries(22):  # +1: the session's TOTP device (django-otp)
        as_county.get(URL, {"year": 2026})


def test_the_self_check_judges_each_point_from_the_register_with_its_evidence(
    as_county, county_reviewer, gongan, gongan_clerk, gongan_reviewer, jiaoyu, jiaoyu_clerk,
):
    from disclosure.models import Guide
    from portal import tokens
    from portal.models import ApiToken

    jiaoyu_reviewer = make_staff("jiaoyu_reviewer", jiaoyu, Staff.Role.REVIEWER)
    with on(D(2026, 3, 2)):
        policy = make_document(gongan, gongan_clerk, title="关于规范户籍管理的规定", written_date=D(2026, 3, 2), is_normative=True)
        policy = publish_document(policy, gongan_clerk, gongan_reviewer)
        reading = publish_document(make_document(gongan, gongan_clerk, title="《关于规范户籍管理的规定》政策解读",
                                                 written_date=D(2026, 3, 2), genre="interpretation"), gongan_clerk, gongan_reviewer)
        policy.interpretations.add(reading)
        lonely = make_document(jiaoyu, jiaoyu_clerk, title="关于规范课后服务的意见", written_date=D(2026, 3, 2), is_normative=True)
        lonely = publish_document(lonely, jiaoyu_clerk, jiaoyu_reviewer)
        newer = publish_document(make_document(jiaoyu, jiaoyu_clerk, title="关于规范课后服务的意见（修订）", written_date=D(2026, 3, 2),
                                               is_normative=True), jiaoyu_clerk, jiaoyu_reviewer)
        # Replaced but still marked 现行有效: the normative list is not current.
        type(lonely).objects.filter(pk=lonely.pk).update(replaced_by=newer)
        tokens.issue(ApiToken(name="县公安局户政业务系统", organisation=gongan), by=county_reviewer)
    with on(TODAY):
        Guide.objects.create(organisation=gongan, body="<p>指南</p>")
        response = as_county.get(URL, {"year": 2026})

    labels = response.context["tables"]["self_check"].headers[1:-1]
    gongan_row = dict(zip(labels, row_of(response, "self_check", gongan.display_name)))
    jiaoyu_row = dict(zip(labels, row_of(response, "self_check", jiaoyu.display_name)))
    assert gongan_row["解读（20、28）"] == "达标"
    assert jiaoyu_row["解读（20、28）"] == "未达标"
    assert gongan_row["规范性文件（26）"] == "达标"
    assert jiaoyu_row["规范性文件（26）"] == "未达标"
    assert (gongan_row["嵌入业务系统（27）"], jiaoyu_row["嵌入业务系统（27）"]) == ("达标", "未达标")
    assert (gongan_row["指南"], jiaoyu_row["指南"]) == ("达标", "未达标")
    assert gongan_row["依申请（13）"] == "不适用"  # no application this year
    assert f'href="/xxgk/normative/?organisation={jiaoyu.pk}"' in response.content.decode()


def test_a_dashboard_download_is_recorded_in_the_security_log(as_county, county_reviewer):
    from portal.models import SecurityEvent

    with on(TODAY):
        assert as_county.get(URL, {"year": 2026, "download": "documents"}).status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert event.detail == {"what": "oversight", "table": "documents", "year": 2026}
    assert event.user == county_reviewer and event.at is not None
