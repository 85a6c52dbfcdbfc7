"""The fixed cast every test uses: a citizen; a clerk and a reviewer of 县公安局; a clerk of
县教育局 (the outsider); a county-office reviewer; a superuser."""

import io
import time

import django.test
import pytest
from django.test import override_settings

from portal.models import Organisation, Staff
from tests.factories import make_organisation, make_staff, make_totp_device, make_user


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    # After pytest-django's ordering (tryfirst): the tests of the demo county side by side, where the
    # first of them stood, so that it is loaded once and gone before any other test runs.
    demo = [item for item in items if DEMO in getattr(item, "fixturenames", ())]
    if demo:
        start = items.index(demo[0])
        rest = [item for item in items if DEMO not in getattr(item, "fixturenames", ())]
        items[:] = rest[:start] + demo + rest[start:]

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks and real concurrency)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


DEMO = "demo_county"
FAST_HASHING = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


class DemoCounty:
    """The demo county (`manage.py load_demo`, a minute's work on each database), loaded and committed
    once for all the tests that ask for it (tests/portal/test_demo.py, and test_backup.py, whose
    pg_dump sees only committed data). Each of those tests runs in its own transaction, so what one
    changes the next does not see. When the last of them is done (pytest_runtest_teardown below) the
    database is put back as the migrations left it (what they wrote, the fee standard for one,
    serialised first and loaded again after the flush), as Django's serialized_rollback does."""

    def __init__(self, blocker, media):
        self.blocker, self.media, self.loaded = blocker, media, False
        # The tests' fast hasher (conftest's fixture is function-scoped, so it is not in force here),
        # and the demo's files in a folder of their own, for as long as the demo is loaded.
        self.settings = override_settings(**FAST_HASHING, MEDIA_ROOT=media)

    def load(self):
        from django.core.management import call_command
        from django.db import connection

        self.settings.enable()
        with self.blocker.unblock():
            self.as_migrated = connection.creation.serialize_db_to_string()
            self.loaded = True
            call_command("load_demo", stdout=io.StringIO())

    def unload(self):
        from django.core.management import call_command
        from django.db import connection

        if not self.loaded:
            return
        self.loaded = False
        try:
            with self.blocker.unblock():
                call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
                if connection.vendor == "sqlite":  # the search index's FTS5 table is no model: flush skips it
                    with connection.cursor() as cursor:
                        cursor.execute("DELETE FROM portal_search_fts")
                connection.creation.deserialize_db_from_string(self.as_migrated)
        finally:
            self.settings.disable()


_demo = None


@pytest.fixture(scope="session")
def demo_county(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo county, committed; its uploaded files are under `demo_county.media`."""
    global _demo
    _demo = DemoCounty(django_db_blocker, tmp_path_factory.mktemp("demo-media"))
    _demo.load()
    yield _demo
    _demo.unload()


def pytest_runtest_setup(item):
    # pytest_collection_modifyitems keeps these tests together; a plugin that reorders tests after it
    # would bring one back after the demo was unloaded (the session fixture is not built twice).
    if _demo is not None and not _demo.loaded and DEMO in item.fixturenames:
        pytest.fail("the demo county was unloaded before this test: tests using demo_county must run consecutively")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # The demo goes as soon as its last test is done, not at the end of the session: no other test
    # may see it.
    if _demo is not None and (nextitem is None or DEMO not in nextitem.fixturenames):
        _demo.unload()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = FAST_HASHING["PASSWORD_HASHERS"]


@pytest.fixture(autouse=True)
def empty_page_cache():
    # Rendered pages outlive a test's rolled-back database in the process's memory.
    from django.core.cache import caches

    caches["pages"].clear()


class Client(django.test.Client):
    """The test client whose force_login signs in as the login pages do: a user who must have a second
    factor gets a TOTP device and a session verified by it (as django_otp.login marks it), and the
    session's login and last-seen times are set. The requirement itself stays on for every test."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY

        from portal import accounts

        super().force_login(user, backend)
        session = self.session
        device = accounts.confirmed_device(user)
        if device is None and accounts.needs_second_factor(user):
            device = make_totp_device(user)
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[accounts.STARTED] = session[accounts.LAST_SEEN] = time.time()
        session.save()


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def county(db):
    return make_organisation("青禾县人民政府", kind=Organisation.Kind.COUNTY_GOVERNMENT, short_name="县政府")


@pytest.fixture
def county_office(county):
    return make_organisation("青禾县人民政府办公室", parent=county, short_name="县政府办公室")


@pytest.fixture
def gongan(county):
    return make_organisation("青禾县公安局", parent=county, short_name="县公安局", phone="0539-7900110")


@pytest.fixture
def jiaoyu(county):
    return make_organisation("青禾县教育局", parent=county, short_name="县教育局")


@pytest.fixture
def citizen(db):
    return make_user("citizen")


@pytest.fixture
def gongan_clerk(gongan):
    return make_staff("gongan_clerk", gongan, Staff.Role.CLERK)


@pytest.fixture
def gongan_reviewer(gongan):
    return make_staff("gongan_reviewer", gongan, Staff.Role.REVIEWER)


@pytest.fixture
def jiaoyu_clerk(jiaoyu):
    return make_staff("jiaoyu_clerk", jiaoyu, Staff.Role.CLERK)


@pytest.fixture
def county_reviewer(county_office):
    return make_staff("county_reviewer", county_office, Staff.Role.COUNTY_OFFICE, Staff.Role.REVIEWER)


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", "root@example.org", "test-pass-123")
