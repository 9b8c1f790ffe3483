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
        data, expire = row
        if isinstance(expire, str):  # SQLite keeps datetimes as text
            expire = parse_datetime(expire)
        if settings.USE_TZ and timezone.is_naive(expire):
            expire = timezone.make_aware(expire, datetime.UTC)
        return model(session_key=self.session_key, session_data=data, expire_date=expire)
