"""The `payung` command prepares its own database (docs/decisions/0015).

The first time a command opens the default database, the migrations it lacks are looked up (the migration
plan: one query when there is nothing to do). On the embedded SQLite database they are applied quietly,
region and rule data included, exactly as `payung migrate` applies them, so every command works on a
brand-new file. On any other database (PostgreSQL in production) migrating stays the operator's deliberate
step, and the command stops with NotPrepared instead of failing later on a missing table.

Hooked on the first connection rather than run before every command, so commands that never open the
database (`nik check`, `demo-roster`, an offline `reconcile`, `makemessages`) neither create a SQLite
file nor are refused on an unprepared server.
"""

from __future__ import annotations

import threading

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

# Commands that are about migrations themselves: they must see (and change) the schema as it is.
SCHEMA_COMMANDS = frozenset(
    {"migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations", "optimizemigration"}
)

_lock = threading.Lock()  # runserver's threads may open their first connections at once
_checked = False


class NotPrepared(Exception):
    """The database lacks migrations that only `payung migrate` may apply; the message is one line."""

    def __init__(self, empty: bool):
        if empty:
            message = _("basis data belum disiapkan; jalankan `payung migrate` dulu.")
        else:
            message = _("basis data belum diperbarui untuk versi Payung ini; jalankan `payung migrate` dulu.")
        super().__init__(message)


def on_first_use(command: str) -> None:
    """Prepare the database when ``command`` first opens it (not at all for the schema commands)."""
    if command not in SCHEMA_COMMANDS:
        connection_created.connect(_prepare, dispatch_uid=__name__)


def _prepare(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    global _checked
    if connection.alias != DEFAULT_DB_ALIAS:
        return
    with _lock:
        if _checked:
            return
        _checked = True  # before migrating: migrate reuses this connection, and a failure is not retried
        executor = MigrationExecutor(connection)
        if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return
        if connection.vendor != "sqlite":
            raise NotPrepared(empty=not executor.loader.applied_migrations)
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
