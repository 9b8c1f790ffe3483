"""Django's database sessions, read with one plain query (iontoinfo.sessions),
and an existing session written with one plain UPDATE.

Every answer writes the session; through the ORM (a model instance, its
save, an update query built each time) that cost about a tenth of a
millisecond more than the statement itself. New sessions are still created
by Django, and a session that is gone meanwhile is Django's UpdateError, as
before, so the session middleware answers the same."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connections, router

from iontoinfo.sessions import FastRead


class SessionStore(FastRead, db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            super().save(must_create=must_create)
            return
        data = self.encode(self._get_session(no_load=False))
        model = self.model
        using = router.db_for_write(model)
        connection = connections[using]
        table = connection.ops.quote_name(model._meta.db_table)
        expire = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        try:
            # One statement, atomic by itself: no transaction around it, which
            # cost as much again as the statement (BEGIN IMMEDIATE and COMMIT
            # on SQLite).
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET session_data = %s, expire_date = %s "  # noqa: S608 (the table's own name)
                    "WHERE session_key = %s",
                    [data, expire, self.session_key],
                )
                updated = cursor.rowcount
        except DatabaseError as error:
            raise UpdateError from error
        if updated != 1:
            raise UpdateError  # deleted meanwhile, as Django's forced update says
