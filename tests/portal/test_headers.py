"""The headers: a Content-Security-Policy with no inline script or style, Cache-Control on feeds,
sitemaps and the API that lets no shared cache keep a withdrawn item, and HEAD wherever GET is."""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver

from disclosure import workflow as disclosure_workflow
from portal import tokens
from portal.models import ApiToken
from tests.factories import make_document, make_topic, publish_document

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a javascript: address": re.compile(r"javascript:", re.I),
}


def policy(response):
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";")) if directive
    }


def test_no_template_has_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}: {what}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for text in [path.read_text(encoding="utf-8")]
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]
    assert len(list(TEMPLATES.rglob("*.html"))) > 50  # the scan reads the real folder
    assert found == []


def assert_strict_policy(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/xxgk/", "/xxgk/apply/", "/xxgk/apply/status/", "/search/?q=户籍", "/api/v1/"])
def test_public_pages_have_a_strict_content_security_policy(client, county, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_strict_policy(response)


def test_the_admin_has_the_same_policy(client, superuser, gongan):
    client.force_login(superuser)
    for url in ["/admin/login/", "/admin/", "/admin/requests_app/application/", "/admin/requests_app/application/add/"]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_strict_policy(response)


def test_the_api_docs_page_loads_its_script_from_a_file(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<style" not in content and re.search(r"<script(?![^>]*\bsrc=)", content) is None
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.fixture
def published(gongan, gongan_clerk, gongan_reviewer):
    document = make_document(gongan, gongan_clerk, topic=make_topic())
    return publish_document(document, gongan_clerk, gongan_reviewer)


FEEDS_AND_SITEMAPS = ["/xxgk/feed/", "/xxgk/feed/atom/", "/sitemap.xml", "/sitemap-documents.xml", "/sitemap-column.xml"]


@pytest.mark.parametrize("url", FEEDS_AND_SITEMAPS)
def test_feeds_and_sitemaps_are_revalidated_every_time(client, published, url):
    # no-cache: a shared cache asks each time, so a withdrawn document is gone with the next request.
    # No Last-Modified: the newest item's date does not move when an item is withdrawn.
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-cache"
        assert not response.has_header("Last-Modified")
        assert response.has_header("ETag")
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code in (200, 304)


def test_a_withdrawn_document_changes_the_feeds_etag(client, published, gongan_reviewer):
    before = client.get("/xxgk/feed/")
    assert published.title in before.content.decode()
    assert client.get("/xxgk/feed/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    disclosure_workflow.withdraw(published, by=gongan_reviewer, note="已被新文件替代")
    after = client.get("/xxgk/feed/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and published.title not in after.content.decode()


def test_public_api_answers_are_revalidated_and_private_ones_not_stored(client, published, gongan, county_reviewer):
    public = client.get("/api/v1/documents/")
    assert public.status_code == 200 and public["Cache-Control"] == "no-cache" and public.has_header("ETag")
    raw = tokens.issue(ApiToken(name="县公安局户政业务系统", organisation=gongan), by=county_reviewer)
    pushed = client.get("/api/v1/push/documents/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert pushed.status_code == 200 and pushed["Cache-Control"] == "private, no-store"
    refused = client.get("/api/v1/push/documents/", HTTP_AUTHORIZATION="Bearer wrong")
    assert refused.status_code == 401 and refused["Cache-Control"] == "private, no-store"
    client.force_login(county_reviewer)
    assert client.get("/api/v1/documents/")["Cache-Control"] == "private, no-store"


# ---------------------------------------------------------------- HEAD wherever GET is

SAMPLE_ARGUMENTS = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "household-registration", "str": "pdf"}


def public_patterns(patterns=None, prefix=""):
    """(address, name) of every URL pattern outside the admin, its arguments filled with samples."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin"):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            address = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS[m.group(1) or "str"], route)
            address = re.sub(r"\(\?P<\w+>[^)]*\)", "1", address).replace("^", "").replace("$", "")
            yield "/" + address.replace("sitemap-pdf", "sitemap-documents"), pattern.name


def test_every_public_address_answers_head_as_it_answers_get(client, published):
    addresses = dict(public_patterns())
    assert len(addresses) > 40
    for address, name in addresses.items():
        get = client.get(address)
        head = client.head(address)
        assert get.status_code != 405, address
        assert head.status_code == get.status_code, f"{name} {address}: HEAD {head.status_code}, GET {get.status_code}"
        assert head.content == b"", address
