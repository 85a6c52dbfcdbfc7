"""Giving users their roles. A user acts for one organisation; roles are added and taken away here."""

from django.db import transaction

from .models import Staff


class RoleError(Exception):
    """A role change that would break the one-organisation rule; the message is for people."""


@transaction.atomic
def assign_role(user, organisation, role):
    """Give `user` the `role` (a Staff.Role) in `organisation`, making them a back-office user."""
    role = Staff.Role(role)
    staff = Staff.objects.select_for_update().filter(user=user).first()
    if staff is None:
        staff = Staff(user=user, organisation=organisation)
    elif staff.organisation_id != organisation.pk:
        raise RoleError(f"{user.username} 已是{staff.organisation.name}的工作人员，不能同时在{organisation.name}任职")
    setattr(staff, f"is_{role}", True)
    staff.save()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return staff


@transaction.atomic
def revoke_role(user, role):
    """Take `role` away; a user left with no role leaves the organisation and the back office."""
    role = Staff.Role(role)
    staff = Staff.objects.select_for_update().filter(user=user).first()
    if staff is None:
        return None
    setattr(staff, f"is_{role}", False)
    if staff.roles:
        staff.save()
        return staff
    staff.delete()
    if not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    return None
