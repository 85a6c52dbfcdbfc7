"""A fault in the middle of the county office's 复核 — the disk full when its review record is written,
after the new version was marked published and the old one superseded — leaves both versions, their
review records and the public change feed as they were: the published catalogue stays the public one,
and the reviewer sees the 503 page, not a 500."""

import pytest

from catalog import workflow
from catalog.models import Catalogue, ReviewStep
from portal.models import PublicChange
from tests.catalog.test_review_admin import step
from tests.portal.test_faults import assert_503_page, disk_full_on_insert


@pytest.fixture
def in_review(published, gongan_clerk, gongan_reviewer):
    """Version 2 of 县公安局's catalogue, one deadline changed, submitted and first-reviewed."""
    revision = workflow.start_revision(published, by=gongan_clerk)
    revision.items.filter(name="出生登记").update(deadline="实时更新")
    workflow.submit(revision, by=gongan_clerk, comment="根据网上办理情况修订")
    workflow.first_review(revision, by=gongan_reviewer, comment="事项齐全，同意报送复核")
    return revision


def snapshot():
    return (
        list(Catalogue.objects.order_by("pk").values_list("pk", "version", "state", "published_at")),
        list(ReviewStep.objects.order_by("pk").values_list("pk", "catalogue_id", "action")),
        list(PublicChange.objects.order_by("pk").values_list("pk", "object_id", "action")),
    )


def test_a_crash_while_approving_leaves_both_versions_their_steps_and_the_feed_unchanged(client, in_review, published,
                                                                                        county_reviewer):
    before = snapshot()
    client.force_login(county_reviewer)
    with disk_full_on_insert(ReviewStep):
        response = step(client, in_review, "approve")
    assert_503_page(response)
    assert snapshot() == before
    assert Catalogue.objects.get(pk=published.pk).state == Catalogue.State.PUBLISHED
    assert Catalogue.objects.get(pk=in_review.pk).state == Catalogue.State.FIRST_REVIEWED
