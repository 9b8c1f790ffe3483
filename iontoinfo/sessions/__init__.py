"""Django's database session engines, reading a session with one plain query.

Every screener page reads the session; through the ORM that read cost more
than half a millisecond of building a query, about a quarter of a question
page. The query here is the one the ORM sends (the session's key, not yet
expired), on the same connection, so timeouts and fault handling are
unchanged; writes are still Django's own. Engines:
`iontoinfo.sessions.db` and `iontoinfo.sessions.cached_db`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class _Row:
    """A session's row as Django's session stores read it: its data, and its
    expiry date, worked out only if asked (by cached_db, for the cache)."""

    __slots__ = ("_expire", "session_data")

    def __init__(self, session_data: str, expire: object) -> None:
        self.session_data = session_data
        self._expire = expire

    @property
    def expire_date(self) -> datetime.datetime:
        expire = self._expire
        if isinstance(expire, str):  # SQLite keeps datetimes as text
            expire = parse_datetime(expire)
        if settings.USE_TZ and timezone.is_naive(expire):
            expire = timezone.make_aware(expire, datetime.UTC)
        return expire


class FastRead:
    """Mixed into Django's database session stores."""

    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} "  # noqa: S608 (the table's own name)
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return _Row(*row)
