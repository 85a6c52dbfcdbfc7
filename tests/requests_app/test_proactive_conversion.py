"""条例第四十四条: information many people ask for is turned into proactive publishing, one step from
the queue's 多人申请 flag, as the clerk who handles the applications."""

import datetime

import pytest
import time_machine

from disclosure.models import Document
from requests_app import permissions
from tests.factories import make_application, make_topic

TZ = datetime.timezone(datetime.timedelta(hours=8))
OCT_12 = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=TZ)
ASKED = "2025年青禾县城乡居民最低生活保障对象名单"


def step_url(application):
    return f"/admin/requests_app/application/{application.pk}/step/open_proactive_draft/"


@pytest.fixture
def three_alike(gongan, gongan_clerk):
    return [make_application(gongan, gongan_clerk, description=f"{ASKED}{tail}") for tail in ("", "。", " ")]


@time_machine.travel(OCT_12)
def test_three_applications_for_one_thing_open_one_proactive_draft_linked_to_all_on_2026_10_12(
    client, three_alike, gongan, gongan_clerk, jiaoyu_clerk
):
    topic = make_topic()
    first = three_alike[0]
    client.force_login(gongan_clerk)
    page = client.get(f"/admin/requests_app/application/{first.pk}/change/").content.decode()
    assert step_url(first) in page
    response = client.post(step_url(first), {"document_title": "2025年城乡居民最低生活保障对象名单", "topic": topic.pk})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.status == Document.Status.DRAFT and document.attribute == Document.Attribute.PROACTIVE
    assert document.organisation == gongan and document.created_by == gongan_clerk
    assert all(number in document.body for number in (a.tracking_number for a in three_alike))
    for application in three_alike:
        application.refresh_from_db()
        assert application.proactive_document == document
        assert application.events.filter(action="proactive_draft_opened", actor=gongan_clerk).count() == 1
        assert "open_proactive_draft" not in permissions.available_steps(gongan_clerk, application)  # once
    client.force_login(jiaoyu_clerk)
    assert client.post(step_url(first), {"document_title": "x", "topic": topic.pk}).status_code == 404


@time_machine.travel(OCT_12)
def test_two_applications_are_not_enough_and_nothing_is_created_on_2026_10_12(client, gongan, gongan_clerk):
    pair = [make_application(gongan, gongan_clerk, description=ASKED) for _ in range(2)]
    assert "open_proactive_draft" not in permissions.available_steps(gongan_clerk, pair[0])
    client.force_login(gongan_clerk)
    response = client.post(step_url(pair[0]), {"document_title": "名单", "topic": make_topic().pk})
    assert response.status_code == 400 and "不足3件" in response.content.decode()
    assert not Document.objects.exists()
    assert not pair[0].events.filter(action="proactive_draft_opened").exists()
