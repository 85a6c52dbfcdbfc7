"""The site shell: home, search, health, the error pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from .cache import public_page
from .context_processors import site
from .selectors import grouped_disclosure_bodies


@public_page
def home(request):
    return render(request, "portal/home.html", {"organisation_groups": grouped_disclosure_bodies()})


def search(request):
    """Site search over public documents. 二次搜索: earlier terms ride along in `within`, so a new
    term searches within the previous results."""
    # The one place portal reads another app (design.md §2): the search page.
    from disclosure.filters import DocumentFilter
    from disclosure.selectors import keyset_page, public_listing

    query = request.GET.get("q", "").strip()[:100]
    within = [term for term in request.GET.getlist("within") if term.strip()][:5]
    terms = within + ([query] if query else [])
    page = None
    if terms:
        documents = DocumentFilter({"q": " ".join(terms)}, queryset=public_listing()).qs
        page = keyset_page(documents, request.GET.get("after", ""))
    params = request.GET.copy()
    params.pop("after", None)
    return render(request, "portal/search.html", {
        "query": query, "within": within, "terms": terms, "page": page, "query_string": params.urlencode(),
    })


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
