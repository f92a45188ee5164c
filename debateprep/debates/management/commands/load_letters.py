from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from debateprep.debates.loading import load_letter_file


class Command(BaseCommand):
    help = "Load presidency letters (concept papers with guiding questions) as debates."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="Letter files, or folders of .txt letters (default: the seeds folder).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Replace editors' rewording of questions with the letter's wording, and reword "
                "questions that delegations have answered."
            ),
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help=(
                "Create new debates as drafts, seen by editors only, instead of publishing them "
                "(a letter without a meeting date is always loaded as a draft)."
            ),
        )

    def handle(self, *args, paths, force, draft, **options):
        files = letter_files(paths or [settings.BASE_DIR / "seeds"])
        if not files:
            raise CommandError("No letters found: give .txt files or folders that hold them.")
        results = [load_letter_file(path, force=force, publish=not draft) for path in files]
        for result in results:
            if result.error:
                self.stderr.write(self.style.ERROR(result.summary()))
            else:
                self.stdout.write(result.summary())
        failed = [result for result in results if result.error]
        loaded = len(results) - len(failed)
        self.stdout.write(f"{loaded} letter(s) loaded, {len(failed)} failed.")
        if failed:
            raise CommandError(f"{len(failed)} file(s) could not be loaded; see above.")


def letter_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        files += sorted(path.glob("*.txt")) if path.is_dir() else [path]
    return files
