"""What a user gets from uploading a presidency letter with its concept paper."""

import re
import textwrap
from datetime import date
from pathlib import Path

import pytest

from debateprep.debates.letter import LetterError, decode_letter, parse_letter

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ROMANIA = SEEDS / "2004-07-20-romania-regional-organizations-stabilization.txt"
CHINA = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"

ROMANIA_LABELS = [
    "Subsidiarity",
    "Comparative advantage",
    "Linkage",
    "Exchange of information",
    "Channels of communication",
    "Cooperation and regional capacity development",
    "Root causes of conflict",
    "Smooth transition",
    "Monitoring",
    "Oversight",
]

NBSP = "\u00a0"
EN_DASH = "\u2013"

# A fictional presidency letter; each test supplies the annex it is about.
LETTER = """\
Security Council

Distr.: General
2 March 2015

Original: English

Letter dated 27 February 2015 from the Permanent Representative of Norway
to the United Nations addressed to the Secretary-General

I have the honour to inform you that, during the presidency of Norway, the Security Council \
will hold an open debate on "Water scarcity and the maintenance of international peace and \
security" on Thursday, 19 March 2015.

I should be grateful if the present letter and its annex could be circulated as a document of \
the Security Council.

(Signed) Kari Nordmann
Ambassador

Annex to the letter dated 27 February 2015 from the Permanent Representative of Norway to the \
United Nations addressed to the Secretary-General

Concept note

Water scarcity and the maintenance of international peace and security

{annex}
"""

QUESTIONS = [
    "How can early warning of water-related tensions reach the Council in time?",
    "What role should river basin organizations play in preventive diplomacy?",
    "How can peace operations support shared management of water resources?",
]


def letter_with(annex: str) -> str:
    return LETTER.format(annex=annex.strip())


def asked(text: str) -> list[tuple[str, str, str]]:
    return [(q.marker, q.label, q.text) for q in parse_letter(text).questions]


def unlabelled(markers: list[str]) -> list[tuple[str, str, str]]:
    return [(marker, "", question) for marker, question in zip(markers, QUESTIONS, strict=True)]


# --------------------------------------------------------------------------- the two seeds


def test_romanian_letter_gives_its_ten_labelled_bullet_questions_in_order() -> None:
    letter = parse_letter(ROMANIA.read_text(encoding="utf-8"))

    assert [q.label for q in letter.questions] == ROMANIA_LABELS
    assert [q.number for q in letter.questions] == list(range(1, 11))
    assert {q.marker for q in letter.questions} == {""}
    first, last = letter.questions[0], letter.questions[-1]
    assert first.text == (
        "Are some conflicts more appropriate for the Security Council and other more "
        "amenable to the regional approach?"
    )
    assert first.paragraph == f"- Subsidiarity: {first.text}"
    assert letter.questions[2].text.endswith("Does the former precede and facilitate the latter?")
    assert last.text.startswith("What mechanisms can be created to ensure the commonality")
    assert last.text.endswith("undertaken by regional organizations?")


def test_romanian_letter_gives_title_dates_people_and_outcome() -> None:
    letter = parse_letter(ROMANIA.read_text(encoding="utf-8"))

    assert letter.organ == "Security Council"
    assert letter.title == (
        "Cooperation between the United Nations and regional organizations in "
        "stabilization processes"
    )
    assert letter.heading == (
        "Letter dated 8 July 2004 from the Permanent Representative of Romania to the "
        "United Nations addressed to the Secretary-General"
    )
    assert letter.distribution_date == date(2004, 7, 8)
    assert letter.letter_date == date(2004, 7, 8)
    assert letter.meeting_date == date(2004, 7, 20)
    assert letter.sender == "Romania"
    assert letter.presidency == "Romania"
    assert letter.signatory == "Mihnea Motoc"
    assert letter.outcome == "presidential statement"


def test_romanian_letter_gives_its_annex_sections_in_order() -> None:
    letter = parse_letter(ROMANIA.read_text(encoding="utf-8"))

    assert [(s.heading, s.kind) for s in letter.sections] == [
        ("Purpose of debate", "purpose"),
        ("Background", "background"),
        ("Areas for recommendation", "other"),
        ("Issues for debate", "questions"),
        ("Format", "format"),
        ("Outcome", "outcome"),
    ]
    assert letter.sections[4].text.startswith("14. The meeting will be chaired")
    assert "\n\n13. In addition to reviewing progress" in letter.sections[3].text


