"""Django's database sessions, with each session's row naming its user, so that one query
compiled once per process reads a request's session and its user together (lib.accounts)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import DEFAULT_DB_ALIAS
from django.db.models.functions import Now

from debateprep.delegations.models import Session
from debateprep.lib.accounts import bring_session_user, every_column
from debateprep.lib.compiled import CompiledQuery


def _user_columns() -> list[str]:
    return [f"user__{name}" for name in every_column(get_user_model())]


_SESSION = CompiledQuery(
    lambda key: Session.objects.filter(session_key=key, expire_date__gt=Now()).values_list(
        *every_column(Session), *_user_columns()
    ),
    key="§session§",
)


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = get_user_model()._meta.pk.to_python(user_id) if user_id else None
        return session

    def _get_session_from_db(self) -> Session | None:
        row = _SESSION.first(key=self.session_key)
        if row is None:
            self._session_key = None
            bring_session_user(None)
            return None
        session_columns = every_column(Session)
        session = Session.from_db(DEFAULT_DB_ALIAS, session_columns, row[: len(session_columns)])
        user_row = row[len(session_columns) :]
        user_model = get_user_model()
        bring_session_user(
            user_model.from_db(DEFAULT_DB_ALIAS, every_column(user_model), user_row)
            if session.user_id is not None
            else None
        )
        return session
