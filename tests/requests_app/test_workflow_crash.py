"""A fault in the middle of an application step — the disk full when its event is written, after the
application and its letter (numbered in the organisation's series) were; or the letter's file not
storable — leaves the application, its events, its letters and the letter series as they were, and
the clerk sees the 503 page, not a 500."""

import datetime

import pytest
import time_machine

from requests_app.models import Application, ApplicationEvent, Letter, LetterSeries
from portal.faults import STORAGE_MESSAGE
from tests.portal.test_faults import assert_503_page, disk_full_on_insert
from tests.portal.test_faults_storage import FullStorage

OCT_1 = datetime.datetime(2026, 10, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def snapshot(application):
    fresh = Application.objects.get(pk=application.pk)
    return (
        (fresh.state, fresh.due_date, fresh.supplement_due, fresh.clock_start),
        list(fresh.events.values_list("pk", "action", "note")),
        list(Letter.objects.values_list("pk", "number", "issued_at")),
        list(LetterSeries.objects.values_list("pk", "code", "last_serial")),
    )


def request_supplement(client, application):
    return client.post(f"/admin/requests_app/application/{application.pk}/step/request_supplement/",
                       {"note": "请写明所需信息的年份", "on": "2026-09-30"})


@time_machine.travel(OCT_1)
def test_a_crash_while_requesting_a_supplement_leaves_application_events_and_letters_unchanged(
    client, application, gongan_clerk
):
    before = snapshot(application)
    client.force_login(gongan_clerk)
    with disk_full_on_insert(ApplicationEvent):
        response = request_supplement(client, application)
    assert_503_page(response)
    assert snapshot(application) == before
    # Once the disk has room again the same step goes through.
    assert request_supplement(client, application).status_code == 302
    assert Application.objects.get(pk=application.pk).state == Application.State.SUPPLEMENT_REQUESTED


@time_machine.travel(OCT_1)
def test_a_letter_storage_that_is_full_leaves_application_events_and_letters_unchanged(
    client, application, gongan_clerk, settings
):
    before = snapshot(application)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{FullStorage.__module__}.FullStorage"}}
    client.force_login(gongan_clerk)
    response = request_supplement(client, application)
    assert_503_page(response, STORAGE_MESSAGE)
    assert snapshot(application) == before
