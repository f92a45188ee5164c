"""What every benchmark starts from: Django on a fresh SQLite database, migrated."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The vocabulary of generated statements.
WORDS = [
    "the",
    "council",
    "regional",
    "organizations",
    "cooperation",
    "stabilization",
    "peace",
    "security",
    "mandate",
    "chapter",
    "eight",
    "african",
    "union",
    "partnership",
    "capacity",
    "early",
    "warning",
    "mediation",
    "support",
    "financing",
    "predictable",
    "sustainable",
    "civilian",
    "protection",
    "transition",
    "ownership",
    "national",
    "we",
    "welcome",
    "stress",
    "recall",
    "commend",
    "urge",
    "call",
    "upon",
    "member",
    "states",
    "secretariat",
]


@contextmanager
def temporary_django() -> Iterator[None]:
    """Django set up on a database in a temporary folder, removed at the end: a benchmark
    never touches the developer's database."""
    workdir = Path(tempfile.mkdtemp(prefix="debateprep-bench-"))
    try:
        start_django(f"sqlite:///{workdir / 'bench.sqlite3'}")
        yield
    finally:
        shutil.rmtree(workdir)


def start_django(database_url: str, **environment: str) -> None:
    """Django with production settings on this database, migrated."""
    # Before Django reads its settings.
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        **environment,
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debateprep.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
