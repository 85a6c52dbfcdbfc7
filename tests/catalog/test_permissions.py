"""Every role × every catalogue action × own / other organisation."""

import pytest

from catalog import permissions, workflow
from catalog.models import Catalogue

ROLES = ["citizen", "gongan_clerk", "gongan_reviewer", "jiaoyu_clerk", "county_reviewer", "superuser"]

# state of 县公安局's catalogue -> action -> roles allowed
EXPECTED = {
    "draft": {
        "can_edit_catalogue": {"gongan_clerk", "superuser"},
        "can_first_review": set(),
        "can_final_review": set(),
        "can_reject": set(),
        "can_start_revision": set(),
    },
    "returned": {
        "can_edit_catalogue": {"gongan_clerk", "superuser"},
        "can_first_review": set(),
        "can_final_review": set(),
        "can_reject": set(),
        "can_start_revision": set(),
    },
    "submitted": {
        "can_edit_catalogue": set(),
        "can_first_review": {"gongan_reviewer", "superuser"},
        "can_final_review": set(),
        "can_reject": {"gongan_reviewer", "superuser"},
        "can_start_revision": set(),
    },
    "first_reviewed": {
        "can_edit_catalogue": set(),
        "can_first_review": set(),
        "can_final_review": {"county_reviewer", "superuser"},
        "can_reject": {"county_reviewer", "superuser"},
        "can_start_revision": set(),
    },
    "published": {
        "can_edit_catalogue": set(),
        "can_first_review": set(),
        "can_final_review": set(),
        "can_reject": set(),
        "can_start_revision": {"gongan_clerk", "superuser"},
    },
}


def catalogue_in(state, guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    """县公安局's catalogue taken to `state` by its clerk, its reviewer and the county office."""
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    if state != "draft":
        workflow.submit(catalogue, by=gongan_clerk)
    if state == "returned":
        workflow.reject(catalogue, by=gongan_reviewer, comment="请补充监督电话")
    if state in ("first_reviewed", "published"):
        workflow.first_review(catalogue, by=gongan_reviewer)
    if state == "published":
        workflow.approve(catalogue, by=county_reviewer)
    catalogue.refresh_from_db()
    assert catalogue.state == state
    return catalogue


@pytest.mark.parametrize("state", list(EXPECTED))
def test_permission_matrix(request, state, guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    catalogue = catalogue_in(state, guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer)
    users = {role: request.getfixturevalue(role) for role in ROLES}
    for action, allowed in EXPECTED[state].items():
        predicate = getattr(permissions, action)
        actual = {role for role, user in users.items() if predicate(user, catalogue)}
        assert actual == allowed, (state, action)


# state -> role -> the buttons the catalogue page shows (permissions.available_steps)
STEPS_EXPECTED = {
    "draft": {"gongan_clerk": ["submit"], "superuser": ["submit"]},
    "returned": {"gongan_clerk": ["submit"], "superuser": ["submit"]},
    "submitted": {"gongan_reviewer": ["first-review", "reject"], "superuser": ["first-review", "reject"]},
    # gongan_reviewer did the 初审, so only another county-office person (or a superuser) does the 复核.
    "first_reviewed": {"county_reviewer": ["approve", "reject"], "superuser": ["approve", "reject"]},
    "published": {"gongan_clerk": ["revise"], "superuser": ["revise"]},
}


@pytest.mark.parametrize("state", list(STEPS_EXPECTED))
def test_available_steps_matrix(request, state, guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    catalogue = catalogue_in(state, guideline, domain, gongan, gongan_clerk, gongan_reviewer, county_reviewer)
    for role in ROLES:
        user = request.getfixturevalue(role)
        assert permissions.available_steps(user, catalogue) == STEPS_EXPECTED[state].get(role, []), (state, role)


def test_a_published_catalogue_with_a_revision_open_offers_no_second_revision(published, gongan_clerk):
    workflow.start_revision(published, by=gongan_clerk)
    assert permissions.can_start_revision(gongan_clerk, published)
    assert permissions.available_steps(gongan_clerk, published) == []


def test_only_own_staff_and_the_county_office_may_view(request, published):
    viewers = {role for role in ROLES if permissions.can_view_catalogue(request.getfixturevalue(role), published)}
    assert viewers == {"gongan_clerk", "gongan_reviewer", "county_reviewer", "superuser"}
    for role in ROLES:
        user = request.getfixturevalue(role)
        assert (published in permissions.visible_catalogues(user)) is (role in viewers), role


def test_guidelines_are_read_only_to_everyone_but_superusers(request, guideline):
    for role in ROLES:
        user = request.getfixturevalue(role)
        assert permissions.can_edit_catalogue(user, guideline) is (role == "superuser" and guideline.state == "draft")
        assert not permissions.can_final_review(user, guideline)


def test_back_office_sees_own_and_guidelines_county_office_sees_all(request, published, guideline, jiaoyu_clerk, county_reviewer, citizen):
    assert set(permissions.visible_catalogues(jiaoyu_clerk)) == {guideline}
    assert set(permissions.visible_catalogues(county_reviewer)) == {guideline, published}
    assert set(permissions.visible_catalogues(citizen)) == {guideline}
    assert set(permissions.public_catalogues()) == {published}
    assert Catalogue.objects.count() == 2
