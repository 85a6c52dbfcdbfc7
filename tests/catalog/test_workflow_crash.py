"""A fault in the middle of the county office's 复核 — the disk full when its review record is written,
after the new version was marked published and the old one superseded — leaves both versions, their
review records and the public change feed as they were: the published catalogue stays the public one,
and the reviewer sees the 503 page, not a 500."""

from catalog.models import Catalogue, ReviewStep
from portal.models import PublicChange
from tests.catalog.test_review_admin import in_review, step  # noqa: F401 (in_review is a fixture)
from tests.portal.test_faults import assert_503_page, disk_full_on_insert


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
