"""Organisation queries shared by the site shell and the column."""

from .models import Organisation


def disclosure_bodies():
    return Organisation.objects.filter(is_disclosure_body=True).exclude(
        kind__in=[Organisation.Kind.VILLAGE, Organisation.Kind.RESIDENTS]
    )


def grouped_disclosure_bodies():
    """Disclosure bodies grouped as the column lists them: the government, departments, townships."""
    bodies = list(disclosure_bodies().order_by("tree_id", "lft"))
    groups = [
        ("县政府", [o for o in bodies if o.kind == Organisation.Kind.COUNTY_GOVERNMENT]),
        ("县政府部门", [o for o in bodies if o.kind == Organisation.Kind.DEPARTMENT]),
        ("乡镇（街道）", [o for o in bodies if o.kind in (Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT)]),
    ]
    return [(label, orgs) for label, orgs in groups if orgs]
