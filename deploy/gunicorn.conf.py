"""gunicorn's settings for iontoinfo: `make run`, `make bench`, `make test-scale`
and production use this file (`gunicorn -c deploy/gunicorn.conf.py iontoinfo.wsgi`).

Threads, not one process per request: a client that sends its request slowly
(or never finishes it) holds one thread, not a whole worker, so fifty of them
leave the site answering. Each worker holds up to `threads` database
connections at its busiest: size PostgreSQL's max_connections for
servers x workers x threads, or put a pooler such as PgBouncer in front.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "64"))
# Keep-alive connections wait in the worker's poller, not in a thread.
keepalive = 5
timeout = 30
graceful_timeout = 10
control_socket_disable = True
