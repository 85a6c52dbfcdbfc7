"""Who may act for which organisation. Other apps build their rules on these."""

from .models import Organisation, Staff


def staff_of(user):
    """The user's Staff record, or None for citizens, anonymous users and plain superusers."""
    if not user.is_authenticated:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def has_role(user, role):
    staff = staff_of(user)
    return staff is not None and staff.has_role(role)


def is_county_office(user):
    return user.is_superuser or has_role(user, Staff.Role.COUNTY_OFFICE)


def acts_for(user, organisation):
    """True when the user belongs to `organisation` (superusers act for all)."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return staff is not None and staff.organisation_id == organisation.pk


def has_role_in(user, organisation, *roles):
    """True when the user holds one of `roles` in `organisation` (superusers hold every role everywhere)."""
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return (
        staff is not None
        and organisation is not None
        and staff.organisation_id == organisation.pk
        and any(staff.has_role(role) for role in roles)
    )


def clerk_organisations(user):
    """The disclosure bodies this user writes for as a clerk: their own, or every one for a superuser."""
    qs = Organisation.objects.filter(is_disclosure_body=True)
    if user.is_superuser:
        return qs
    staff = staff_of(user)
    if staff is None or not staff.is_clerk:
        return qs.none()
    return qs.filter(pk=staff.organisation_id)


def can_manage_api_tokens(user):
    """The push API's tokens are the county office's to issue and revoke; clerks and reviewers never
    see them."""
    return user.is_authenticated and is_county_office(user)
