"""gunicorn's settings for the portal, read by gunicorn from the folder it is started in (the
repository root: `.venv/bin/gunicorn portal.wsgi ...` as in the README, and bench/run). Command-line
options still override these."""

import gc

# Load the application once in the master and fork the workers from it, so jieba's dictionary (about
# 1.5 s of CPU, several seconds on a busy machine) is loaded before any worker takes a request and the
# workers share its memory rather than each reading its own copy. A code change then needs a restart,
# not a HUP (which reloads only the workers).
preload_app = True


def on_starting(server):
    # After preload_app has loaded Django, before the first fork. No database connection is opened
    # here: each worker opens its own.
    from portal import search

    search.warm_up()
    # What is loaded now stays shared after the fork: keep the collector from touching (and so
    # copying) those pages in every worker.
    gc.freeze()
