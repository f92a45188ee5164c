import csv
import io
import json
import re

import odf.opendocument
import odf.style
import odf.text
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from docx.oxml.ns import qn

from debateprep.drafting.exports import (
    COMPENDIUM_FORMATS,
    CSV_COLUMNS,
    CompendiumDocument,
    compendium_download,
)
from debateprep.drafting.exports.writers import pdf
from debateprep.drafting.models import Statement
from tests.factories import (
    docx_lines,
    in_order,
    make_debate,
    make_delegation,
    make_user,
    odt_lines,
    pdf_pages,
    pdf_text,
    read_docx,
    write_statement,
)
from tests.office import OFFICE, convert_to_pdf

FORMATS = ["docx", "pdf", "odt", "md", "txt", "csv", "json"]
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
FINAL, IN_REVIEW = Statement.Status.FINAL, Statement.Status.IN_REVIEW
ALIGNED = "France aligns itself with the statement of the European Union."


@pytest.fixture
def positions(debate, romania, france):
    """Romania (final) answers questions 1 and 2; France (in review) questions 2 and 3."""
    write_statement(
        debate,
        romania,
        "Romania on one.",
        "Romania on two.",
        opening="Mr. President,",
        status=FINAL,
    )
    write_statement(
        debate,
        france,
        "",
        "La France sur deux.",
        "France on three.",
        closing=ALIGNED,
        status=IN_REVIEW,
    )
    return debate


def compendium_url(debate, fmt):
    return reverse("jobs:compendium", args=[debate.slug, fmt])


def download(client, debate, fmt) -> bytes:
    response = client.get(compendium_url(debate, fmt))
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def answer_rows(content: bytes) -> list[dict]:
    """The rows of answers to questions, without openings and closings."""
    return [row for row in csv_rows(content) if row["part"] == "question"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_editors_download_each_format_named_after_the_debate(client, editor, positions, fmt):
    client.force_login(editor)
    response = client.get(compendium_url(positions, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == (
        f'attachment; filename="{positions.slug}-compendium.{fmt}"'
    )


def test_docx_opens_with_the_coverage_table_then_every_answer_by_question(
    client, editor, positions
):
    client.force_login(editor)
    document = read_docx(download(client, positions, "docx"))
    table = document.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Delegation", "Status", "Q1", "Q2", "Q3", "Answered"],
        ["France", "In review", "", "✓", "✓", "2/3"],
        ["Romania", "Final", "✓", "✓", "", "2/3"],
    ]
    content = [
        type(item).__name__ == "Table" or item.text for item in document.iter_inner_content()
    ]
    assert content.index(True) < content.index("1. Label 1")
    text = "\n".join(p.text for p in document.paragraphs)
    assert in_order(
        text,
        "Security Council, debate, 20 July 2004",
        positions.title,
        "1. Label 1",
        "Question 1?",
        "Romania (Final): Romania on one.",
        "2. Label 2",
        "France (In review): La France sur deux.",
        "Romania (Final): Romania on two.",
        "3. Label 3",
        "France (In review): France on three.",
        "End of the compendium.",
    )


def test_pdf_opens_with_the_coverage_table_then_every_answer_by_question(client, editor, positions):
    client.force_login(editor)
    text = re.sub(r"\s+", " ", pdf_text(download(client, positions, "pdf")))
    assert in_order(
        text,
        positions.title,
        "Coverage",
        "France In review ✓ ✓ 2/3",
        "Romania Final ✓ ✓ 2/3",
        "1. Label 1",
        "Romania (Final): Romania on one.",
        "2. Label 2",
        "France (In review): La France sur deux.",
        "Romania (Final): Romania on two.",
        "3. Label 3",
        "France (In review): France on three.",
    )


def test_csv_has_one_row_per_delegation_and_question(client, editor, positions):
    client.force_login(editor)
    rows = csv_rows(download(client, positions, "csv"))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(row["delegation_code"], row["part"], row["question_order"]) for row in rows] == [
        ("FRA", "opening", ""),
        ("FRA", "question", "1"),
        ("FRA", "question", "2"),
        ("FRA", "question", "3"),
        ("FRA", "closing", ""),
        ("ROU", "opening", ""),
        ("ROU", "question", "1"),
        ("ROU", "question", "2"),
        ("ROU", "question", "3"),
        ("ROU", "closing", ""),
    ]
    rows = [row for row in rows if row["part"] == "question"]
    france_two = rows[1]
    assert france_two["debate"] == positions.slug
    assert france_two["delegation"] == "France"
    assert france_two["status"] == "in_review"
    assert france_two["question_label"] == "Label 2"
    assert france_two["answer"] == "La France sur deux."
    assert france_two["words"] == "4"
    assert re.match(r"\d{4}-\d\d-\d\dT.*Z$", france_two["updated_at_utc"])
    assert rows[0]["answer"] == ""
    assert rows[0]["words"] == "0"


def test_json_has_the_debate_questions_statements_answers_and_timestamps(client, editor, positions):
    client.force_login(editor)
    data = json.loads(download(client, positions, "json"))
    assert data["debate"]["slug"] == positions.slug
    assert data["debate"]["meeting_date"] == "2004-07-20"
    assert data["debate"]["meeting"] == "Security Council, debate, 20 July 2004"
    assert [q["label"] for q in data["questions"]] == ["Label 1", "Label 2", "Label 3"]
    france, romania = data["statements"]
    assert (france["delegation_code"], france["status"]) == ("FRA", "in_review")
    assert (romania["delegation"], romania["status"]) == ("Romania", "final")
    assert romania["status_changed_at"]
    assert romania["created_at"]
    parts = [(a["part"], a["question_order"], a["text"]) for a in romania["answers"]]
    assert parts == [
        ("opening", None, "Mr. President,"),
        ("question", 1, "Romania on one."),
        ("question", 2, "Romania on two."),
        ("question", 3, ""),
        ("closing", None, ""),
    ]
    assert romania["answers"][1]["words"] == 3
    assert re.match(r"\d{4}-\d\d-\d\dT", romania["answers"][1]["updated_at"])


def text_of(fmt: str, content: bytes) -> str:
    """What a person reading the file sees, through a real reader for each format."""
    if fmt == "docx":
        return "\n".join(docx_lines(content))
    if fmt == "pdf":
        return re.sub(r"\s+", " ", pdf_text(content))
    if fmt == "odt":
        return "\n".join(odt_lines(content))
    return content.decode()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "odt", "md", "txt"])
