import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from debateprep.delegations.models import Delegation


class Command(BaseCommand):
    help = "Create or update delegations from a CSV file (code,kind,name,iso2)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=settings.BASE_DIR / "seeds" / "delegations.csv"
        )

    def handle(self, *args, path, **options):
        try:
            with path.open(encoding="utf-8", newline="") as file:
                rows = list(csv.DictReader(file))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        kinds = set(Delegation.Kind.values)
        wrong = [row.get("code") for row in rows if row.get("kind") not in kinds]
        if wrong:
            raise CommandError(f"{path}: unknown kind for {', '.join(map(str, wrong))}")
        created = 0
        for row in rows:
            _, was_created = Delegation.objects.update_or_create(
                code=row["code"].strip().upper(),
                defaults={"name": row["name"].strip(), "kind": row["kind"], "iso2": row["iso2"]},
            )
            created += was_created
        self.stdout.write(f"{len(rows)} delegations in {path.name}: {created} new.")
