"""Small builders for test data. Plain functions; each returns a saved object."""

import itertools

from django.contrib.auth.models import User

from portal.models import Organisation, Staff, credit_code_check_char
from portal.staff import assign_role

_serial = itertools.count(1)


def make_credit_code():
    first17 = f"11379921{9000000 + next(_serial):09d}"
    return first17 + credit_code_check_char(first17)


def make_organisation(name, *, kind=Organisation.Kind.DEPARTMENT, parent=None, **fields):
    fields.setdefault("credit_code", make_credit_code())
    return Organisation.objects.create(name=name, kind=kind, parent=parent, **fields)


def make_user(username, **fields):
    return User.objects.create_user(username=username, password="test-pass-123", **fields)


def make_staff(username, organisation, *roles):
    user = make_user(username)
    for role in roles:
        assign_role(user, organisation, Staff.Role(role))
    user.refresh_from_db()
    return user
