"""Table 三 of the annual report (国办公开办函〔2021〕30号) computed from the register: applications go
through the workflow, the table is read back."""

import datetime

import pytest
import time_machine

from requests_app import statistics, workflow
from requests_app.models import Application, ReplyType
from requests_app.statistics import CARRIED_IN, CARRIED_OUT, NEW, RESULTS_TOTAL, table_three
from tests.factories import make_application
from tests.requests_app.test_correction import make_correction
from tests.requests_app.test_remedies import TODAY, drafted

D = datetime.date
CST = datetime.timezone(datetime.timedelta(hours=8))
R = ReplyType


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CST), tick=False)


def answered(application, clerk, reviewer, *, on, reply_type=R.DISCLOSED):
    with at(on):
        workflow.draft_reply(application, by=clerk, reply_type=reply_type, reply_text="提供统计表")
        workflow.approve_reply(application, by=reviewer)
        return workflow.send_reply(application, by=clerk, sent_on=on)


def test_the_rows_and_columns_are_the_national_tables():
    # Written out here, not read from the code, so that a wrong or missing row fails.
    assert statistics.ROWS == (
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
        "（一）予以公开", "（二）部分公开",
        "（三）不予公开 1.属于国家秘密", "（三）不予公开 2.其他法律行政法规禁止公开", "（三）不予公开 3.危及“三安全一稳定”",
        "（三）不予公开 4.保护第三方合法权益", "（三）不予公开 5.属于三类内部事务信息", "（三）不予公开 6.属于四类过程性信息",
        "（三）不予公开 7.属于行政执法案卷", "（三）不予公开 8.属于行政查询事项",
        "（四）无法提供 1.本机关不掌握相关政府信息", "（四）无法提供 2.没有现成信息需要另行制作", "（四）无法提供 3.补正后申请内容仍不明确",
        "（五）不予处理 1.信访举报投诉类申请", "（五）不予处理 2.重复申请", "（五）不予处理 3.要求提供公开出版物",
        "（五）不予处理 4.无正当理由大量反复申请", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "（六）其他处理 3.其他",
        "（七）总计", "四、结转下年度继续办理",
    )
    assert [label for _key, label in statistics.COLUMNS] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def test_an_application_received_in_december_and_answered_in_january_counts_in_both_years(gongan, gongan_clerk, gongan_reviewer):
    with at(D(2025, 12, 29)):
        application = make_application(gongan, gongan_clerk, arrived_on=D(2025, 12, 29))
    answered(application, gongan_clerk, gongan_reviewer, on=D(2026, 1, 8))

    first, second = table_three(2025), table_three(2026)

    assert (first.cell(NEW, "person"), first.cell(RESULTS_TOTAL, "person"), first.cell(CARRIED_OUT, "person")) == (1, 0, 1)
    assert (second.cell(NEW, "person"), second.cell(CARRIED_IN, "person"), second.cell(CARRIED_OUT, "person")) == (0, 1, 0)
    assert second.cell("（一）予以公开", "person") == second.cell(RESULTS_TOTAL, "total") == 1
    assert first.identity_breaks() == second.identity_breaks() == []
    # A year later it is gone from the table: concluded in 2026.
    assert table_three(2027).cell(CARRIED_IN, "total") == 0


@time_machine.travel(TODAY)
def test_every_reply_type_is_counted_in_its_row_and_the_results_add_up(gongan, gongan_clerk, gongan_reviewer):
    for reply_type in ReplyType:
        application = drafted(gongan, gongan_clerk, reply_type)
        workflow.approve_reply(application, by=gongan_reviewer)
        workflow.send_reply(application, by=gongan_clerk)

    table = table_three(2026)

    expected = {
        # 已主动公开 is counted as 予以公开; 不属于本机关负责公开 (第三十六条第（五）项) as 本机关不掌握.
        "（一）予以公开": 2, "（二）部分公开": 1,
        **{row: 1 for row in statistics.ROWS if row.startswith("（三）")},
        "（四）无法提供 1.本机关不掌握相关政府信息": 2, "（四）无法提供 2.没有现成信息需要另行制作": 1, "（四）无法提供 3.补正后申请内容仍不明确": 1,
        **{row: 1 for row in statistics.ROWS if row.startswith(("（五）", "（六）"))},
    }
    assert {row: table.cell(row, "person") for row in expected} == expected
    assert table.cell(RESULTS_TOTAL, "person") == table.cell(RESULTS_TOTAL, "total") == len(ReplyType) == 23
    assert table.cell(NEW, "total") == 23 and table.identity_breaks() == []


@pytest.mark.parametrize("category", [c.value for c in Application.OrganisationCategory])
def test_an_organisations_application_is_counted_in_its_categorys_column(category, gongan, gongan_clerk, gongan_reviewer):
    with at(D(2026, 10, 9)):
        application = make_application(
            gongan, gongan_clerk, arrived_on=D(2026, 10, 9), applicant_kind="organisation", organisation_category=category,
            applicant_name="青禾县某某有限公司", id_type="", id_number="", credit_code="91371000MA3C4RXN4H",
            legal_representative="张三",
        )
    answered(application, gongan_clerk, gongan_reviewer, on=D(2026, 10, 20), reply_type=R.UNAVAILABLE_NOT_HELD)

    table = table_three(2026)

    assert table.cell("（四）无法提供 1.本机关不掌握相关政府信息", category) == 1
    assert table.cell(NEW, category) == table.cell(NEW, "total") == 1
    assert table.cell(NEW, "person") == 0


def test_a_withdrawn_application_is_other_processing_and_an_open_one_is_carried_to_next_year(gongan, gongan_clerk):
    with at(D(2026, 11, 2)):
        withdrawn = make_application(gongan, gongan_clerk, arrived_on=D(2026, 11, 2))
        make_application(gongan, gongan_clerk, arrived_on=D(2026, 11, 2))
        workflow.withdraw(withdrawn, by=gongan_clerk, note="申请人书面撤回")

    table = table_three(2026)

    assert table.cell("（六）其他处理 3.其他", "person") == 1
    assert table.cell(CARRIED_OUT, "person") == 1 and table.cell(NEW, "person") == 2
    assert table.identity_breaks() == []
    # Withdrawn in 2026: not carried into 2027; the open one is.
    assert table_three(2027).cell(CARRIED_IN, "total") == 1


def test_correction_requests_and_other_organisations_are_not_counted(gongan, jiaoyu, gongan_clerk, jiaoyu_clerk):
    with at(D(2026, 11, 2)):
        make_correction(gongan, gongan_clerk, arrived_on=D(2026, 11, 2))
        make_application(jiaoyu, jiaoyu_clerk, arrived_on=D(2026, 11, 2))
        make_application(gongan, gongan_clerk, arrived_on=D(2026, 11, 2))

    assert table_three(2026, Application.objects.filter(organisation=gongan)).cell(NEW, "total") == 1
    assert table_three(2026).cell(NEW, "total") == 2
