"""Writing the change feed for mirrors (portal.models.PublicChange). The disclosure and catalogue
workflows call record() from the step that changes what the public sees, inside that step's
transaction, so an entry exists exactly when its change was committed."""

from django.db import connection
from django.utils import timezone

from . import cache
from .models import PublicChange

Kind, Action = PublicChange.Kind, PublicChange.Action

CHANGE_FEED_LOCK = 7_420_002


def record(kind, object_id, action, *, at=None):
    """Append one entry. A mirror resumes after the last number it saw, so numbers must be handed out
    in commit order: on PostgreSQL two transactions could otherwise take 10 and 11 and commit 11 first,
    and a mirror polling in between would skip 10 for ever. The lock is held to commit, so the next
    writer takes its number only after this one is visible. SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_FEED_LOCK])
    # What the public sees changed: every cached public page is stale once this commits.
    cache.invalidate()
    return PublicChange.objects.create(kind=kind, object_id=object_id, action=action, at=at or timezone.now())
