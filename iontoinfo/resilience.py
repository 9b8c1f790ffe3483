"""What keeps the site answering when Redis or the database fails.

- `TolerantRedisCache`: Redis as Django's cache, where an unreachable Redis
  is a cache miss (reads) or a no-op (writes), never an error. After a
  failure Redis is left alone for a few seconds, so that a Redis that hangs
  costs one timeout every few seconds, not one on every request.
- `DatabaseDeadlineMiddleware`: a request's database work has a deadline.
  A database that hangs (a stopped process, a network that drops packets)
  does not refuse or time out by itself: past the deadline the connection's
  socket is shut down, so the query fails at once and the page answers 503.
- `DatabaseUnavailableMiddleware`: a database error in a view becomes the
  styled 503 page ("try again in a minute"), never a 500.
- `ConcurrencyLimitMiddleware`: a process has many threads, so that slow
  clients each hold one while they send; but only a few run Django's work
  at once, so that they do not queue on the database's locks and Python's.
  The others wait their turn, first come, first served (`Turns`).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

Handler = Callable[[HttpRequest], HttpResponse]

# --- Redis ------------------------------------------------------------------

# Seconds to leave Redis alone after it failed.
REDIS_RETRY_AFTER = 5.0


class TolerantRedisCache(RedisCache):
    """Django's Redis cache; Redis down is a miss, not an error."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._down_until = 0.0

    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def ping(self) -> bool:
        """Whether Redis answers now (for /readyz): asks it even while it is
        being left alone."""
        try:
            answered = bool(self._cache.get_client(None, write=True).ping())
        except (RedisError, OSError):
            self._failed("ping")
            return False
        self._down_until = 0.0
        return answered

    def _failed(self, operation: str) -> None:
        if self.available():
            logger.warning("Redis unavailable (%s): serving without the cache", operation)
        self._down_until = time.monotonic() + REDIS_RETRY_AFTER

    def _try(self, operation: str, default, *args, **kwargs):
        if not self.available():
            return default
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError):
            self._failed(operation)
            return default

    def get(self, key, default=None, version=None):
        return self._try("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, key, version)

    def add(self, key, value, timeout=None, version=None):
        # django-ratelimit reads a failed add (False) then a failed incr (None)
        # as "the count is unknown", and RATELIMIT_FAIL_OPEN lets people through.
        return self._try("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=None, version=None):
        return self._try("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._try("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._try("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._try("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._try("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._try("incr", None, key, delta, version)

    def clear(self):
        return self._try("clear", False)


# --- The database -----------------------------------------------------------


class _Watchdog:
    """One thread per process: shuts down the database socket of any request
    still waiting past its deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: dict[int, tuple[float, object]] = {}
        self._thread: threading.Thread | None = None

    def watch(self, deadline: float, wrapper: object) -> int:
        token = id(wrapper) ^ threading.get_ident()
        with self._lock:
            self._watched[token] = (deadline, wrapper)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="database-deadline", daemon=True
                )
                self._thread.start()
        return token

    def extend(self, token: int, deadline: float) -> None:
        with self._lock:
            if token in self._watched:
                self._watched[token] = (deadline, self._watched[token][1])

    def forget(self, token: int) -> None:
        with self._lock:
            self._watched.pop(token, None)

    def _run(self) -> None:
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                late = [(t, w) for t, (d, w) in self._watched.items() if d <= now]
                for token, _ in late:
                    del self._watched[token]
            for _, wrapper in late:
                _cut(wrapper)


def _cut(wrapper) -> None:
    raw = getattr(wrapper, "connection", None)
    pgconn = getattr(raw, "pgconn", None)  # psycopg 3
    if pgconn is None:
        return
    try:
        fd = pgconn.socket
        # A duplicate of the descriptor: shutting it down ends the connection
        # for the blocked thread too, which then sees an error at once.
        with socket.socket(fileno=socket.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
        logger.warning("Database did not answer within its deadline: connection cut")
    except Exception:  # the connection may just have closed on its own
        logger.debug("Could not cut a database connection", exc_info=True)


_watchdog = _Watchdog()


def extend_deadline(request: HttpRequest, seconds: float) -> None:
    """Shorten (or lengthen) this request's database deadline."""
    token = getattr(request, "_database_deadline", None)
    if token is not None:
        _watchdog.extend(token, time.monotonic() + seconds)


class DatabaseDeadlineMiddleware:
    """Every request's database work ends within DATABASE_REQUEST_DEADLINE
    seconds (PostgreSQL only; SQLite is a file and cannot hang this way)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.seconds = getattr(settings, "DATABASE_REQUEST_DEADLINE", 0)
        self.active = bool(self.seconds) and connections["default"].vendor == "postgresql"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.active:
            return self.get_response(request)
        wrapper = connections["default"]
        token = _watchdog.watch(time.monotonic() + self.seconds, wrapper)
        request._database_deadline = token
        try:
            return self.get_response(request)
        finally:
            _watchdog.forget(token)


class Turns:
    """Up to `size` holders at once; the others wait, and are served in the
    order they came.

    Python's own semaphore is not first come, first served: a thread that
    arrives just as a slot frees can take it ahead of one that was woken for
    it, and the woken one waits again at the back. Under load some requests
    then waited many turns: with one worker and 16 connections, a question
    page's p99 was 49 to 63 ms (p50 22 to 27 ms); served in order, 28 to
    39 ms at the same throughput. Here a freed slot passes straight to the
    longest waiter.
    """

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._free = size
        # One held lock per waiting thread, oldest first; releasing it hands
        # that thread the slot.
        self._waiting: deque[threading.Lock] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._lock:
            if self._free:  # never while someone waits: release() hands over
                self._free -= 1
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True
        with self._lock:
            try:
                self._waiting.remove(turn)
            except ValueError:
                return True  # handed over just as the wait ended: it is ours
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1


class ConcurrencyLimitMiddleware:
    """At most APP_CONCURRENCY requests of a process do Django's work at once;
    the others wait their turn, in the order they came (up to
    APP_QUEUE_SECONDS, then 503). Cached content pages are answered before
    this (iontoinfo.pagecache), and the probes never wait."""

    exempt = ("/healthz", "/readyz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.limit = int(getattr(settings, "APP_CONCURRENCY", 0))
        self.slots = Turns(self.limit) if self.limit else None
        self.wait = float(getattr(settings, "APP_QUEUE_SECONDS", 10))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.slots is None or request.path in self.exempt:
            return self.get_response(request)
        if not self.slots.acquire(timeout=self.wait):
            return service_unavailable(request)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The styled 503 page: nothing was saved, try again in a minute."""
    body = loader.render_to_string(
        "errors/503.html", {"status": HTTPStatus.SERVICE_UNAVAILABLE}, request=request
    )
    response = HttpResponse(body, status=HTTPStatus.SERVICE_UNAVAILABLE)
    response["Retry-After"] = "60"
    patch_cache_control(response, no_store=True)
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is down answers 503, styled."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DatabaseError):
            logger.warning("Database unavailable: %s", type(exception).__name__)
            return service_unavailable(request)
        return None
