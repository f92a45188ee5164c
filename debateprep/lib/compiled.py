"""Queries the ORM builds once per process and that then run again with new values."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

QUERY = "{query}"
# A compiled query's own placeholders, and the escaped percent signs to leave as they are.
_PLACEHOLDER = re.compile(r"%%|%s")


class CompiledQuery:
    """A `values_list` query built and compiled to SQL on its first use, then run with each
    call's values: for a request so frequent that building a query of several joins would
    cost more than the database takes to answer it.

    `build(**stand_ins)` returns the queryset. Each stand-in is a value nothing else in the
    query holds, and must reach the SQL as a parameter of its own (as a filter's value does),
    so that each call's value takes its place; compiling checks that every stand-in does.

    `around`, if given, is a statement of its own in which "{query}" stands for the compiled
    query (as a WITH query, say); its other parameters are named, `%(name)s`, and take the
    call's values of those names.
    """

    def __init__(self, build: Callable[..., QuerySet], around: str = QUERY, **stand_ins: Any):
        self.build = build
        self.around = around
        self.stand_ins = stand_ins
        self._compiled: tuple[str, str, list[tuple[str | None, Any]]] | None = None

    def _compile(self) -> tuple[str, str, list[tuple[str | None, Any]]]:
        if self._compiled is None:
            queryset = self.build(**self.stand_ins)
            sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
            names = {value: name for name, value in self.stand_ins.items()}
            slots = [(names.get(param), param) for param in params]
            missing = set(self.stand_ins) - {name for name, _ in slots}
            if missing:
                raise ValueError(f"Not parameters of the compiled query: {sorted(missing)}")
            if self.around != QUERY:
                sql = self.around.replace(QUERY, _named(sql))
            self._compiled = queryset.db, sql, slots
        return self._compiled

    def first(self, **values: Any) -> tuple | None:
        """The first row, as a tuple, for these values of the stand-ins (and of the named
        parameters of `around`); None if none."""
        using, sql, slots = self._compile()
        params = [param if name is None else values[name] for name, param in slots]
        if self.around != QUERY:
            named = {name: value for name, value in values.items() if name not in self.stand_ins}
            params = named | {f"query_{index}": param for index, param in enumerate(params)}
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


def _named(sql: str) -> str:
    """The query with its placeholders named query_0, query_1…, so that a statement around it
    can name its own parameters."""
    count = itertools.count()
    return _PLACEHOLDER.sub(
        lambda match: "%%" if match[0] == "%%" else f"%(query_{next(count)})s", sql
    )
