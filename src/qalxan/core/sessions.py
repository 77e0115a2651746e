"""The browser session and its signed-in user, read on every page with SQL written once (see core.sql).

`SESSION_ENGINE` names this module and `AUTHENTICATION_BACKENDS` its `ModelBackend`: both behave as
Django's own (database sessions, active users only) but read their row without compiling an ORM query.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import backends, get_user_model
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from qalxan.core import sql


@functools.cache
def _session_sql(using: str) -> str:
    return sql.select(Session, [("session_key", "="), ("expire_date", ">")], using)


@functools.cache
def _user_sql(using: str) -> str:
    return sql.select(get_user_model(), [("id", "=")], using)


class SessionStore(db.SessionStore):
    """Django's database session store."""

    def _get_session_from_db(self) -> Any:
        using = router.db_for_read(self.model)
        found = sql.rows(_session_sql(using), [self.session_key, timezone.now()], using)
        if not found:
            self._session_key = None
            return None
        return sql.instance(self.model, found[0], using)


class ModelBackend(backends.ModelBackend):
    """Django's model backend (user name and password; inactive users are refused)."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        using = router.db_for_read(user_model)
        found = sql.rows(_user_sql(using), [user_id], using)
        if not found:
            return None
        user = sql.instance(user_model, found[0], using)
        return user if self.user_can_authenticate(user) else None
