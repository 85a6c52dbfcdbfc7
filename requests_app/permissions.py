"""Who sees an application (and the applicant's personal data) and who may take each step."""

from portal.models import Staff
from portal.permissions import has_role_in, is_county_office, staff_of

from .models import Application

CLERK, REVIEWER = Staff.Role.CLERK, Staff.Role.REVIEWER


def visible_applications(user):
    """Staff of the receiving organisation and the county office; nobody else."""
    if is_county_office(user):
        return Application.objects.all()
    staff = staff_of(user)
    if staff is None:
        return Application.objects.none()
    return Application.objects.filter(organisation_id=staff.organisation_id)


def can_view(user, application):
    """Seeing an application includes seeing the applicant's personal data."""
    return is_county_office(user) or has_role_in(user, application.organisation, CLERK, REVIEWER)


def can_handle(user, application):
    """Clerks of the receiving organisation register and handle applications."""
    return has_role_in(user, application.organisation, CLERK)


def can_approve(user, application):
    """The disclosure office's head (the organisation's reviewer) approves replies and extensions."""
    return has_role_in(user, application.organisation, REVIEWER)
