import threading
import time

import pytest
from django.db import connection, transaction

from portal import changes
from portal.models import PublicChange


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_change_feed_numbers_follow_commit_order_so_a_polling_mirror_never_skips_one():
    """While one step's entry is not yet committed, another step's entry waits: a mirror that read the
    later number would otherwise have passed the earlier one for ever."""
    first_recorded = threading.Event()
    seen = {}

    def slow_step():
        try:
            with transaction.atomic():
                seen["first"] = changes.record(changes.Kind.DOCUMENT, 1, changes.Action.PUBLISHED).pk
                first_recorded.set()
                time.sleep(0.5)
        finally:
            connection.close()

    def quick_step():
        try:
            first_recorded.wait(timeout=10)
            with transaction.atomic():
                seen["second"] = changes.record(changes.Kind.DOCUMENT, 2, changes.Action.PUBLISHED).pk
                # Once this step has its number, the earlier one is committed and visible to any reader.
                seen["first_visible"] = PublicChange.objects.filter(pk=seen["first"]).exists()
        finally:
            connection.close()

    threads = [threading.Thread(target=slow_step), threading.Thread(target=quick_step)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert seen["first_visible"] is True
    assert seen["second"] > seen["first"]
