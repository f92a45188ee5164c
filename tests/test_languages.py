"""Statements in the six languages: each has its language (its delegation's unless its writers
choose another), is counted in its unit (words, or characters in Chinese) and timed at the
debate's rate for it, and its boxes and exports say which language it is and which way it runs.
"""

import io
import math
import re
import zipfile

import odf.opendocument
import odf.style
import pypdf
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from debateprep.delegations.models import AuditEntry, Membership
from debateprep.drafting.exports import statement_download
from debateprep.drafting.models import Answer, Revision, Statement
from debateprep.jobs.building import fingerprint, is_long
from debateprep.lib.languages import Language
from debateprep.lib.speech import count_characters, count_words
from tests.factories import (
    make_delegation,
    make_member,
    open_statement,
    pdf_text,
    read_docx,
    write_statement,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
# 41 Chinese characters, a Latin word ("UN") and a number, and punctuation: 43 to count.
CHINESE = (
    "主席先生，我国感谢您召开这次公开辩论。我们支持UN在2030年议程中发挥核心作用，"
    "并愿与各方共同努力。"
)
CHINESE_UNITS = 43
ARABIC = "السيد الرئيس، نشكركم على عقد هذه المناقشة المفتوحة."
ARABIC_WORDS = 8


@pytest.fixture
def china(db):
    return make_delegation("China", "CHN", language=Language.CHINESE)


@pytest.fixture
def egypt(db):
    return make_delegation("Egypt", "EGY", language=Language.ARABIC)


def page_url(debate, delegation):
    return reverse("drafting:statement", args=[debate.slug, delegation.code])


def language_url(debate, delegation):
    return reverse("drafting:statement-language", args=[debate.slug, delegation.code])


def save_url(answer):
    return reverse("drafting:answer-save", args=answer.url_args)


def test_a_chinese_statement_is_timed_by_its_characters_not_its_sentences(client, debate, china):
    drafter = make_member(china, username="li")
    client.force_login(drafter)
    statement = open_statement(debate, china)
    answer = statement.answers.get(part=Answer.Part.OPENING)

    response = client.post(save_url(answer), {"text": CHINESE, "version": 0}, **HTMX)

    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.words == CHINESE_UNITS == count_characters(CHINESE)
    assert count_words(CHINESE) == 1  # what it counted as before: one "word", no space in it
    time = Statement.objects.get().speaking_time()
    assert (time.words, time.seconds) == (CHINESE_UNITS, math.ceil(CHINESE_UNITS * 60 / 160))
    body = response.content.decode()
    assert f"<span data-word-count>{CHINESE_UNITS}</span> <span data-unit-label>characters" in body


@pytest.mark.parametrize(
    ("language", "text", "units"),
    [
        # Written with a Chinese name, counted in English words: "北京" is one.
        (Language.ENGLISH, "We met in 北京 today", 5),
        # Written without a Chinese character, counted as Chinese is: here the same.
        (Language.CHINESE, "UN 2030", 2),
        (Language.CHINESE, "联合国 UN", 4),
    ],
)
def test_an_autosave_is_counted_in_its_statements_unit_whatever_script_it_is_in(
    client, debate, language, text, units
):
    delegation = make_delegation("Anywhere", "ANY", language=language)
    client.force_login(make_member(delegation, username="typist"))
    answer = open_statement(debate, delegation).answers.get(part=Answer.Part.OPENING)

    response = client.post(save_url(answer), {"text": text, "version": 0}, **HTMX)

    assert response.status_code == 200
    assert f"<span data-word-count>{units}</span>" in response.content.decode()
    answer.refresh_from_db()
    assert (answer.text, answer.words, answer.version) == (text, units, 1)
    assert answer.revisions.get().words == units


def test_an_autosave_of_the_text_already_saved_keeps_one_version(client, debate, romania):
    client.force_login(make_member(romania, username="typist"))
    answer = open_statement(debate, romania).answers.get(part=Answer.Part.OPENING)
    for version in (0, 1, 1):
        response = client.post(save_url(answer), {"text": "Thank you.", "version": version}, **HTMX)
        assert response.status_code == 200
        assert 'value="1"' in response.content.decode()
        answer.refresh_from_db()
        assert (answer.version, answer.revisions.count()) == (1, 1)


def test_a_five_minute_chinese_statement_shows_five_minutes(client, debate, china):
    statement = write_statement(debate, china, "联合国" * 100, opening="安理会" * 100)
    client.force_login(make_member(china, username="li"))

    page = client.get(page_url(debate, china)).content.decode()

    # 600 characters at 160 a minute: 3 minutes 45 seconds, not the few seconds of 2 "words".
    assert statement.speaking_time().clock == "3:45"
    assert "<span data-total-words>600</span> <span data-unit-label>characters</span>" in page
    assert "<span data-total-time>3:45</span>" in page
    assert "counted in characters, at 160 characters a minute" in page


def test_each_language_is_timed_at_the_debates_rate_for_it(debate, china, romania):
    debate.rate_zh_hans, debate.rate_en = 200, 60
    debate.save()
    chinese = write_statement(debate, china, "联合国" * 100)
    english = write_statement(debate, romania, "word " * 60)

    assert chinese.speaking_time().clock == "1:30"  # 300 characters at 200 a minute
    assert english.speaking_time().clock == "1:00"  # 60 words at 60 a minute


def test_the_debates_rates_are_set_in_the_admin_with_their_sources(client, editor, debate):
    client.force_login(editor)
    url = reverse("admin:debates_debate_change", args=[debate.pk])
    page = client.get(url).content.decode()

    assert "Chinese: characters a minute" in page
    assert "Li (2010) gives 150 to 180 syllables a minute" in page
    assert "Arabic: words a minute" in page
    assert "an estimate" in page
    assert (debate.rate_zh_hans, debate.rate_en, debate.rate_ar) == (160, 120, 120)


def test_a_new_statement_takes_its_delegations_language(client, debate, china):
    drafter = make_member(china, username="li")
    client.force_login(drafter)

    page = client.get(page_url(debate, china)).content.decode()
    assert page.count('lang="zh-hans" dir="ltr"') >= 5  # every box, nothing saved yet
    answer = Statement.of(debate, china).answer_at("opening")
    client.post(save_url(answer), {"text": CHINESE, "version": 0}, **HTMX)

    statement = Statement.objects.get()
    assert statement.language == Language.CHINESE
    assert statement.answers.get(part=Answer.Part.OPENING).words == CHINESE_UNITS


def test_an_arabic_statements_boxes_run_right_to_left_for_writers_and_readers(
    client, debate, egypt, editor
):
    write_statement(debate, egypt, ARABIC)
    drafter = make_member(egypt, username="amal")
    for person, box in ((drafter, "data-answer-text"), (editor, "data-answer-readonly")):
        client.force_login(person)
        page = client.get(page_url(debate, egypt)).content.decode()
        boxes = re.findall(rf"<textarea[^>]*{box}[^>]*>", page)
        assert len(boxes) == 3 + 2
        assert all('lang="ar"' in tag and 'dir="rtl"' in tag for tag in boxes), boxes


def test_changing_the_language_counts_every_answer_and_version_again_and_keeps_the_text(
    client, debate, romania, drafter
):
    statement = open_statement(debate, romania)
    answer = statement.answers.get(question__order=1)
    answer.save_text("联合国安理会", base_version=0, by=drafter)
    answer.save_text(CHINESE, base_version=1, by=drafter)
    assert [r.words for r in answer.revisions.order_by("version")] == [1, 1]  # as English words
    client.force_login(drafter)

    response = client.post(language_url(debate, romania), {"language": "zh-hans"})

    assert response.status_code == 302
    statement.refresh_from_db()
    answer.refresh_from_db()
    assert statement.language == Language.CHINESE
    assert (answer.text, answer.version, answer.words) == (CHINESE, 2, CHINESE_UNITS)
    assert [r.words for r in answer.revisions.order_by("version")] == [6, CHINESE_UNITS]
    assert [r.text for r in answer.revisions.order_by("version")] == ["联合国安理会", CHINESE]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LANGUAGE_CHANGED)
    assert (entry.actor, entry.delegation, entry.changes) == (
        drafter,
        romania,
        {"language": ["en", "zh-hans"]},
    )
    page = client.get(response.url).content.decode()
    assert "The statement is now in Chinese: its length is counted in characters." in page


