"""The 26 pilot domains and their national guideline catalogues, loaded from fixtures/."""

import json

from django.conf import settings
from django.db import transaction

from .models import Audience, Catalogue, CatalogueItem, Channel, Domain, Method

FIXTURES = settings.BASE_DIR / "fixtures"
AUDIENCES = {label: value for value, label in Audience.choices}
METHODS = {label: value for value, label in Method.choices}
CHANNELS = {label: value for value, label in Channel.choices}


def item_from_row(row, *, catalogue, parent):
    """A CatalogueItem from a fixture row that uses the guideline tables' Chinese words."""
    levels = row.get("levels", [])
    return CatalogueItem(
        catalogue=catalogue,
        parent=parent,
        name=row["name"],
        content=row.get("content", ""),
        basis=row.get("basis", ""),
        deadline=row.get("deadline", ""),
        owner=row.get("owner", ""),
        channels=[CHANNELS[label] for label in row.get("channels", [])],
        audience=AUDIENCES.get(row.get("audience", ""), ""),
        method=METHODS.get(row.get("method", ""), ""),
        level_county="县级" in levels,
        level_township="乡级" in levels,
    )


@transaction.atomic
def load_domains():
    created = 0
    for row in json.loads((FIXTURES / "domains.json").read_text(encoding="utf-8")):
        _, was_created = Domain.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "order": row["order"], "is_pilot": True}
        )
        created += was_created
    return created


@transaction.atomic
def load_guideline(domain):
    """Create `domain`'s guideline catalogue from its fixture unless it already exists."""
    if Catalogue.objects.filter(domain=domain, is_guideline=True).exists():
        return None
    path = FIXTURES / "guidelines" / f"{domain.slug}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    catalogue = Catalogue.objects.create(domain=domain, is_guideline=True, state=Catalogue.State.PUBLISHED)
    for top in data["items"]:
        parent = item_from_row(top, catalogue=catalogue, parent=None)
        parent.save()
        for child in top.get("children", []):
            item_from_row(child, catalogue=catalogue, parent=parent).save()
    return catalogue


def load_guidelines():
    """Domains and guidelines; idempotent. Returns (new domains, new guideline catalogues)."""
    new_domains = load_domains()
    new_guidelines = sum(load_guideline(domain) is not None for domain in Domain.objects.filter(is_pilot=True))
    return new_domains, new_guidelines
