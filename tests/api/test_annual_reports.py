"""/api/v1/annual-reports/: published reports only (and the versions corrections replaced), with their
tables; drafts and reports in review never."""

import csv
import datetime
import io

import pytest
import time_machine

from disclosure import reports
from tests.disclosure.test_annual_reports import FEB_2027, answered, written
from tests.factories import make_organisation, make_staff

D = datetime.date


def publish_report(organisation, clerk, reviewer, year=2026, **values):
    with time_machine.travel(FEB_2027, tick=False):
        report = written(reports.start(organisation, year, by=clerk), clerk, **values)
        reports.submit(report, by=clerk)
        return reports.publish(report, by=reviewer)


@pytest.fixture
def published(gongan, gongan_clerk, gongan_reviewer):
    answered(gongan, gongan_clerk, gongan_reviewer, received=D(2026, 3, 2), replied=D(2026, 3, 20))
    return publish_report(gongan, gongan_clerk, gongan_reviewer, licensing_decisions=120, reconsideration_upheld=1, reconsideration_total=1)


def test_the_list_and_the_detail_give_the_report_and_its_tables(client, published, jiaoyu, jiaoyu_clerk):
    with time_machine.travel(FEB_2027, tick=False):
        written(reports.start(jiaoyu, 2026, by=jiaoyu_clerk), jiaoyu_clerk)  # a draft: never listed

    listing = client.get("/api/v1/annual-reports/?year=2026").json()
    detail = client.get(f"/api/v1/annual-reports/{published.pk}/").json()

    assert [row["title"] for row in listing["results"]] == ["青禾县公安局2026年政府信息公开工作年度报告"]
    assert listing["results"][0]["page_url"].endswith(f"/xxgk/reports/{published.pk}/")
    assert listing["results"][0]["docx_url"].endswith(f"/xxgk/reports/{published.pk}/report.docx")
    rows = {row["row"]: row["counts"] for row in detail["tables"]["table_three"]}
    assert rows["（一）予以公开"]["person"] == rows["（一）予以公开"]["total"] == 1
    assert detail["tables"]["table_two"]["decisions"][0] == {"item": "行政许可", "count": 120}
    assert detail["tables"]["table_four"]["reconsideration"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert detail["overview"].startswith("2026年")


def test_drafts_and_reports_in_review_are_404_and_never_listed(client, gongan, gongan_clerk):
    with time_machine.travel(FEB_2027, tick=False):
        draft = written(reports.start(gongan, 2026, by=gongan_clerk), gongan_clerk)
        submitted = reports.submit(draft, by=gongan_clerk)

    assert client.get(f"/api/v1/annual-reports/{submitted.pk}/").status_code == 404
    assert client.get("/api/v1/annual-reports/").json()["results"] == []
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/annual-reports/?format=csv").content.decode("utf-8-sig"))))
    assert rows == [["年度", "报告机关", "名称", "版本", "状态", "发布时间", "页面地址"]]


def test_a_bad_filter_is_400_naming_the_parameter(client, published):
    response = client.get("/api/v1/annual-reports/?year=20x6")

    assert response.status_code == 400 and "year" in response.json()


@pytest.mark.parametrize("size", [1, 4])
def test_the_list_runs_a_constant_number_of_queries(client, county, gongan, gongan_clerk, gongan_reviewer, size, django_assert_max_num_queries):
    publish_report(gongan, gongan_clerk, gongan_reviewer)
    for n in range(size):
        body = make_organisation(f"青禾县第{n}局", parent=county)
        publish_report(body, make_staff(f"clerk{n}", body, "clerk"), make_staff(f"reviewer{n}", body, "reviewer"))

    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/annual-reports/").json()["results"]) == size + 1


@pytest.mark.parametrize("url", [
    "/api/v1/catalogue-items/?catalogue=-7.090245135278828e%2B294", "/api/v1/catalogue-items/?organisation=1.5",
    "/api/v1/catalogues/?organisation=99999999999999999999999", "/api/v1/organisations/?parent=-1",
    "/api/v1/annual-reports/?organisation=1e400",
])
def test_an_id_filter_that_is_not_a_whole_number_a_column_holds_is_400_not_500(client, url):
    """Found by schemathesis: -7e294 overflowed SQLite's driver (a 500)."""
    response = client.get(url)

    assert response.status_code == 400
    [parameter] = response.json()
    assert parameter in url
