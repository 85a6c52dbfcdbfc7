"""Rendered public pages in Django's cache (the "pages" alias), and the public generation that makes
them all stale at once. Every step that changes what the public sees bumps the generation when its
transaction commits (portal.changes.record, and invalidate() for the other things pages show);
pages are stored under the generation read before they were rendered, so a page rendered from data
older than a commit can never be found under the generation that commit made."""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

GENERATION_KEY = "public-generation"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage

logger = logging.getLogger(__name__)


def _pages():
    return caches["pages"]


def generation():
    pages = _pages()
    value = pages.get(GENERATION_KEY)
    if value is None:
        # A new or emptied cache starts from the clock, never from a number an older page was stored under.
        pages.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = pages.get(GENERATION_KEY)
    return value


def bump():
    """Every page stored so far is stale from now on."""
    pages = _pages()
    try:
        pages.incr(GENERATION_KEY)
    except ValueError:  # not there (never read, evicted, cleared): any new value is a new generation
        pages.set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate(*args, **kwargs):
    """Every cached page is stale: at once, so that this process's next page shows the change (and so
    do tests, whose transactions never commit), and again when the transaction commits, so that a page
    rendered meanwhile from the data before the commit, by anyone, is never served. Takes a signal's
    arguments: it is the post_save/post_delete receiver of the models public pages show."""
    bump()
    transaction.on_commit(bump, robust=True)


# Fragments made once per public generation in this process (rendered selects, blank filter forms).
_fragments = {"generation": None, "values": {}}
MAX_FRAGMENTS = 1000  # keys come from code, not from visitors; a bound on memory all the same


def rendered_once(key, make):
    """make()'s value, made once per public generation in this process and kept until the generation
    changes. For fragments that show only what bumps the generation when it changes (organisations,
    topics, domains, settings), never anything from the request."""
    current = generation()
    if _fragments["generation"] != current:
        _fragments.update(generation=current, values={})
    values = _fragments["values"]
    if key not in values:
        if len(values) >= MAX_FRAGMENTS:
            return make()
        values[key] = make()
    return values[key]


def _key(request, generation):
    # Feeds and sitemaps write absolute addresses: the host and scheme are part of the page.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def _is_anonymous_read(request, params):
    """A GET or HEAD by someone with no session (so no staff user, no messages) and only `params`
    in its query string."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and all(name in params for name in request.GET)
    )


def _is_storable(request, response):
    """The same for everyone: nothing was read from the session, no CSRF token or cookie was handed out."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.added_new:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return False
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", ""))}
    return not vary & {"cookie", "*"}


def public_page(view=None, *, params=()):
    """Serve an anonymous visitor's page from the cache, at no query; render and store it otherwise.
    Requests with query parameters other than `params` (a list's filters, say) are always rendered."""

    def decorator(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            if not _is_anonymous_read(request, params):
                return view(request, *args, **kwargs)
            pages = _pages()
            try:
                key = _key(request, generation())  # before anything is read from the database
                stored = pages.get(key)
            except Exception:  # the cache is down: the page still works, uncached
                logger.exception("page cache unavailable")
                return view(request, *args, **kwargs)
            if stored is not None:
                status, content, headers = stored
                return HttpResponse(content, status=status, headers=headers)
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()  # a TemplateResponse (the sitemaps); idempotent
            if _is_storable(request, response):
                try:
                    pages.set(key, (response.status_code, response.content, dict(response.items())),
                              settings.PAGE_CACHE_SECONDS)
                except Exception:
                    logger.exception("page cache unavailable")
            return response

        return cached_view

    return decorator(view) if view is not None else decorator
