"""The push API's tokens in the back office: the county office issues them, the secret is shown once and
stored only as its hash, they are revoked (never deleted), and their last use is recorded cheaply."""

import datetime
import hashlib
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.http import HttpRequest

from disclosure.models import Document
from portal import tokens
from portal.models import ApiToken

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def create_in_admin(client, user, organisation, name="县公安局户政业务系统"):
    client.force_login(user)
    response = client.post("/admin/portal/apitoken/add/", {"name": name, "organisation": organisation.pk})
    assert response.status_code == 200, response.content.decode()[:2000]
    secret = re.search(r'<code class="api-token-secret">([^<]+)</code>', response.content.decode()).group(1)
    return response, secret


def test_county_office_creates_a_token_whose_secret_is_shown_once_and_stored_only_hashed(client, county_reviewer, gongan):
    response, secret = create_in_admin(client, county_reviewer, gongan)
    assert "no-store" in response["Cache-Control"]
    assert "此页关闭后无法再次查看" in response.content.decode()
    token = ApiToken.objects.get()
    assert token.name == "县公安局户政业务系统" and token.organisation == gongan
    assert token.created_by == county_reviewer and token.created_at is not None
    assert secret.startswith(token.prefix + ".") and len(secret) > 40
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    # The database holds the secret nowhere: neither the token's row nor its service user's.
    stored = [*ApiToken.objects.values_list(), *User.objects.values_list()]
    assert not any(secret in str(value) for row in stored for value in row)
    # Shown once: the list and the token's own page show the prefix only.
    for url in ("/admin/portal/apitoken/", f"/admin/portal/apitoken/{token.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200
        assert token.prefix in page.content.decode() and secret not in page.content.decode()


def test_each_token_acts_through_an_inactive_service_user_named_after_it(client, county_reviewer, gongan):
    _, secret = create_in_admin(client, county_reviewer, gongan)
    user = ApiToken.objects.get().user
    assert user.username.startswith("api-") and user.first_name == "县公安局户政业务系统"
    assert not user.is_active and not user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert user.staff.organisation == gongan and user.staff.is_clerk and not user.staff.is_reviewer
    client.logout()
    assert not client.login(request=HttpRequest(), username=user.username, password=secret)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("username", ["gongan_clerk", "gongan_reviewer"])
def test_clerks_and_reviewers_neither_see_nor_create_tokens(client, request, username, gongan, county_reviewer):
    tokens.issue(ApiToken(name="户政系统", organisation=gongan), by=county_reviewer)
    client.force_login(request.getfixturevalue(username))
    assert client.get("/admin/portal/apitoken/").status_code == 403
    assert client.get("/admin/portal/apitoken/add/").status_code == 403
    assert client.post("/admin/portal/apitoken/add/", {"name": "x", "organisation": gongan.pk}).status_code == 403
    assert "接口令牌" not in client.get("/admin/").content.decode()
    assert ApiToken.objects.count() == 1
    with pytest.raises(tokens.TokenError):
        tokens.issue(ApiToken(name="自建", organisation=gongan), by=request.getfixturevalue(username))


def test_revoking_records_who_and_when_and_keeps_the_token(client, county_reviewer, gongan):
    tokens.issue(ApiToken(name="户政系统", organisation=gongan), by=county_reviewer)
    token = ApiToken.objects.get()
    client.force_login(county_reviewer)
    response = client.post(
        "/admin/portal/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200 and "已撤销1个接口令牌" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == county_reviewer and token.revoked_at is not None
    # Never deleted: the documents and events it made still name it.
    assert client.get(f"/admin/portal/apitoken/{token.pk}/delete/").status_code == 403
    assert ApiToken.objects.count() == 1


def test_a_token_page_cannot_change_the_token(client, county_reviewer, gongan, jiaoyu):
    tokens.issue(ApiToken(name="户政系统", organisation=gongan), by=county_reviewer)
    token = ApiToken.objects.get()
    client.force_login(county_reviewer)
    client.post(f"/admin/portal/apitoken/{token.pk}/change/", {"name": "改名", "organisation": jiaoyu.pk})
    token.refresh_from_db()
    assert token.name == "户政系统" and token.organisation == gongan


def test_last_use_is_recorded_at_most_once_a_minute_2026_12_01(client, county_reviewer, gongan):
    secret = tokens.issue(ApiToken(name="户政系统", organisation=gongan), by=county_reviewer)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    first = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
    with time_machine.travel(first, tick=False):
        assert client.get("/api/v1/push/documents/", **headers).status_code == 200
    assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(first + datetime.timedelta(seconds=59), tick=False):
        client.get("/api/v1/push/documents/", **headers)
    assert ApiToken.objects.get().last_used_at == first
    later = first + datetime.timedelta(minutes=1, seconds=5)
    with time_machine.travel(later, tick=False):
        client.get("/api/v1/push/documents/", **headers)
    assert ApiToken.objects.get().last_used_at == later
    assert not Document.objects.exists()
