"""Personal data at rest (issue 19): applicants' ID numbers, phones, e-mail and addresses are ciphertext in
the database, found again through keyed hashes; the query code is a password hash; every look at the
data in the back office is recorded for the county office."""

import datetime
import importlib
import io
import os
import re
import subprocess
import sys

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor

from portal.crypto import PersonalDataKeyError
from requests_app import letters
from requests_app.models import Application, LetterKind, PersonalDataAccess
from tests.factories import VALID_RESIDENT_ID, application_fields, make_application

MONDAY = datetime.datetime(2026, 9, 28, 10, 0)
PERSONAL_COLUMNS = ("id_number", "phone", "email", "address")


def raw_row(application, columns=PERSONAL_COLUMNS):
    """The columns as the database holds them, past the model fields."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM requests_app_application WHERE id = %s", [application.pk],
        )
        return dict(zip(columns, cursor.fetchone()))


def change_url(application):
    return f"/admin/requests_app/application/{application.pk}/change/"


# ---------------------------------------------------------------- encryption at rest


def test_the_database_holds_no_id_number_phone_email_or_address_in_plain(application, settings):
    raw = raw_row(application)
    joined = " ".join(raw.values())
    for plain in (VALID_RESIDENT_ID, "1101051949", "13800138000", "wang@example.com", "人民路"):
        assert plain not in joined
    # Ciphertext under the configured key, not merely something else.
    key = Fernet(settings.PERSONAL_DATA_KEYS[0])
    assert key.decrypt(raw["id_number"].encode()).decode() == VALID_RESIDENT_ID
    assert key.decrypt(raw["address"].encode()).decode() == "青禾县人民路18号"


def test_personal_data_reads_back_as_typed_and_the_masks_still_work(application):
    loaded = Application.objects.get(pk=application.pk)
    assert (loaded.id_number, loaded.phone, loaded.email, loaded.address) == (
        VALID_RESIDENT_ID, "13800138000", "wang@example.com", "青禾县人民路18号",
    )
    assert loaded.masked_id_number == "1101**********002X" and loaded.masked_phone == "138****8000"


def test_an_empty_optional_field_stays_empty(gongan, gongan_clerk):
    application = make_application(gongan, gongan_clerk, email="", delivery=Application.Delivery.PICK_UP)
    assert raw_row(application, ("email",)) == {"email": ""}
    assert Application.objects.get(pk=application.pk).email == ""


def test_the_plaintext_length_is_checked_not_the_ciphertexts(gongan):
    application = Application(**application_fields(gongan, address="地" * 201))
    with pytest.raises(ValidationError) as error:
        application.full_clean(exclude=["tracking_number", "receipt_date", "query_code_hash"])
    assert "address" in error.value.message_dict
    assert Application._meta.get_field("address").formfield().max_length == 200


# ---------------------------------------------------------------- keys


def test_rotation_moves_every_row_to_the_new_key_so_the_old_one_can_go(gongan, gongan_clerk, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [old]
    application = make_application(gongan, gongan_clerk)

    settings.PERSONAL_DATA_KEYS = [new, old]
    # Before rotation the old key still decrypts; new rows are written with the new one.
    assert Application.objects.get(pk=application.pk).id_number == VALID_RESIDENT_ID
    out = io.StringIO()
    call_command("rotate_personal_data_key", stdout=out)
    assert "已重新加密 1 条" in out.getvalue()

    settings.PERSONAL_DATA_KEYS = [new]
    loaded = Application.objects.get(pk=application.pk)
    assert (loaded.id_number, loaded.phone, loaded.address) == (VALID_RESIDENT_ID, "13800138000", "青禾县人民路18号")
    assert Fernet(new).decrypt(raw_row(application)["phone"].encode()) == b"13800138000"


def test_rotation_also_recomputes_the_hashes_under_a_new_hash_key(application, settings):
    settings.PERSONAL_DATA_HASH_KEY = "a-new-hash-key"
    assert not Application.of_same_applicant(id_number=VALID_RESIDENT_ID).exists()
    call_command("rotate_personal_data_key", stdout=io.StringIO())
    assert list(Application.of_same_applicant(id_number=VALID_RESIDENT_ID)) == [application]


def test_data_under_a_key_no_longer_configured_is_a_clear_configuration_error(application, settings):
    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(PersonalDataKeyError, match="PERSONAL_DATA_KEYS 中没有加密该数据时所用的密钥"):
        Application.objects.get(pk=application.pk)


@pytest.mark.parametrize(("keys", "message"), [
    ([], "PERSONAL_DATA_KEYS 未设置"),
    (["not-a-fernet-key"], "PERSONAL_DATA_KEYS 中第1个密钥格式不正确"),
])
def test_a_missing_or_malformed_key_is_a_clear_configuration_error(gongan, settings, keys, message):
    settings.PERSONAL_DATA_KEYS = keys
    with pytest.raises(ImproperlyConfigured, match=message):
        Application(**application_fields(gongan)).save()


def test_without_debug_the_site_does_not_start_without_the_keys(tmp_path):
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("PERSONAL_DATA_")
    } | {"DEBUG": "0", "SECRET_KEY": "x" * 50, "VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; django.setup()"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "配置错误：PERSONAL_DATA_KEYS 未设置" in done.stderr
    assert not (tmp_path / "personal_data_key").exists()


# ---------------------------------------------------------------- the same applicant


def test_two_applications_by_the_same_person_are_found_through_the_hash(gongan, gongan_clerk, jiaoyu, jiaoyu_clerk):
    first = make_application(gongan, gongan_clerk, phone="0539-7912345")
    # The same person typing the number with a lower-case x and spaces, and the phone without its dash.
    second = make_application(gongan, gongan_clerk, id_number="110105 19491231002x", phone="05397912345")
    make_application(gongan, gongan_clerk, id_number="110105194912310037", phone="13900000000")  # someone else

    assert set(Application.of_same_applicant(id_number=VALID_RESIDENT_ID)) == {first, second}
    assert set(Application.of_same_applicant(phone="0539 7912345")) == {first, second}
    assert first.id_number_hash == second.id_number_hash and VALID_RESIDENT_ID not in first.id_number_hash


def test_the_admin_search_by_id_number_finds_the_applicants_applications_in_the_own_organisation_only(
    client, gongan, gongan_clerk, jiaoyu, jiaoyu_clerk,
):
    first = make_application(gongan, gongan_clerk)
    second = make_application(gongan, gongan_clerk, phone="13900000001")
    other_person = make_application(gongan, gongan_clerk, id_number="110105194912310037")
    elsewhere = make_application(jiaoyu, jiaoyu_clerk)
    client.force_login(gongan_clerk)
    page = client.get("/admin/requests_app/application/", {"q": VALID_RESIDENT_ID.lower()}).content.decode()
    assert first.tracking_number in page and second.tracking_number in page
    assert other_person.tracking_number not in page and elsewhere.tracking_number not in page
    by_phone = client.get("/admin/requests_app/application/", {"q": "139 0000 0001"}).content.decode()
    assert second.tracking_number in by_phone and first.tracking_number not in by_phone


def test_the_monthly_fee_count_finds_the_applicant_through_the_hash(gongan, gongan_clerk):
    from requests_app import fees

    make_application(gongan, gongan_clerk)
    later = make_application(gongan, gongan_clerk, id_number=VALID_RESIDENT_ID.lower())
    assert fees.nth_in_month(later) == 2


# ---------------------------------------------------------------- the query code


def test_the_query_code_is_stored_as_a_password_hash_and_the_lookup_checks_it(client, gongan):
    application = make_application(gongan, None, channel=Application.Channel.ONLINE)
    code = application.query_code
    stored = raw_row(application, ("query_code_hash",))["query_code_hash"]
    assert code not in stored and stored.startswith("md5$")  # the tests' hasher; PBKDF2 in production
    assert Application.objects.get(pk=application.pk).query_code is None

    found = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": code.lower()})
    assert found.status_code == 200 and "收到申请" in found.content.decode()
    wrong = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number, "query_code": "ZZZZZZZZ"})
    assert wrong.status_code == 404 and "收到申请" not in wrong.content.decode()


@time_machine.travel(MONDAY)
def test_the_receipt_page_shows_the_query_code_once(client, gongan):
    from tests.requests_app.test_views import form_data

    assert client.post("/xxgk/apply/", form_data(gongan)).status_code == 302
    code = re.search(r"查询码：(\w{8})", mail.outbox[0].body).group(1)
    assert code in client.get("/xxgk/apply/receipt/").content.decode()
    again = client.get("/xxgk/apply/receipt/").content.decode()
    assert code not in again and "查询码只在提交后首次打开本页时显示" in again
    assert Application.objects.get().tracking_number in again


def test_staff_never_see_the_query_code_on_the_application_page_or_in_the_kept_letter(client, gongan, gongan_clerk, county_reviewer):
    application = make_application(gongan, gongan_clerk)
    for user in (gongan_clerk, county_reviewer):
        client.force_login(user)
        assert application.query_code not in client.get(change_url(application)).content.decode()
    letter = application.letters.get(kind=LetterKind.ACKNOWLEDGEMENT)
    assert application.query_code not in letter.text
    with letter.file.open("rb") as file:
        assert application.query_code not in letters.text_of(file.read())


def test_a_clerk_entering_a_paper_application_downloads_the_receipt_with_the_code_once(client, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post("/admin/requests_app/application/add/", {
        **{k: v for k, v in application_fields(gongan, channel="in_person", arrived_on="2026-09-28").items()},
        "organisation": gongan.pk, "kind": "disclosure", "organisation_category": "", "credit_code": "",
        "legal_representative": "", "document_number_sought": "",
    })
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(application)
    page = client.get(change_url(application)).content.decode()
    copy_url = f"/admin/requests_app/application/{application.pk}/acknowledgement-copy/"
    assert copy_url in page
    copy = client.get(copy_url)
    assert copy.status_code == 200
    text = letters.text_of(b"".join(copy.streaming_content))
    code = re.search(r"查询码：(\w{8})", text).group(1)
    assert application.check_query_code(code)
    assert client.get(copy_url).status_code == 404
    assert copy_url not in client.get(change_url(application)).content.decode()


def test_the_county_office_resets_a_lost_query_code_and_only_the_new_one_works(client, gongan, county_reviewer, gongan_clerk):
    application = make_application(gongan, None, channel=Application.Channel.ONLINE)
    old = application.query_code
    url = f"/admin/requests_app/application/{application.pk}/reset-query-code/"
    client.force_login(gongan_clerk)
    assert client.post(url).status_code == 403
    client.force_login(county_reviewer)
    page = client.post(url).content.decode()
    new = re.search(r"查询码：(\w{8})", page).group(1)
    application.refresh_from_db()
    assert application.check_query_code(new) and not application.check_query_code(old)
    assert PersonalDataAccess.objects.filter(application=application, what="query_code_reset", user=county_reviewer).exists()


# ---------------------------------------------------------------- the access log


def test_a_view_by_the_handling_clerk_is_logged_and_the_county_office_sees_it(client, application, gongan_clerk, county_reviewer):
    client.force_login(gongan_clerk)
    assert client.get(change_url(application)).status_code == 200
    letter = application.letters.get()
    client.get(f"/admin/requests_app/application/{application.pk}/letter/{letter.pk}/")
    logged = list(PersonalDataAccess.objects.filter(user=gongan_clerk).values_list("application", "what"))
    assert logged == [(application.pk, "letter"), (application.pk, "viewed")]
    # The clerk's own page has no 查看记录; the log itself is not theirs to read.
    assert "个人信息查看记录" not in client.get(change_url(application)).content.decode()
    assert client.get("/admin/requests_app/personaldataaccess/").status_code == 403

    client.force_login(county_reviewer)
    listing = client.get("/admin/requests_app/personaldataaccess/", {"application__id__exact": application.pk})
    assert listing.status_code == 200
    assert "gongan_clerk" in listing.content.decode() or "县公安局" in listing.content.decode()
    assert application.tracking_number in listing.content.decode()
    page = client.get(change_url(application)).content.decode()
    assert "个人信息查看记录" in page and "下载文书" in page


def test_a_clerk_of_another_organisation_sees_neither_the_application_nor_its_log(client, application, jiaoyu_clerk):
    client.force_login(jiaoyu_clerk)
    assert client.get(change_url(application)).status_code in (302, 404)
    assert client.get("/admin/requests_app/personaldataaccess/").status_code == 403
    assert not PersonalDataAccess.objects.filter(user=jiaoyu_clerk).exists()


def test_nobody_changes_or_deletes_the_access_log(client, application, gongan_clerk, superuser):
    client.force_login(gongan_clerk)
    client.get(change_url(application))
    access = PersonalDataAccess.objects.get()
    with pytest.raises(PermissionDenied):
        access.save()
    with pytest.raises(PermissionDenied):
        access.delete()
    client.force_login(superuser)
    assert client.get(f"/admin/requests_app/personaldataaccess/{access.pk}/delete/").status_code == 403
    assert client.post(f"/admin/requests_app/personaldataaccess/{access.pk}/change/", {"detail": "x"}).status_code == 403
    assert client.get("/admin/requests_app/personaldataaccess/add/").status_code == 403


# ---------------------------------------------------------------- the migration


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_hashes_their_query_codes(gongan, settings):
    before, after = [("requests_app", "0015_letter_kinds")], [("requests_app", "0019_personal_data_access")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        Old = old_apps.get_model("requests_app", "Application")
        old = Old.objects.create(
            tracking_number="YSQ-2025-00001", query_code="ABCDEFGH", organisation_id=gongan.pk, kind="disclosure",
            applicant_kind="person", applicant_name="王小明", id_type="resident_id", id_number=VALID_RESIDENT_ID,
            phone="13800138000", email="wang@example.com", address="青禾县人民路18号", description="2025年户籍人口统计",
            form_wanted="paper", delivery="pick_up", channel="in_person", arrived_on=datetime.date(2025, 9, 1),
            receipt_date=datetime.date(2025, 9, 1), state="registered",
        )
        MigrationExecutor(connection).migrate(after)
    finally:
        MigrationExecutor(connection).migrate(after)

    raw = raw_row(old, (*PERSONAL_COLUMNS, "query_code_hash"))
    assert VALID_RESIDENT_ID not in raw["id_number"] and "ABCDEFGH" not in raw["query_code_hash"]
    migrated = Application.objects.get(pk=old.pk)
    assert (migrated.id_number, migrated.phone, migrated.email, migrated.address) == (
        VALID_RESIDENT_ID, "13800138000", "wang@example.com", "青禾县人民路18号",
    )
    assert migrated.check_query_code("ABCDEFGH") and not migrated.check_query_code("ABCDEFGJ")
    assert list(Application.of_same_applicant(id_number=VALID_RESIDENT_ID)) == [migrated]


@pytest.mark.django_db(transaction=True)
def test_the_encryption_migration_goes_back_to_plain_columns_the_query_code_hash_does_not(gongan):
    """0017 is reversible: backwards decrypts every row. 0018 is not once there are applications: no
    code comes back from a hash."""
    step = importlib.import_module("requests_app.migrations.0017_personal_data_encrypted")
    application = make_application(gongan, None, channel=Application.Channel.ONLINE)
    latest = [("requests_app", "0019_personal_data_access")]
    try:
        with pytest.raises(IrreversibleError, match="查询码只保存了散列"):
            MigrationExecutor(connection).migrate([("requests_app", "0017_personal_data_encrypted")])
        # 0017's backward step on the row, through a model that reads and writes the columns as they are.
        plain_apps = MigrationExecutor(connection).loader.project_state([("requests_app", "0015_letter_kinds")]).apps
        step.decrypt_rows(plain_apps, None)
        assert raw_row(application)["id_number"] == VALID_RESIDENT_ID
        step._rewrite(plain_apps, step.encrypt)
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert Application.objects.get(pk=application.pk).id_number == VALID_RESIDENT_ID
    assert VALID_RESIDENT_ID not in raw_row(application)["id_number"]
