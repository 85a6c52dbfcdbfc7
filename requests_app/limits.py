"""The limits on the public form and the status lookup, counted in the database (LimitedAttempt).

Each attempt is written first and counted after, in autocommit, so requests running at the same
time see each other and no burst gets past a limit. The address is portal.net.client_address."""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import LimitedAttempt

logger = logging.getLogger(__name__)
Action, Outcome = LimitedAttempt.Action, LimitedAttempt.Outcome
APPLY_WINDOW = datetime.timedelta(hours=1)
LOOKUP_WINDOW = datetime.timedelta(minutes=10)
CODE_WINDOW = datetime.timedelta(hours=1)


def _subject(value):
    return salted_hmac("requests_app.limits", value).hexdigest()


def _record(action, value, outcome=Outcome.PENDING):
    attempt = LimitedAttempt(action=action, subject=_subject(value), outcome=outcome, at=timezone.now())
    try:
        with transaction.atomic():
            LimitedAttempt.objects.filter(at__lt=attempt.at - datetime.timedelta(days=1)).delete()
            attempt.save()
    except DatabaseError:
        # A read-only database (a failover, maintenance): the counts can still be read, and a status
        # lookup, which only reads, must still work; this attempt goes uncounted.
        logger.warning("rate-limit attempt not recorded", exc_info=True)
    return attempt


def _recent(attempt, window):
    return LimitedAttempt.objects.filter(action=attempt.action, subject=attempt.subject, at__gt=attempt.at - window)


def begin_application(address):
    """An online application from this address may go on: the attempt to finish(), or None when the
    address has sent APPLICATION_RATE_LIMIT applications (those under way included) or
    APPLICATION_FAILURE_LIMIT refused forms in the last hour."""
    attempt = _record(Action.APPLY, address)
    recent = _recent(attempt, APPLY_WINDOW)
    failed = recent.filter(outcome=Outcome.FAILED).count()
    taken = recent.exclude(outcome=Outcome.FAILED).count()  # includes this one
    if taken > settings.APPLICATION_RATE_LIMIT or failed >= settings.APPLICATION_FAILURE_LIMIT:
        finish(attempt, Outcome.FAILED)  # asking again while refused keeps the address refused
        return None
    return attempt


def finish(attempt, outcome):
    """The attempt succeeded or failed; None: it did not count (the same form sent twice)."""
    if attempt.pk is None:
        return
    if outcome is None:
        attempt.delete()
    else:
        LimitedAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome)


def lookup_allowed(address):
    """LOOKUP_LIMIT status lookups per address per ten minutes, whatever their result."""
    attempt = _record(Action.LOOKUP, address, Outcome.SUCCEEDED)
    return _recent(attempt, LOOKUP_WINDOW).count() <= settings.LOOKUP_LIMIT


def begin_code(tracking_number):
    """A query code may be tried on this number: the attempt to finish(), or None when
    LOOKUP_CODE_LIMIT wrong codes were tried on it in the last hour. The right code is refused then
    too, or guessing would go on until it stopped being refused."""
    attempt = _record(Action.CODE, tracking_number)
    if _recent(attempt, CODE_WINDOW).exclude(outcome=Outcome.SUCCEEDED).count() > settings.LOOKUP_CODE_LIMIT:
        finish(attempt, None)
        return None
    return attempt
