"""四眼原则: nobody reviews their own submission, and 初审 and 复核 of one version are two people."""

import pytest

from catalog import permissions, workflow
from catalog.models import Catalogue, ReviewStep
from catalog.workflow import WorkflowError
from portal.models import Organisation, Staff
from tests.factories import make_organisation, make_staff


def step(client, catalogue, action, comment="意见"):
    return client.post(f"/admin/catalog/catalogue/{catalogue.pk}/step/{action}/", {"comment": comment})


def state_and_steps(catalogue):
    return Catalogue.objects.get(pk=catalogue.pk).state, ReviewStep.objects.filter(catalogue=catalogue).count()


@pytest.fixture
def gongan_both(gongan):
    """A 县公安局 staff member who is clerk and reviewer; 县公安局 has another reviewer too."""
    return make_staff("gongan_both", gongan, Staff.Role.CLERK, Staff.Role.REVIEWER)


@pytest.fixture
def submitted_by_both(guideline, domain, gongan, gongan_both, gongan_reviewer):
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_both, guideline_items=guideline.items.all())
    return workflow.submit(catalogue, by=gongan_both)


def test_the_submitter_can_neither_first_review_nor_reject_their_own_submission(
    client, submitted_by_both, gongan_both, gongan_reviewer
):
    before = state_and_steps(submitted_by_both)
    assert not permissions.can_first_review(gongan_both, submitted_by_both)
    assert not permissions.can_reject(gongan_both, submitted_by_both)
    with pytest.raises(WorkflowError, match="不能审核自己提交的目录"):
        workflow.first_review(submitted_by_both, by=gongan_both)
    with pytest.raises(WorkflowError, match="不能审核自己提交的目录"):
        workflow.reject(submitted_by_both, by=gongan_both, comment="自己退回")

    client.force_login(gongan_both)
    page = client.get(f"/admin/catalog/catalogue/{submitted_by_both.pk}/change/").content.decode()
    assert "初审通过" not in page and "/step/reject/" not in page
    assert step(client, submitted_by_both, "first-review").status_code == 403
    assert step(client, submitted_by_both, "reject").status_code == 403
    assert state_and_steps(submitted_by_both) == before

    # The organisation's other reviewer does it.
    workflow.first_review(submitted_by_both, by=gongan_reviewer)
    assert Catalogue.objects.get(pk=submitted_by_both.pk).state == Catalogue.State.FIRST_REVIEWED


def test_the_same_person_cannot_do_both_first_review_and_final_review(
    guideline, domain, gongan, gongan_clerk, county, county_office, county_reviewer
):
    # A county-office member who is also 县公安局's only reviewer cannot exist (one organisation per
    # person), so the case arises when the county office does the 初审 for a one-person organisation.
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")
    alone = make_staff("lhz_clerk", town, Staff.Role.CLERK, Staff.Role.REVIEWER)
    catalogue = workflow.start_catalogue(town, domain, by=alone, guideline_items=guideline.items.all())
    workflow.submit(catalogue, by=alone)
    workflow.first_review(catalogue, by=county_reviewer, comment="县政府办公室代为初审")
    assert not permissions.can_final_review(county_reviewer, catalogue)
    with pytest.raises(WorkflowError, match="初审和复核不能由同一人"):
        workflow.approve(catalogue, by=county_reviewer)
    with pytest.raises(WorkflowError):
        workflow.reject(catalogue, by=county_reviewer, comment="再看看")
    assert Catalogue.objects.get(pk=catalogue.pk).state == Catalogue.State.FIRST_REVIEWED

    second = make_staff("county_second", county_office, Staff.Role.COUNTY_OFFICE)
    workflow.approve(catalogue, by=second)
    assert Catalogue.objects.get(pk=catalogue.pk).state == Catalogue.State.PUBLISHED


def test_a_one_person_organisation_has_the_county_office_do_the_first_review(
    client, guideline, domain, county, county_reviewer
):
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")
    alone = make_staff("lhz_clerk", town, Staff.Role.CLERK, Staff.Role.REVIEWER)
    catalogue = workflow.start_catalogue(town, domain, by=alone, guideline_items=guideline.items.all())
    workflow.submit(catalogue, by=alone)

    client.force_login(alone)
    assert step(client, catalogue, "first-review").status_code == 403
    assert Catalogue.objects.get(pk=catalogue.pk).state == Catalogue.State.SUBMITTED

    client.force_login(county_reviewer)
    page = client.get(f"/admin/catalog/catalogue/{catalogue.pk}/change/").content.decode()
    assert "初审通过" in page
    assert step(client, catalogue, "first-review", "县政府办公室代为初审").status_code == 302
    catalogue.refresh_from_db()
    assert catalogue.state == Catalogue.State.FIRST_REVIEWED
    assert catalogue.steps.last().actor == county_reviewer


def test_the_county_office_does_not_first_review_where_the_organisation_has_its_own_reviewer(
    submitted_by_both, county_reviewer
):
    assert not permissions.can_first_review(county_reviewer, submitted_by_both)
    with pytest.raises(WorkflowError):
        workflow.first_review(submitted_by_both, by=county_reviewer)


def test_the_submitter_is_the_latest_one(guideline, domain, gongan, gongan_clerk, gongan_both, gongan_reviewer):
    """After a return, whoever submits again is the one who may not review."""
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    workflow.submit(catalogue, by=gongan_both)
    workflow.reject(catalogue, by=gongan_reviewer, comment="请补充")
    assert not permissions.can_edit_catalogue(gongan_reviewer, catalogue)
    workflow.submit(catalogue, by=gongan_clerk)
    catalogue.refresh_from_db()
    assert permissions.can_first_review(gongan_both, catalogue)
    assert not permissions.can_first_review(gongan_clerk, catalogue)
