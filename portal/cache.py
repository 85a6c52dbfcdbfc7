"""Rendered public pages in Django's cache (the "pages" alias), served by PublicPageCacheMiddleware,
and the public generation that makes them all stale at once. Every step that changes what the
public sees bumps the generation when its transaction commits (portal.changes.record, and
invalidate() for the other things pages show);
pages are stored under the generation read before they were rendered, so a page rendered from data
older than a commit can never be found under the generation that commit made."""

import hashlib
import html
import logging
import random
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.safestring import mark_safe

GENERATION_KEY = "public-generation"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage

logger = logging.getLogger(__name__)


class PageFileCache(FileBasedCache):
    """Django's file cache, for the pages of a host without Redis, culled at most once every CULL_EVERY
    stores (per thread) rather than on every one: its cull lists the whole folder, which every newly
    visited document page, of a million, would otherwise pay. A cull takes the folder back under
    MAX_ENTRIES by a CULL_FREQUENCY-th of it, so it never holds more than MAX_ENTRIES + CULL_EVERY
    pages per thread storing them."""

    CULL_EVERY = 100
    _stores = 0

    def _cull(self):
        self._stores += 1
        if self._stores % self.CULL_EVERY != 1:
            return
        if self._cull_frequency == 0:
            return self.clear()
        pages = self._list_cache_files()
        excess = len(pages) - self._max_entries
        if excess > 0:
            for page in random.sample(pages, min(len(pages), excess + self._max_entries // self._cull_frequency)):
                self._delete(page)


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


def rendered_once(key, make, stale=None):
    """make()'s value, made once per public generation in this process and kept until the generation
    changes. For fragments that show only what bumps the generation when it changes (organisations,
    topics, domains, settings), never anything from the request. `stale(value)` says a value made
    earlier in this generation no longer answers (it lacks a row committed since this request read
    the generation): it is made again."""
    current = generation()
    if _fragments["generation"] != current:
        _fragments.update(generation=current, values={})
    values = _fragments["values"]
    if key not in values or (stale is not None and stale(values[key])):
        if len(values) >= MAX_FRAGMENTS:
            return make()
        values[key] = make()
    return values[key]


# What a stored page holds, (status, content, headers, rate_limited), is in its key: a release that
# changes it never reads what an older one stored.
STORED_FORMAT = 2

# Paths whose answers depend on the Accept header (the API's JSON, CSV and XLSX): their key holds it.
# Pages elsewhere are kept once whatever a browser accepts.
NEGOTIATED_PATHS = ("/api/",)


def _is_negotiated(request):
    return request.path.startswith(NEGOTIATED_PATHS)


def mark_selected(options, value):
    """`options`, <option>s rendered once, with the first whose value is `value` marked as Django's
    Select marks it (a bare `selected`): what each request adds to a select made by rendered_once."""
    option = f'<option value="{html.escape(str(value))}">'
    return mark_safe(options.replace(option, option[:-1] + " selected>", 1))


def _key(request, generation):
    # Feeds and sitemaps write absolute addresses: the host and scheme are part of the page.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    if _is_negotiated(request):
        address += "\n" + request.META.get("HTTP_ACCEPT", "")
    return f"page:{STORED_FORMAT}:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def is_anonymous_read(request):
    """A GET or HEAD by someone with no session (so no staff user, no messages) and no token."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _is_storable(request, response):
    """A public page, the same for every anonymous visitor: nothing was kept in the session, no CSRF
    token or cookie was handed out."""
    if not getattr(response, "is_public_page", False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # Read, it was empty (the visitor sent no session cookie): the API's authentication reads it.
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.added_new:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
        return False
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", ""))}
    if "accept" in vary and not _is_negotiated(request):
        return False
    # Vary: Cookie comes of reading that empty session; the page is only ever served to visitors with
    # no session or messages cookie, the only cookies an answer can depend on.
    return "*" not in vary


class PublicPageCacheMiddleware:
    """Serve an anonymous visitor's public page from the cache, at no query and before the rest of the
    middleware (sessions, CSRF, the second factor, CSP...), which cost a cached page as much as finding
    it did; store the pages the views mark (public_page) as they leave that middleware, so a stored
    page carries every header it added. Only SecurityMiddleware and WhiteNoise come first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self.get_response(request)
        pages = _pages()
        try:
            key = _key(request, generation())  # before anything is read from the database
            stored = pages.get(key)
        except DisallowedHost:  # the inner middleware answers it (400)
            return self.get_response(request)
        except Exception:  # the cache is down: the page still works, uncached
            logger.exception("page cache unavailable")
            return self.get_response(request)
        if stored is not None:
            status, content, headers, rate_limited = stored
            if rate_limited:
                from portal.api import anonymous_rate_allows  # the API's own throttle (portal.api imports this module)

                if not anonymous_rate_allows(request):
                    return self.get_response(request)  # the view refuses it, with its own 429
            response = HttpResponse(content, status=status, headers=headers)
            # What ConditionalGetMiddleware does for the feeds and the API: a 304 for a client that holds it.
            etag, modified = response.get("ETag"), parse_http_date_safe(response.get("Last-Modified", ""))
            if etag or modified:
                return get_conditional_response(request, etag=etag, last_modified=modified, response=response)
            return response
        response = self.get_response(request)
        if _is_storable(request, response):
            stored = (response.status_code, response.content, dict(response.items()), response.is_rate_limited)
            try:
                pages.set(key, stored, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.exception("page cache unavailable")
        return response


def public_page(view=None, *, params=(), rate_limited=False):
    """Mark an anonymous visitor's page for PublicPageCacheMiddleware to store. Requests with query
    parameters other than `params` (a list's filters, say) are never stored. A `rate_limited` answer
    (the API's) is served from the cache only within the API's anonymous rate limit."""

    def decorator(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if all(name in params for name in request.GET):
                if callable(getattr(response, "render", None)):
                    response.render()  # a TemplateResponse (the sitemaps); idempotent
                response.is_public_page, response.is_rate_limited = True, rate_limited
            return response

        return cached_view

    return decorator(view) if view is not None else decorator
