"""CPU time per request of the uncached public pages and the API, through Django's test client against
a seeded database: `time.process_time()` over many requests, which other load on the machine does not
change (wall time and requests/s do). With --profile, a cProfile of one endpoint instead.

    DEBUG=1 VAR_DIR=/tmp/bench python bench/profile_requests.py [--requests 300] [--profile NAME]
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from disclosure.selectors import public_listing  # noqa: E402


def endpoints():
    rows = list(public_listing().values_list("pk", "publish_date"))
    middle_pk, middle_day = rows[len(rows) // 2]
    newest = rows[0][0]
    # `after=` (empty) is page 1 rendered as such, past the page cache, which keeps only the listed params.
    return {
        "/healthz (the floor)": "/healthz",
        "list page 1 (uncached)": "/xxgk/documents/?after=",
        "list deep page": f"/xxgk/documents/?after={middle_day.isoformat()}_{middle_pk}",
        "document page": f"/xxgk/documents/{newest}/",
        "API list": "/api/v1/documents/",
        "API detail": f"/api/v1/documents/{newest}/",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", help="part of an endpoint's name: profile it instead of timing all")
    args = parser.parse_args()
    settings.API_ANON_RATE = "100000000/sec"
    client = Client(HTTP_HOST="localhost")
    urls = endpoints()
    if args.profile:
        name, url = next((n, u) for n, u in urls.items() if args.profile in n)
        client.get(url)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(url)
        profiler.disable()
        print(name, url)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        reset_queries()  # each request resets the log; the context counts from where it stood
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        start = time.process_time()
        for _ in range(args.requests):
            client.get(url)
        per_request = (time.process_time() - start) / args.requests * 1000
        print(f"{name:26} {per_request:6.2f} ms CPU/request  {len(queries):2} queries  {url}")


if __name__ == "__main__":
    main()
