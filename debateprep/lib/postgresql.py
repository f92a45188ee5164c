"""Migration work that only PostgreSQL can do."""

from __future__ import annotations

from django.db.migrations.operations.base import Operation


class OnPostgreSQL(Operation):
    """Run `operation` on PostgreSQL only (a GIN index, a trigger); elsewhere the database is
    left as it is, while the models' state changes everywhere, so that the models stay one
    description of both."""

    def __init__(self, operation: Operation):
        self.operation = operation
        self.reversible = operation.reversible
        self.reduces_to_sql = operation.reduces_to_sql

    def deconstruct(self):
        return self.__class__.__qualname__, [self.operation], {}

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (on PostgreSQL)"
