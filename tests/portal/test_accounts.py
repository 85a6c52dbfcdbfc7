"""Signing in to the back office: lock-out, the second factor, session limits, next=, refusal pages."""

import datetime

import django.test
import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import SecurityEvent
from tests.factories import make_totp_device, totp_code

LOGIN = "/admin/login/"
PASSWORD = "test-pass-123"


def post_login(client, username, password=PASSWORD, address="10.1.1.1", **data):
    return client.post(LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=address)


def signed_in(client):
    return SESSION_KEY in client.session


def fail(client, username, times, address="10.1.1.1"):
    for _ in range(times):
        response = post_login(client, username, "wrong-password", address=address)
    return response


# ---------------------------------------------------------------- lock-out


def test_account_is_locked_after_repeated_failures_even_from_other_addresses(client, gongan_clerk):
    for n in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = post_login(client, "gongan_clerk", "wrong-password", address=f"10.2.0.{n + 1}")
        assert response.status_code == 400 and "请输入一个正确的用户名和密码" in response.content.decode()
    response = post_login(client, "gongan_clerk", "wrong-password", address="10.2.0.99")
    assert response.status_code == 429

    response = post_login(client, "gongan_clerk", address="10.3.0.1")

    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "即使密码正确也无法登录" in page and "县政府办公室" in page
    assert response["Retry-After"] == str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    assert not signed_in(client)
    assert SecurityEvent.objects.filter(kind="lockout", username="gongan_clerk", user=gongan_clerk).exists()


def test_address_is_locked_after_repeated_failures_for_any_usernames(client, gongan_clerk):
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        post_login(client, f"guess{n}", "wrong-password", address="10.4.0.1")

    locked = post_login(client, "gongan_clerk", address="10.4.0.1")
    assert locked.status_code == 429 and not signed_in(client)

    elsewhere = post_login(client, "gongan_clerk", address="10.4.0.2")
    assert elsewhere.status_code == 302 and signed_in(client)


def test_lockout_ends_after_the_cool_off(client, gongan_clerk):
    with time_machine.travel(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        fail(client, "gongan_clerk", settings.LOGIN_FAILURE_LIMIT)
        assert post_login(client, "gongan_clerk").status_code == 429
        traveller.shift(datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
        assert post_login(client, "gongan_clerk").status_code == 302


def unlock(client, action, attempts):
    return client.post(
        "/admin/portal/loginattempt/", {"action": action, "_selected_action": [a.pk for a in attempts]},
    )


def test_county_office_unlocks_a_locked_account(client, gongan_clerk, county_reviewer):
    locker = django.test.Client()
    fail(locker, "gongan_clerk", settings.LOGIN_FAILURE_LIMIT)
    assert post_login(locker, "gongan_clerk").status_code == 429

    client.force_login(county_reviewer)
    listing = client.get("/admin/portal/loginattempt/")
    assert listing.status_code == 200 and "gongan_clerk" in listing.content.decode()
    response = unlock(client, "unlock_usernames", AccessAttempt.objects.filter(username="gongan_clerk"))

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="gongan_clerk").exists()
    assert post_login(locker, "gongan_clerk").status_code == 302
    event = SecurityEvent.objects.get(kind="unlock")
    assert event.user == county_reviewer and event.detail["target_username"] == "gongan_clerk"


def test_county_office_unlocks_a_locked_address(client, gongan_clerk, county_reviewer):
    locker = django.test.Client()
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        post_login(locker, f"guess{n}", "wrong-password", address="10.5.0.1")
    client.force_login(county_reviewer)

    unlock(client, "unlock_addresses", AccessAttempt.objects.filter(ip_address="10.5.0.1")[:1])

    assert not AccessAttempt.objects.filter(ip_address="10.5.0.1").exists()
    assert post_login(locker, "gongan_clerk", address="10.5.0.1").status_code == 302
    assert SecurityEvent.objects.get(kind="unlock").detail["target_address"] == "10.5.0.1"


@pytest.mark.parametrize("who", ["jiaoyu_clerk", "gongan_reviewer"])
def test_nobody_but_the_county_office_unlocks(client, gongan_clerk, who, request):
    fail(django.test.Client(), "gongan_clerk", settings.LOGIN_FAILURE_LIMIT)
    client.force_login(request.getfixturevalue(who))

    assert client.get("/admin/portal/loginattempt/").status_code == 403
    response = unlock(client, "unlock_usernames", AccessAttempt.objects.all())

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="gongan_clerk").exists()
    assert not SecurityEvent.objects.filter(kind="unlock").exists()


