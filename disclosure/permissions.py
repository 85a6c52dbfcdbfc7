"""What the public sees of government information, and who may do what with it."""

from portal.models import Staff
from portal.permissions import has_role_in, is_county_office, staff_of

from .models import PUBLIC, Document

CLERK, REVIEWER = Staff.Role.CLERK, Staff.Role.REVIEWER


def public_documents():
    """The only documents any public page, feed, sitemap, search or API may show: 主动公开 and published."""
    return Document.objects.filter(PUBLIC)


def visible_documents(user):
    """Back office: the county office sees every organisation's documents, staff their own."""
    if is_county_office(user):
        return Document.objects.all()
    staff = staff_of(user)
    if staff is None:
        return Document.objects.none()
    return Document.objects.filter(organisation_id=staff.organisation_id)


def can_compile(user, organisation):
    return has_role_in(user, organisation, CLERK)


def can_edit(user, document):
    return document.status == Document.Status.DRAFT and has_role_in(user, document.organisation, CLERK)


def can_publish(user, document):
    """The organisation's reviewer approves what its clerks submit."""
    return document.status == Document.Status.SUBMITTED and has_role_in(user, document.organisation, REVIEWER)


def can_withdraw(user, document):
    return document.status == Document.Status.PUBLISHED and has_role_in(user, document.organisation, CLERK, REVIEWER)


def can_change_validity(user, document):
    return can_withdraw(user, document)


def can_assess(user, document):
    """不予公开 information is re-assessed every year by the organisation's reviewer."""
    return (
        document.status == Document.Status.PUBLISHED
        and document.attribute == Document.Attribute.WITHHELD
        and has_role_in(user, document.organisation, REVIEWER)
    )
