"""The site shell: home, the 政府信息公开 column landing, organisation pages, search, health."""

from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.cache import never_cache

from .context_processors import site
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


def home(request):
    return render(request, "portal/home.html", {"organisation_groups": grouped_disclosure_bodies()})


def column(request):
    return render(request, "portal/column.html", {"organisation_groups": grouped_disclosure_bodies()})


def organisation_detail(request, pk):
    organisation = get_object_or_404(disclosure_bodies().select_related("parent"), pk=pk)
    units = organisation.get_children().filter(kind__in=[Organisation.Kind.VILLAGE, Organisation.Kind.RESIDENTS])
    return render(request, "portal/organisation_detail.html", {"organisation": organisation, "units": units})


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "portal/search.html", {"query": query})


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)


def server_error(request):
    # Standalone template with no context processors: it must render even when the database is down.
    return HttpResponseServerError(loader.get_template("500.html").render(site(request)))
