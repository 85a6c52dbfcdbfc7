"""Who may see and do what with catalogues. Views, the admin and the API ask here."""

from portal.models import Staff
from portal.permissions import has_role_in, is_county_office, staff_of

from .models import Catalogue


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


def _has_role_for(user, catalogue, role):
    if catalogue.is_guideline:
        return user.is_superuser
    return has_role_in(user, catalogue.organisation, role)


def can_compile(user, organisation):
    """Clerks compile their own organisation's catalogues."""
    return has_role_in(user, organisation, Staff.Role.CLERK)


def can_edit_catalogue(user, catalogue):
    return catalogue.state == Catalogue.State.DRAFT and _has_role_for(user, catalogue, Staff.Role.CLERK)


def can_first_review(user, catalogue):
    """初审: a reviewer of the catalogue's own organisation."""
    return catalogue.state == Catalogue.State.SUBMITTED and _has_role_for(user, catalogue, Staff.Role.REVIEWER)


def can_final_review(user, catalogue):
    """复核: county office staff, for every organisation."""
    return catalogue.state == Catalogue.State.FIRST_REVIEWED and not catalogue.is_guideline and is_county_office(user)


def can_reject(user, catalogue):
    return can_first_review(user, catalogue) or can_final_review(user, catalogue)


def can_start_revision(user, catalogue):
    return catalogue.state == Catalogue.State.PUBLISHED and _has_role_for(user, catalogue, Staff.Role.CLERK)
