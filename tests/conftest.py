"""The fixed cast every test uses: a citizen; a clerk and a reviewer of 县公安局; a clerk of
县教育局 (the outsider); a county-office reviewer; a superuser."""

import time

import django.test
import pytest

from portal.models import Organisation, Staff
from tests.factories import make_organisation, make_staff, make_totp_device, make_user


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks and real concurrency)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
