"""Faults of what the site stands on — the database down or read-only, the media storage missing or
full — answered with the Chinese 503 page and Retry-After instead of a 500. Only those: an ordinary
bug (IntegrityError, a bad query, a KeyError) stays a 500 and is logged as one.

FaultMiddleware answers what a view raises; portal.views.server_error answers the same faults raised
anywhere else (a middleware, a template). Every step that writes runs in one atomic block, so a fault
in the middle of it has rolled everything back before the page is shown."""

import errno
import logging
import os
import sqlite3

from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 120
DATABASE_MESSAGE = "系统正在维护或数据库暂时无法访问，您的操作没有完成，也没有保存任何内容。请稍后再试。"
STORAGE_MESSAGE = "文件存储暂时不可用（空间已满或无法访问），文件没有保存或无法读取，您的操作没有完成。请稍后再试。"

# PostgreSQL SQLSTATE classes and codes that say the server cannot serve now, not that the query is wrong:
# 08 connection exception, 53 insufficient resources (disk full, out of memory, too many connections),
# 57P operator intervention (shutdown, cannot connect now), 25006 read-only transaction (a standby, or
# default_transaction_read_only during maintenance).
UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "53", "57P", "25006")
# SQLite reports all of these as OperationalError, together with syntax errors and missing tables
# (which are bugs): only these messages mean the file cannot be used now.
SQLITE_UNAVAILABLE = ("readonly database", "database is locked", "unable to open database", "disk i/o error",
                      "database or disk is full", "query_only", "database table is locked")
# Storage errors that are the machine's, not the code's.
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR,
                  errno.EIO, errno.EISDIR}


class StorageUnavailable(Exception):
    """The media storage could not be read or written (raised from the OSError it wraps)."""


def database_unavailable(exc):
    """Whether a database error says the database cannot serve now (down, read-only, full), rather
    than that our query is wrong."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or ""
    if sqlstate:
        return sqlstate.startswith(UNAVAILABLE_SQLSTATE_PREFIXES)
    if isinstance(cause, sqlite3.Error) or (cause is None and isinstance(exc, OperationalError)):
        return any(text in str(exc).lower() for text in SQLITE_UNAVAILABLE)
    # psycopg raises these without a SQLSTATE when there is no server to answer (refused, closed).
    return isinstance(exc, (OperationalError, InterfaceError))


def storage_unavailable(exc):
    if isinstance(exc, (StorageUnavailable, PermissionError, NotADirectoryError, FileExistsError, IsADirectoryError)):
        return True  # Django's FileSystemStorage raises FileExistsError without an errno
    return isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS


def open_stored(file):
    """A stored file opened for reading. Http404 when this one file is gone; StorageUnavailable (the
    503 page) when the storage itself is (the media folder missing, unreadable, not a folder)."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        location = getattr(file.storage, "location", None)
        if location is not None and not os.path.isdir(location):
            raise StorageUnavailable(f"media folder {location} missing") from None
        raise Http404 from None
    except OSError as exc:
        raise StorageUnavailable(str(exc)) from exc


def fault_message(exc):
    """The 503 page's message for a fault of the database or storage; None for anything else."""
    if database_unavailable(exc):
        return DATABASE_MESSAGE
    if storage_unavailable(exc):
        return STORAGE_MESSAGE
    return None


def service_unavailable(request, message=DATABASE_MESSAGE):
    """The 503 page. A standalone template rendered without context processors or the request: it must
    render with no database (no session, no user, no menus from the organisation tree)."""
    from .context_processors import site

    html = loader.get_template("503.html").render({**site(request), "message": message})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class FaultMiddleware:
    """What a view raises when the database or storage fails becomes the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        message = fault_message(exception)
        if message is None:
            return None  # a bug: Django logs it and answers the 500 page
        logger.warning("503 for %s %s: %r", request.method, request.path, exception)
        return service_unavailable(request, message)


class FaultTolerantSessionMiddleware(SessionMiddleware):
    """A session that cannot be saved because the database is unavailable costs the visitor the
    session change, not the page: a status lookup shows its result with the database read-only. The
    failure is logged; anything else still raises."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except DatabaseError as exc:
            if not database_unavailable(exc):
                raise
            logger.warning("Session not saved for %s %s: %r", request.method, request.path, exc)
            return response