@pytest.mark.parametrize("seed", [ROMANIA, CHINA])
def test_seed_letters_name_their_meeting_a_thematic_debate(seed: Path) -> None:
    assert parse_letter(seed.read_text(encoding="utf-8")).meeting_kind == "thematic debate"


def test_a_letter_announcing_an_open_debate_says_so() -> None:
    annex = "Guiding questions\n\n" + "\n\n".join(QUESTIONS)
    assert parse_letter(letter_with(annex)).meeting_kind == "open debate"


def test_chinese_letter_gives_its_five_numbered_questions_without_labels() -> None:
    letter = parse_letter(CHINA.read_text(encoding="utf-8"))

    assert [(q.number, q.marker, q.label) for q in letter.questions] == [
        (n, f"({n})", "") for n in range(1, 6)
    ]
    # A context sentence followed by the question is one item.
    assert letter.questions[1].text.startswith("Regional organizations vary among each other")
    assert letter.questions[1].text.endswith("and of forming synergies?")
    assert letter.questions[4].text == (
        "How can regional and subregional organizations be more closely involved in "
        "peacebuilding, post-conflict stabilization and reconstruction processes, including "
        "through the framework of the Peacebuilding Commission?"
    )
    assert letter.questions[0].paragraph.startswith("(1) In view of the complex nature")


def test_chinese_letter_takes_the_year_missing_from_its_heading_from_the_annex() -> None:
    letter = parse_letter(CHINA.read_text(encoding="utf-8"))

    assert letter.heading == (
        "Letter dated 4 January from the Permanent Representative of China to the "
        "United Nations addressed to the Secretary-General"
    )
    assert letter.letter_date == date(2010, 1, 4)
    assert letter.distribution_date == date(2010, 1, 7)
    assert letter.meeting_date == date(2010, 1, 13)
    assert letter.title == (
        "Cooperation between the United Nations and regional and subregional organizations "
        "in maintaining international peace and security"
    )
    assert letter.sender == "China"
    assert letter.presidency == "China"  # "its presidency": falls back to the sender
    assert letter.signatory == "Zhang Yesui"
    assert letter.outcome == "presidential statement"
    assert [(s.heading, s.kind) for s in letter.sections] == [
        ("Introduction", "background"),
        ("Areas to be explored", "questions"),
        ("Expected outcomes", "outcome"),
    ]


@pytest.mark.parametrize("seed", [ROMANIA, CHINA], ids=["romania", "china"])
def test_questions_leave_out_the_introduction_and_what_follows_the_list(seed: Path) -> None:
    letter = parse_letter(seed.read_text(encoding="utf-8"))

    for question in letter.questions:
        assert "following" not in question.text
        assert question.text.endswith("?")
        assert "\n" not in question.text
        assert question.paragraph in letter.text


@pytest.mark.parametrize("seed", [ROMANIA, CHINA], ids=["romania", "china"])
def test_display_text_has_no_markup_and_single_blank_lines(seed: Path) -> None:
    text = parse_letter(seed.read_text(encoding="utf-8")).text

    assert "**" not in text
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert "(Signed) Mihnea Motoc" in text or "(Signed) Zhang Yesui" in text


# --------------------------------------------------------------------------- messy copies