def test_changing_the_language_with_htmx_redraws_the_form_and_the_counts_in_place(
    client, debate, romania, drafter
):
    statement = write_statement(debate, romania, CHINESE, opening=ARABIC)
    client.force_login(drafter)

    response = client.post(language_url(debate, romania), {"language": "zh-hans"}, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="statement-language"')
    assert 'data-language="zh-hans"' in body
    assert 'data-unit="characters"' in body
    assert 'id="statement-language-status" data-hx-swap-oob="innerHTML"' in body
    question = statement.answers.get(question__order=1)
    assert re.search(
        rf'id="{question.anchor}-count" class="count" data-hx-swap-oob="true">'
        rf"<span data-word-count>{CHINESE_UNITS}</span> <span data-unit-label>characters",
        body,
    )
    total = CHINESE_UNITS + ARABIC_WORDS
    assert f"<span data-total-words>{total}</span>" in body


def test_a_statement_not_started_yet_is_started_in_the_chosen_language(
    client, debate, romania, drafter
):
    client.force_login(drafter)
    response = client.post(language_url(debate, romania), {"language": "ar"}, **HTMX)

    assert response.status_code == 200
    assert Statement.objects.get().language == Language.ARABIC
    assert 'id="statement-state" data-hx-swap-oob="true"' in response.content.decode()


@pytest.mark.parametrize("htmx", [True, False])
def test_a_final_statement_keeps_its_language(client, debate, romania, htmx):
    lead = make_member(romania, Membership.Role.LEAD, username="lead")
    write_statement(debate, romania, "Done.", status=Statement.Status.FINAL)
    client.force_login(lead)

    response = client.post(
        language_url(debate, romania), {"language": "fr"}, **(HTMX if htmx else {})
    )

    assert Statement.objects.get().language == Language.ENGLISH
    if htmx:
        assert response.status_code == 423
        assert "a lead must reopen it first" in response.content.decode()
    else:
        page = client.get(response.url).content.decode()
        assert "a lead must reopen it first" in page
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LANGUAGE_CHANGED).exists()


