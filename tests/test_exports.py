import io
import re
from urllib.parse import unquote

import odf.opendocument
import odf.style
import odf.teletype
import odf.text
import pytest
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Pt

from debateprep.drafting.exports import ExportOptions, statement_download
from debateprep.drafting.models import Statement
from tests.factories import (
    docx_lines,
    in_order,
    make_debate,
    make_delegation,
    make_member,
    odt_lines,
    pdf_pages,
    pdf_text,
    read_docx,
    write_statement,
)
from tests.office import OFFICE, convert_to_pdf

FORMATS = ["docx", "pdf", "odt", "md", "txt"]
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
OPENING = "Mr. President, I thank you for convening this open debate."
ANSWERS = [
    "Regional organizations know the ground.\n\nThey act first, and often alone.",
    "The Council keeps primary responsibility.",
    "",  # the third question left unanswered
]
CLOSING = "I thank you, Mr. President."
# Markup for each format, XML that would close a DOCX run, control characters that XML forbids
# (not NUL: forms refuse it and PostgreSQL cannot store it), a formula, and a word far longer
# than a line.
LONG_WORD = "Antidisestablishmentarianism" * 40
HOSTILE = (
    '<script>alert("x")</script> <b>bold</b> </w:t></w:r><w:r><w:t>injected '
    "</text:p><text:p>odt & ]]> \x01\x07\x1b\x0bnext line =SUM(A1:A9) "
    f"{LONG_WORD}"
)


@pytest.fixture
def statement(debate, romania):
    debate.meeting_kind = "open debate"
    debate.save()
    return write_statement(debate, romania, *ANSWERS, opening=OPENING, closing=CLOSING)


def export_url(statement, fmt, query=""):
    url = reverse("jobs:statement", args=[statement.debate.slug, statement.delegation.code, fmt])
    return f"{url}?{query}" if query else url


def preview_url(statement, query=""):
    url = reverse(
        "drafting:statement-preview", args=[statement.debate.slug, statement.delegation.code]
    )
    return f"{url}?{query}" if query else url


