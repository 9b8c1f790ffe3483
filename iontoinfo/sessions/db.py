"""Django's database sessions, read with one plain query (iontoinfo.sessions)."""

from django.contrib.sessions.backends import db

from iontoinfo.sessions import FastRead


class SessionStore(FastRead, db.SessionStore):
    pass