def test_a_language_outside_the_six_is_refused(client, debate, romania, drafter):
    write_statement(debate, romania, "Text.")
    client.force_login(drafter)
    response = client.post(language_url(debate, romania), {"language": "de"}, **HTMX)
    assert response.status_code == 422
    assert "Choose one of the six languages." in response.content.decode()
    assert Statement.objects.get().language == Language.ENGLISH


def test_reviewers_and_editors_read_the_language_but_have_no_form(client, debate, romania, editor):
    write_statement(debate, romania, "Text.")
    reviewer = make_member(romania, Membership.Role.REVIEWER, username="rita")
    for person in (reviewer, editor):
        client.force_login(person)
        page = client.get(page_url(debate, romania)).content.decode()
        assert "Written in English." in page
        assert reverse("drafting:statement-language", args=[debate.slug, "ROU"]) not in page
        assert client.post(language_url(debate, romania), {"language": "fr"}).status_code == 403


def test_a_change_of_language_makes_a_new_export_not_the_one_built_before(debate, romania):
    statement = write_statement(debate, romania, "联合国安理会")
    before = fingerprint(debate, "pdf", statement=statement)
    statement.set_language(Language.CHINESE, by=None)
    assert fingerprint(debate, "pdf", statement=statement) != before


# Exports


def test_the_pdf_of_a_chinese_statement_holds_its_characters_and_emoji_in_noto_fonts(debate, china):
    statement = write_statement(debate, china, CHINESE, opening="各位同事，早上好 🙂 👍")

    content = statement_download(statement, "pdf").content

    text = pdf_text(content)
    squashed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", CHINESE) in squashed
    assert "各位同事，早上好🙂👍" in squashed
    units = CHINESE_UNITS + 7  # the emoji are not counted
    assert f"{units} characters · about 0:19 of speaking time at 160 characters per minute" in (
        text
    )
    fonts = pdf_fonts(content)
    assert any("NotoSerifCJK" in font for font in fonts), fonts
    assert pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"] == "zh-CN"


