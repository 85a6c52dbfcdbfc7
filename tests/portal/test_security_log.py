"""The security event log: what is recorded, who reads it, its export, and how long it is kept."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command

from portal import security_log, tokens
from portal.models import ApiToken, SecurityEvent

PASSWORD = "test-pass-123"


def kinds(**filters):
    return list(SecurityEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))


def test_login_failure_and_logout_are_recorded_with_who_when_and_where(client, gongan_clerk):
    moment = datetime.datetime(2026, 10, 12, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        client.post("/admin/login/", {"username": "gongan_clerk", "password": "nope"}, REMOTE_ADDR="10.9.0.1")
        client.post("/admin/login/", {"username": "nobody", "password": "nope"}, REMOTE_ADDR="10.9.0.1")
        client.post("/admin/login/", {"username": "gongan_clerk", "password": PASSWORD}, REMOTE_ADDR="10.9.0.2")
        client.post("/admin/logout/", REMOTE_ADDR="10.9.0.2")

    failed, unknown, login, logout = SecurityEvent.objects.order_by("pk")
    assert (failed.kind, failed.user, failed.username, failed.address) == ("login_failed", gongan_clerk, "gongan_clerk", "10.9.0.1")
    assert (unknown.kind, unknown.user, unknown.username) == ("login_failed", None, "nobody")
    assert (login.kind, login.user, login.address, login.at) == ("login", gongan_clerk, "10.9.0.2", moment)
    assert (logout.kind, logout.user) == ("logout", gongan_clerk)
    assert "nope" not in str(list(SecurityEvent.objects.values_list("detail", flat=True)))


def test_a_role_change_in_the_admin_is_recorded_with_before_and_after(client, superuser, gongan_clerk, gongan):
    client.force_login(superuser)
    staff = gongan_clerk.staff
    response = client.post(f"/admin/auth/user/{gongan_clerk.pk}/change/", {
        "username": "gongan_clerk", "first_name": "", "last_name": "", "email": "",
        "is_active": "on", "is_staff": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "staff-TOTAL_FORMS": "1", "staff-INITIAL_FORMS": "1", "staff-MIN_NUM_FORMS": "0", "staff-MAX_NUM_FORMS": "1",
        "staff-0-id": staff.pk, "staff-0-user": gongan_clerk.pk, "staff-0-organisation": gongan.pk,
        "staff-0-is_clerk": "on", "staff-0-is_reviewer": "on",
    })
    assert response.status_code == 302, response.content.decode()[:3000]

    event = SecurityEvent.objects.get(kind="role_changed")
    assert event.user == superuser and event.detail["target_username"] == "gongan_clerk"
    assert event.detail["changes"] == {"roles": {"before": ["clerk"], "after": ["clerk", "reviewer"]}}


def test_saving_a_user_without_changing_their_rights_records_nothing(client, superuser, gongan_clerk, gongan):
    client.force_login(superuser)
    staff = gongan_clerk.staff
    client.post(f"/admin/auth/user/{gongan_clerk.pk}/change/", {
        "username": "gongan_clerk", "first_name": "", "last_name": "张", "email": "",
        "is_active": "on", "is_staff": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "staff-TOTAL_FORMS": "1", "staff-INITIAL_FORMS": "1", "staff-MIN_NUM_FORMS": "0", "staff-MAX_NUM_FORMS": "1",
        "staff-0-id": staff.pk, "staff-0-user": gongan_clerk.pk, "staff-0-organisation": gongan.pk,
        "staff-0-is_clerk": "on",
    })

    assert not SecurityEvent.objects.filter(kind="role_changed").exists()


def test_token_creation_and_revocation_are_recorded(county_reviewer, gongan):
    token = ApiToken(name="县公安局户政业务系统", organisation=gongan)
    tokens.issue(token, by=county_reviewer)
    tokens.revoke(token, by=county_reviewer)

    created, revoked = SecurityEvent.objects.order_by("pk")
    assert (created.kind, created.user, created.detail["token"]) == ("token_created", county_reviewer, token.prefix)
    assert created.detail["organisation"] == "青禾县公安局"
    assert (revoked.kind, revoked.user, revoked.detail["token"]) == ("token_revoked", county_reviewer, token.prefix)


def test_only_the_county_office_reads_the_log(client, county_reviewer, gongan_reviewer, jiaoyu_clerk):
    security_log.record("login_failed", username="=HYPERLINK(\"http://x\")")
    for user in (gongan_reviewer, jiaoyu_clerk):
        client.force_login(user)
        assert client.get("/admin/portal/securityevent/").status_code == 403
    client.force_login(county_reviewer)

    page = client.get("/admin/portal/securityevent/?kind__exact=login_failed")

    assert page.status_code == 200 and "登录失败" in page.content.decode()


@pytest.mark.parametrize("who", ["county_reviewer", "superuser"])
def test_nobody_adds_changes_or_deletes_an_event_not_even_a_superuser(db, client, who, request):
    event = security_log.record("login_failed", username="someone")
    client.force_login(request.getfixturevalue(who))

    assert client.get("/admin/portal/securityevent/add/").status_code == 403
    assert client.get(f"/admin/portal/securityevent/{event.pk}/delete/").status_code == 403
    changed = client.post(f"/admin/portal/securityevent/{event.pk}/change/", {"username": "other", "kind": "login"})
    assert changed.status_code == 403
    deleted = client.post("/admin/portal/securityevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert deleted.status_code in (200, 302)
    event.refresh_from_db()
    assert (event.kind, event.username) == ("login_failed", "someone")


def test_the_log_exports_as_csv_and_xlsx_and_each_export_is_an_event(client, county_reviewer):
    typed = security_log.record("login_failed", username="=cmd|' /C calc'!A0", address_note="x")
    client.force_login(county_reviewer)

    csv_response = client.post("/admin/portal/securityevent/", {"action": "export_csv", "_selected_action": [typed.pk]})
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "时间,事件,用户名,用户编号,地址,详情"
    assert "登录失败" in text and "'=cmd" in text

    xlsx_response = client.post("/admin/portal/securityevent/", {"action": "export_xlsx", "_selected_action": [typed.pk]})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [cell.value for cell in sheet[1]] == ["时间", "事件", "用户名", "用户编号", "地址", "详情"]
    assert sheet.cell(row=2, column=3).data_type == "s" and sheet.cell(row=2, column=3).value.startswith("=cmd")

    exports = SecurityEvent.objects.filter(kind="export").order_by("pk")
    assert [(e.user, e.detail["format"], e.detail["rows"]) for e in exports] == [
        (county_reviewer, "csv", 1), (county_reviewer, "xlsx", 1),
    ]


def test_prune_deletes_only_events_past_the_retention_period(db):
    now = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    for days in (400, 191, 189, 10):
        with time_machine.travel(now - datetime.timedelta(days=days), tick=False):
            security_log.record("login_failed", username=f"{days}d")

    with time_machine.travel(now, tick=False):
        call_command("prune_security_log", "--dry-run", stdout=io.StringIO())
        assert SecurityEvent.objects.count() == 4
        call_command("prune_security_log", stdout=io.StringIO())

    assert sorted(SecurityEvent.objects.values_list("username", flat=True)) == ["10d", "189d"]


def test_prune_refuses_a_period_shorter_than_six_months(db):
    security_log.record("login_failed", username="old")

    with pytest.raises(CommandError, match="至少保存六个月"):
        call_command("prune_security_log", "--days", "182", stdout=io.StringIO())

    assert SecurityEvent.objects.count() == 1


def test_nothing_is_pruned_on_its_own(client, gongan_clerk):
    with time_machine.travel(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC), tick=False):
        security_log.record("login_failed", username="long-ago")

    client.post("/admin/login/", {"username": "gongan_clerk", "password": PASSWORD})

    assert kinds(username="long-ago") == ["login_failed"]
