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
            help=(
                "Letter files (.pdf, .docx or .txt), or folders of them (default: the seeds "
                "folder). A file is read by its content, whatever its name."
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Replace editors' rewording of questions with the letter's wording, reword "
                "questions that delegations have answered, and keep answered questions the "
                "letter no longer asks (a load that would do so is refused without it)."
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

        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse a letter the parser is unsure of (one it would load with warnings).",
        )

    def handle(self, *args, paths, force, draft, strict, **options):
        files = letter_files(paths or [settings.BASE_DIR / "seeds"])
        if not files:
            raise CommandError(
                "No letters found: give .pdf, .docx or .txt files, or folders that hold them."
            )
        results = [
            load_letter_file(path, force=force, publish=not draft, strict=strict) for path in files
        ]
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


LETTER_SUFFIXES = {".pdf", ".docx", ".txt"}


def letter_files(paths: list[Path]) -> list[Path]:
    """The files given, and the letters in the folders given, each folder's sorted by name."""
    files = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        files += sorted(
            child
            for child in path.iterdir()
            if child.suffix.lower() in LETTER_SUFFIXES
            and child.is_file()
            # Word's lock file ("~$letter.docx") and hidden files are no letters.
            and not child.name.startswith(("~$", "."))
        )
    return files