def test_the_pdf_of_an_arabic_statement_is_in_arabic_in_an_arabic_font(debate, egypt):
    statement = write_statement(debate, egypt, ARABIC)

    content = statement_download(statement, "pdf").content

    # pypdf reads right-to-left text in the order it is drawn, from the left: word by word.
    words = set(re.sub(r"[.،]", "", ARABIC).split())
    assert words <= set(re.sub(r"[.،]", "", pdf_text(content)).split())
    assert any("NotoNaskhArabic" in font for font in pdf_fonts(content))
    assert pypdf.PdfReader(io.BytesIO(content)).trailer["/Root"]["/Lang"] == "ar-SA"


def pdf_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    return fonts


def test_the_docx_of_an_arabic_statement_runs_right_to_left_in_arabic(debate, egypt):
    statement = write_statement(debate, egypt, ARABIC)

    word = read_docx(statement_download(statement, "docx").content)

    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    lang = defaults.find(qn("w:rPr")).find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:bidi"))) == ("ar-SA", "ar-SA")
    body = next(p for p in word.paragraphs if p.text == ARABIC)
    assert body._p.pPr.find(qn("w:bidi")) is not None
    assert all(run._r.rPr.find(qn("w:rtl")) is not None for run in body.runs)
    # What DebatePrep writes around it is English, left to right.
    byline = next(p for p in word.paragraphs if p.text == "Statement by Egypt")
    assert byline._p.pPr is None or byline._p.pPr.find(qn("w:bidi")) is None
    run_lang = byline.runs[0]._r.rPr.find(qn("w:lang"))
    assert run_lang.get(qn("w:val")) == "en-GB"
    assert byline.runs[0]._r.rPr.find(qn("w:rtl")) is None
    theme = word.settings.element.find(qn("w:themeFontLang"))
    assert (theme.get(qn("w:eastAsia")), theme.get(qn("w:bidi"))) == ("zh-CN", "ar-SA")


def test_the_docx_of_a_chinese_statement_is_in_chinese(debate, china):
    statement = write_statement(debate, china, CHINESE)

    word = read_docx(statement_download(statement, "docx").content)

    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    lang = defaults.find(qn("w:rPr")).find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")
    body = next(p for p in word.paragraphs if p.text == CHINESE)
    assert body._p.pPr is None or body._p.pPr.find(qn("w:bidi")) is None


def odt_default_style(content: bytes):
    document = odf.opendocument.load(io.BytesIO(content))
    default = document.styles.getElementsByType(odf.style.DefaultStyle)[0]
    return document, default


def odt_attribute(element, kind, name: str) -> str:
    (properties,) = element.getElementsByType(kind)
    return properties.getAttribute(name)


def test_the_odt_of_an_arabic_statement_runs_right_to_left_in_arabic(debate, egypt):
    statement = write_statement(debate, egypt, ARABIC)

    document, default = odt_default_style(statement_download(statement, "odt").content)

    text = odf.style.TextProperties
    paragraph = odf.style.ParagraphProperties
    assert odt_attribute(default, text, "language") == "ar"
    assert odt_attribute(default, text, "country") == "SA"
    assert odt_attribute(default, text, "languagecomplex") == "ar"
    assert odt_attribute(default, paragraph, "writingmode") == "rl-tb"
    # The English around it has styles of its own, left to right.
    english = [
        style
        for style in document.styles.getElementsByType(odf.style.Style)
        if style.getAttribute("name").endswith("-en")
    ]
    assert english
    for style in english:
        assert odt_attribute(style, text, "language") == "en"
        assert odt_attribute(style, text, "country") == "GB"
        if style.getAttribute("family") == "paragraph":
            assert odt_attribute(style, paragraph, "writingmode") == "lr-tb"


def test_the_odt_of_a_chinese_statement_is_in_chinese(debate, china):
    statement = write_statement(debate, china, CHINESE)

    _, default = odt_default_style(statement_download(statement, "odt").content)

    text = odf.style.TextProperties
    assert odt_attribute(default, text, "language") == "zh"
    assert odt_attribute(default, text, "country") == "CN"
    assert odt_attribute(default, text, "languageasian") == "zh"
    assert odt_attribute(default, text, "countryasian") == "CN"
    assert odt_attribute(default, odf.style.ParagraphProperties, "writingmode") == "lr-tb"


