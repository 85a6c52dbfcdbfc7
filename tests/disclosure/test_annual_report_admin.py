"""The annual report in the back office, as its users work: the clerk starts and writes it, the
reviewer reads the tables and publishes; every refusal is a 400 with the message at the field."""

import datetime

import time_machine

from disclosure.models import AnnualReport

CST = datetime.timezone(datetime.timedelta(hours=8))
FEB_2027 = datetime.datetime(2027, 2, 3, 10, 0, tzinfo=CST)
ADD = "/admin/disclosure/annualreport/add/"


def change_data(**values):
    data = {"overview": "2026年，县公安局认真贯彻《条例》。", "problems": "", "other_matters": "", "table_two_source": "",
            "table_four_source": "", "fees_amount": "0"}
    for name in ("regulations_issued", "regulations_repealed", "regulations_in_force", "licensing_decisions",
                 "penalty_decisions", "enforcement_decisions"):
        data[name] = "0"
    for group in ("reconsideration", "lawsuit_direct", "lawsuit_after"):
        for column in ("upheld", "corrected", "other", "pending", "total"):
            data[f"{group}_{column}"] = "0"
    data.update(values)
    return data


def started(client, clerk, organisation):
    client.force_login(clerk)
    response = client.post(ADD, {"organisation": organisation.pk, "year": "2026"})
    assert response.status_code == 302, response.content.decode()
    return AnnualReport.objects.get(organisation=organisation, year=2026)


@time_machine.travel(FEB_2027, tick=False)
def test_the_clerk_writes_the_report_and_another_reviewer_publishes_it(client, gongan, gongan_clerk, gongan_reviewer):
    report = started(client, gongan_clerk, gongan)
    url = f"/admin/disclosure/annualreport/{report.pk}/change/"

    assert client.post(f"/admin/disclosure/annualreport/{report.pk}/step/overview/").status_code == 302
    report.refresh_from_db()
    assert "全年新收政府信息公开申请0件" in report.overview
    assert client.post(url, change_data(licensing_decisions="120")).status_code == 302
    assert client.post(f"/admin/disclosure/annualreport/{report.pk}/step/submit/", {"note": ""}).status_code == 302
    client.force_login(gongan_reviewer)
    page = client.get(url).content.decode()
    assert "三、本年度办理结果" in page and "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in page
    assert client.post(f"/admin/disclosure/annualreport/{report.pk}/step/publish/", {"note": "同意发布"}).status_code == 302

    report.refresh_from_db()
    assert (report.status, report.licensing_decisions) == (AnnualReport.Status.PUBLISHED, 120)
    assert list(report.events.values_list("action", flat=True)) == ["create", "edit", "edit", "submit", "publish"]


@time_machine.travel(FEB_2027, tick=False)
def test_a_future_year_or_a_second_report_is_refused_at_the_field_with_400(client, gongan, gongan_clerk):
    started(client, gongan_clerk, gongan)

    future = client.post(ADD, {"organisation": gongan.pk, "year": "2028"})
    second = client.post(ADD, {"organisation": gongan.pk, "year": "2026"})

    assert future.status_code == 400 and "不能填报2028年度的报告" in future.content.decode()
    assert second.status_code == 400 and "青禾县公安局2026年度的报告已存在" in second.content.decode()
    assert AnnualReport.objects.count() == 1


@time_machine.travel(FEB_2027, tick=False)
def test_entered_figures_that_break_a_rule_are_refused_naming_the_cell_and_keep_what_was_typed(client, gongan, gongan_clerk):
    report = started(client, gongan_clerk, gongan)
    url = f"/admin/disclosure/annualreport/{report.pk}/change/"

    for bad in ({"penalty_decisions": "1.5"}, {"penalty_decisions": "-2"}, {"fees_amount": "十万"}):
        response = client.post(url, change_data(problems="答复质量有待提高", **bad))
        assert response.status_code == 400, bad
        assert "答复质量有待提高" in response.content.decode()
    assert client.post(url, change_data(lawsuit_direct_upheld="2", lawsuit_direct_total="1")).status_code == 302
    page = client.get(url).content.decode()
    assert "表四“行政诉讼：未经复议直接起诉”的总计应为" in page  # shown before the clerk submits
    refused = client.post(f"/admin/disclosure/annualreport/{report.pk}/step/submit/", {"note": ""})

    assert refused.status_code == 400 and "表四“行政诉讼：未经复议直接起诉”的总计应为" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT and report.penalty_decisions == 0


@time_machine.travel(FEB_2027, tick=False)
def test_another_organisations_clerk_cannot_see_or_step_the_report(client, gongan, gongan_clerk, jiaoyu_clerk):
    report = started(client, gongan_clerk, gongan)
    client.force_login(jiaoyu_clerk)

    assert client.get(f"/admin/disclosure/annualreport/{report.pk}/change/").status_code == 302  # admin: not found → list
    assert client.post(f"/admin/disclosure/annualreport/{report.pk}/step/submit/", {"note": ""}).status_code == 404
    assert client.post(ADD, {"organisation": gongan.pk, "year": "2025"}).status_code == 400
    assert client.get("/admin/disclosure/annualreport/abc/step/submit/").status_code == 404