def test_openings_and_closings_have_sections_of_their_own(client, editor, positions, fmt):
    client.force_login(editor)
    text = text_of(fmt, download(client, positions, fmt))
    openings, closings = ("OPENINGS", "CLOSINGS") if fmt == "txt" else ("Openings", "Closings")
    assert in_order(
        text,
        openings,
        "Romania (Final)",
        "Mr. President,",
        "Label 1" if fmt != "txt" else "LABEL 1",
        "Romania on one.",
        "France on three.",
        closings,
        "France (In review)",
        ALIGNED,
    )


def test_markdown_coverage_is_a_table_a_reader_renders(client, editor, positions):
    client.force_login(editor)
    lines = download(client, positions, "md").decode().splitlines()
    header = lines.index("| Delegation | Status | Q1 | Q2 | Q3 | Answered |")
    # GitHub's tables need the row under the header to be dashes, unescaped.
    assert lines[header + 1] == "| --- | --- | --- | --- | --- | --- |"
    assert lines[header + 2] == "| France | In review |  | ✓ | ✓ | 2/3 |"


def test_markdown_keeps_a_question_of_several_lines_one_paragraph(client, editor, positions):
    # A blank line would end the paragraph, and an indented line after it start a code block.
    positions.questions.filter(order=1).update(
        text="Which measures?\n\n    (a) sanctions;\n\t(b) mediation?"
    )
    client.force_login(editor)
    text = download(client, positions, "md").decode()
    assert "*Which measures?  \n(a) sanctions;  \n(b) mediation?*" in text
    assert not re.search(r"^(    |\t)", text, re.MULTILINE)