# ---------------------------------------------------------------- the second factor


def forget_failures(device):
    """django-otp makes a device wait after a wrong code (1 s, then doubling); these tests do not wait."""
    device.refresh_from_db()
    device.throttle_reset()


@pytest.mark.parametrize("who", ["gongan_reviewer", "county_reviewer", "superuser"])
def test_the_password_alone_never_reaches_the_admin_for_those_who_may_approve(client, who, request):
    user = request.getfixturevalue(who)
    password = "test-pass-123"

    response = post_login(client, user.username, password)

    assert response.status_code == 302 and response["Location"] == "/admin/login/enrol/"
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/disclosure/document/").status_code == 302


def test_a_user_who_must_have_a_second_factor_enrols_after_the_password(client, gongan_reviewer):
    post_login(client, "gongan_reviewer")
    page = client.get("/admin/login/enrol/")
    device = TOTPDevice.objects.get(user=gongan_reviewer, confirmed=False)
    secret = page.content.decode()
    assert page.status_code == 200 and "绑定身份验证器" in secret and "otpauth://totp/" in secret
    assert "no-store" in page["Cache-Control"]

    wrong = client.post("/admin/login/enrol/", {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and not signed_in(client)

    forget_failures(device)
    response = client.post("/admin/login/enrol/", {"code": totp_code(device)})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert list(SecurityEvent.objects.filter(user=gongan_reviewer).values_list("kind", flat=True).order_by("pk")) == [
        "otp_failed", "otp_enrolled", "login",
    ]


def test_each_login_asks_the_code_and_a_wrong_code_is_refused(client, county_reviewer):
    device = make_totp_device(county_reviewer)

    response = post_login(client, "county_reviewer", next="/admin/disclosure/document/")
    assert response["Location"] == "/admin/login/code/" and not signed_in(client)

    wrong = client.post("/admin/login/code/", {"code": "12345"})
    assert wrong.status_code == 400 and "验证码应为6位数字" in wrong.content.decode()
    good = totp_code(device)
    bad = f"{(int(good) + 1) % 1000000:06d}"
    wrong = client.post("/admin/login/code/", {"code": bad})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert not signed_in(client) and client.get("/admin/").status_code == 302
    assert SecurityEvent.objects.filter(kind="otp_failed", user=county_reviewer).exists()

    forget_failures(device)
    response = client.post("/admin/login/code/", {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/disclosure/document/"
    assert client.get("/admin/disclosure/document/").status_code == 200
    assert SecurityEvent.objects.filter(kind="login", user=county_reviewer, detail__second_factor=True).exists()


def test_a_code_is_accepted_once(client, county_reviewer):
    device = make_totp_device(county_reviewer)
    post_login(client, "county_reviewer")
    code = totp_code(device)
    assert client.post("/admin/login/code/", {"code": code}).status_code == 302
    client.post("/admin/logout/")

    other = django.test.Client()
    post_login(other, "county_reviewer")
    assert other.post("/admin/login/code/", {"code": code}).status_code == 400


def test_a_session_signed_in_without_the_second_factor_is_refused(gongan_reviewer):
    plain = django.test.Client()
    django.test.Client.force_login(plain, gongan_reviewer)  # the password step alone, no verified device

    assert plain.get("/admin/").status_code == 302


def test_a_clerk_signs_in_with_the_password_and_may_enrol(client, gongan_clerk):
    response = post_login(client, "gongan_clerk")
    assert response.status_code == 302 and response["Location"] == "/admin/" and signed_in(client)
    assert client.get("/admin/").status_code == 200

    page = client.get("/admin/second-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=gongan_clerk)
    assert client.post("/admin/second-factor/", {"code": totp_code(device)}).status_code == 302
    client.post("/admin/logout/")

    assert post_login(client, "gongan_clerk")["Location"] == "/admin/login/code/"
    assert not signed_in(client)


def test_county_office_resets_a_lost_device_and_the_user_enrols_again(client, gongan_reviewer, county_reviewer):
    make_totp_device(gongan_reviewer)
    client.force_login(county_reviewer)

    response = client.post("/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [gongan_reviewer.pk]})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=gongan_reviewer).exists()
    event = SecurityEvent.objects.get(kind="otp_reset")
    assert event.user == county_reviewer and event.detail["target_username"] == "gongan_reviewer"
    assert post_login(django.test.Client(), "gongan_reviewer")["Location"] == "/admin/login/enrol/"


def test_a_clerk_cannot_reset_devices(client, gongan_reviewer, jiaoyu_clerk):
    make_totp_device(gongan_reviewer)
    client.force_login(jiaoyu_clerk)

    response = client.post("/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [gongan_reviewer.pk]})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=gongan_reviewer).exists()


# ---------------------------------------------------------------- session limits


def test_idle_session_ends_after_the_idle_minutes(client, gongan_clerk):
    with time_machine.travel(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        client.force_login(gongan_clerk)
        assert client.get("/admin/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1))
        assert client.get("/admin/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))

        response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert f"您已超过 {settings.SESSION_IDLE_MINUTES} 分钟未操作" in response.content.decode()
    assert not signed_in(client)
    assert SecurityEvent.objects.get(kind="session_expired").detail == {"reason": "idle"}


def test_session_ends_after_the_absolute_limit_however_busy(client, gongan_clerk):
    with time_machine.travel(datetime.datetime(2026, 10, 12, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        client.force_login(gongan_clerk)
        for _ in range(settings.SESSION_MAX_HOURS * 3):
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get("/healthz").status_code == 200
        assert signed_in(client)
        traveller.shift(datetime.timedelta(minutes=5))

        response = client.get("/admin/", follow=True)

    assert f"登录已满 {settings.SESSION_MAX_HOURS} 小时" in response.content.decode()
    assert not signed_in(client)


# ---------------------------------------------------------------- next=, refusal pages, passwords


@pytest.mark.parametrize("target", ["https://evil.com/", "//evil.com/admin/", "http://testserver.evil.com/", "javascript:alert(1)"])
def test_next_to_another_site_is_refused_and_goes_to_the_admin_home(client, gongan_clerk, target):
    response = post_login(client, "gongan_clerk", next=target)

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_next_to_one_of_our_paths_is_followed(client, gongan_clerk):
    response = post_login(client, "gongan_clerk", next="/admin/disclosure/document/?status=submitted")

    assert response["Location"] == "/admin/disclosure/document/?status=submitted"


def test_already_signed_in_login_page_never_goes_to_accounts_profile(client, gongan_clerk):
    client.force_login(gongan_clerk)

    response = client.get(LOGIN + "?next=https://evil.com/")

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_csrf_failure_page_is_in_chinese(gongan_clerk):
    strict = django.test.Client(enforce_csrf_checks=True)

    response = strict.post(LOGIN, {"username": "gongan_clerk", "password": PASSWORD})

    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期，请刷新后重新提交" in page and "Forbidden" not in page and "CSRF verification" not in page


def test_login_page_is_in_chinese_and_a_wrong_password_is_a_clear_400(client, gongan_clerk):
    assert "登录" in client.get(LOGIN).content.decode()

    response = post_login(client, "gongan_clerk", "wrong-password")

    assert response.status_code == 400
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_password_rules_speak_chinese_and_need_the_minimum_length(gongan_clerk):
    with pytest.raises(ValidationError) as short:
        validate_password("Qh7#kz", gongan_clerk)
    assert f"密码太短，至少需要 {settings.PASSWORD_MIN_LENGTH} 个字符。" in short.value.messages
    with pytest.raises(ValidationError) as common:
        validate_password("password1234", gongan_clerk)
    assert all(not message.isascii() for message in common.value.messages)
    validate_password("青禾-qinghe-Review-2026", gongan_clerk)


def test_the_admin_is_at_the_configured_path_by_default():
    from django.urls import reverse

    assert settings.ADMIN_PATH == "admin/"
    assert reverse("admin:index") == "/admin/" and reverse("admin:login") == LOGIN


def test_a_bad_admin_path_or_short_log_retention_stops_the_start():
    from tests.portal.test_settings import run_manage

    for env in ({"ADMIN_PATH": "/admin"}, {"SECURITY_LOG_RETENTION_DAYS": "90"}):
        result = run_manage("check", DEBUG="1", **env)
        assert result.returncode != 0 and "配置错误" in result.stderr and list(env)[0] in result.stderr