@pytest.mark.parametrize("seed", [ROMANIA, CHINA], ids=["romania", "china"])
def test_windows_line_endings_give_the_identical_parse(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")

    assert parse_letter(text.replace("\n", "\r\n")) == parse_letter(text)


@pytest.mark.parametrize("seed", [ROMANIA, CHINA], ids=["romania", "china"])
def test_extra_blank_lines_and_trailing_spaces_change_nothing(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    padded = "\n\n\n" + text.replace("\n\n", "\n   \n\n\n").replace("\n", "  \n") + "\n\n"

    assert parse_letter(padded) == parse_letter(text)


@pytest.mark.parametrize("seed", [ROMANIA, CHINA], ids=["romania", "china"])
def test_blank_lines_between_list_items_keep_the_same_questions(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    spread = re.sub(r"^(- .*|\(\d\) .*)$", r"\1\n\n", text, flags=re.MULTILINE)

    assert asked(spread) == asked(text)


@pytest.mark.parametrize("seed", [ROMANIA, CHINA], ids=["romania", "china"])
@pytest.mark.parametrize("width", [60, 80])
def test_lines_wrapped_as_in_a_pdf_extraction_keep_questions_and_fields(
    seed: Path, width: int
) -> None:
    text = seed.read_text(encoding="utf-8")
    wrapped = "\n".join(textwrap.fill(line, width) for line in text.split("\n"))

    original, rewrapped = parse_letter(text), parse_letter(wrapped)

    assert asked(wrapped) == asked(text)
    assert rewrapped.heading == original.heading  # "Secretary-" + "General" joined again
    assert rewrapped.title == original.title
    assert [s.kind for s in rewrapped.sections] == [s.kind for s in original.sections]


def test_byte_order_mark_and_nbsp_in_a_seed_change_nothing() -> None:
    text = ROMANIA.read_text(encoding="utf-8")
    messy = "\ufeff" + text.replace("20 July 2004", f"20{NBSP}July{NBSP}2004").replace(
        "Are some", f"Are{NBSP}some"
    )

    letter = parse_letter(messy)

    assert letter.meeting_date == date(2004, 7, 20)
    assert asked(messy) == asked(text)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("\u201c", "\u201d"), ("\u2018", "\u2019"), ('"', '"'), ("'", "'")],
    ids=["smart-double", "smart-single", "straight-double", "straight-single"],
)
def test_title_is_found_between_any_kind_of_quotes(opening: str, closing: str) -> None:
    annex = "Guiding questions\n\n" + "\n".join(QUESTIONS)
    text = (
        letter_with(annex)
        .replace('"Water', f"{opening}Water")
        .replace('security" on', f"security{closing} on")
    )

    assert parse_letter(text).title == (
        "Water scarcity and the maintenance of international peace and security"
    )


def test_non_breaking_spaces_and_smart_quotes_are_normalised() -> None:
    annex = "Guiding questions\n\n" + "\n\n".join(q.replace(" ", NBSP, 3) for q in QUESTIONS)
    text = letter_with(annex).replace('"', "\u201c", 1).replace('"', "\u201d", 1)
    text = text.replace("19 March 2015", f"19{NBSP}March{NBSP}2015")

    letter = parse_letter(text)

    assert [q.text for q in letter.questions] == QUESTIONS
    assert NBSP not in letter.text
    assert letter.meeting_date == date(2015, 3, 19)
    assert letter.title.startswith("Water scarcity")


# --------------------------------------------------------------------------- numbering styles


def test_dot_numbered_questions_are_found_and_annex_paragraph_numbers_are_not() -> None:
    annex = f"""
Background

1. The Council last considered water and security in 2011.

2. Members of the Council are expected to exchange views on practical steps.

Guiding questions

1. {QUESTIONS[0]}
2. {QUESTIONS[1]}
3. {QUESTIONS[2]}

Format

3. The debate will be chaired by the Minister for Foreign Affairs.
"""
    assert asked(letter_with(annex)) == unlabelled(["1.", "2.", "3."])


def test_lettered_questions_after_numbered_annex_paragraphs_are_found() -> None:
    annex = f"""
Issues for debate

7. Members of the Council are invited to share their national experience.

8. In particular, speakers may wish to address the following:

(a) {QUESTIONS[0]}

(b) {QUESTIONS[1]}

(c) {QUESTIONS[2]}

9. Briefers will be announced in due course.
"""
    assert asked(letter_with(annex)) == unlabelled(["(a)", "(b)", "(c)"])


def test_parenthesis_numbered_questions_under_a_bold_heading_are_found() -> None:
    annex = f"""
**Key questions**

1) {QUESTIONS[0]}
2) {QUESTIONS[1]}
3) {QUESTIONS[2]}

**Outcome**

No outcome document is envisaged.
"""
    letter = parse_letter(letter_with(annex))

    assert asked(letter_with(annex)) == unlabelled(["1)", "2)", "3)"])
    assert letter.outcome == ""
    assert [s.heading for s in letter.sections] == ["Key questions", "Outcome"]


def test_roman_numbered_questions_keep_their_markers() -> None:
    annex = "Questions for consideration\n\n" + "\n".join(
        f"({numeral}) {question}"
        for numeral, question in zip(["i", "ii", "iii"], QUESTIONS, strict=True)
    )
    assert asked(letter_with(annex)) == unlabelled(["(i)", "(ii)", "(iii)"])


def test_a_ninth_lettered_question_is_i_not_a_roman_one() -> None:
    letters = "abcdefghi"
    annex = "Guiding questions\n\n" + "\n".join(f"({c}) What is question {c}?" for c in letters)
    assert [q.marker for q in parse_letter(letter_with(annex)).questions] == [
        f"({c})" for c in letters
    ]


def test_numbered_heading_leads_to_its_questions() -> None:
    annex = f"""
1. Background

The Council last considered water and security in 2011.

2. Objectives

The debate aims to identify practical steps.

3. Guiding questions

{QUESTIONS[0]}

{QUESTIONS[1]}

{QUESTIONS[2]}

4. Format

The debate will be chaired by the Minister for Foreign Affairs.
"""
    letter = parse_letter(letter_with(annex))

    assert asked(letter_with(annex)) == unlabelled(["", "", ""])
    assert [(s.heading, s.kind) for s in letter.sections] == [
        ("Background", "background"),
        ("Objectives", "purpose"),
        ("Guiding questions", "questions"),
        ("Format", "format"),
    ]


# --------------------------------------------------------------------------- bare sentences


@pytest.mark.parametrize(
    "heading",
    [
        "Guiding questions",
        "Questions for discussion",
        "Issues for debate",
        "Areas to be explored",
        "Questions for consideration",
        "Key questions",
        "**Guiding questions**",
        "Guiding questions:",
    ],
)
def test_bare_questions_under_a_questions_heading_are_found(heading: str) -> None:
    annex = f"""
Background

The Council last considered water and security in 2011. What has changed since?

{heading}

Participants are invited to consider the following questions:

{QUESTIONS[0]}

{QUESTIONS[1]}
{QUESTIONS[2]}

Speakers are encouraged to keep their statements to five minutes.

Format

The debate will be chaired by the Minister for Foreign Affairs.
"""
    assert asked(letter_with(annex)) == unlabelled(["", "", ""])


def test_indented_sub_questions_stay_with_their_question() -> None:
    annex = f"""
Guiding questions

1. {QUESTIONS[0]}
   (a) Through which regional channels?
   (b) With what safeguards?
2. {QUESTIONS[1]}
"""
    assert asked(letter_with(annex)) == [
        (
            "1.",
            "",
            f"{QUESTIONS[0]} (a) Through which regional channels? (b) With what safeguards?",
        ),
        ("2.", "", QUESTIONS[1]),
    ]


def test_indented_list_under_an_announcing_paragraph_is_the_list_itself() -> None:
    annex = "Issues for debate\n\n4. The following questions are most relevant:\n" + "\n".join(
        f"    \u2022 {q}" for q in QUESTIONS
    )
    assert asked(letter_with(annex)) == unlabelled(["", "", ""])


def test_context_sentence_and_question_make_one_item() -> None:
    annex = f"""
Guiding questions

(a) Several river basins are shared by more than four States. {QUESTIONS[0]}

(b) {QUESTIONS[1]}
"""
    assert asked(letter_with(annex)) == [
        ("(a)", "", f"Several river basins are shared by more than four States. {QUESTIONS[0]}"),
        ("(b)", "", QUESTIONS[1]),
    ]


def test_question_wrapped_over_lines_is_joined() -> None:
    annex = """
Guiding questions

1. How can early warning of water-related
   tensions reach the Council in time?
2. What role should river basin
organizations play in preventive diplomacy?
"""
    assert asked(letter_with(annex)) == [("1.", "", QUESTIONS[0]), ("2.", "", QUESTIONS[1])]


# --------------------------------------------------------------------------- bullets and labels


@pytest.mark.parametrize("bullet", ["-", "\u2022", "*", EN_DASH])
def test_bulleted_questions_are_found_with_an_empty_marker(bullet: str) -> None:
    annex = "Questions for discussion\n\n" + "\n".join(f"{bullet} {q}" for q in QUESTIONS)

    letter = parse_letter(letter_with(annex))

    assert [(q.marker, q.label, q.text) for q in letter.questions] == unlabelled(["", "", ""])
    assert letter.questions[0].paragraph == f"{bullet} {QUESTIONS[0]}"


@pytest.mark.parametrize(
    "labelled",
    ["**{label}:** {question}", "**{label}**: {question}", "{label}: {question}"],
    ids=["bold-with-colon", "colon-after-bold", "plain"],
)
def test_labels_are_split_from_their_questions(labelled: str) -> None:
    labels = ["Early warning", "Preventive diplomacy", "Peace operations"]
    items = [labelled.format(label=lb, question=q) for lb, q in zip(labels, QUESTIONS, strict=True)]
    annex = "Guiding questions\n\n" + "\n".join(f"- {item}" for item in items)

    letter = parse_letter(letter_with(annex))

    assert asked(letter_with(annex)) == [
        ("", label, question) for label, question in zip(labels, QUESTIONS, strict=True)
    ]
    assert letter.questions[0].paragraph == f"- Early warning: {QUESTIONS[0]}"


def test_a_colon_inside_a_sentence_is_not_a_label() -> None:
    annex = (
        "Guiding questions\n\n"
        "1. Two issues stand out: how can early warning reach the Council in time?\n"
        "2. Given the mandates of the Council, what role should basin organizations play?"
    )
    assert [q.label for q in parse_letter(letter_with(annex)).questions] == ["", ""]


# --------------------------------------------------------------------------- without a heading


def test_questions_announced_in_a_paragraph_are_found_without_a_questions_heading() -> None:
    annex = f"""
Objectives

The debate aims to identify practical steps. The presidency suggests that speakers address \
the following questions:

1. {QUESTIONS[0]}
2. {QUESTIONS[1]}
3. {QUESTIONS[2]}

Format

The debate will be chaired by the Minister for Foreign Affairs.
"""
    assert asked(letter_with(annex)) == unlabelled(["1.", "2.", "3."])


def test_topics_announced_in_a_letter_are_taken_even_without_question_marks() -> None:
    text = """\
Letter dated 3 May 2012 from the Secretary-General addressed to the President of the \
Security Council

Members of the Council might wish to reflect on these issues:

(a) The role of regional organizations in early warning;
(b) Predictable financing of operations.

(Signed) Ban Ki-moon
"""
    letter = parse_letter(text)

    assert [(q.marker, q.text) for q in letter.questions] == [
        ("(a)", "The role of regional organizations in early warning;"),
        ("(b)", "Predictable financing of operations."),
    ]
    assert (letter.sender, letter.presidency, letter.letter_date) == ("", "", date(2012, 5, 3))


def test_a_list_after_a_passing_mention_of_issues_is_not_taken_for_questions() -> None:
    annex = """
Background

The Council has discussed these issues since 2011. Briefers will include

- the Under-Secretary-General for Political Affairs;
- the Chair of the African Union Commission.
"""
    with pytest.raises(LetterError, match=r"^no guiding questions found$"):
        parse_letter(letter_with(annex))


def test_a_run_of_questions_is_found_in_a_letter_without_annex() -> None:
    text = LETTER.split("Annex to the letter")[0].replace(
        "I should be grateful",
        f"{QUESTIONS[0]}\n\n{QUESTIONS[1]}\n\n{QUESTIONS[2]}\n\nI should be grateful",
    )
    letter = parse_letter(text)

    assert asked(text) == unlabelled(["", "", ""])
    assert letter.sections == ()
    assert letter.signatory == "Kari Nordmann"


# --------------------------------------------------------------------------- letter fields


def test_synthetic_letter_gives_heading_fields_and_sections() -> None:
    annex = "Guiding questions\n\n" + "\n".join(QUESTIONS)

    letter = parse_letter(letter_with(annex))

    assert letter.heading == (
        "Letter dated 27 February 2015 from the Permanent Representative of Norway to the "
        "United Nations addressed to the Secretary-General"
    )
    assert letter.letter_date == date(2015, 2, 27)
    assert letter.distribution_date == date(2015, 3, 2)
    assert letter.meeting_date == date(2015, 3, 19)
    assert (letter.sender, letter.presidency) == ("Norway", "Norway")
    assert letter.signatory == "Kari Nordmann"
    assert letter.sections[0].text == "\n".join(QUESTIONS)


def test_identical_letters_name_the_full_country_and_ignore_of_the_security_council() -> None:
    uk = "the United Kingdom of Great Britain and Northern Ireland"
    text = (
        letter_with("Guiding questions\n\n" + "\n".join(QUESTIONS))
        .replace("Letter dated", "Identical letters dated", 1)
        .replace("Representative of Norway\n", f"Representative of {uk}\n")
        .replace("the presidency of Norway,", f"its presidency of the Security Council, {uk}")
        .replace("Security Council\n\nDistr", "General Assembly\nSecurity Council\n\nDistr")
    )
    letter = parse_letter(text)

    assert letter.heading.startswith("Identical letters dated 27 February 2015")
    assert letter.sender == "United Kingdom of Great Britain and Northern Ireland"
    assert letter.presidency == letter.sender
    assert letter.organ == "Security Council"


def test_a_yearless_letter_date_takes_the_year_of_the_distribution_date() -> None:
    text = (
        letter_with("Guiding questions\n\n" + "\n".join(QUESTIONS))
        .replace("2 March 2015", "4 January 2016")
        .replace("dated 27 February 2015", "dated 28 December")
        .replace("on Thursday, 19 March 2015", "on 12 January")
    )
    letter = parse_letter(text)

    assert letter.letter_date == date(2015, 12, 28)
    assert letter.meeting_date == date(2016, 1, 12)


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        ("The presidency intends to propose a draft resolution.", "resolution"),
        ("A press statement may be issued at the end of the debate.", "press statement"),
        ("The presidency will circulate a Chair\u2019s summary.", "chair's summary"),
        ("A summary by the President will be circulated.", "chair's summary"),
        ("The Council is not expected to adopt a presidential statement.", ""),
        ("No formal outcome is envisaged.", ""),
    ],
)
def test_expected_outcome_is_read_from_the_outcome_section(sentence: str, outcome: str) -> None:
    annex = "Guiding questions\n\n" + "\n".join(QUESTIONS) + f"\n\nExpected outcome\n\n{sentence}"

    assert parse_letter(letter_with(annex)).outcome == outcome