@pytest.mark.parametrize("fmt", ["docx", "odt", "md", "txt"])
def test_the_summary_counts_one_statement_and_one_question_in_the_singular(
    client, editor, romania, fmt
):
    debate = make_debate(questions=1)
    write_statement(debate, romania, "Peace.")
    client.force_login(editor)
    text = text_of(fmt, download(client, debate, fmt))
    assert "Compendium of statements: 1 statement on 1 guiding question, exported" in text


def test_csv_and_json_carry_openings_and_closings(client, editor, positions):
    client.force_login(editor)
    rows = csv_rows(download(client, positions, "csv"))
    written = {(row["delegation_code"], row["part"]): row["answer"] for row in rows}
    assert written["ROU", "opening"] == "Mr. President,"
    assert written["FRA", "closing"] == ALIGNED
    france = json.loads(download(client, positions, "json"))["statements"][0]
    assert france["answers"][-1]["part"] == "closing"
    assert france["answers"][-1]["text"] == ALIGNED


def test_pdf_runs_questions_on_without_a_page_each(client, editor, positions):
    client.force_login(editor)
    pages = pdf_pages(download(client, positions, "pdf"))
    assert len(pages) == 1
    assert "Page 1" in pages[0]


def test_csv_and_json_give_every_time_in_utc_and_say_so(client, editor, positions):
    client.force_login(editor)
    rows = csv_rows(download(client, positions, "csv"))
    data = json.loads(download(client, positions, "json"))
    assert data["time_zone"] == "UTC"
    assert data["exported_at"].endswith("Z")
    romania_one = next(
        r for r in rows if (r["delegation_code"], r["question_order"]) == ("ROU", "1")
    )
    json_one = data["statements"][1]["answers"][1]
    assert romania_one["updated_at_utc"] == json_one["updated_at"]
    assert romania_one["updated_at_utc"].endswith("Z")
    moments = [data["statements"][1]["created_at"], data["statements"][1]["status_changed_at"]]
    assert all(moment.endswith("Z") for moment in moments)


@pytest.mark.skipif(not OFFICE, reason="LibreOffice (soffice) is not installed; CI installs it")
def test_docx_coverage_headers_keep_their_words_whole(client, editor, romania, tmp_path):
    debate = make_debate(questions=10)
    write_statement(debate, romania, *["Yes."] * 10, status=FINAL)
    write_statement(debate, make_delegation("Bolivia (Plurinational State of)", "BOL"), "Yes.")
    client.force_login(editor)
    source = tmp_path / "compendium.docx"
    source.write_bytes(download(client, debate, "docx"))
    convert_to_pdf(source, folder=tmp_path)
    text = re.sub(r"\s+", " ", pdf_text((tmp_path / "compendium.pdf").read_bytes()))
    headers = " ".join(["Delegation", "Status", *(f"Q{n}" for n in range(1, 11)), "Answered"])
    assert headers in text
    assert "Romania Final ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ ✓ 10/10" in text
    assert "Page 1" in text


def test_docx_and_odt_number_their_pages(client, editor, positions):
    client.force_login(editor)
    footer = read_docx(download(client, positions, "docx")).sections[0].footer.paragraphs[0]
    assert [field.get(qn("w:instr")) for field in footer._p.iter(qn("w:fldSimple"))] == ["PAGE"]
    document = odf.opendocument.load(io.BytesIO(download(client, positions, "odt")))
    footer = document.masterstyles.getElementsByType(odf.style.Footer)[0]
    assert footer.getElementsByType(odf.text.PageNumber)


# Hostile text -------------------------------------------------------------------------------

FORMULAS = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tTAB", '=HYPERLINK("http://x")']
# A spreadsheet finds the formula after spaces and line breaks, in a fullwidth sign, or after a
# character that prints nothing.
HIDDEN_FORMULAS = [
    " =1+2",
    "\n=1+2",
    "\u3000=1+2",
    "\uff1d1+2",
    "\uff0bSUM(A1)",
    "\u200b=1+2",
    "\u2060@SUM(A1)",
    "\ufeff=1+2",
    "\u00a0-2+3",
]


