"""Django's model log-in, with the user read every request makes compiled once per process, or
not made at all when the request's session brought its user along (delegations.sessions)."""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS

from debateprep.lib.compiled import CompiledQuery


def every_column(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_USER = CompiledQuery(
    lambda pk: (
        get_user_model()._default_manager.filter(pk=pk).values_list(*every_column(get_user_model()))
    ),
    pk=-918_273_648,
)

# The user whose session this request read, with the session's own query; forgotten when the
# request ends, so that no other request can be handed it.
_session_user = ContextVar("session_user", default=None)


def bring_session_user(user) -> None:
    _session_user.set(user)


def _forget_session_user(**kwargs) -> None:
    _session_user.set(None)


request_finished.connect(_forget_session_user)


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        pk = user_model._meta.pk.to_python(user_id)
        user = _session_user.get()
        if user is None or user.pk != pk:
            row = _USER.first(pk=pk)
            if row is None:
                return None
            user = user_model.from_db(DEFAULT_DB_ALIAS, every_column(user_model), row)
        return user if self.user_can_authenticate(user) else None
