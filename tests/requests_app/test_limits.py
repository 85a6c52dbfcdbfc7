"""The limits on the online form and the status lookup hold: per client address (portal.net), one
application per question, failures counted, lookups limited per address and per tracking number,
counted in the database that every worker shares."""

import datetime

import time_machine
from django.core.cache import caches

from requests_app.forms import CHALLENGE_SPENT
from requests_app.models import Application, ApplicationChallenge, LimitedAttempt
from tests.factories import make_application
from tests.requests_app.test_views import answer_anew, form_data

MONDAY = datetime.datetime(2026, 9, 28, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def apply(client, data, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post("/xxgk/apply/", data, **extra)


def test_a_rotating_forwarded_for_without_a_trusted_proxy_does_not_dodge_the_limit(client, gongan, settings):
    settings.APPLICATION_RATE_LIMIT, settings.TRUSTED_PROXIES = 2, []
    statuses = [apply(client, form_data(gongan), forwarded=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert Application.objects.count() == 2


def test_behind_a_trusted_proxy_each_client_is_limited_on_its_own(client, gongan, settings):
    settings.APPLICATION_RATE_LIMIT, settings.TRUSTED_PROXIES = 1, ["127.0.0.1"]  # the test client's address
    assert apply(client, form_data(gongan), forwarded="6.6.6.6, 198.51.100.1").status_code == 302
    assert apply(client, form_data(gongan), forwarded="6.6.6.6, 198.51.100.2").status_code == 302
    # The entry left of the proxy's is the client's own word: changing it changes nothing.
    assert apply(client, form_data(gongan), forwarded="7.7.7.7, 198.51.100.1").status_code == 429


def test_the_counts_live_in_the_database_not_in_one_process_cache(client, gongan, settings):
    settings.APPLICATION_RATE_LIMIT = 1
    assert apply(client, form_data(gongan)).status_code == 302
    caches["default"].clear()  # another worker, a restart: its memory knows nothing
    assert apply(client, form_data(gongan)).status_code == 429
    assert LimitedAttempt.objects.filter(action="apply").exists()
    assert not LimitedAttempt.objects.filter(subject__contains="127.0.0.1").exists()  # the address is kept hashed


@time_machine.travel(MONDAY)
def test_one_challenge_makes_one_application(client, gongan):
    data = form_data(gongan)
    assert apply(client, data).status_code == 302
    other = {**data, "description": "2025年青禾县出生人口统计数据", "applicant_name": "李四"}
    response = apply(client, other)
    assert response.status_code == 400
    content = response.content.decode()
    assert CHALLENGE_SPENT in content and "2025年青禾县出生人口统计数据" in content  # what was typed is kept
    assert Application.objects.count() == 1


@time_machine.travel(MONDAY)
def test_the_same_form_sent_again_shows_the_same_application(client, gongan):
    data = form_data(gongan)
    first = apply(client, data)
    again = apply(client, data)  # the browser resending after a network error
    assert first.status_code == again.status_code == 302
    assert Application.objects.count() == 1
    assert LimitedAttempt.objects.filter(action="apply").count() == 1  # and it is not counted twice


def test_an_expired_challenge_is_refused_with_a_fresh_one(client, gongan, settings):
    settings.APPLICATION_CHALLENGE_MINUTES = 30
    with time_machine.travel(MONDAY, tick=False) as traveller:
        data = form_data(gongan)
        traveller.shift(datetime.timedelta(minutes=31))
        response = apply(client, data)
        assert response.status_code == 400 and not Application.objects.exists()
        content = response.content.decode()
        assert CHALLENGE_SPENT in content and "青禾县人民路18号" in content
        assert apply(client, answer_anew(data, response)).status_code == 302


def test_a_made_up_challenge_is_refused(client, gongan):
    response = apply(client, {**form_data(gongan), "challenge": "not-a-challenge"})
    assert response.status_code == 400 and CHALLENGE_SPENT in response.content.decode()
    assert not Application.objects.exists()


def test_a_wrong_answer_uses_up_the_question(client, gongan):
    data = form_data(gongan)
    assert apply(client, {**data, "answer": str(int(data["answer"]) + 1)}).status_code == 400
    assert apply(client, data).status_code == 400  # the right answer, too late: bots get one guess
    assert ApplicationChallenge.objects.get(pk=data["challenge"]).used_at is not None


def test_a_client_chosen_submission_key_is_ignored(client, gongan, gongan_clerk):
    someone_else = make_application(gongan, gongan_clerk)
    key = "0b6f4c0e-8a8f-4f52-9a64-2b1f1c7c1a11"
    Application.objects.filter(pk=someone_else.pk).update(submission_key=key)
    assert apply(client, {**form_data(gongan), "submission_key": key}).status_code == 302
    receipt = client.get("/xxgk/apply/receipt/").content.decode()
    assert someone_else.tracking_number not in receipt and someone_else.query_code not in receipt
    mine = Application.objects.exclude(pk=someone_else.pk).get()
    assert str(mine.submission_key) != key


def test_failed_submissions_count_toward_the_limit(client, gongan, settings):
    settings.APPLICATION_FAILURE_LIMIT = 3
    for _ in range(3):
        assert apply(client, form_data(gongan, phone="12345")).status_code == 400
    response = apply(client, form_data(gongan))
    assert response.status_code == 429 and "提交申请过于频繁" in response.content.decode()
    assert not Application.objects.exists()


def test_the_limits_last_an_hour(client, gongan, settings):
    settings.APPLICATION_RATE_LIMIT = 1
    with time_machine.travel(MONDAY, tick=False) as traveller:
        assert apply(client, form_data(gongan)).status_code == 302
        assert apply(client, form_data(gongan)).status_code == 429
        traveller.shift(datetime.timedelta(minutes=61))
        assert apply(client, form_data(gongan)).status_code == 302


def lookup(client, number, code, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post("/xxgk/apply/status/", {"tracking_number": number, "query_code": code}, **extra)


def test_status_lookups_are_limited_per_address(client, gongan, gongan_clerk, settings):
    settings.LOOKUP_LIMIT, settings.TRUSTED_PROXIES = 3, []
    application = make_application(gongan, gongan_clerk)
    for n in range(3):
        assert lookup(client, application.tracking_number, "WRONGCOD", forwarded=f"198.51.100.{n}").status_code == 404
    response = lookup(client, application.tracking_number, application.query_code, forwarded="198.51.100.9")
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_wrong_codes_are_limited_per_tracking_number_from_any_address(client, gongan, gongan_clerk, settings):
    settings.LOOKUP_CODE_LIMIT, settings.TRUSTED_PROXIES = 2, ["127.0.0.1"]
    application = make_application(gongan, gongan_clerk)
    other = make_application(gongan, gongan_clerk)
    with time_machine.travel(MONDAY, tick=False) as traveller:
        for n in range(2):
            assert lookup(client, application.tracking_number, "WRONGCOD", forwarded=f"198.51.100.{n}").status_code == 404
        # Then even the right code is refused for an hour, or guessing would simply go on.
        response = lookup(client, application.tracking_number, application.query_code, forwarded="198.51.100.7")
        assert response.status_code == 429 and "查询码错误次数过多" in response.content.decode()
        assert lookup(client, other.tracking_number, other.query_code, forwarded="198.51.100.8").status_code == 200
        traveller.shift(datetime.timedelta(minutes=61))
        assert lookup(client, application.tracking_number, application.query_code).status_code == 200


def test_the_right_code_does_not_count_as_a_wrong_one(client, gongan, gongan_clerk, settings):
    settings.LOOKUP_CODE_LIMIT = 1
    application = make_application(gongan, gongan_clerk)
    for _ in range(3):
        assert lookup(client, application.tracking_number, application.query_code).status_code == 200
