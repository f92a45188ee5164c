"""Django's database sessions and model log-in, with the two reads every request makes (its
session, then its user) compiled once per process instead of built anew each time."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS
from django.db.models.functions import Now

from debateprep.lib.compiled import CompiledQuery


def _every_column(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_SESSION = CompiledQuery(
    lambda key: Session.objects.filter(session_key=key, expire_date__gt=Now()).values_list(
        *_every_column(Session)
    ),
    key="§session§",
)
_USER = CompiledQuery(
    lambda pk: (
        get_user_model()
        ._default_manager.filter(pk=pk)
        .values_list(*_every_column(get_user_model()))
    ),
    pk=-918_273_648,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        row = _SESSION.first(key=self.session_key)
        if row is None:
            self._session_key = None
            return None
        return Session.from_db(DEFAULT_DB_ALIAS, _every_column(Session), row)


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        row = _USER.first(pk=user_model._meta.pk.to_python(user_id))
        if row is None:
            return None
        user = user_model.from_db(DEFAULT_DB_ALIAS, _every_column(user_model), row)
        return user if self.user_can_authenticate(user) else None
