"""Organisation queries shared by the site shell and the column."""

from django.db.models import Q

from .models import Organisation

COMMITTEES = (Organisation.Kind.VILLAGE, Organisation.Kind.RESIDENTS)


def disclosure_bodies():
    return Organisation.objects.filter(is_disclosure_body=True).exclude(kind__in=COMMITTEES)


def public_organisations():
    """Organisations with a public page: the disclosure bodies, and every village and residents' committee
    (村务公开 and 居务公开), whose page shows its township's information when it publishes none of its own."""
    return Organisation.objects.filter(Q(is_disclosure_body=True) | Q(kind__in=COMMITTEES))


def grouped_disclosure_bodies():
    """Disclosure bodies grouped as the column lists them: the government, departments, townships."""
    bodies = list(disclosure_bodies().order_by("tree_id", "lft"))
    groups = [
        ("县政府", [o for o in bodies if o.kind == Organisation.Kind.COUNTY_GOVERNMENT]),
        ("县政府部门", [o for o in bodies if o.kind == Organisation.Kind.DEPARTMENT]),
        ("乡镇（街道）", [o for o in bodies if o.kind in (Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT)]),
    ]
    return [(label, orgs) for label, orgs in groups if orgs]
