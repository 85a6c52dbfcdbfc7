"""Public pages come from the page cache at no query, and stop showing anything the moment it is
withdrawn, changes validity or attribute, or is renamed; staff and visitors with a session always get
a freshly rendered page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import workflow
from disclosure.models import Document, GazetteIssue, Guide
from tests.factories import (
    PRODUCTION_KEYS, add_items, make_document, make_domain, make_guideline, make_published_catalogue, publish_document,
)

TITLE = "关于2026年城乡居民医疗保险参保缴费的通告"


@pytest.fixture
def catalogue(gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    domain = make_domain()
    make_guideline(domain)
    return make_published_catalogue(
        gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer
    )


@pytest.fixture
def notice(gongan, gongan_clerk, gongan_reviewer):
    document = make_document(gongan, gongan_clerk, title=TITLE, document_number="青公通〔2026〕3号", is_normative=True)
    return publish_document(document, gongan_clerk, gongan_reviewer)


def pages_showing(document):
    """Every cached public page on which a newly published document appears."""
    organisation = document.organisation_id
    return [
        "/", "/xxgk/", "/xxgk/documents/", f"/xxgk/documents/?organisation={organisation}", "/xxgk/normative/",
        f"/xxgk/documents/{document.pk}/",
        f"/xxgk/org/{organisation}/", "/xxgk/feed/", "/xxgk/feed/atom/", f"/xxgk/feed/org/{organisation}/",
        "/api/v1/documents/", f"/api/v1/documents/{document.pk}/",
    ]


def sitemap_of(client, document):
    return client.get("/sitemap-documents.xml").content.decode()


def test_a_cached_public_page_costs_no_query(client, notice, catalogue, django_assert_max_num_queries):
    issue = GazetteIssue.objects.create(year=2026, number=1, publish_date=datetime.date(2026, 6, 30), is_published=True)
    urls = pages_showing(notice) + [
        "/xxgk/topics/", "/xxgk/guide/", "/xxgk/gazette/", f"/xxgk/gazette/{issue.pk}/", "/xxgk/catalogue/",
        f"/xxgk/catalogue/{catalogue.domain.slug}/", f"/xxgk/catalogue/{catalogue.domain.slug}/{catalogue.organisation_id}/",
        "/sitemap.xml", "/sitemap-documents.xml", "/sitemap-catalogues.xml",
    ]
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_max_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"]


def test_a_page_from_the_cache_carries_every_header_the_rendered_page_had(client, notice):
    # Stored pages go out before the session, CSRF, CSP and frame middleware run: they must have kept
    # what those added on the way out when the page was rendered.
    for url in ("/xxgk/", "/xxgk/documents/", "/xxgk/feed/", "/sitemap-documents.xml", "/api/v1/documents/"):
        rendered = client.get(url)
        stored = client.get(url)
        assert dict(stored.items()) == dict(rendered.items()), url
        assert stored.content == rendered.content, url
    assert "frame-ancestors 'none'" in stored["Content-Security-Policy"]
    assert stored["X-Frame-Options"] == "DENY"


def test_a_feed_from_the_cache_answers_a_client_holding_it_with_304(client, notice):
    etag = client.get("/xxgk/feed/")["ETag"]
    assert client.get("/xxgk/feed/").status_code == 200  # from the cache
    again = client.get("/xxgk/feed/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get("/xxgk/feed/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_host_not_served_is_refused_before_the_cache(client, notice):
    client.get("/xxgk/")
    response = client.get("/xxgk/", HTTP_HOST="attacker.example")
    assert response.status_code == 400


def test_head_is_answered_from_the_cache_too(client, notice, django_assert_max_num_queries):
    client.get("/xxgk/")
    with django_assert_max_num_queries(0):
        assert client.head("/xxgk/").status_code == 200


def test_withdrawn_title_leaves_every_cached_page_feed_and_sitemap_at_once(
    client, notice, gongan_clerk, django_capture_on_commit_callbacks
):
    for url in pages_showing(notice):
        assert TITLE in client.get(url).content.decode(), url
    assert f"/xxgk/documents/{notice.pk}/" in sitemap_of(client, notice)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(notice, by=gongan_clerk, note="内容有误")

    for url in pages_showing(notice):
        assert TITLE not in client.get(url).content.decode(), url
    assert f"/xxgk/documents/{notice.pk}/" not in sitemap_of(client, notice)


def test_validity_change_shows_on_cached_lists_at_once(client, notice, gongan_clerk, django_capture_on_commit_callbacks):
    assert "现行有效" in client.get("/xxgk/normative/").content.decode()
    assert TITLE in client.get("/xxgk/normative/?validity=valid").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_validity(notice, by=gongan_clerk, validity=Document.Validity.REPEALED, note="已废止")

    assert "已废止" in client.get("/xxgk/normative/").content.decode()
    assert TITLE not in client.get("/xxgk/normative/?validity=valid").content.decode()
    assert TITLE in client.get("/xxgk/normative/?validity=repealed").content.decode()


def test_attribute_change_to_proactive_shows_on_cached_pages_at_once(
    client, gongan, gongan_clerk, gongan_reviewer, django_capture_on_commit_callbacks
):
    """The one step that changes a published document's attribute: the yearly assessment of 不予公开
    information turning it into 主动公开. Cached pages must not keep hiding it."""
    withheld = publish_document(make_document(gongan, gongan_clerk, title=TITLE, attribute="withheld", is_normative=True), gongan_clerk,
                                gongan_reviewer)
    for url in pages_showing(withheld):
        assert TITLE not in client.get(url).content.decode(), url

    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_assessment(withheld, by=gongan_reviewer, outcome=workflow.Assessment.DISCLOSE, reason="已不再敏感")

    for url in pages_showing(withheld):
        assert TITLE in client.get(url).content.decode(), url


def test_withheld_and_on_request_information_never_reaches_a_cached_page(client, gongan, gongan_clerk, gongan_reviewer):
    for attribute in ("withheld", "on_request"):
        document = make_document(gongan, gongan_clerk, title=f"{attribute}的内部信息", attribute=attribute)
        publish_document(document, gongan_clerk, gongan_reviewer)
    for _ in range(2):  # rendered, then from the cache
        for url in pages_showing(document) + ["/sitemap-documents.xml"]:
            content = client.get(url).content.decode()
            assert "的内部信息" not in content, url


def test_renamed_organisation_and_edited_guide_show_at_once(client, notice, gongan):
    Guide.objects.create(organisation=gongan, body="<p>办公地点：人民路1号</p>")
    assert "人民路1号" in client.get(f"/xxgk/guide/{gongan.pk}/").content.decode()
    assert "县公安局" in client.get("/").content.decode()
    # Pages and the API that take the organisation's names from selectors.public_names(), read once per generation.
    named = {
        f"/xxgk/documents/{notice.pk}/": "青禾县公安局", "/xxgk/documents/?after=": "县公安局",
        "/api/v1/documents/?page_size=20": "青禾县公安局",
    }
    for url, name in named.items():
        assert name in client.get(url).content.decode(), url

    guide = Guide.objects.get(organisation=gongan)
    guide.body = "<p>办公地点：建设路8号</p>"
    guide.save()
    gongan.name, gongan.short_name = "青禾县公安分局", "县公安分局"
    gongan.save()

    assert "建设路8号" in client.get(f"/xxgk/guide/{gongan.pk}/").content.decode()
    assert "县公安分局" in client.get("/").content.decode()
    for url, name in named.items():
        assert name.replace("公安局", "公安分局") in client.get(url).content.decode(), url


def test_organisation_moved_in_the_tree_shows_in_its_new_place_at_once(client, county, gongan, jiaoyu):
    home = client.get("/").content.decode()
    assert home.index("县公安局") < home.index("县教育局")
    jiaoyu.move_to(gongan, "left")  # what the admin's drag and drop does: no save
    home = client.get("/").content.decode()
    assert home.index("县教育局") < home.index("县公安局")


def test_catalogue_item_corrected_in_place_shows_at_once(client, catalogue):
    url = f"/xxgk/catalogue/{catalogue.domain.slug}/{catalogue.organisation_id}/"
    client.get(url)
    add_items(catalogue, {"新增一级事项": ["新增二级事项"]})
    assert "新增二级事项" in client.get(url).content.decode()


def test_staff_and_visitors_with_a_session_never_get_or_leave_a_cached_page(client, notice, gongan_clerk):
    client.force_login(gongan_clerk)
    with CaptureQueriesContext(connection) as staff_queries:
        client.get("/xxgk/")
    assert len(staff_queries) > 0
    client.logout()
    with CaptureQueriesContext(connection) as anonymous_queries:
        client.get("/xxgk/")  # nothing the staff request rendered was stored
    assert len(anonymous_queries) > 0

    client.force_login(gongan_clerk)  # an anonymous visitor's cached page is not given to staff either
    with CaptureQueriesContext(connection) as staff_queries:
        client.get("/xxgk/")
    assert len(staff_queries) > 0


def test_later_list_pages_and_word_searches_are_rendered_every_time(client, notice):
    for url in ("/xxgk/documents/?after=2026-01-01_1", f"/xxgk/documents/?q={TITLE[:4]}"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) > 0, url


def test_bad_filter_is_a_400_that_is_not_cached(client, notice):
    for _ in range(2):
        response = client.get("/xxgk/documents/?organisation=999999")
        assert response.status_code == 400
        assert "筛选条件有误" in response.content.decode()


def test_filter_options_rendered_once_keep_the_selected_option_marked(client, notice, gongan, county):
    unfiltered = client.get("/xxgk/normative/").content.decode()
    assert f'<option value="{gongan.pk}">青禾县公安局</option>' in unfiltered
    assert unfiltered.count('<option value="" selected>全部</option>') == 2  # validity, organisation

    filtered = client.get(f"/xxgk/normative/?organisation={gongan.pk}&validity=valid").content.decode()
    assert f'<option value="{gongan.pk}" selected>青禾县公安局</option>' in filtered
    assert '<option value="valid" selected>现行有效</option>' in filtered
    assert filtered.count(" selected>") == 2


@pytest.mark.parametrize("data", [None, {}, {"organisation": ""}, {"validity": "repealed", "topic": "0103"}, {"genre": "x"}])
def test_filter_selects_rendered_once_are_the_html_django_renders(notice, county, data):
    from django import forms

    from disclosure.filters import DocumentFilter

    form = DocumentFilter(data, queryset=Document.objects.none()).form
    form.is_valid()
    for name in ("organisation", "topic", "domain", "genre", "validity"):
        once = str(form[name])
        form.fields[name].widget = forms.Select(choices=form.fields[name].choices)
        assert once == str(form[name]), name


# ---------------------------------------------------------------- what the cache and connections rely on


def run_python(code, **env):
    import os
    import subprocess
    import sys

    from django.conf import settings

    environment = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=settings.BASE_DIR, capture_output=True,
        text=True, timeout=120, env={**environment, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
    )


def test_without_redis_every_worker_of_a_host_shares_one_page_cache(tmp_path):
    """Local memory is per process: a withdrawal through one gunicorn worker would not reach the others."""
    result = run_python(
        "from django.conf import settings; from django.utils.module_loading import import_string;"
        "from django.core.cache.backends.filebased import FileBasedCache;"
        "print(issubclass(import_string(settings.CACHES['pages']['BACKEND']), FileBasedCache))",
        DEBUG="0", SECRET_KEY="k" * 50, VAR_DIR=str(tmp_path), **PRODUCTION_KEYS,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_the_file_page_cache_stays_bounded_without_listing_its_folder_on_every_store(tmp_path):
    from portal.cache import PageFileCache

    pages = PageFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    count = lambda: len(list(tmp_path.glob("*.djcache")))  # noqa: E731
    for n in range(60):
        pages.set(f"page:{n}", b"x")
    assert count() > 10  # not culled on each store past the bound
    for n in range(60, 600):
        pages.set(f"page:{n}", b"x")
        assert count() <= 10 + PageFileCache.CULL_EVERY


def test_with_redis_pages_live_in_the_shared_cache(tmp_path):
    result = run_python(
        "from django.conf import settings; print(settings.CACHES['pages']['BACKEND'])",
        DEBUG="1", VAR_DIR=str(tmp_path), REDIS_URL="redis://cache.internal:6379/0",
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


def test_healthz_reports_a_dead_database_as_503_with_persistent_connections(tmp_path):
    result = run_python(
        "from django.conf import settings; from django.test import Client; r = Client(HTTP_HOST='localhost').get('/healthz');"
        " print(settings.DATABASES['default']['CONN_MAX_AGE'], r.status_code, r.json()['database'])",
        DEBUG="1", VAR_DIR=str(tmp_path), DATABASE_URL="postgres://nobody@127.0.0.1:9/nodb",
    )
    assert result.stdout.split() == ["600", "503", "error"], result.stderr
