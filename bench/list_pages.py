"""Time the public list and document pages against whatever DATABASE_URL points at; print figures.

    DEBUG=1 .venv/bin/python bench/list_pages.py          (after load_demo and seed_bench)

Each URL is fetched through Django's test client (no network, no server), 15 times; the first run is
discarded; the median and worst of the rest are printed with the query count of one request.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from disclosure.models import Document  # noqa: E402
from disclosure.permissions import public_documents  # noqa: E402
from disclosure.selectors import public_listing  # noqa: E402
from portal.models import Organisation  # noqa: E402


def cursor_at(position):
    row = public_listing().values_list("publish_date", "pk")[position : position + 1].first()
    return f"{row[0].isoformat()}_{row[1]}" if row else ""


def main():
    client = Client(HTTP_HOST="localhost")
    total = Document.objects.count()
    public = public_documents().count()
    organisation = Organisation.objects.filter(documents__isnull=False).first()
    document = public_listing().first()
    deep = cursor_at(public // 2)
    urls = [
        "/xxgk/",
        "/xxgk/documents/",
        "/xxgk/documents/?after=" + cursor_at(20),
        f"/xxgk/documents/?after={deep}",
        f"/xxgk/documents/?organisation={organisation.pk}",
        "/xxgk/documents/?topic=01",
        "/xxgk/normative/?validity=valid",
        f"/xxgk/documents/{document.pk}/",
        f"/xxgk/org/{organisation.pk}/",
        "/xxgk/feed/",
        "/search/?q=通知",
    ]
    print(f"database: {connection.vendor}; documents: {total}; public: {public}")
    print(f"{'url':60} {'median ms':>10} {'worst ms':>9} {'queries':>8}")
    for url in urls:
        timings = []
        for run in range(15):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if run:
                timings.append(elapsed)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{url[:60]:60} {statistics.median(timings):10.1f} {max(timings):9.1f} {len(queries):8}")


if __name__ == "__main__":
    main()
