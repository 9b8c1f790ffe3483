"""gunicorn's settings for iontoinfo: `make run`, `make bench`, `make test-scale`
and production use this file (`gunicorn -c deploy/gunicorn.conf.py iontoinfo.wsgi`).

Threads, not one process per request: a client that sends its request slowly
(or never finishes it) holds one thread, not a whole worker, so fifty of them
leave the site answering. Each worker holds up to `threads` database
connections at its busiest: size PostgreSQL's max_connections for
servers x workers x threads, or put a pooler such as PgBouncer in front.

Python's collector: a full collection looks at every object the process
holds, and a worker holds Django, the templates and the translations, which
never die. `gc.freeze()` sets them aside, once when the worker starts and
once more when the first requests have loaded what is loaded lazily. Under
`make bench`'s load the longest pause for a collection went from about 98 ms
to about 29 ms, and the collector's time in all from 1.8 s to 1.3 s in a
26-second run (2 workers, 16 connections, measured with a gc callback).
"""

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "64"))
# Keep-alive connections wait in the worker's poller, not in a thread.
keepalive = 5
timeout = 30
graceful_timeout = 10
control_socket_disable = True

# Requests a worker serves before it sets aside what they loaded lazily
# (templates compiled, URL patterns, translations) a second time.
FREEZE_AFTER_REQUESTS = 500


def _freeze() -> None:
    gc.collect()  # nothing unreachable is set aside: it would never be freed
    gc.freeze()


def post_worker_init(worker) -> None:
    worker.requests_served = 0
    _freeze()


def post_request(worker, req, environ, resp) -> None:
    # Threads count without a lock: each checks the number it wrote, so one
    # of them sees FREEZE_AFTER_REQUESTS; should two, a second freeze does no harm.
    served = worker.requests_served + 1
    worker.requests_served = served
    if served == FREEZE_AFTER_REQUESTS:
        _freeze()
