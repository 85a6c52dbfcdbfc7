"""The database down or read-only: public pages answer the Chinese 503 page with Retry-After, never a
500; /healthz says which; a status lookup, which only reads, still shows its result; ordinary bugs stay
500s. The faults are real: a connection pointed at a closed port or a missing file, a database made
read-only on the test connection."""

import logging
import socket
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, ProgrammingError, connection, connections, transaction
from django.test import Client

from portal.faults import DATABASE_MESSAGE, database_unavailable, fault_message
from portal.models import Organisation
from requests_app.models import Application
from tests.factories import make_application
from tests.requests_app.test_views import form_data


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the socket is closed


@contextmanager
def database_down():
    """The default connection pointed at a database that is not there: a closed port on PostgreSQL, a
    file in a folder that does not exist on SQLite. The live connection is set aside, not closed, and
    everything is put back after (the test's transaction included)."""
    wrapper = connections["default"]  # django.db.connection is a proxy: its __dict__ is not the wrapper's
    # The wrapper's lists (atomic_blocks, savepoint_ids) change in place when a view's atomic block
    # meets the dead connection: copy them, or the test's own transaction is left marked broken.
    saved = {name: list(value) if isinstance(value, list) else value for name, value in wrapper.__dict__.items()}
    settings_dict = dict(wrapper.settings_dict)
    if connection.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        settings_dict["NAME"] = "/proc/no-such-folder/portal.sqlite3"
    wrapper.connection = None
    wrapper.settings_dict = settings_dict
    try:
        yield
    finally:
        wrapper.__dict__.clear()
        wrapper.__dict__.update(saved)


@pytest.fixture
def read_only_database(transactional_db):
    """Every transaction read-only from now on, as during maintenance or on a standby. Needs autocommit
    (transaction=True): PostgreSQL cannot make a transaction that has already read read-only."""
    on, off = (
        ("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
        if connection.vendor == "postgresql"
        else ("PRAGMA query_only = ON", "PRAGMA query_only = OFF")
    )

    def make_read_only():
        with connection.cursor() as cursor:
            cursor.execute(on)

    yield make_read_only
    with connection.cursor() as cursor:
        cursor.execute(off)


def assert_503_page(response, message=DATABASE_MESSAGE):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "服务暂时不可用" in page and message in page


# ---------------------------------------------------------------- database down


@pytest.mark.parametrize("url", ["/", "/xxgk/", "/xxgk/documents/", "/xxgk/apply/"])
def test_with_the_database_down_public_pages_answer_the_503_page(client, gongan, url):
    with database_down():
        response = client.get(url)
    assert_503_page(response)


def test_with_the_database_down_a_staff_page_answers_the_503_page(gongan_clerk):
    client = Client(raise_request_exception=False)
    client.force_login(gongan_clerk)
    with database_down():
        response = client.get("/admin/")
    assert_503_page(response)


def test_with_the_database_down_healthz_answers_503(client, db):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_healthz_answers_ok_with_a_working_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


# ---------------------------------------------------------------- database read-only


@pytest.mark.django_db(transaction=True)
def test_with_the_database_read_only_healthz_says_read_only(client, read_only_database):
    read_only_database()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "read-only"}


@pytest.mark.django_db(transaction=True)
def test_with_the_database_read_only_a_status_lookup_still_shows_its_result(client, gongan, gongan_clerk,
                                                                              read_only_database, caplog):
    application = make_application(gongan, gongan_clerk)
    read_only_database()
    with caplog.at_level(logging.WARNING, logger="portal.faults"):
        response = client.post("/xxgk/apply/status/", {"tracking_number": application.tracking_number,
                                                       "query_code": application.query_code})
    assert response.status_code == 200
    assert application.tracking_number in response.content.decode()
    assert "Session not saved" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_with_the_database_read_only_public_pages_still_read(client, gongan, read_only_database):
    read_only_database()
    for url in ("/", "/xxgk/", "/xxgk/documents/", "/xxgk/apply/status/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db(transaction=True)
def test_with_the_database_read_only_an_application_answers_the_503_page_and_saves_nothing(client, gongan,
                                                                                           read_only_database):
    data = form_data(gongan)  # the form's page was shown (and its question issued) before the fault
    read_only_database()
    response = client.post("/xxgk/apply/", data)
    assert_503_page(response)
    connection.close()  # as the next request would (the read-only flag stays on this connection only)
    assert not Application.objects.exists()


# ---------------------------------------------------------------- bugs stay bugs


def test_integrity_and_programming_errors_are_not_taken_for_faults(gongan):
    with pytest.raises(IntegrityError) as duplicate, transaction.atomic():
        Organisation.objects.create(name="重复", credit_code=gongan.credit_code)
    with pytest.raises((ProgrammingError, OperationalError)) as bad_query, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM portal_organisation")
    for error in (duplicate.value, bad_query.value, KeyError("x"), ValueError("x")):
        assert not database_unavailable(error) and fault_message(error) is None


def test_a_real_read_only_error_is_taken_for_a_fault(gongan):
    postgresql = connection.vendor == "postgresql"
    try:
        with pytest.raises(Exception) as refused, transaction.atomic():
            with connection.cursor() as cursor:
                # SET LOCAL in this savepoint ends with it; on SQLite the pragma is switched off below.
                cursor.execute("SET LOCAL transaction_read_only = on" if postgresql else "PRAGMA query_only = ON")
                cursor.execute("UPDATE portal_organisation SET phone = '1'")
    finally:
        if not postgresql:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
    assert database_unavailable(refused.value), repr(refused.value)


# ---------------------------------------------------------------- a fault in the middle of a step


@contextmanager
def disk_full_on_insert(model):
    """Every insert into the model's table fails as it does when the disk is full: a PostgreSQL trigger
    raising disk_full (53100); on SQLite a trigger writing 64 MB into a database capped a few MB above
    its size (SQLITE_FULL). Removed again on leaving the block: the disk has room again."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION crash_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$"
            )
            cursor.execute(f'CREATE TRIGGER crash_disk_full AFTER INSERT ON "{table}" FOR EACH ROW EXECUTE FUNCTION crash_disk_full()')
        else:
            cursor.execute("CREATE TABLE crash_ballast (data BLOB)")
            cursor.execute(f'CREATE TRIGGER crash_disk_full AFTER INSERT ON "{table}" BEGIN '
                           "INSERT INTO crash_ballast VALUES (zeroblob(64000000)); END")
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {pages + 2000}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER crash_disk_full ON "{table}"')
                cursor.execute("DROP FUNCTION crash_disk_full()")
            else:
                cursor.execute("PRAGMA max_page_count = 1073741823")
                cursor.execute("DROP TRIGGER crash_disk_full")
                cursor.execute("DROP TABLE crash_ballast")


def test_a_database_fault_raised_outside_a_view_gets_the_503_page_and_a_bug_the_500_page(rf):
    from portal.views import server_error

    try:
        raise OperationalError("attempt to write a readonly database")
    except OperationalError:
        fault = server_error(rf.get("/"))
    try:
        raise KeyError("a bug")
    except KeyError:
        bug = server_error(rf.get("/"))
    assert_503_page(fault)
    assert bug.status_code == 500 and "系统出现了内部错误" in bug.content.decode()
