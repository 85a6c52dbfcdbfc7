import pytest
from django.urls import path

from portal.models import Organisation
from tests.factories import make_organisation

COLUMN_PARTS = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开工作年度报告")


def test_home_page_links_to_the_column(client, county, gongan, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "青禾县人民政府" in content
    assert 'href="/xxgk/"' in content and "政府信息公开" in content
    assert "县公安局" in content  # organisation navigation


def test_column_landing_has_its_title_four_parts_and_the_apply_entry(client, county, gongan):
    response = client.get("/xxgk/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>政府信息公开</h1>" in content
    assert "<title>政府信息公开 - " in content
    for part in COLUMN_PARTS:
        assert part in content
    assert "依申请公开" in content
    # Parts whose content comes later say so honestly.
    assert "暂无已发布的年度报告" in content


def test_column_landing_query_count_does_not_grow_with_organisations(client, county, django_assert_max_num_queries):
    for n in range(30):
        make_organisation(f"青禾县第{n}局", parent=county)
    with django_assert_max_num_queries(8):
        assert client.get("/xxgk/").status_code == 200


def test_organisation_page_shows_its_disclosure_contacts(client, county, gongan):
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county)
    make_organisation("柳河村民委员会", kind=Organisation.Kind.VILLAGE, parent=town, credit_code="")
    response = client.get(f"/xxgk/org/{gongan.pk}/")
    assert response.status_code == 200
    assert "0539-7900110" in response.content.decode()
    response = client.get(f"/xxgk/org/{town.pk}/")
    assert "柳河村民委员会" in response.content.decode()


def test_village_committees_have_a_page_of_their_own(client, county):
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county)
    village = make_organisation("柳河村民委员会", kind=Organisation.Kind.VILLAGE, parent=town, credit_code="")
    response = client.get(f"/xxgk/org/{village.pk}/")
    assert response.status_code == 200 and f'href="/xxgk/org/{town.pk}/"' in response.content.decode()


def test_unknown_url_gets_a_chinese_404_in_the_site_layout(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "页面不存在" in content
    assert "site-header" in content and "主办单位" in content


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", boom)]


@pytest.mark.urls("tests.portal.test_pages")
def test_server_error_gets_a_chinese_500_without_traceback(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "服务暂时不可用" in content
    assert "kaboom" not in content and "Traceback" not in content


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_search_page_escapes_the_query(client, db):
    response = client.get("/search/", {"q": "<script>x</script>"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>x</script>" not in content
    assert "&lt;script&gt;x&lt;/script&gt;" in content


def test_pages_carry_a_large_text_toggle_and_skip_link(client, db):
    content = client.get("/").content.decode()
    assert "data-large-text-toggle" in content
    assert 'href="#main"' in content
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in content