def test_the_preview_says_the_statements_language_and_the_frames(client, debate, egypt):
    write_statement(debate, egypt, ARABIC)
    client.force_login(make_member(egypt, username="amal"))

    page = client.get(reverse("drafting:statement-preview", args=[debate.slug, "EGY"]))

    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert f'<p class="paragraph">{ARABIC}</p>' in html
    assert '<p class="paragraph byline" lang="en" dir="ltr">Statement by Egypt</p>' in html


def test_the_compendium_gives_each_answer_its_statements_language(
    client, editor, debate, china, romania
):
    write_statement(debate, china, CHINESE)
    write_statement(debate, romania, "We agree.")
    client.force_login(editor)
    url = reverse("jobs:compendium", args=[debate.slug, "docx"])

    word = read_docx(b"".join(client.get(url).streaming_content))

    chinese = next(p for p in word.paragraphs if CHINESE in p.text)
    langs = {run._r.rPr.find(qn("w:lang")).get(qn("w:val")) for run in chinese.runs}
    assert langs == {"zh-CN"}
    english = next(p for p in word.paragraphs if "We agree." in p.text)
    assert all(run._r.rPr is None or run._r.rPr.find(qn("w:lang")) is None for run in english.runs)

    csv = b"".join(client.get(url.replace(".docx", ".csv")).streaming_content).decode()
    assert f"CHN,China,draft,zh-hans,question,1,Label 1,{CHINESE},{CHINESE_UNITS},characters," in (
        csv
    )
    assert "ROU,Romania,draft,en,question,1,Label 1,We agree.,2,words," in csv


def test_the_docx_is_a_well_formed_package(debate, egypt):
    """python-docx places neither w:bidi nor w:lang: they must stand where the schema wants."""
    statement = write_statement(debate, egypt, ARABIC)
    content = statement_download(statement, "docx").content
    document = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    for properties in re.findall(r"<w:pPr>.*?</w:pPr>", document):
        tags = re.findall(r"<w:(\w+)", properties)[1:]
        if "bidi" in tags and "jc" in tags:
            assert tags.index("bidi") < tags.index("jc")
    for properties in re.findall(r"<w:rPr>.*?</w:rPr>", document):
        tags = re.findall(r"<w:(\w+)", properties)[1:]
        if "rtl" in tags and "lang" in tags:
            assert tags.index("rtl") < tags.index("lang")


def test_revisions_are_counted_in_the_statements_unit(debate, china):
    statement = open_statement(debate, china)
    answer = statement.answers.get(part=Answer.Part.CLOSING)
    answer.save_text("谢谢主席先生。", base_version=0, by=None)
    assert Revision.objects.get().words == 6


def test_the_page_tells_the_browser_how_to_count_and_time_a_chinese_statement(
    client, debate, china
):
    client.force_login(make_member(china, username="li"))
    page = client.get(page_url(debate, china)).content.decode()
    assert (
        'data-unit="characters" data-unit-one="character" data-unit-other="characters" '
        'data-rate="160"' in page
    )


def test_markdown_puts_text_in_another_language_in_a_block_that_says_so(debate, egypt, china):
    arabic = statement_download(write_statement(debate, egypt, ARABIC), "md").content.decode()
    assert f'<div lang="ar" dir="rtl">\n\n{ARABIC}\n\n</div>' in arabic
    assert "**Statement by Egypt**" in arabic.split("<div")[0]

    chinese = statement_download(write_statement(debate, china, CHINESE), "md").content.decode()
    assert '<div lang="zh-hans" dir="ltr">' in chinese


def test_a_long_chinese_statement_is_built_in_the_background_by_its_characters(
    debate, china, settings
):
    settings.EXPORT_BACKGROUND_WORDS = 100
    statement = write_statement(debate, china, "联合国" * 40)  # 120 characters, 1 "word"
    assert is_long("statement", "pdf", statement=statement)
