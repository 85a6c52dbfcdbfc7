"""The change feed for mirrors (/api/v1/changes/): what became public, changed or stopped being public,
in order, resumable from a cursor; never the content of anything, and nothing of non-public information."""

import csv
import datetime
import importlib
import io

import pytest
import time_machine
from django.apps import apps

from catalog import workflow as catalog_workflow
from disclosure import workflow
from portal.models import PublicChange
from tests.factories import make_document

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"
TITLE, NUMBER, BODY = "关于办理出生登记的公告", "青公发〔2026〕3号", "出生登记须知"


def entries(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def summary(client, **params):
    return [(e["kind"], e["id"], e["action"]) for e in entries(client, **params)]


def document_entries(client):
    return [(e["id"], e["action"]) for e in entries(client) if e["kind"] == "document"]


def test_publishing_a_document_adds_a_published_entry_with_its_addresses(client, notice):
    [entry] = [e for e in entries(client) if e["kind"] == "document"]
    assert entry["id"] == notice.pk and entry["action"] == "published" and entry["action_display"] == "发布"
    assert entry["kind_display"] == "政府信息"
    assert entry["url"] == f"http://testserver/api/v1/documents/{notice.pk}/"
    assert entry["page_url"].startswith("http://testserver/") and str(notice.pk) in entry["page_url"]
    assert client.get(entry["url"]).status_code == 200
    assert entry["at"].endswith("+08:00")


def test_validity_change_adds_a_changed_entry(client, notice, gongan_clerk):
    workflow.change_validity(notice, by=gongan_clerk, validity="repealed")
    assert document_entries(client) == [(notice.pk, "published"), (notice.pk, "changed")]
    assert entries(client)[-1]["action_display"] == "变更"


def test_replacement_changes_the_replaced_document_and_withdrawing_the_replacement_changes_it_again(
    client, notice, gongan, gongan_clerk, publish
):
    newer = publish(make_document(gongan, gongan_clerk, title="关于办理出生登记的新公告"))
    workflow.change_validity(notice, by=gongan_clerk, validity="repealed", replaced_by=newer)
    workflow.withdraw(newer, by=gongan_clerk, note="发布有误")
    # The old notice's replaced_by (shown only while the replacement is public) went away: it changed too.
    assert document_entries(client)[-3:] == [(notice.pk, "changed"), (newer.pk, "withdrawn"), (notice.pk, "changed")]


def test_withdrawn_document_appears_as_id_kind_action_and_time_only_and_its_content_nowhere(
    client, notice, gongan_clerk
):
    workflow.withdraw(notice, by=gongan_clerk, note="发布有误")
    response = client.get(FEED)
    withdrawn = response.json()["results"][-1]
    assert withdrawn == {
        "cursor": withdrawn["cursor"], "kind": "document", "kind_display": "政府信息", "id": notice.pk,
        "action": "withdrawn", "action_display": "撤回（不再公开）", "at": withdrawn["at"], "url": None, "page_url": None,
    }
    # Nor in the earlier published entry, nor in any format.
    for fmt in ("json", "csv"):
        text = client.get(FEED, {"format": fmt}).content.decode("utf-8-sig")
        for secret in (TITLE, NUMBER, BODY, notice.index_number, "发布有误"):
            assert secret not in text, (fmt, secret)


def test_events_of_on_request_and_withheld_documents_never_appear(
    client, gongan, gongan_clerk, gongan_reviewer, publish
):
    on_request = publish(make_document(gongan, gongan_clerk, title="依申请公开的信息", attribute="on_request"))
    withheld = publish(make_document(gongan, gongan_clerk, title="不予公开的信息", attribute="withheld"))
    workflow.change_validity(on_request, by=gongan_clerk, validity="expired")
    workflow.withdraw(on_request, by=gongan_clerk, note="不再需要")
    workflow.record_assessment(withheld, by=gongan_reviewer, outcome="keep", reason="仍属过程性信息")
    draft = workflow.submit(make_document(gongan, gongan_clerk, title="草稿"), by=gongan_clerk)
    workflow.return_to_draft(draft, by=gongan_reviewer, note="请补充")
    assert entries(client) == []
    assert PublicChange.objects.count() == 0


def test_withheld_document_disclosed_at_the_yearly_assessment_is_published_then(
    client, gongan, gongan_clerk, gongan_reviewer, publish
):
    withheld = publish(make_document(gongan, gongan_clerk, title="不予公开的信息", attribute="withheld"))
    assert entries(client) == []
    with time_machine.travel(datetime.datetime(2027, 2, 2, 10, tzinfo=datetime.UTC)):
        workflow.record_assessment(withheld, by=gongan_reviewer, outcome="disclose", reason="决定已正式作出")
    [entry] = entries(client)
    assert (entry["id"], entry["action"], entry["at"][:10]) == (withheld.pk, "published", "2027-02-02")


def test_new_published_catalogue_version_supersedes_the_previous_one(
    client, catalogue, gongan_clerk, gongan_reviewer, county_reviewer
):
    [first] = entries(client)
    assert (first["kind"], first["id"], first["action"]) == ("catalogue", catalogue.pk, "published")
    assert first["kind_display"] == "标准目录"
    assert first["url"] == f"http://testserver/api/v1/catalogues/{catalogue.pk}/"
    assert first["page_url"] == f"http://testserver/xxgk/catalogue/household-registration/{catalogue.organisation_id}/"

    draft = catalog_workflow.start_revision(catalogue, by=gongan_clerk)
    catalog_workflow.submit(draft, by=gongan_clerk)
    catalog_workflow.first_review(draft, by=gongan_reviewer)
    assert len(entries(client)) == 1  # a version in review is not public
    catalog_workflow.approve(draft, by=county_reviewer)
    later = entries(client, since=first["cursor"])
    assert [(e["id"], e["action"], e["url"]) for e in later] == [
        (catalogue.pk, "superseded", None), (draft.pk, "published", f"http://testserver/api/v1/catalogues/{draft.pk}/"),
    ]
    assert later[0]["action_display"] == "被新版本替代" and later[0]["page_url"] is None


def test_since_returns_only_later_entries_in_order(client, notice, gongan, gongan_clerk, publish):
    second = publish(make_document(gongan, gongan_clerk, title="第二件"))
    workflow.withdraw(notice, by=gongan_clerk, note="发布有误")
    everything = entries(client)
    cursors = [e["cursor"] for e in everything]
    assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors)
    after_notice = next(e["cursor"] for e in everything if e["kind"] == "document")
    assert summary(client, since=after_notice) == [("document", second.pk, "published"), ("document", notice.pk, "withdrawn")]


