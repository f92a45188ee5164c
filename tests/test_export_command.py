import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import docx_lines, odt_lines, pdf_text, write_statement


@pytest.fixture
def statement(debate, romania):
    return write_statement(debate, romania, "Peace first.", opening="Mr. President,")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_statement_to_a_docx_file(statement, tmp_path):
    target = tmp_path / "rou.docx"
    args = ["--debate", statement.debate.slug, "--delegation", "ROU", "--format", "docx"]
    message = run("statement", *args, "-o", str(target))
    assert str(target) in message
    lines = docx_lines(target.read_bytes())
    assert "Statement by Romania" in lines
    assert "Peace first." in lines


def test_statement_options_match_the_export_form(statement, tmp_path):
    target = tmp_path / "rou.odt"
    run(
        "statement",
        *["--debate", statement.debate.slug, "--delegation", "rou", "--format", "odt"],
        *["--marking", "verbatim", "--no-headings", "--reading-copy", "-o", str(target)],
    )
    lines = odt_lines(target.read_bytes())
    assert "Read out verbatim" in lines
    assert "Label 1" not in lines
    assert "2 0:02\tPeace first." in lines


def test_text_formats_go_to_standard_output(statement):
    args = ["--debate", statement.debate.slug, "--delegation", "ROU", "--format", "txt"]
    assert "Peace first." in run("statement", *args)
    assert "Peace first." in run("statement", *args, "-o", "-")


def test_compendium_to_a_pdf_file_and_csv_to_standard_output(statement, tmp_path):
    target = tmp_path / "compendium.pdf"
    run("compendium", "--debate", statement.debate.slug, "--format", "pdf", "-o", str(target))
    assert "Peace first." in pdf_text(target.read_bytes())
    rows = list(
        csv.DictReader(
            io.StringIO(run("compendium", "--debate", statement.debate.slug, "--format", "csv"))
        )
    )
    assert [(row["part"], row["answer"]) for row in rows] == [
        ("opening", "Mr. President,"),
        ("question", "Peace first."),
        ("question", ""),
        ("question", ""),
        ("closing", ""),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["statement", "--debate", "nope", "--delegation", "ROU", "--format", "pdf"], "nope"),
        (
            ["statement", "--debate", "{slug}", "--delegation", "XYZ", "--format", "pdf"],
            'No delegation with the code "XYZ"',
        ),
        (
            ["statement", "--debate", "{slug}", "--delegation", "FRA", "--format", "pdf"],
            "France has not started a statement",
        ),
        (["statement", "--debate", "{slug}", "--delegation", "ROU", "--format", "exe"], "exe"),
        (["compendium", "--debate", "{slug}", "--format", "exe"], "exe"),
        (["compendium", "--debate", "{slug}", "--format", "docx"], "-o FILE"),
        (["statement", "--debate", "{slug}", "--delegation", "ROU", "--format", "pdf"], "-o FILE"),
        (["report", "--debate", "{slug}"], "report"),
    ],
)
def test_mistakes_are_explained(statement, france, args, message):
    args = [arg.format(slug=statement.debate.slug) for arg in args]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_an_unwritable_output_is_explained(statement, tmp_path):
    target = tmp_path / "missing" / "rou.pdf"
    with pytest.raises(CommandError, match="Cannot write"):
        run(
            "statement",
            *["--debate", statement.debate.slug, "--delegation", "ROU", "--format", "pdf"],
            *["-o", str(target)],
        )
