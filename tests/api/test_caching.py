"""Conditional GET (ETag, Last-Modified, 304) and the anonymous rate limit (429, Retry-After)."""

import pytest
from django.utils.http import http_date

pytestmark = pytest.mark.django_db


def test_repeated_list_request_with_its_etag_is_304(client, notice):
    first = client.get("/api/v1/documents/")
    assert first.status_code == 200 and first["ETag"]
    assert first["Cache-Control"] == "no-cache"
    again = client.get("/api/v1/documents/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_when_the_list_does(client, notice, gongan_clerk, gongan_reviewer):
    from disclosure import workflow

    first = client.get("/api/v1/documents/")
    workflow.withdraw(notice, by=gongan_clerk, note="发布有误")
    again = client.get("/api/v1/documents/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again.json()["results"] == []


def test_document_detail_has_last_modified_and_answers_if_modified_since(client, notice):
    first = client.get(f"/api/v1/documents/{notice.pk}/")
    assert first["Last-Modified"] == http_date(notice.updated_at.timestamp())
    again = client.get(f"/api/v1/documents/{notice.pk}/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 304


def test_anonymous_clients_over_the_rate_get_429_in_chinese_with_retry_after(client, settings, domain):
    settings.API_ANON_RATE = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/domains/").status_code == 200
    response = client.get("/api/v1/domains/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"] == f"请求过于频繁，请于{response['Retry-After']}秒后重试。"


def test_signed_in_staff_are_not_rate_limited(client, settings, domain, gongan_clerk):
    settings.API_ANON_RATE = "1/min"
    client.force_login(gongan_clerk)
    assert [client.get("/api/v1/domains/").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize("rate", ["lots", "120", "120/fortnight"])
def test_bad_rate_setting_fails_at_start_with_one_line_naming_it(tmp_path, rate):
    from tests.portal.test_settings import run_manage

    result = run_manage("check", DEBUG="1", VAR_DIR=str(tmp_path), API_ANON_RATE=rate)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "API_ANON_RATE" in result.stderr


def test_answers_from_the_page_cache_count_against_the_rate_limit(client, settings, notice, django_assert_max_num_queries):
    settings.API_ANON_RATE = "3/min"
    first = client.get("/api/v1/documents/")
    for _ in range(2):
        with django_assert_max_num_queries(0):
            again = client.get("/api/v1/documents/")
        assert again.status_code == 200 and again.content == first.content
    refused = client.get("/api/v1/documents/")
    assert refused.status_code == 429
    assert refused.json()["detail"] == f"请求过于频繁，请于{refused['Retry-After']}秒后重试。"
    # Another address has its own count, from the cache too.
    with django_assert_max_num_queries(0):
        assert client.get("/api/v1/documents/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_json_and_csv_answers_are_kept_apart(client, notice):
    as_json = client.get("/api/v1/documents/")
    as_csv = client.get("/api/v1/documents/", headers={"Accept": "text/csv"})
    assert as_json["Content-Type"] == "application/json"
    assert as_csv["Content-Type"].startswith("text/csv") and "关于办理出生登记的公告" in as_csv.content.decode("utf-8-sig")
    assert client.get("/api/v1/documents/")["Content-Type"] == "application/json"
    assert client.get("/api/v1/documents/", headers={"Accept": "text/csv"}).content == as_csv.content


def test_a_client_with_a_token_is_never_answered_from_the_page_cache(client, notice, gongan, county_reviewer):
    from portal import tokens
    from portal.models import ApiToken

    secret = tokens.issue(ApiToken(name="县公安局户政业务系统", organisation=gongan), by=county_reviewer)
    client.get("/api/v1/documents/")
    client.get("/api/v1/documents/")  # stored, and served from the cache
    with_token = client.get("/api/v1/documents/", headers={"Authorization": f"Bearer {secret}"})
    assert with_token.status_code == 200 and with_token["Cache-Control"] == "private, no-store"