def test_pages_follow_from_cursor_to_cursor_without_gap_or_repeat(client, notice, gongan, gongan_clerk, publish):
    for n in range(4):
        publish(make_document(gongan, gongan_clerk, title=f"第{n}件"))
    everything = [e["cursor"] for e in entries(client)]
    seen, since = [], None
    while True:
        page = client.get(FEED, {"page_size": 2, **({"since": since} if since is not None else {})}).json()
        seen += [e["cursor"] for e in page["results"]]
        since = page["cursor"]
        assert page["next"] == f"http://testserver{FEED}?page_size=2&since={since}"
        if not page["has_more"]:
            break
    assert seen == everything


def test_empty_page_keeps_the_cursor(client, notice):
    last = client.get(FEED).json()["cursor"]
    page = client.get(FEED, {"since": last}).json()
    assert page["results"] == [] and page["cursor"] == last and page["since"] == last and not page["has_more"]
    assert page["next"] == f"http://testserver{FEED}?since={last}"
    # Even past the end (a mirror of a restored database): the mirror keeps its place.
    assert client.get(FEED, {"since": last + 10}).json()["cursor"] == last + 10


def test_empty_feed_starts_at_zero(client, db):
    page = client.get(FEED).json()
    assert (page["results"], page["since"], page["cursor"], page["has_more"]) == ([], 0, 0, False)


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "2026-01-01_3", "１２", str(2**63)])
def test_bad_since_is_400_naming_the_parameter(client, notice, since):
    response = client.get(FEED, {"since": since})
    assert response.status_code == 400
    assert response.json() == {"since": ["since 应为上次返回的 cursor（非负整数）；从头读取请不带此参数"]}


def test_repeated_poll_with_its_etag_is_304_until_something_changes(client, notice, gongan_clerk):
    first = client.get(FEED, {"since": 0})
    assert client.get(FEED, {"since": 0}, headers={"If-None-Match": first["ETag"]}).status_code == 304
    workflow.change_validity(notice, by=gongan_clerk, validity="expired")
    assert client.get(FEED, {"since": 0}, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_feed_as_csv_with_chinese_headers(client, notice):
    response = client.get(FEED, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "类别", "编号", "变化", "时间", "接口地址", "页面地址"]
    assert rows[-1][1:4] == ["政府信息", str(notice.pk), "发布"]


def test_backfill_migration_rebuilds_the_feed_the_workflows_wrote(
    client, notice, catalogue, gongan, gongan_clerk, gongan_reviewer, county_reviewer, publish
):
    withheld = publish(make_document(gongan, gongan_clerk, title="不予公开的信息", attribute="withheld"))
    workflow.record_assessment(withheld, by=gongan_reviewer, outcome="keep", reason="仍属过程性信息")
    workflow.record_assessment(withheld, by=gongan_reviewer, outcome="disclose", reason="决定已正式作出")
    on_request = publish(make_document(gongan, gongan_clerk, title="依申请公开的信息", attribute="on_request"))
    workflow.withdraw(on_request, by=gongan_clerk, note="不再需要")
    workflow.change_validity(notice, by=gongan_clerk, validity="expired")
    workflow.withdraw(notice, by=gongan_clerk, note="发布有误")
    draft = catalog_workflow.start_revision(catalogue, by=gongan_clerk)
    catalog_workflow.submit(draft, by=gongan_clerk)
    catalog_workflow.first_review(draft, by=gongan_reviewer)
    catalog_workflow.approve(draft, by=county_reviewer)
    written = list(PublicChange.objects.values_list("kind", "object_id", "action", "at"))

    PublicChange.objects.all().delete()
    importlib.import_module("disclosure.migrations.0007_backfill_public_changes").backfill(apps, None)
    assert list(PublicChange.objects.values_list("kind", "object_id", "action", "at")) == written
