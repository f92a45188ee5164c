"""Statements and compendiums from the command line, for batch use:

manage.py export statement --debate SLUG --delegation CODE --format docx -o FILE
manage.py export compendium --debate SLUG --format pdf -o FILE
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from debateprep.debates.models import Debate
from debateprep.drafting import exports
from debateprep.drafting.forms import ExportForm
from debateprep.drafting.models import Delegation, Statement

STDOUT = "-"


class Command(BaseCommand):
    help = "Export a delegation's statement or a debate's compendium, as on the site."

    def add_arguments(self, parser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="statement|compendium")
        statement = kinds.add_parser("statement", help="One delegation's statement.")
        self._common(statement, exports.STATEMENT_FORMATS)
        statement.add_argument("--delegation", required=True, metavar="CODE", help="e.g. ROU")
        statement.add_argument(
            "--marking",
            choices=exports.Marking.values,
            default=exports.Marking.CHECK.value,
            help="check: Check against delivery (default); verbatim: Read out verbatim.",
        )
        statement.add_argument(
            "--no-headings", action="store_true", help="Leave out the questions' labels."
        )
        statement.add_argument(
            "--reading-copy", action="store_true", help="Large type for the lectern."
        )
        compendium = kinds.add_parser(
            "compendium", help="Every delegation's answers to a debate's questions."
        )
        self._common(compendium, exports.COMPENDIUM_FORMATS)

    @staticmethod
    def _common(parser, formats: dict[str, exports.Format]) -> None:
        parser.add_argument("--debate", required=True, metavar="SLUG")
        parser.add_argument("--format", dest="fmt", required=True, choices=list(formats))
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            default=STDOUT,
            help="Where to write; - or nothing is standard output, for text formats.",
        )

    def handle(self, *args, kind: str, debate: str, fmt: str, output: str, **options) -> None:
        try:
            found = Debate.objects.get(slug=debate)
        except Debate.DoesNotExist:
            raise CommandError(f'No debate with the slug "{debate}".') from None
        if kind == "statement":
            download = self._statement(found, fmt, options)
        else:
            download = exports.compendium_download(found, fmt)
        self._write(download, output, verbose=options["verbosity"] > 0)

    def _statement(self, debate: Debate, fmt: str, options: dict) -> exports.Download:
        code = options["delegation"].upper()
        statement = (
            Statement.objects.filter(debate=debate, delegation__code=code)
            .select_related("debate", "delegation")
            .first()
        )
        if statement is None:
            delegation = Delegation.objects.filter(code=code).first()
            if delegation is None:
                raise CommandError(
                    f'No delegation with the code "{code}": codes are ISO 3166 alpha-3 for '
                    "states (ROU) and acronyms for organizations (AU)."
                )
            raise CommandError(f'{delegation} has not started a statement on "{debate.slug}".')
        form = ExportForm(
            {
                "marking": options["marking"],
                "headings": "0" if options["no_headings"] else "1",
                "reading_copy": "1" if options["reading_copy"] else "0",
            }
        )
        if not form.is_valid():
            raise CommandError(form.problem)
        return exports.statement_download(statement, fmt, form.options)

    def _write(self, download: exports.Download, output: str, *, verbose: bool) -> None:
        if output == STDOUT:
            if not download.format.text:
                raise CommandError(
                    f"{download.format.label} is not text: write it to a file with -o FILE."
                )
            # utf-8-sig drops the byte order mark that the CSV carries for spreadsheets.
            self.stdout.write(download.content.decode("utf-8-sig"), ending="")
            return
        path = Path(output)
        try:
            path.write_bytes(download.content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        if verbose:
            self.stdout.write(f"Wrote {path} ({len(download.content):,} bytes).")
