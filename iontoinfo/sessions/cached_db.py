"""Django's cached database sessions; a cache miss is read with one plain
query (iontoinfo.sessions)."""

from django.contrib.sessions.backends import cached_db

from iontoinfo.sessions import FastRead


class SessionStore(FastRead, cached_db.SessionStore):
    pass