def test_past_resolutions_cited_in_the_background_are_not_the_outcome() -> None:
    annex = (
        "Background\n\nThe Council adopted resolution 2171 (2014) and presidential statements "
        "on conflict prevention.\n\nGuiding questions\n\n" + "\n".join(QUESTIONS)
    )
    assert parse_letter(letter_with(annex)).outcome == ""


def test_outcome_announced_in_the_letter_itself_is_found() -> None:
    annex = "Guiding questions\n\n" + "\n".join(QUESTIONS)
    text = letter_with(annex).replace(
        "I should be grateful",
        "The presidency intends to seek the adoption of a presidential statement.\n\n"
        "I should be grateful",
    )
    assert parse_letter(text).outcome == "presidential statement"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("text", ["", "   \n\n\t \n", "\ufeff", f"{NBSP}\r\n\r\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    with pytest.raises(LetterError, match=r"^the file is empty$"):
        parse_letter(text)


def test_a_letter_without_questions_is_refused() -> None:
    text = LETTER.split("I should be grateful")[0] + "(Signed) Kari Nordmann\nAmbassador\n"

    with pytest.raises(LetterError, match=r"^no guiding questions found$"):
        parse_letter(text)


# --------------------------------------------------------------------------- decoding


def test_latin1_bytes_are_refused_naming_the_byte_and_its_position() -> None:
    raw = "Signed by Cristián".encode("latin-1")

    with pytest.raises(LetterError, match=r"^not UTF-8 text \(invalid byte 0xe1 at position 16\)$"):
        decode_letter(raw)


def test_utf8_with_byte_order_mark_decodes_without_it() -> None:
    text = ROMANIA.read_text(encoding="utf-8")

    decoded = decode_letter(text.encode("utf-8-sig"))

    assert decoded == text
    assert len(parse_letter(decoded).questions) == 10


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_byte_order_mark_decodes(codec: str) -> None:
    text = CHINA.read_text(encoding="utf-8")
    raw = ("\ufeff" + text).encode(codec) if codec != "utf-16" else text.encode(codec)

    assert decode_letter(raw) == text


def test_utf16_without_byte_order_mark_is_refused() -> None:
    with pytest.raises(LetterError, match="NUL bytes"):
        decode_letter("Security Council".encode("utf-16-le"))


@pytest.mark.parametrize("raw", [b"", b"  \n\r\n", b"\xef\xbb\xbf\n"])
def test_decoding_an_empty_file_is_refused(raw: bytes) -> None:
    with pytest.raises(LetterError, match=r"^the file is empty$"):
        decode_letter(raw)
