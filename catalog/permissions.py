"""Who may see and do what with catalogues. Views, the admin and the API ask here."""

from portal.models import Staff
from portal.permissions import has_role_in, is_county_office, staff_of

from .models import Catalogue, ReviewStep


def public_catalogues():
    """What the public sees: the published version of each organisation's catalogue."""
    return Catalogue.objects.filter(state=Catalogue.State.PUBLISHED, is_guideline=False)


def visible_catalogues(user):
    """What a back-office user sees: guidelines, and all versions of their organisation's catalogues
    (every organisation's for the county office)."""
    qs = Catalogue.objects.all()
    if is_county_office(user):
        return qs
    staff = staff_of(user)
    if staff is None:
        return qs.filter(is_guideline=True)
    return qs.filter(is_guideline=True) | qs.filter(organisation_id=staff.organisation_id)


def can_view_catalogue(user, catalogue):
    """The object-level twin of visible_catalogues()."""
    if catalogue.is_guideline or is_county_office(user):
        return True
    staff = staff_of(user)
    return staff is not None and staff.organisation_id == catalogue.organisation_id


def _has_role_for(user, catalogue, role):
    if catalogue.is_guideline:
        return user.is_superuser
    return has_role_in(user, catalogue.organisation, role)


def can_compile(user, organisation):
    """Clerks compile their own organisation's catalogues."""
    return has_role_in(user, organisation, Staff.Role.CLERK)


def can_edit_catalogue(user, catalogue):
    """Clerks edit a draft or a version returned to them."""
    return catalogue.state in Catalogue.EDITABLE_STATES and _has_role_for(user, catalogue, Staff.Role.CLERK)


# 四眼原则: nobody reviews their own submission, and 初审 and 复核 of one version are two people.


def review_actors(catalogue):
    """(submitter id, first reviewer id) of the version's current round: the latest 提交审核 and the
    初审 after it (None when there is none yet)."""
    if catalogue.state not in (Catalogue.State.SUBMITTED, Catalogue.State.FIRST_REVIEWED):
        return None, None
    latest = list(
        catalogue.steps.filter(action__in=[ReviewStep.Action.SUBMIT, ReviewStep.Action.FIRST_REVIEW])
        .order_by("-pk")
        .values_list("action", "actor_id")[:2]
    )
    submitter = first_reviewer = None
    for action, actor_id in latest:
        if action == ReviewStep.Action.SUBMIT:
            submitter = actor_id
            break
        first_reviewer = actor_id
    return submitter, first_reviewer


def county_office_first_reviews(catalogue, submitter_id):
    """An organisation with no reviewer besides the person who submitted (one person holding both
    clerk and reviewer roles) cannot review itself: the county office does the 初审 too."""
    return not Staff.objects.filter(organisation_id=catalogue.organisation_id, is_reviewer=True).exclude(
        user_id=submitter_id
    ).exists()


def _is_first_reviewer(user, catalogue, submitter_id):
    if catalogue.is_guideline:
        return user.is_superuser
    if county_office_first_reviews(catalogue, submitter_id):
        return is_county_office(user)
    return has_role_in(user, catalogue.organisation, Staff.Role.REVIEWER)


def own_review_conflict(user, catalogue, *, actors=None):
    """Why 四眼原则 keeps `user` from reviewing this version now, or "" when it does not."""
    submitter, first_reviewer = actors or review_actors(catalogue)
    if user.pk is not None and user.pk == submitter:
        return "四眼原则：不能审核自己提交的目录，应由其他审核人员审核"
    if catalogue.state == Catalogue.State.FIRST_REVIEWED and user.pk is not None and user.pk == first_reviewer:
        return "四眼原则：初审和复核不能由同一人完成，请由县政府办公室其他人员复核"
    return ""


def can_first_review(user, catalogue, *, actors=None):
    """初审: a reviewer of the catalogue's own organisation (the county office for a one-person
    organisation), never the person who submitted it."""
    if catalogue.state != Catalogue.State.SUBMITTED or not user.is_authenticated:
        return False
    actors = actors or review_actors(catalogue)
    return not own_review_conflict(user, catalogue, actors=actors) and _is_first_reviewer(user, catalogue, actors[0])


def can_final_review(user, catalogue, *, actors=None):
    """复核: county office staff, for every organisation; not the person who submitted the version or
    did its 初审."""
    if catalogue.state != Catalogue.State.FIRST_REVIEWED or catalogue.is_guideline or not is_county_office(user):
        return False
    return not own_review_conflict(user, catalogue, actors=actors)


def can_reject(user, catalogue, *, actors=None):
    actors = actors or review_actors(catalogue)
    return can_first_review(user, catalogue, actors=actors) or can_final_review(user, catalogue, actors=actors)


def can_start_revision(user, catalogue):
    return catalogue.state == Catalogue.State.PUBLISHED and _has_role_for(user, catalogue, Staff.Role.CLERK)


def available_steps(user, catalogue):
    """The review steps `user` may take on `catalogue` now, as the admin's step names, in page order.
    The admin shows buttons for these only and refuses any other."""
    steps = []
    if can_edit_catalogue(user, catalogue):
        steps.append("submit")
    actors = review_actors(catalogue)
    if can_first_review(user, catalogue, actors=actors):
        steps.append("first-review")
    if can_final_review(user, catalogue, actors=actors):
        steps.append("approve")
    if can_reject(user, catalogue, actors=actors):
        steps.append("reject")
    if can_start_revision(user, catalogue) and not Catalogue.objects.filter(
        organisation_id=catalogue.organisation_id, domain_id=catalogue.domain_id, state__in=Catalogue.OPEN_STATES
    ).exists():
        steps.append("revise")
    return steps
