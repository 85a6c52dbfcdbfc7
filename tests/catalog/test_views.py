import io
import re

import pytest
from openpyxl import load_workbook

from catalog import workflow
from catalog.models import Catalogue
from tests.factories import add_items, make_organisation


def test_domain_list_shows_the_domains_and_what_is_published(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/xxgk/catalogue/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "户籍管理" in content and "1 个单位已发布" in content


def test_domain_page_lists_published_catalogues_by_organisation(client, published, domain):
    response = client.get(f"/xxgk/catalogue/{domain.slug}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "青禾县公安局" in content and "第1版" in content


def test_catalogue_page_is_the_table_in_the_excel_layout(client, published, domain, gongan):
    response = client.get(f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    for header in ("序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式", "公开层级"):
        assert header in content
    assert 'rowspan="2"' in content and "户口登记" in content and "出生登记" in content
    # 序号 runs 1, 2, 3 … over the rows, as in the Excel table.
    assert re.findall(r'data-label="序号">(\d+)<', content) == ["1", "2", "3", "4", "5"]
    assert "政府网站、政务服务中心" in content and "县级" in content


def test_public_catalogue_queries_stay_constant_as_items_grow(
    client, published, domain, gongan, django_assert_max_num_queries
):
    url = f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/"
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200
    add_items(published, {f"一级事项{n}": [f"二级事项{n}-{m}" for m in range(5)] for n in range(20)})
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert "二级事项19-4" in response.content.decode()


def test_domain_page_queries_stay_constant_as_catalogues_grow(
    client, published, domain, county, django_assert_max_num_queries
):
    for n in range(10):
        org = make_organisation(f"青禾县第{n}局", parent=county)
        Catalogue.objects.create(organisation=org, domain=domain, state=Catalogue.State.PUBLISHED)
    with django_assert_max_num_queries(2):
        response = client.get(f"/xxgk/catalogue/{domain.slug}/")
    assert response.content.decode().count("/xxgk/catalogue/household-registration/") >= 11


def test_item_page_shows_the_elements_and_survives_new_versions(
    client, published, gongan_clerk, gongan_reviewer, county_reviewer, django_assert_max_num_queries
):
    item = published.items.get(name="出生登记")
    with django_assert_max_num_queries(3):
        response = client.get(f"/xxgk/catalogue/item/{item.key}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "《中华人民共和国户口登记条例》" in content and "户口登记" in content

    draft = workflow.start_revision(published, by=gongan_clerk)
    new_item = draft.items.get(key=item.key)
    new_item.deadline = "实时更新"
    new_item.save()
    assert "实时更新" not in client.get(f"/xxgk/catalogue/item/{item.key}/").content.decode()
    workflow.submit(draft, by=gongan_clerk)
    workflow.first_review(draft, by=gongan_reviewer)
    workflow.approve(draft, by=county_reviewer)
    assert "实时更新" in client.get(f"/xxgk/catalogue/item/{item.key}/").content.decode()


def test_drafts_and_versions_in_review_are_not_public(client, guideline, domain, gongan, gongan_clerk):
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    item = catalogue.items.get(name="出生登记")
    assert client.get(f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/").status_code == 404
    assert client.get(f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/export.xlsx").status_code == 404
    assert client.get(f"/xxgk/catalogue/item/{item.key}/").status_code == 404
    workflow.submit(catalogue, by=gongan_clerk)
    assert client.get(f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/").status_code == 404
    assert "暂无已发布的标准目录" in client.get(f"/xxgk/catalogue/{domain.slug}/").content.decode()


def test_published_version_stays_public_while_the_next_is_drafted(client, published, domain, gongan, gongan_clerk):
    draft = workflow.start_revision(published, by=gongan_clerk)
    draft.items.get(name="出生登记").delete()
    response = client.get(f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/")
    assert response.status_code == 200 and "出生登记" in response.content.decode()


def test_public_export_downloads_the_published_catalogue(client, published, domain, gongan):
    response = client.get(f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [ws.cell(4, c).value for c in (2, 3)] == ["户口登记", "出生登记"]


def test_guidelines_are_not_listed_as_an_organisation_catalogue(client, guideline, domain):
    assert "1 个单位已发布" not in client.get("/xxgk/catalogue/").content.decode()


def test_overview_is_for_the_county_office(client, published, gongan_clerk, county_reviewer, jiaoyu):
    assert client.get("/xxgk/catalogue/overview/").status_code == 302  # to the login page
    client.force_login(gongan_clerk)
    assert client.get("/xxgk/catalogue/overview/").status_code == 403
    client.force_login(county_reviewer)
    response = client.get("/xxgk/catalogue/overview/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "已发布 1 个" in content and "县公安局" in content and "县教育局" in content


@pytest.mark.parametrize("url", ["/xxgk/catalogue/no-such-domain/", "/xxgk/catalogue/item/00000000-0000-0000-0000-000000000000/"])
def test_unknown_catalogue_addresses_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_column_links_to_the_catalogues(client, db):
    assert 'href="/xxgk/catalogue/"' in client.get("/xxgk/").content.decode()
