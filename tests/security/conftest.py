"""Shared for the security tests: a cast built once per module (the permission matrix and the leak
crawl make hundreds of requests against one set of objects), clients per role, and the moment all of
it happens at (Tuesday 2026-12-01, 10:00 in 青禾县)."""

import datetime
from zoneinfo import ZoneInfo

import django.test
import pytest
import time_machine
from django.core.cache import cache, caches
from django.db import transaction
from django.test import override_settings

from portal.models import ApiToken, Organisation, Staff
from tests.conftest import Client
from tests.factories import make_organisation, make_staff

NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at_now():
    return time_machine.travel(NOW, tick=False)


@pytest.fixture(autouse=True)
def on_2026_12_01():
    with at_now():
        yield


@pytest.fixture(autouse=True)
def fresh_caches():
    # Rate limits count in the default cache and pages live in "pages": neither outlives a test.
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


def once_per_module(build):
    """A module-scoped fixture that runs `build()` inside one transaction rolled back at the end of
    the module; each test runs in its own savepoint inside it (as tests/portal/test_demo.py does), so
    what one test changes the next does not see."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker, tmp_path_factory):
        fast_hashing = override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        )
        with django_db_blocker.unblock(), fast_hashing, at_now(), transaction.atomic():
            cache.clear()
            caches["pages"].clear()
            yield build()
            transaction.set_rollback(True)

    return fixture


class Cast:
    """The organisations and people of tests/conftest.py, plus a county-office clerk, an API token
    per department, a staff account with no organisation and a superuser."""

    def __init__(self):
        from django.contrib.auth.models import User

        from portal import tokens

        self.county = make_organisation("青禾县人民政府", kind=Organisation.Kind.COUNTY_GOVERNMENT, short_name="县政府")
        self.county_office = make_organisation("青禾县人民政府办公室", parent=self.county, short_name="县政府办公室")
        self.gongan = make_organisation("青禾县公安局", parent=self.county, short_name="县公安局", phone="0539-7900110")
        self.jiaoyu = make_organisation("青禾县教育局", parent=self.county, short_name="县教育局")
        self.gongan_clerk = make_staff("gongan_clerk", self.gongan, Staff.Role.CLERK)
        self.gongan_reviewer = make_staff("gongan_reviewer", self.gongan, Staff.Role.REVIEWER)
        self.jiaoyu_clerk = make_staff("jiaoyu_clerk", self.jiaoyu, Staff.Role.CLERK)
        self.jiaoyu_reviewer = make_staff("jiaoyu_reviewer", self.jiaoyu, Staff.Role.REVIEWER)
        self.county_clerk = make_staff("county_clerk", self.county_office, Staff.Role.COUNTY_OFFICE, Staff.Role.CLERK)
        self.county_reviewer = make_staff("county_reviewer", self.county_office, Staff.Role.COUNTY_OFFICE, Staff.Role.REVIEWER)
        self.orgless_staff = User.objects.create_user("orgless", password="test-pass-123", is_staff=True)
        self.superuser = User.objects.create_superuser("root", "root@example.org", "test-pass-123")
        self.gongan_secret = tokens.issue(ApiToken(name="县公安局户政业务系统", organisation=self.gongan), by=self.county_reviewer)
        self.jiaoyu_secret = tokens.issue(ApiToken(name="县教育局业务系统", organisation=self.jiaoyu), by=self.county_reviewer)


# Each role, and the user it logs in as or the token it sends (the objects under test are 县公安局's:
# "own" is 县公安局, "other" is 县教育局).
ROLES = (
    "anonymous", "own_clerk", "other_clerk", "own_reviewer", "other_reviewer", "county_clerk", "county_reviewer",
    "own_token", "other_token", "orgless_staff",
)
ROLE_USERS = {
    "own_clerk": "gongan_clerk", "other_clerk": "jiaoyu_clerk", "own_reviewer": "gongan_reviewer",
    "other_reviewer": "jiaoyu_reviewer", "county_clerk": "county_clerk", "county_reviewer": "county_reviewer",
    "orgless_staff": "orgless_staff",
}
ROLE_TOKENS = {"own_token": "gongan_secret", "other_token": "jiaoyu_secret"}


def client_for(cast, role, users=ROLE_USERS, *, second_factor=True):
    """A client acting as `role`. Made in a module's fixture, its session outlives each test's rollback.
    It signs in as the login pages do (tests/conftest.py's Client): a user who must have a second factor
    has a TOTP device and a session verified by it. With `second_factor=False` the session is signed in
    by the password alone (django.test.Client.force_login), never verified: what the admin must refuse
    for a user who needs a second factor."""
    if role in ROLE_TOKENS:
        return Client(HTTP_AUTHORIZATION=f"Bearer {getattr(cast, ROLE_TOKENS[role])}")
    client = Client()
    if role in users:
        user = getattr(cast, users[role])
        if second_factor:
            client.force_login(user)
        else:
            django.test.Client.force_login(client, user)
    return client
