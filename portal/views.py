"""The site shell: home, search, health, the error pages."""

import os
import sys
from pathlib import Path
from urllib.parse import urlencode

from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from . import search as index
from .cache import public_page
from .context_processors import site
from .faults import fault_message, service_unavailable
from .selectors import grouped_disclosure_bodies


@public_page
def home(request):
    return render(request, "portal/home.html", {"organisation_groups": grouped_disclosure_bodies()})


# A search is the same for every visitor until something public changes: announcement days bring the
# same few words from thousands of people (低保, 入学), answered from the page cache like any page.
SEARCH_PARAMS = ("q", "within", "kind", "organisation", "topic", "year", "from", "to", "validity", "sort", "page")


@public_page(params=SEARCH_PARAMS)
def search(request):
    """Site search (portal.search). The terms of 二次搜索 are all in `q` (the box keeps the whole
    search; the narrowing box adds one more `q`); each is shown as a chip that links to the search
    without it. Two queries on a warm cache, whatever the data."""
    params = request.GET
    query = index.parse([*params.getlist("within"), *params.getlist("q")])
    filters, filter_messages = index.read_filters(params)
    sort = params.get("sort") if params.get("sort") in index.SORTS else "relevance"
    page_number = index.read_int(params.get("page")) or 1
    results = index.run(query, filters, sort=sort, page=page_number) if query.tokens else None

    base = params.copy()
    for name in ("q", "within", "page"):
        base.pop(name, None)

    def link(**changes):
        link_params = base.copy()
        for name, value in changes.items():
            link_params.pop(name, None)
            if value not in ("", None):
                link_params[name] = value
        return "?" + link_params.urlencode()

    options = index.filter_options()
    chips = [
        {"term": term, "without": link(q=" ".join(t for t in query.terms if t != term))} for term in query.terms
    ]
    pager = None
    if results and results.pages > 1:
        pager = {
            "previous": link(q=query.text, page=results.page - 1) if results.page > 1 else "",
            "next": link(q=query.text, page=results.page + 1) if results.page < results.pages else "",
        }
    return render(request, "portal/search.html", {
        "query": query.text, "parsed": query, "notices": query.messages + filter_messages,
        "results": results, "filters": filters, "sort": sort, "chips": chips, "pager": pager,
        "select": {
            "kind": index.options_html("kind", index.Kind.choices, filters.kind),
            "organisation": index.options_html("organisation", options["organisations"], filters.organisation_id),
            "topic": index.options_html("topic", options["topics"], filters.topic_code),
            "validity": index.options_html("validity", _validities(), filters.validity),
            "sort": index.options_html("sort", [(key, f"按{label}") for key, label in index.SORTS.items()], sort, blank=""),
        },
        "params": params, "sort_links": [(key, label, link(q=query.text, sort=key)) for key, label in index.SORTS.items()],
        "cap": index.CANDIDATES,
        "without_filters": "?" + urlencode({"q": query.text}),
        "page_too_far": results is not None and page_number > max(results.pages, 1),
    })


def _validities():
    from disclosure.models import Document

    return Document.Validity.choices


@never_cache
def healthz(request):
    """200 only when the database answers and takes writes: a read-only database (a standby, or
    default_transaction_read_only during maintenance) cannot take applications, so the load balancer
    must know."""
    try:
        database = "read-only" if _database_read_only() else "ok"
    except DatabaseError:
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)


def _database_read_only():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW transaction_read_only")
            return cursor.fetchone()[0] == "on"
        cursor.execute("PRAGMA query_only")
        if cursor.fetchone()[0]:
            return True
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        # Root passes os.access on any file: the file's own write bits say what its owner meant.
        path = Path(name)
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK) or not path.stat().st_mode & 0o222
    return False


def server_error(request):
    """The 500 page; or the 503 page when what went wrong is the database or the file storage, raised
    outside a view (portal.faults.FaultMiddleware answers those raised inside one)."""
    message = fault_message(sys.exc_info()[1])
    if message is not None:
        return service_unavailable(request, message)
    # Standalone template with no context processors: it must render even when the database is down.
    return HttpResponseServerError(loader.get_template("500.html").render(site(request)))