def test_csv_neutralises_formulas_in_every_cell(client, editor, debate):
    hostile = make_delegation('=HYPERLINK("http://evil","Romania")', "EVL")
    write_statement(debate, hostile, *FORMULAS[:3])
    client.force_login(editor)
    rows = answer_rows(download(client, debate, "csv"))
    assert [row["answer"] for row in rows] == [f"'{formula}" for formula in FORMULAS[:3]]
    assert rows[0]["delegation"] == '\'=HYPERLINK("http://evil","Romania")'


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_neutralises_each_formula_start(client, editor, debate, romania, formula):
    write_statement(debate, romania, formula)
    client.force_login(editor)
    assert answer_rows(download(client, debate, "csv"))[0]["answer"] == f"'{formula}"


@pytest.mark.parametrize("formula", HIDDEN_FORMULAS)
def test_csv_neutralises_a_formula_behind_spaces_or_invisible_characters(
    client, editor, debate, romania, formula
):
    write_statement(debate, romania, formula)
    client.force_login(editor)
    rows = csv_rows(download(client, debate, "csv"))
    assert [row["answer"] for row in rows if row["answer"]] == [f"'{formula}"]


def test_csv_keeps_ordinary_text_and_numbers_as_they_are(client, editor, positions):
    client.force_login(editor)
    row = answer_rows(download(client, positions, "csv"))[3]
    assert row["answer"] == "Romania on one."
    assert row["question_order"] == "1"


HOSTILE = (
    '<script>alert("x")</script> </w:t></w:r><w:r><w:t>injected & ]]> '
    "\x01\x07\x1bcontrol =SUM(A1) " + "Stabilization" * 60
)


def test_docx_pdf_and_json_hold_hostile_text_as_typed(client, editor, debate, romania):
    write_statement(debate, romania, HOSTILE)
    client.force_login(editor)
    typed = HOSTILE.replace("\x01\x07\x1b", "")

    document = read_docx(download(client, debate, "docx"))
    assert f"Romania (Draft): {typed}" in [p.text for p in document.paragraphs]

    text = pdf_text(download(client, debate, "pdf"))
    assert typed.split(" Stabilization")[0] in re.sub(r"\s+", " ", text)
    assert "Stabilization" * 60 in re.sub(r"\s", "", text)

    answer = json.loads(download(client, debate, "json"))["statements"][0]["answers"][1]
    assert answer["text"] == typed