def export(client, statement, fmt, query=""):
    response = client.get(export_url(statement, fmt, query))
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def text_of(fmt: str, content: bytes) -> str:
    """What a person reading the file sees, through a real reader for each format."""
    if fmt == "docx":
        document = read_docx(content)
        section = document.sections[0]
        margins = [section.header.paragraphs[0].text, section.footer.paragraphs[0].text]
        return "\n".join(docx_lines(content) + margins)
    if fmt == "pdf":
        # Lines break where the page is full: compare words, not line breaks.
        return re.sub(r"\s+", " ", pdf_text(content))
    if fmt == "odt":
        return "\n".join(odt_lines(content))
    return content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_downloads_with_its_type_and_a_name_from_debate_and_delegation(
    client, drafter, statement, fmt
):
    client.force_login(drafter)
    response = client.get(export_url(statement, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == (
        f'attachment; filename="{statement.debate.slug}-romania-statement.{fmt}"'
    )
    assert int(response["Content-Length"]) > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_reads_as_a_statement_to_deliver(client, drafter, statement, fmt):
    client.force_login(drafter)
    text = text_of(fmt, export(client, statement, fmt))
    assert in_order(
        text,
        "Check against delivery" if fmt != "txt" else "CHECK AGAINST DELIVERY",
        "Security Council, open debate, 20 July 2004",
        statement.debate.title,
        "Statement by Romania",
        OPENING,
        "Label 1" if fmt != "txt" else "LABEL 1",
        "Regional organizations know the ground.",
        "They act first, and often alone.",
        "Label 2" if fmt != "txt" else "LABEL 2",
        "The Council keeps primary responsibility.",
        CLOSING,
    )
    assert "Label 3" not in text.title()  # no heading over an empty answer
    # 10 + 11 + 5 + 5 = 31 words at 120 words a minute: 15.5 seconds, rounded up
    assert "31 words · about 0:16 of speaking time at 120 words per minute" in text
    assert "DRAFT: not the final statement" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_final_statement_carries_no_draft_mark(client, drafter, statement, fmt):
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.FINAL)
    client.force_login(drafter)
    assert "DRAFT" not in text_of(fmt, export(client, statement, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_statement_in_review_is_marked_as_a_draft_in_review(client, drafter, statement, fmt):
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.IN_REVIEW)
    client.force_login(drafter)
    text = text_of(fmt, export(client, statement, fmt))
    assert "DRAFT (in review): not the final statement" in text


def test_draft_pdf_is_watermarked_on_every_page(client, drafter, debate, romania):
    statement = write_statement(debate, romania, *["Peace and security. " * 400] * 3)
    client.force_login(drafter)
    pages = pdf_pages(export(client, statement, "pdf"))
    assert len(pages) > 1
    assert all("DRAFT" in page for page in pages)
    assert f"Page 1 of {len(pages)}" in pages[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_marking_and_headings_are_chosen_in_the_url(client, drafter, statement, fmt):
    client.force_login(drafter)
    text = text_of(fmt, export(client, statement, fmt, "marking=verbatim&headings=0"))
    assert "read out verbatim" in text.lower()
    assert "check against delivery" not in text.lower()
    assert "Label 1" not in text.title()
    assert in_order(text, OPENING, "Regional organizations know the ground.", CLOSING)


@pytest.mark.parametrize("fmt", FORMATS)
def test_reading_copy_numbers_paragraphs_with_the_running_time(client, drafter, statement, fmt):
    client.force_login(drafter)
    text = text_of(fmt, export(client, statement, fmt, "reading_copy=1"))
    # After 10 words 0:05, after 15 0:08 (7.5 s rounded up), 21 0:11, 26 0:13, 31 0:16.
    assert in_order(
        re.sub(r"[*·\[\]\s]+", " ", text),
        f"1 0:05 {OPENING}",
        "2 0:08 Regional organizations",
        "3 0:11 They act first",
        "4 0:13 The Council",
        f"5 0:16 {CLOSING}",
    )


def test_a_reading_copy_is_named_apart_from_the_statement(client, drafter, statement):
    client.force_login(drafter)
    header = client.get(export_url(statement, "pdf", "reading_copy=1"))["Content-Disposition"]
    assert header == f'attachment; filename="{statement.debate.slug}-romania-reading-copy.pdf"'


def test_reading_copy_docx_is_set_for_the_lectern(client, drafter, statement):
    client.force_login(drafter)
    document = read_docx(export(client, statement, "docx", "reading_copy=1"))
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(18)
    assert normal.paragraph_format.line_spacing == 2
    body = next(p for p in document.paragraphs if p.text.startswith("2"))
    assert body.paragraph_format.keep_together
    assert body.paragraph_format.first_line_indent < 0  # the number hangs in the margin


def test_reading_copy_pdf_keeps_each_paragraph_on_one_page(client, drafter, debate, romania):
    paragraph = " ".join(["Peace"] * 120)
    statement = write_statement(debate, romania, "\n\n".join([paragraph] * 6))
    client.force_login(drafter)
    pages = pdf_pages(export(client, statement, "pdf", "reading_copy=1"))
    # Large type: 720 words fill several pages, and every page holds whole paragraphs only.
    assert len(pages) >= 3
    for page in pages:
        assert page.count("Peace") % 120 == 0


@pytest.mark.parametrize("query", ["marking=loud", "headings=maybe", "reading_copy=2"])
def test_an_invalid_option_is_a_bad_request_that_names_it(client, drafter, statement, query):
    client.force_login(drafter)
    for url in (export_url(statement, "pdf", query), preview_url(statement, query)):
        response = client.get(url)
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert query.split("=")[0] in response.content.decode()


def test_preview_shows_the_pdf_page_on_screen_within_the_content_security_policy(
    client, drafter, statement
):
    client.force_login(drafter)
    response = client.get(preview_url(statement, "marking=verbatim&reading_copy=1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/css/print.css" in page
    assert "Read out verbatim" in page
    assert 'class="margin-note"' in page
    assert "style=" not in page
    assert "<style" not in page
    assert "<script" not in page
    assert "style-src 'self'" in response["Content-Security-Policy"]
    pdf_link = export_url(statement, "pdf", "marking=verbatim&amp;reading_copy=1")
    assert pdf_link in page


def test_statement_page_offers_each_format_in_one_click_and_a_preview(client, drafter, statement):
    client.force_login(drafter)
    page = client.get(statement.get_absolute_url()).content.decode()
    form = page[page.index('<form class="exports"') :]
    form = form[: form.index("</form>")]
    assert 'method="get"' in form
    assert f'action="{preview_url(statement)}"' in form
    # Through the jobs app, which builds a long PDF or reading copy in the background.
    for fmt in FORMATS:
        args = [statement.debate.slug, statement.delegation.code, fmt]
        assert f'formaction="{reverse("jobs:statement", args=args)}"' in form
    assert 'name="marking"' in form
    assert '<option value="verbatim">' in form
    assert 'name="headings" value="0"' in form
    assert 'name="reading_copy" value="1"' in form


@pytest.mark.parametrize("fmt", FORMATS)
def test_other_delegations_cannot_export_or_preview(client, statement, other_drafter, fmt):
    client.force_login(other_drafter)
    assert client.get(export_url(statement, fmt)).status_code == 404
    assert client.get(preview_url(statement)).status_code == 404


def test_editors_export_any_delegations_statement(client, statement, editor):
    client.force_login(editor)
    response = client.get(export_url(statement, "md"))
    assert response.status_code == 200
    assert statement.delegation.name in b"".join(response.streaming_content).decode()


def test_non_ascii_names_keep_an_ascii_filename_and_the_real_one(client, debate):
    ivory_coast = make_delegation("Côte d'Ivoire", "CIV")
    statement = write_statement(debate, ivory_coast, "Paix et sécurité.")
    client.force_login(make_member(ivory_coast))
    response = client.get(export_url(statement, "docx"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{debate.slug}-cote-divoire-statement.docx"; '
        f"filename*=utf-8''{debate.slug}-c%C3%B4te-divoire-statement.docx"
    )


def test_a_name_without_latin_letters_falls_back_to_the_code(client, debate):
    china = make_delegation("中国", "CHN")
    statement = write_statement(debate, china, "和平")
    client.force_login(make_member(china))
    header = client.get(export_url(statement, "txt"))["Content-Disposition"]
    assert header.startswith(f'attachment; filename="{debate.slug}-chn-statement.txt"; ')
    assert header.endswith("%E4%B8%AD%E5%9B%BD-statement.txt")


# Hostile text -------------------------------------------------------------------------------


@pytest.fixture
def hostile(debate, romania):
    return write_statement(debate, romania, HOSTILE, opening=HOSTILE, closing="Thank you.")


def assert_typed_text_survives(text: str) -> None:
    assert '<script>alert("x")</script> <b>bold</b>' in text
    assert "</w:t></w:r><w:r><w:t>injected </text:p><text:p>odt & ]]>" in text
    assert "=SUM(A1:A9)" in text
    assert not re.search("[\x00-\x08\x0e-\x1f]", text)


def test_docx_holds_hostile_text_as_typed(client, drafter, hostile):
    client.force_login(drafter)
    document = read_docx(export(client, hostile, "docx"))
    texts = [p.text for p in document.paragraphs]
    opening = next(text for text in texts if "script" in text)
    assert_typed_text_survives(opening)
    assert "\nnext line" in opening  # Word's vertical tab is a line break
    assert LONG_WORD in opening
    assert not any(text == "injected" for text in texts)  # no paragraph or run smuggled in


def test_odt_holds_hostile_text_as_typed(client, drafter, hostile):
    client.force_login(drafter)
    lines = odt_lines(export(client, hostile, "odt"))
    opening = next(line for line in lines if "script" in line)
    assert_typed_text_survives(opening)
    assert LONG_WORD in opening
    assert "odt & ]]>" not in lines  # the closing tag typed did not end the paragraph


def test_pdf_holds_hostile_text_as_typed_and_wraps_long_words(client, drafter, hostile):
    client.force_login(drafter)
    text = pdf_text(export(client, hostile, "pdf"))
    assert_typed_text_survives(re.sub(r"\s+", " ", text))
    assert LONG_WORD in re.sub(r"\s", "", text)
    # The 1,120-letter word is broken over lines rather than running off the page.
    assert max(len(line) for line in text.splitlines()) < 150


def test_preview_escapes_hostile_text(client, drafter, hostile):
    client.force_login(drafter)
    page = client.get(preview_url(hostile)).content.decode()
    assert "<script>" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_markdown_escapes_hostile_text(client, drafter, hostile):
    client.force_login(drafter)
    text = export(client, hostile, "md").decode()
    assert r'\<script\>alert("x")\</script\> \<b\>bold\</b\>' in text
    assert "<script>" not in text
    assert not re.search("[\x00-\x08\x0e-\x1f]", text)


def test_markdown_keeps_a_typed_fence_or_entity_as_text(client, drafter, debate, romania):
    # "~~~" would open a code block that swallows the rest of the statement; "&copy;" would
    # read "©"; "~~struck~~" would be struck through.
    statement = write_statement(debate, romania, "~~~", "&copy; 2004 ~~struck~~")
    client.force_login(drafter)
    text = export(client, statement, "md").decode()
    assert "\n\\~\\~\\~\n" in text
    assert "\\&copy; 2004 \\~\\~struck\\~\\~" in text
    assert in_order(text, "\\~\\~\\~", "## Label 2")


def test_plain_text_keeps_hostile_text_as_typed(client, drafter, hostile):
    client.force_login(drafter)
    assert_typed_text_survives(export(client, hostile, "txt").decode())


# A real office suite --------------------------------------------------------------------------


@pytest.mark.skipif(not OFFICE, reason="LibreOffice (soffice) is not installed; CI installs it")
@pytest.mark.parametrize("fmt", ["docx", "odt"])
@pytest.mark.parametrize("query", ["", "reading_copy=1&headings=0"])
def test_libreoffice_converts_the_export_to_pdf(client, drafter, hostile, tmp_path, fmt, query):
    client.force_login(drafter)
    source = tmp_path / f"statement.{fmt}"
    source.write_bytes(export(client, hostile, fmt, query))
    convert_to_pdf(source, folder=tmp_path)
    converted = tmp_path / "statement.pdf"
    text = re.sub(r"\s+", " ", pdf_text(converted.read_bytes()))
    assert '<script>alert("x")</script>' in text
    assert "DRAFT: not the final statement" in text  # the page header
    assert "words per minute" in text  # the page footer
    assert re.search(r"Page 1 of [1-9]", text)  # the page number, and how many pages to hold


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_statement_over_the_limit_says_so_in_its_footer(client, drafter, debate, romania, fmt):
    debate.speaking_limit_seconds = 10
    debate.save()
    statement = write_statement(debate, romania, "We welcome this debate. " * 10)
    client.force_login(drafter)
    assert "(limit 0:10, over the limit)" in text_of(fmt, export(client, statement, fmt))


def test_word_export_is_on_a4_paper_and_signed_by_the_app(client, drafter, statement):
    client.force_login(drafter)
    document = read_docx(export(client, statement, "docx"))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert document.core_properties.author == "DebatePrep"
    assert "python-docx" not in document.core_properties.comments


def test_markdown_keeps_a_line_break_inside_a_paragraph(client, drafter, debate, romania):
    statement = write_statement(debate, romania, "First line\nSecond line")
    client.force_login(drafter)
    assert "First line  \nSecond line" in export(client, statement, "md").decode()


def test_an_unlabelled_question_is_headed_by_its_number_not_cut_off_words(
    client, drafter, debate, romania
):
    debate.questions.update(label="", marker="")
    debate.questions.filter(order=1).update(marker="(1)")
    statement = write_statement(debate, romania, "Our answer.")
    client.force_login(drafter)
    text = text_of("txt", export(client, statement, "txt"))
    assert "QUESTION (1)" in text


# Read as a new user would -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_closing_is_under_a_heading_of_its_own_not_the_last_questions(
    client, drafter, statement, fmt
):
    client.force_login(drafter)
    text = text_of(fmt, export(client, statement, fmt))
    closing = "CLOSING" if fmt == "txt" else "Closing"
    assert in_order(text, "The Council keeps primary responsibility.", closing, CLOSING)
    if fmt == "docx":
        lines = [
            (p.style.name, p.text) for p in read_docx(export(client, statement, fmt)).paragraphs
        ]
        assert lines[lines.index(("Normal", CLOSING)) - 1] == ("Heading 2", "Closing")
    untitled = text_of(fmt, export(client, statement, fmt, "headings=0"))
    assert closing not in untitled.replace(CLOSING, "")


def test_docx_numbers_its_pages_out_of_the_total(client, drafter, statement):
    client.force_login(drafter)
    footer = read_docx(export(client, statement, "docx")).sections[0].footer.paragraphs[0]
    fields = [field.get(qn("w:instr")) for field in footer._p.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("31 words")


def test_odt_numbers_its_pages_out_of_the_total(client, drafter, statement):
    client.force_login(drafter)
    document = odf.opendocument.load(io.BytesIO(export(client, statement, "odt")))
    footer = document.masterstyles.getElementsByType(odf.style.Footer)[0]
    assert footer.getElementsByType(odf.text.PageNumber)
    assert footer.getElementsByType(odf.text.PageCount)
    assert "31 words" in odf.teletype.extractText(footer)


def test_markdown_keeps_a_typed_number_without_a_stray_backslash(client, drafter, debate, romania):
    statement = write_statement(debate, romania, "1. point one\n2) point two\n- a dash")
    client.force_login(drafter)
    text = export(client, statement, "md").decode()
    # CommonMark escapes punctuation: "1\." reads "1." where "\1." would show its backslash.
    assert "1\\. point one  \n2\\) point two  \n\\- a dash" in text
    assert "\\1" not in text
    assert "\\2" not in text


def test_the_longest_names_still_make_a_file_name_a_disk_can_hold(client, db, settings):
    settings.EXPORT_BACKGROUND_WORDS = 1  # built and kept as a job, whose row holds the name
    debate = make_debate(slug="d" * 100)
    delegation = make_delegation("Ñ" * 100 + "中" * 100, "LONG")
    client.force_login(make_member(delegation))
    statement = write_statement(debate, delegation, "Peace.")
    response = client.get(export_url(statement, "pdf", "reading_copy=1"))
    assert response.status_code == 200
    ascii_name, display_name = re.fullmatch(
        r"attachment; filename=\"([^\"]+)\"; filename\*=utf-8''(\S+)",
        response["Content-Disposition"],
    ).groups()
    assert ascii_name.startswith(f"{debate.slug}-nnn")
    assert ascii_name.endswith("-reading-copy.pdf")
    # 255 bytes: the longest name most file systems hold.
    assert len(ascii_name) <= 255
    assert len(unquote(display_name).encode()) <= 255


def test_a_debate_named_after_its_presidency_does_not_repeat_the_delegation(
    client, drafter, france, romania
):
    debate = make_debate(slug="2004-07-20-romania")
    client.force_login(drafter)
    statement = write_statement(debate, romania, "Peace.")
    header = client.get(export_url(statement, "pdf"))["Content-Disposition"]
    assert header == 'attachment; filename="2004-07-20-romania-statement.pdf"'
    client.force_login(make_member(france))
    statement = write_statement(debate, france, "Paix.")
    header = client.get(export_url(statement, "pdf"))["Content-Disposition"]
    assert header == 'attachment; filename="2004-07-20-romania-france-statement.pdf"'


@pytest.mark.parametrize("fmt", ["docx", "pdf", "odt", "md", "txt"])
def test_progress_is_reported_up_to_the_whole(statement, fmt):
    seen = []
    statement_download(statement, fmt, ExportOptions(), progress=seen.append)
    assert seen
    assert seen == sorted(seen)
    assert seen[-1] == 1
