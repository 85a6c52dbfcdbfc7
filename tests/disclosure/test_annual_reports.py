"""The 政府信息公开工作年度报告's steps: drafted by a clerk, published by another person, figures frozen
at publication, corrected by a new version (条例第四十九条、第五十条; 国办公开办函〔2021〕30号)."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from disclosure import reports
from disclosure.models import AnnualReport, AnnualReportEvent, annual_report_due
from disclosure.workflow import WorkflowError
from portal.models import Organisation, Staff
from requests_app import workflow as applications
from requests_app.models import ReplyType
from tests.factories import make_application, make_organisation, make_staff

D = datetime.date
CST = datetime.timezone(datetime.timedelta(hours=8))
FEB_2027 = datetime.datetime(2027, 2, 3, 10, 0, tzinfo=CST)


def at(moment):
    return time_machine.travel(moment, tick=False)


def on(day):
    return at(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CST))


def answered(organisation, clerk, reviewer, *, received, replied, reply_type=ReplyType.DISCLOSED):
    with on(received):
        application = make_application(organisation, clerk, arrived_on=received)
    with on(replied):
        applications.draft_reply(application, by=clerk, reply_type=reply_type, reply_text="提供统计表")
        applications.approve_reply(application, by=reviewer)
        return applications.send_reply(application, by=clerk, sent_on=replied)


def written(report, clerk, **values):
    return reports.update(report, by=clerk, overview="2026年，县公安局认真贯彻《条例》……", **values)


@pytest.fixture
def county_clerk(county_office):
    return make_staff("county_clerk", county_office, Staff.Role.COUNTY_OFFICE, Staff.Role.CLERK)


@at(FEB_2027)
def test_a_clerk_drafts_another_reviewer_publishes_and_the_figures_are_frozen(gongan, gongan_clerk, gongan_reviewer):
    answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 3, 2), replied=D(2026, 3, 20))
    report = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk, licensing_decisions=120,
                     reconsideration_upheld=1, reconsideration_total=1)
    reports.submit(report, by=gongan_clerk)

    published = reports.publish(report, by=gongan_reviewer)

    assert published.status == AnnualReport.Status.PUBLISHED and published.published_at
    table = dict(tuple(row) for row in published.figures["table_three"])
    assert table["（一）予以公开"][0] == 1 and table["一、本年新收政府信息公开申请数量"][-1] == 1
    # An application answered afterwards with a date in 2026 (entered late) does not change what was published.
    answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 12, 1), replied=D(2026, 12, 10))
    published.refresh_from_db()
    assert dict(tuple(row) for row in published.figures["table_three"])["一、本年新收政府信息公开申请数量"][-1] == 1
    assert list(published.events.values_list("action", "actor__username")) == [
        ("create", "gongan_clerk"), ("edit", "gongan_clerk"), ("submit", "gongan_clerk"), ("publish", "gongan_reviewer"),
    ]


@at(FEB_2027)
def test_nobody_publishes_their_own_submission_and_clerks_do_not_publish(gongan, gongan_clerk, jiaoyu_clerk, county_reviewer):
    both = make_staff("gongan_both", gongan, Staff.Role.CLERK, Staff.Role.REVIEWER)
    report = written(reports.start(gongan, 2026, by=both), both)
    reports.submit(report, by=both)

    with pytest.raises(WorkflowError, match="不能审核发布自己提交的报告"):
        reports.publish(report, by=both)
    for outsider in (gongan_clerk, jiaoyu_clerk):
        with pytest.raises(WorkflowError, match="只有本单位审核员"):
            reports.publish(report, by=outsider)
    # 县公安局 has no other reviewer: the county office approves instead.
    assert reports.publish(report, by=county_reviewer).status == AnnualReport.Status.PUBLISHED


@at(FEB_2027)
def test_a_clerk_writes_only_their_own_bodys_report_and_the_county_office_the_county_governments(
        county, gongan, gongan_clerk, jiaoyu_clerk, county_clerk, county_reviewer):
    with pytest.raises(WorkflowError, match="只能编制本单位的年度报告"):
        reports.start(gongan, 2026, by=jiaoyu_clerk)
    with pytest.raises(WorkflowError, match="只能编制本单位的年度报告"):
        reports.start(county, 2026, by=gongan_clerk)

    # A plain clerk of 县政府办公室 (no county-office role of their own) writes it too.
    office_clerk = make_staff("office_clerk", county_clerk.staff.organisation, Staff.Role.CLERK)
    assert reports.start(county, 2025, by=office_clerk).organisation == county
    report = written(reports.start(county, 2026, by=county_clerk), county_clerk)
    reports.submit(report, by=county_clerk)
    assert reports.publish(report, by=county_reviewer).organisation == county
    assert report.due_date == D(2027, 3, 31) and annual_report_due(gongan, 2026) == D(2027, 1, 31)


@at(FEB_2027)
def test_a_figure_that_breaks_the_format_is_refused_naming_the_cell(gongan, gongan_clerk):
    report = reports.start(gongan, 2026, by=gongan_clerk)
    written(report, gongan_clerk, lawsuit_direct_upheld=2, lawsuit_direct_pending=1, lawsuit_direct_total=2)

    with pytest.raises(WorkflowError, match="表四“行政诉讼：未经复议直接起诉”的总计应为.*之和（3），现填2") as refused:
        reports.submit(report, by=gongan_clerk)
    assert refused.value.field == "lawsuit_direct_total"
    with pytest.raises(WorkflowError, match="不能为负数"):
        reports.update(report, by=gongan_clerk, fees_amount=-1)
    with pytest.raises(WorkflowError):
        reports.update(report, by=gongan_clerk, penalty_decisions=-3)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT and report.penalty_decisions == 0


def test_a_year_not_yet_ended_or_a_second_report_is_refused(gongan, gongan_clerk):
    with on(D(2026, 12, 1)):
        with pytest.raises(WorkflowError, match="2027年度的报告：该年度尚未开始"):
            reports.start(gongan, 2027, by=gongan_clerk)
        report = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk)
        with pytest.raises(WorkflowError, match="2026年度尚未结束"):
            reports.submit(report, by=gongan_clerk)
        with pytest.raises(WorkflowError, match="青禾县公安局2026年度的报告已存在"):
            reports.start(gongan, 2026, by=gongan_clerk)
    with transaction.atomic(), pytest.raises(IntegrityError):
        AnnualReport.objects.create(organisation=gongan, year=2026, version=2, created_by=gongan_clerk)


@at(FEB_2027)
def test_a_correction_is_a_new_version_and_the_old_one_is_kept_marked(gongan, gongan_clerk, gongan_reviewer):
    first = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk, licensing_decisions=120)
    reports.submit(first, by=gongan_clerk)
    reports.publish(first, by=gongan_reviewer)

    correction = reports.correct(first, by=gongan_clerk, note="行政许可数量填写有误")
    with pytest.raises(WorkflowError, match="同一时间只能有一份更正"):
        reports.correct(first, by=gongan_clerk)
    correction = reports.update(correction, by=gongan_clerk, licensing_decisions=126)
    first.refresh_from_db()
    assert first.status == AnnualReport.Status.PUBLISHED and first.licensing_decisions == 120  # still the public one
    reports.submit(correction, by=gongan_clerk)
    correction = reports.publish(correction, by=gongan_reviewer)

    first.refresh_from_db()
    assert first.status == AnnualReport.Status.CORRECTED and first.licensing_decisions == 120 and first.figures
    assert (correction.version, correction.status, correction.licensing_decisions) == (2, AnnualReport.Status.PUBLISHED, 126)
    assert str(correction) == "青禾县公安局2026年政府信息公开工作年度报告（第2版）"
    assert first.events.filter(action=AnnualReportEvent.Action.CORRECT).get().note.startswith("已由第2版更正")
    with pytest.raises(WorkflowError):
        reports.update(first, by=gongan_clerk, licensing_decisions=1)


@at(FEB_2027)
def test_a_returned_report_goes_back_to_its_clerk_with_the_reason(gongan, gongan_clerk, gongan_reviewer):
    report = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk)
    reports.submit(report, by=gongan_clerk)
    with pytest.raises(WorkflowError, match="请写明退回的理由"):
        reports.return_to_draft(report, by=gongan_reviewer, note=" ")

    reports.return_to_draft(report, by=gongan_reviewer, note="总体情况缺少与上年的比较")

    report.refresh_from_db()
    assert report.status == AnnualReport.Status.RETURNED
    assert report.events.last().note == "总体情况缺少与上年的比较"
    assert reports.update(report, by=gongan_clerk, problems="依申请公开答复质量有待提高").problems


def test_the_county_government_is_a_kind_of_organisation_with_its_own_due_date(db):
    government = make_organisation("某县人民政府", kind=Organisation.Kind.COUNTY_GOVERNMENT)
    assert annual_report_due(government, 2025) == D(2026, 3, 31)


@at(FEB_2027)
def test_the_overview_draft_gives_the_years_figures_against_the_year_before(gongan, gongan_clerk, gongan_reviewer):
    from tests.factories import make_document, publish_document

    for day in (D(2025, 5, 6), D(2026, 4, 1), D(2026, 6, 1), D(2026, 9, 1)):
        with on(day):
            publish_document(make_document(gongan, gongan_clerk, title=f"关于{day:%m月%d日}工作的通知", written_date=day), gongan_clerk, gongan_reviewer)
    answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 3, 2), replied=D(2026, 3, 20))
    # Received 2026-05-11, answered after its 20 working days.
    answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 5, 11), replied=D(2026, 6, 30))

    text = reports.draft_overview(gongan, 2026)

    assert "全年主动公开政府信息3件，较上年增加2件" in text
    assert "全年新收政府信息公开申请2件，较上年增加2件；已答复2件，按期答复1件，按期答复率50.0%。" in text


@at(FEB_2027)
def test_a_drafts_tables_are_computed_now_and_a_published_reports_are_those_it_was_published_with(gongan, gongan_clerk, gongan_reviewer):
    answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 3, 2), replied=D(2026, 3, 20), reply_type=ReplyType.UNAVAILABLE_NOT_HELD)
    report = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk, penalty_decisions=35,
                     lawsuit_after_corrected=1, lawsuit_after_pending=2, lawsuit_after_total=3)

    draft = reports.tables(report)

    assert dict(draft.table_three)["（四）无法提供 1.本机关不掌握相关政府信息"] == [1, 0, 0, 0, 0, 0, 1]
    assert draft.decisions[1] == ("行政处罚", 35) and draft.normative_rows[1] == ("行政规范性文件", 0, 0, 0)
    assert draft.table_four == [0] * 10 + [0, 1, 0, 2, 3]
    reports.submit(report, by=gongan_clerk)
    published = reports.publish(report, by=gongan_reviewer)
    answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 4, 1), replied=D(2026, 4, 10), reply_type=ReplyType.UNAVAILABLE_NOT_HELD)
    assert dict(reports.tables(published).table_three)["（四）无法提供 1.本机关不掌握相关政府信息"] == [1, 0, 0, 0, 0, 0, 1]