# Who may export -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_delegates_and_staff_without_the_right_get_not_found(client, drafter, positions, fmt):
    staff = make_user("clerk", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_debate"))
    for user in (drafter, staff):
        client.force_login(user)
        assert client.get(compendium_url(positions, fmt)).status_code == 404


def test_unknown_debate_or_format_is_not_found_for_editors(client, editor, positions):
    client.force_login(editor)
    assert client.get(compendium_url(positions, "exe")).status_code == 404
    assert client.get(reverse("jobs:compendium", args=["nope", "pdf"])).status_code == 404


def test_editors_compendium_covers_debates_still_in_draft(client, editor, romania):
    hidden = make_debate(status="draft")
    write_statement(hidden, romania, "Early thoughts.")
    client.force_login(editor)
    assert "Early thoughts." in download(client, hidden, "csv").decode("utf-8-sig")


@pytest.mark.parametrize("delegations", [2, 12])
def test_compendium_queries_do_not_grow_with_delegations(
    debate, delegations, django_assert_num_queries
):
    for number in range(delegations):
        write_statement(debate, make_delegation(f"State {number}", f"S{number}"), "Yes.")
    # questions, statements with their delegations, answers with their questions
    with django_assert_num_queries(3):
        document = CompendiumDocument.of(debate)
    assert len(document.data["statements"]) == delegations


# The admin ----------------------------------------------------------------------------------

CHANGELIST = reverse("admin:debates_debate_changelist")


def test_admin_lists_one_export_action_per_format_for_editors(client, editor, positions):
    client.force_login(editor)
    choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert [choices[f"export_compendium_{fmt}"] for fmt in FORMATS] == [
        "Export compendium (DOCX)",
        "Export compendium (PDF)",
        "Export compendium (ODT)",
        "Export compendium (MD)",
        "Export compendium (TXT)",
        "Export compendium (CSV)",
        "Export compendium (JSON)",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_admin_action_exports_the_selected_debate(client, editor, positions, fmt):
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": f"export_compendium_{fmt}", "_selected_action": [positions.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert f"{positions.slug}-compendium.{fmt}" in response["Content-Disposition"]


def test_admin_action_asks_for_one_debate_at_a_time(client, editor, positions):
    other = make_debate()
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "export_compendium_pdf", "_selected_action": [positions.pk, other.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "select exactly one" in response.content.decode()


def test_staff_outside_the_editors_group_get_no_compendium(client, positions):
    clerk = make_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_debate"))
    client.force_login(clerk)
    assert client.get(CHANGELIST).status_code == 403
    response = client.post(
        CHANGELIST, {"action": "export_compendium_pdf", "_selected_action": [positions.pk]}
    )
    assert "Content-Disposition" not in response
    assert client.get(compendium_url(positions, "pdf")).status_code == 404


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_unlabelled_questions_are_headed_by_number_and_keyed_by_their_opening_words(
    client, editor, positions, fmt
):
    positions.questions.update(label="")
    positions.questions.filter(order=1).update(
        marker="(1)", text="What are the comparative advantages of regional organizations?"
    )
    client.force_login(editor)
    content = download(client, positions, fmt)
    if fmt == "docx":
        text = "\n".join(p.text for p in read_docx(content).paragraphs)
    else:
        text = re.sub(r"\s+", " ", pdf_text(content))
    assert "Q1: What are the comparative advantages of regional organizations?" in text
    assert "Question (1)" in text
    assert "1. Question (1)" not in text


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_invited_delegations_that_have_not_started_show_in_the_coverage(
    client, editor, debate, romania, france, fmt
):
    debate.invited_only = True
    debate.save()
    debate.invited_delegations.add(romania, france)
    write_statement(debate, romania, "Romania on one.", status=FINAL)
    client.force_login(editor)
    content = download(client, debate, fmt)
    if fmt == "csv":
        statuses = {(row["delegation_code"], row["status"]) for row in csv_rows(content)}
    else:
        data = json.loads(content)
        statuses = {(s["delegation_code"], s["status"]) for s in data["statements"]}
    assert statuses == {("ROU", "final"), ("FRA", "not_started")}


def test_coverage_table_lists_a_delegation_that_has_not_started(client, editor, debate, france):
    debate.invited_only = True
    debate.save()
    debate.invited_delegations.add(france)
    client.force_login(editor)
    text = re.sub(r"\s+", " ", pdf_text(download(client, debate, "pdf")))
    assert "France Not started" in text


# The document model -------------------------------------------------------------------------


def test_no_writer_runs_a_query(positions, django_assert_num_queries):
    document = CompendiumDocument.of(positions)
    for fmt, spec in COMPENDIUM_FORMATS.items():
        with django_assert_num_queries(0):
            assert spec.render(document), fmt


def test_a_long_pdf_is_laid_out_in_pieces_numbered_on(client, editor, positions, monkeypatch):
    monkeypatch.setattr(pdf, "PIECE_WORDS", 1)
    # The title, then a piece at each section: coverage, openings, three questions, closings.
    assert len(pdf.pieces(CompendiumDocument.of(positions))) == 7
    client.force_login(editor)
    pages = pdf_pages(download(client, positions, "pdf"))
    assert [re.search(r"Page (\d+)", page)[1] for page in pages] == [str(n) for n in range(1, 8)]
    assert in_order(
        re.sub(r"\s+", " ", "\n".join(pages)),
        "Coverage",
        "Openings",
        "1. Label 1",
        "Romania (Final): Romania on one.",
        "3. Label 3",
        "Closings",
        ALIGNED,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_is_reported_up_to_the_whole(positions, fmt):
    seen = []
    compendium_download(positions, fmt, progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == 1
