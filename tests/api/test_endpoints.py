"""What each endpoint shows, and its filters, through the real URLs."""

import datetime

import pytest

from catalog.models import CatalogueItem
from tests.factories import make_document, make_organisation, make_topic

from .conftest import make_gazette_issue

pytestmark = pytest.mark.django_db


def results(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_organisation_tree_with_kind_label_credit_code_and_contact(client, county, gongan, jiaoyu):
    rows = {row["name"]: row for row in results(client, "/api/v1/organisations/")}
    assert list(rows) == ["青禾县人民政府", "青禾县公安局", "青禾县教育局"]
    police = rows["青禾县公安局"]
    assert police["kind"] == "department" and police["kind_display"] == "县政府部门"
    assert police["parent"] == county.pk
    assert police["credit_code"] == gongan.credit_code and police["phone"] == "0539-7900110"
    assert police["url"] == f"http://testserver/api/v1/organisations/{gongan.pk}/"
    assert police["page_url"] == f"http://testserver/xxgk/org/{gongan.pk}/"
    assert rows["青禾县人民政府"]["children"] == [gongan.pk, jiaoyu.pk]
    assert rows["青禾县人民政府"]["parent"] is None


def test_organisation_list_leaves_out_internal_units(client, county, gongan):
    make_organisation("青禾县公安局办公室", parent=gongan, is_disclosure_body=False)
    rows = results(client, "/api/v1/organisations/")
    assert "青禾县公安局办公室" not in [row["name"] for row in rows]
    assert [row for row in rows if row["name"] == "青禾县公安局"][0]["children"] == []


def test_organisation_filter_by_kind(client, county, gongan):
    rows = results(client, "/api/v1/organisations/", kind="county_government")
    assert [row["name"] for row in rows] == ["青禾县人民政府"]


def test_domains_in_statutory_order_by_slug(client, domain):
    from tests.factories import make_domain

    make_domain(name="社会救助", slug="social-assistance", order=20)
    rows = results(client, "/api/v1/domains/")
    assert [row["slug"] for row in rows] == ["social-assistance", "household-registration"]
    detail = client.get("/api/v1/domains/household-registration/").json()
    assert detail["name"] == "户籍管理"
    assert detail["page_url"] == "http://testserver/xxgk/catalogue/household-registration/"


def test_published_catalogue_with_its_pages_and_items(client, catalogue, gongan):
    [row] = results(client, "/api/v1/catalogues/")
    assert row["title"] == "户籍管理领域基层政务公开标准目录"
    assert row["organisation"] == gongan.pk and row["organisation_name"] == "青禾县公安局"
    assert row["domain"] == "household-registration" and row["version"] == 1
    assert row["published_at"].endswith("+08:00")
    assert row["item_count"] == catalogue.items.count()
    assert row["page_url"] == f"http://testserver/xxgk/catalogue/household-registration/{gongan.pk}/"
    assert row["items_url"] == f"http://testserver/api/v1/catalogue-items/?catalogue={catalogue.pk}"
    assert client.get(row["url"]).json()["id"] == catalogue.pk


def test_catalogue_filters(client, catalogue, gongan, jiaoyu):
    assert len(results(client, "/api/v1/catalogues/", organisation=gongan.pk, domain="household-registration")) == 1
    assert results(client, "/api/v1/catalogues/", organisation=jiaoyu.pk) == []
    response = client.get("/api/v1/catalogues/", {"domain": "no-such-domain"})
    assert response.status_code == 400 and "domain" in response.json()


def test_catalogue_item_with_elements_and_labels(client, catalogue):
    item = catalogue.items.get(name="出生登记")
    data = client.get(f"/api/v1/catalogue-items/{item.pk}/").json()
    assert data["tier"] == 2 and data["parent"] == item.parent_id
    assert data["method"] == "proactive" and data["method_display"] == "主动"
    assert data["audience"] == "public" and data["audience_display"] == "全社会"
    assert data["channels"] == ["website", "service_centre"]
    assert data["channels_display"] == ["政府网站", "政务服务中心"]
    assert data["levels_display"] == "县级"
    assert data["domain"] == "household-registration"
    assert data["page_url"] == f"http://testserver/xxgk/catalogue/item/{item.key}/"


def test_catalogue_item_filters(client, catalogue, gongan):
    item = catalogue.items.get(name="迁入登记")
    item.channels, item.method, item.level_county, item.level_township = ["gazette"], "on_request", False, True
    item.save()

    def names(**params):
        return [row["name"] for row in results(client, "/api/v1/catalogue-items/", **params)]

    assert names(channel="gazette") == ["迁入登记"]
    assert names(method="on_request") == ["迁入登记"]
    assert names(level="township") == ["迁入登记"]
    assert "迁入登记" not in names(level="county")
    assert names(audience="specific") == []
    assert len(names(domain="household-registration", organisation=gongan.pk)) == catalogue.items.count()
    response = client.get("/api/v1/catalogue-items/", {"method": "sometimes"})
    assert response.status_code == 400 and "method" in response.json()


def test_catalogue_item_tree_nests_second_level_under_first(client, catalogue):
    rows = results(client, "/api/v1/catalogue-items/", tree=1)
    assert [row["name"] for row in rows] == ["户口登记", "户口迁移", "居民身份证管理"]
    assert [child["name"] for child in rows[0]["children"]] == ["出生登记", "死亡注销"]
    assert all(row["tier"] == 1 for row in rows)


def test_catalogue_item_tree_keeps_the_matching_second_level_only(client, catalogue):
    CatalogueItem.objects.filter(name="死亡注销").update(method="on_request")
    rows = results(client, "/api/v1/catalogue-items/", tree=1, method="on_request")
    assert [(row["name"], [c["name"] for c in row["children"]]) for row in rows] == [("户口登记", ["死亡注销"])]


def test_document_fields(client, notice, gongan, catalogue):
    [row] = results(client, "/api/v1/documents/")
    assert row["title"] == "关于办理出生登记的公告"
    assert row["index_number"] == notice.index_number and row["document_number"] == "青公发〔2026〕3号"
    assert row["organisation"] == gongan.pk and row["organisation_name"] == "青禾县公安局"
    assert row["written_date"] == "2026-01-10" and row["publish_date"] == "2026-01-15"
    assert row["topic"] == "0103" and row["topic_name"] == "综合政务／政务公开"
    assert row["genre"] == "announcement" and row["genre_display"] == "公告"
    assert row["validity"] == "valid" and row["validity_display"] == "现行有效"
    assert row["is_normative"] is True
    assert row["catalogue_item"] == str(notice.catalogue_item.key) and row["domain"] == "household-registration"
    assert row["page_url"] == f"http://testserver/xxgk/documents/{notice.pk}/"
    detail = client.get(row["url"]).json()
    assert detail["body"] == "<p>出生登记须知</p>" and detail["attachments"] == [] and detail["replaced_by"] is None


def test_document_filters(client, notice, gongan, jiaoyu, jiaoyu_clerk, gongan_clerk, publish):
    other = make_document(gongan, gongan_clerk, title="年度工作总结", topic=make_topic("0201", "经济"),
                          written_date=datetime.date(2025, 12, 1))
    publish(other, on=datetime.date(2026, 2, 1))

    def titles(**params):
        return [row["title"] for row in results(client, "/api/v1/documents/", **params)]

    assert titles() == ["年度工作总结", "关于办理出生登记的公告"]
    assert titles(organisation=gongan.pk) == ["年度工作总结", "关于办理出生登记的公告"]
    assert titles(topic="02") == ["年度工作总结"]
    assert titles(domain="household-registration") == ["关于办理出生登记的公告"]
    assert titles(item=str(notice.catalogue_item.key)) == ["关于办理出生登记的公告"]
    assert titles(genre="announcement") == ["关于办理出生登记的公告"]
    assert titles(validity="repealed") == []
    assert titles(is_normative="true") == ["关于办理出生登记的公告"]
    assert titles(written_date_from="2026-01-01") == ["关于办理出生登记的公告"]
    assert titles(written_date_to="2025-12-31") == ["年度工作总结"]
    assert titles(publish_date_from="2026-01-16", publish_date_to="2026-02-01") == ["年度工作总结"]
    assert titles(q="出生 公告") == ["关于办理出生登记的公告"]
    assert titles(q="青公发〔2026〕3号") == ["关于办理出生登记的公告"]


@pytest.mark.parametrize("params, name", [
    ({"publish_date_from": "2026-13-01"}, "publish_date_from"),
    ({"organisation": "999999"}, "organisation"),
    ({"genre": "poem"}, "genre"),
    ({"cursor": "tampered"}, "cursor"),
    ({"cursor": "2026-01-01_99999999999999999999999"}, "cursor"),
    ({"page_size": "101"}, "page_size"),
    ({"page_size": "lots"}, "page_size"),
    ({"format": "pdf"}, "format"),
])
def test_bad_input_is_400_naming_the_parameter(client, notice, params, name):
    response = client.get("/api/v1/documents/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert name in response.json()


def test_bad_page_is_400(client, domain):
    response = client.get("/api/v1/domains/", {"page": "9"})
    assert response.status_code == 400 and "page" in response.json()


def test_gazette_issue_lists_public_entries_only(client, notice, gongan, gongan_clerk):
    draft = make_document(gongan, gongan_clerk, title="尚未发布的通知")
    issue = make_gazette_issue([notice, draft])
    make_gazette_issue([], number=2, is_published=False)
    [row] = results(client, "/api/v1/gazette-issues/")
    assert row["title"] == "青禾县人民政府公报 2026年第1期" and row["publish_date"] == "2026-06-30"
    assert row["pdf_url"] == f"http://testserver/xxgk/gazette/{issue.pk}/pdf/"
    detail = client.get(row["url"]).json()
    assert [entry["title"] for entry in detail["entries"]] == ["关于办理出生登记的公告"]
