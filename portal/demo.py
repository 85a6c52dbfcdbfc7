"""Loading the demo county (青禾县) from fixtures/demo_county.json. Idempotent."""

import json

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from .models import Organisation, Staff
from .staff import assign_role

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo_county.json"
ORGANISATION_FIELDS = ("short_name", "kind", "credit_code", "address", "postcode", "phone", "office_hours", "is_disclosure_body")


def _load_organisation(data, parent, sequence, counts):
    defaults = {field: data.get(field, "") for field in ORGANISATION_FIELDS}
    defaults["sequence"] = sequence
    organisation, created = Organisation.objects.get_or_create(name=data["name"], parent=parent, defaults=defaults)
    if created:
        counts["organisations"] += 1
    for position, child in enumerate(data.get("children", []), start=1):
        _load_organisation(child, organisation, position, counts)


def _load_user(data, counts):
    user, created = User.objects.get_or_create(username=data["username"])
    if not created:
        return
    counts["users"] += 1
    user.last_name = data["name"]
    user.set_password(data["password"])
    if data.get("superuser"):
        user.is_superuser = user.is_staff = True
    user.save()
    if data.get("organisation"):
        organisation = Organisation.objects.get(name=data["organisation"])
        for role in data["roles"]:
            assign_role(user, organisation, Staff.Role(role))


@transaction.atomic
def load_demo(path=DEMO_FILE):
    """Create what is missing of the demo county; never changes what is already there."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"organisations": 0, "users": 0}
    with Organisation.objects.delay_mptt_updates():
        for position, root in enumerate(data["organisations"], start=1):
            _load_organisation(root, None, position, counts)
    for user in data["users"]:
        _load_user(user, counts)
    return f"新增机构 {counts['organisations']} 个，新增用户 {counts['users']} 个"
