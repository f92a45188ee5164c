from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DataError
from django.urls import reverse

from debateprep.debates.letter import parse_letter
from debateprep.debates.loading import LoadResult, Row, load_letter, plan
from debateprep.debates.models import Debate, Question
from debateprep.drafting.models import Answer
from tests.factories import make_delegation, open_statement

SEEDS = Path(settings.BASE_DIR) / "seeds"


def load(*paths, force=False):
    out, err = StringIO(), StringIO()
    call_command("load_letters", *map(str, paths), force=force, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seed_letters_become_debates_with_their_guiding_questions(db):
    out, _ = load()
    romania = Debate.objects.get(slug="2004-07-20-romania")
    china = Debate.objects.get(slug="2010-01-13-china")
    assert romania.title == (
        "Cooperation between the United Nations and regional organizations "
        "in stabilization processes"
    )
    assert romania.letter_heading == (
        "Letter dated 8 July 2004 from the Permanent Representative of Romania to the United "
        "Nations addressed to the Secretary-General"
    )
    assert str(romania.meeting_date) == "2004-07-20"
    assert romania.presidency == "Romania"
    assert romania.outcome == "presidential statement"
    assert "**" not in romania.letter_text
    assert list(romania.questions.values_list("label", flat=True)[:3]) == [
        "Subsidiarity",
        "Comparative advantage",
        "Linkage",
    ]
    assert romania.questions.count() == 10
    assert list(china.questions.values_list("marker", flat=True)) == [
        "(1)",
        "(2)",
        "(3)",
        "(4)",
        "(5)",
    ]
    assert china.presidency == "China"
    assert "created “2004-07-20-romania”, 10 guiding questions" in out
    assert "2 letter(s) loaded, 0 failed." in out


def test_loading_twice_changes_nothing(db):
    load()
    before = list(Question.objects.order_by("pk").values())
    out, _ = load()
    assert list(Question.objects.order_by("pk").values()) == before
    assert out.count("unchanged") == 2


def test_reload_keeps_an_editors_rewording_unless_forced(db):
    load()
    question = Question.objects.get(debate__slug="2010-01-13-china", order=2)
    question.text = "How can the Council and regional organizations work better together?"
    question.save()

    out, _ = load(SEEDS)
    question.refresh_from_db()
    assert question.text.startswith("How can the Council")
    assert "kept the editors' wording of question 2" in out

    load(SEEDS, force=True)
    question.refresh_from_db()
    assert question.text.startswith("Regional organizations vary among each other")


def test_reload_never_deletes_answers(db):
    load()
    debate = Debate.objects.get(slug="2010-01-13-china")
    statement = open_statement(debate, make_delegation())
    answer = statement.answers.get(question__order=5)
    answer.text = "Our answer"
    answer.save()
    load(force=True)
    assert Answer.objects.get(pk=answer.pk).text == "Our answer"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\n \n", "the file is empty"),
        (b"Dear colleague,\n\nThank you for your letter.\n", "no guiding questions found"),
        ("Caf\u00e9 au lait?".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_letter_is_reported_and_the_good_ones_still_load(
    db, tmp_path, content, reason
):
    bad = tmp_path / "not-a-letter.txt"
    bad.write_bytes(content)
    good = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"
    with pytest.raises(CommandError, match="1 file"):
        load(bad, good)
    assert Debate.objects.filter(slug="2010-01-13-china").exists()
    assert Debate.objects.count() == 1


def test_the_failure_names_the_file_and_the_reason(db, tmp_path):
    bad = tmp_path / "minutes.txt"
    bad.write_text("Dear colleague,\n\nThank you.\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_letters", str(bad), stdout=StringIO(), stderr=err)
    assert "minutes.txt: not loaded: no guiding questions found" in err.getvalue()


def test_a_missing_file_is_reported(db, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_letters", str(tmp_path / "nope.txt"), stdout=StringIO(), stderr=err)
    assert "nope.txt: not loaded" in err.getvalue()


def test_reload_keeps_the_editors_order_and_every_answer_under_its_question(db):
    load()
    debate = Debate.objects.get(slug="2004-07-20-romania")
    statement = open_statement(debate, make_delegation())
    subsidiarity = Question.objects.get(debate=debate, label="Subsidiarity")
    linkage = Question.objects.get(debate=debate, label="Linkage")
    Answer.objects.filter(question=subsidiarity).update(text="On subsidiarity")
    Question.objects.filter(pk=subsidiarity.pk).update(order=99)
    Question.objects.filter(pk=linkage.pk).update(order=1)
    Question.objects.filter(pk=subsidiarity.pk).update(order=3)

    out, _ = load()
    assert "unchanged" in out
    assert Question.objects.get(pk=subsidiarity.pk).order == 3
    assert statement.answers.get(question__label="Subsidiarity").text == "On subsidiarity"


def test_a_revised_letter_that_inserts_a_question_adds_it_without_moving_answers(db, tmp_path):
    china = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"
    load(china)
    debate = Debate.objects.get(slug="2010-01-13-china")
    statement = open_statement(debate, make_delegation())
    second = debate.questions.get(order=2)
    Answer.objects.filter(question=second).update(text="Our view on approaches")

    revised = tmp_path / "china-revised.txt"
    revised.write_text(
        china.read_text().replace(
            "(2) Regional organizations vary",
            "(2) How can the Council hear regional organizations earlier?\n\n"
            "(3) Regional organizations vary",
        )
    )
    out, _ = load(revised)
    assert "1 added, 0 reworded" in out
    assert debate.questions.count() == 6
    assert statement.answers.get(question=second).text == "Our view on approaches"
    added = debate.questions.get(order=6)
    assert added.text == "How can the Council hear regional organizations earlier?"


def test_a_revised_letter_that_rewords_a_question_updates_it_in_place(db, tmp_path):
    china = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"
    load(china)
    revised = tmp_path / "china-revised.txt"
    revised.write_text(china.read_text().replace("blue helmets?", "United Nations peacekeepers?"))
    out, _ = load(revised)
    assert "0 added, 1 reworded" in out
    fourth = Question.objects.get(debate__slug="2010-01-13-china", order=4)
    assert fourth.text.endswith("United Nations peacekeepers?")


def test_letters_can_be_loaded_as_drafts_for_editors_to_check_first(db):
    out = StringIO()
    call_command("load_letters", "--draft", stdout=out)
    assert set(Debate.objects.values_list("status", flat=True)) == {Debate.Status.DRAFT}


LETTERS = Path(__file__).resolve().parent / "letters"
EDUCATION = LETTERS / "2023-05-16-malta-education.txt"
CLIMATE = LETTERS / "2023-05-16-malta-climate.txt"


def load_failing(*paths, force=False):
    """Load letters of which some are refused: the command exits with status 1."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("load_letters", *map(str, paths), force=force, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def revise(tmp_path, letter: Path, old: str, new: str) -> Path:
    revised = tmp_path / letter.name
    text = letter.read_text()
    assert old in text
    revised.write_text(text.replace(old, new))
    return revised


@pytest.mark.parametrize("letter", ["no-title.txt", "questions-only.txt"])
def test_a_letter_without_a_title_is_refused_and_the_others_still_load(db, letter):
    _, err = load_failing(LETTERS / letter, EDUCATION)
    assert f"{letter}: not loaded: no title found" in err
    assert list(Debate.objects.values_list("slug", flat=True)) == ["2023-05-16-malta"]


def test_a_letter_without_a_meeting_date_is_loaded_as_a_draft_that_says_what_is_missing(
    db, client, drafter
):
    out, _ = load(LETTERS / "no-meeting-date.txt")
    debate = Debate.objects.get()
    assert debate.slug == "2023-04-28-malta"
    assert debate.status == Debate.Status.DRAFT
    assert debate.questions.count() == 2
    assert (
        "no-meeting-date.txt: created “2023-04-28-malta”, 2 guiding questions "
        "(loaded as a draft: no meeting date found; set it in the admin before publishing)"
    ) in out
    client.force_login(drafter)
    assert client.get(reverse("drafting:debate-list")).status_code == 200


def test_a_letter_without_a_presidency_is_named_by_its_date_and_title(db):
    load(LETTERS / "no-presidency.txt")
    debate = Debate.objects.get()
    assert debate.slug == "2023-05-16-keeping-children-in-school-during-armed-conflict"
    assert debate.status == Debate.Status.PUBLISHED


def test_a_letter_without_dates_or_presidency_is_a_draft_named_by_its_title(db, client, editor):
    load(LETTERS / "no-date-or-presidency.txt")
    debate = Debate.objects.get()
    assert debate.slug == "keeping-children-in-school-during-armed-conflict"
    assert debate.status == Debate.Status.DRAFT
    client.force_login(editor)
    assert client.get(reverse("drafting:debate-list")).status_code == 200
    assert client.get(debate.get_absolute_url()).status_code == 200


def test_a_draft_without_a_meeting_date_cannot_be_published(db):
    load(LETTERS / "no-meeting-date.txt")
    debate = Debate.objects.get()
    debate.status = Debate.Status.PUBLISHED
    with pytest.raises(ValidationError, match="meeting date"):
        debate.full_clean()
    debate.meeting_date = date(2023, 5, 16)
    debate.full_clean()


def test_two_letters_for_the_same_day_and_presidency_make_two_debates(db):
    load(EDUCATION)
    education = Debate.objects.get()
    statement = open_statement(education, make_delegation())
    statement.answers.filter(question__order=1).update(text="Schools are not bases")

    out, _ = load(CLIMATE)
    climate = Debate.objects.exclude(pk=education.pk).get()
    assert climate.slug == "2023-05-16-malta-sea-level-rise-and-its-implications-for-international"
    assert "created" in out
    assert climate.questions.count() == 2
    assert education.questions.count() == 3
    answer = statement.answers.get(question__order=1)
    assert answer.question.text.startswith("How can schools be kept safe")
    assert answer.text == "Schools are not bases"

    out, _ = load(EDUCATION, CLIMATE)
    assert out.count("unchanged") == 2
    assert Debate.objects.count() == 2


def test_more_debates_on_the_same_day_with_similar_titles_get_numbered_names(db, tmp_path):
    load(CLIMATE)
    for subject in ["in the Pacific", "and the law of the sea"]:
        load(revise(tmp_path, CLIMATE, "peace and security”", f"peace and security {subject}”"))
    assert set(Debate.objects.values_list("slug", flat=True)) == {
        "2023-05-16-malta",
        "2023-05-16-malta-sea-level-rise-and-its-implications-for-international",
        "2023-05-16-malta-sea-level-rise-and-its-implications-for-international-2",
    }


def test_a_title_differing_only_in_case_and_spacing_is_the_same_debate(db, tmp_path):
    load(EDUCATION)
    revised = revise(
        tmp_path,
        EDUCATION,
        "“Keeping children in school during armed conflict”",
        "“Keeping  Children in School\nduring armed conflict”",
    )
    out, _ = load(revised)
    assert "unchanged “2023-05-16-malta”" in out
    assert Debate.objects.count() == 1


def test_a_revised_letter_rewording_an_answered_question_is_refused_listing_what_would_move(
    db, tmp_path
):
    load(EDUCATION)
    debate = Debate.objects.get()
    second = debate.questions.get(order=2)
    for delegation in [make_delegation(), make_delegation("France", "FRA")]:
        statement = open_statement(debate, delegation)
        statement.answers.filter(question=second).update(text="Return to school first")
    revised = revise(
        tmp_path,
        EDUCATION,
        "2. What can peace agreements do to bring children back to school?",
        "2. What can peace agreements do to bring all children back to school quickly?",
    )
    revised.write_text(revised.read_text().replace("help displaced", "support displaced"))
    _, err = load_failing(revised)
    assert (
        "2023-05-16-malta-education.txt: not loaded: it rewords questions that delegations "
        "have answered, whose answers would then stand under a question they did not answer "
        "(to reword them anyway, confirm in the preview, or load with --force):\n"
        "  question 2: “What can peace agreements do to bring children back to school?” → "
        "“What can peace agreements do to bring all children back to school quickly?” "
        "(2 answers)"
    ) in err
    assert "question 3" not in err
    # Nothing is written, not even the rewording of the question nobody answered.
    assert list(debate.questions.values_list("text", flat=True)) == [
        "How can schools be kept safe from attack and from military use?",
        "What can peace agreements do to bring children back to school?",
        "How can regional organizations help displaced children continue their education?",
    ]

    out, _ = load(revised, force=True)
    assert "0 added, 2 reworded" in out
    second.refresh_from_db()
    assert second.text == (
        "What can peace agreements do to bring all children back to school quickly?"
    )
    assert second.answers.filter(text="Return to school first").count() == 2


def test_a_question_replaced_by_another_keeps_its_answers_and_the_new_one_is_added(db, tmp_path):
    """Matched by wording, never by number: a question in the place of another is new."""
    load(EDUCATION)
    debate = Debate.objects.get()
    second = debate.questions.get(order=2)
    open_statement(debate, make_delegation()).answers.filter(question=second).update(
        text="Return to school first"
    )
    revised = revise(
        tmp_path,
        EDUCATION,
        "2. What can peace agreements do to bring children back to school?",
        "2. How should sanctions regimes treat school supplies?",
    )
    out, _ = load(revised)
    assert "1 added, 0 reworded" in out
    assert (
        "question 2 “What can peace agreements do to bring children…” is not in this "
        "letter: kept, for an editor to delete if it was withdrawn"
    ) in out
    assert list(debate.questions.values_list("order", "text")) == [
        (1, "How can schools be kept safe from attack and from military use?"),
        (2, "What can peace agreements do to bring children back to school?"),
        (3, "How can regional organizations help displaced children continue their education?"),
        (4, "How should sanctions regimes treat school supplies?"),
    ]
    assert second.answers.get().text == "Return to school first"


def test_a_question_whose_answers_are_all_empty_is_reworded_without_force(db, tmp_path):
    load(EDUCATION)
    debate = Debate.objects.get()
    open_statement(debate, make_delegation())
    revised = revise(tmp_path, EDUCATION, "back to school?", "back to their schools?")
    out, _ = load(revised)
    assert "0 added, 1 reworded" in out


def test_a_question_an_editor_added_is_never_taken_for_one_the_letter_adds(db, tmp_path):
    load(EDUCATION)
    debate = Debate.objects.get()
    editors = Question.objects.create(debate=debate, order=4, text="What does your country do?")
    revised = revise(
        tmp_path,
        EDUCATION,
        "continue their education?",
        "continue their education?\n\n4. How can teachers be protected?",
    )
    out, _ = load(revised, force=True)
    assert "1 added, 0 reworded" in out
    editors.refresh_from_db()
    assert editors.text == "What does your country do?"
    assert debate.questions.get(order=5).text == "How can teachers be protected?"


def test_an_over_long_heading_is_refused_naming_the_field_and_the_others_still_load(db):
    _, err = load_failing(LETTERS / "long-heading.txt", EDUCATION)
    assert (
        "long-heading.txt: not loaded: letter heading: "
        "Ensure this value has at most 500 characters (it has 625)."
    ) in err
    assert list(Debate.objects.values_list("slug", flat=True)) == ["2023-05-16-malta"]


def test_a_database_error_in_one_letter_is_reported_and_the_others_still_load(db, monkeypatch):
    save = Debate.save

    def failing_save(debate, *args, **kwargs):
        if debate.title.startswith("Sea-level"):
            raise DataError("value too long for type character varying(500)")
        save(debate, *args, **kwargs)

    monkeypatch.setattr(Debate, "save", failing_save)
    _, err = load_failing(CLIMATE, EDUCATION)
    assert (
        "2023-05-16-malta-climate.txt: not loaded: database error: "
        "value too long for type character varying(500)"
    ) in err
    assert list(Debate.objects.values_list("slug", flat=True)) == ["2023-05-16-malta"]


def unsure_letter(tmp_path) -> Path:
    """The Romania letter with one guiding question that has lost its question mark."""
    romania = SEEDS / "2004-07-20-romania-regional-organizations-stabilization.txt"
    text = romania.read_text()
    ending = "regional approach?"
    assert ending in text
    unsure = tmp_path / "unsure.txt"
    unsure.write_text(text.replace(ending, "regional approach", 1))
    return unsure


def test_what_the_parser_is_unsure_of_is_reported_with_the_loaded_letter(db, tmp_path):
    out, _ = load(unsure_letter(tmp_path))
    assert "check: question 1 does not end with a question mark" in out
    assert Debate.objects.count() == 1


def test_strict_refuses_a_letter_the_parser_is_unsure_of(db, tmp_path):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command(
            "load_letters", str(unsure_letter(tmp_path)), strict=True, stdout=out, stderr=err
        )
    assert "refused under --strict" in err.getvalue()
    assert "question 1 does not end with a question mark" in err.getvalue()
    assert not Debate.objects.exists()


def test_a_revision_that_rewords_one_question_and_adds_another_updates_it_in_place(db, tmp_path):
    china = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"
    load(china)
    text = china.read_text()
    fourth = "blue helmets?"
    assert fourth in text
    revised = text.replace(fourth, "United Nations peacekeepers?")
    last = revised.rindex("?")
    revised = revised[: last + 1] + (
        "\n\n(6) How can regional organizations share early-warning information with the "
        "Council more systematically?" + revised[last + 1 :]
    )
    (tmp_path / "china.txt").write_text(revised)
    out, _ = load(tmp_path / "china.txt")
    questions = list(Question.objects.order_by("order").values_list("text", flat=True))
    assert len(questions) == 6, out
    assert questions[3].endswith("United Nations peacekeepers?")
    assert questions[5].startswith("How can regional organizations share early-warning")
    assert "1 added, 1 reworded" in out


def test_a_revision_that_rewords_an_answered_question_and_adds_one_asks_first(db, tmp_path):
    china = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"
    load(china)
    fourth = Question.objects.get(order=4)
    open_statement(fourth.debate, make_delegation()).answers.filter(question=fourth).update(
        text="Our answer"
    )
    text = china.read_text().replace("blue helmets?", "United Nations peacekeepers?")
    last = text.rindex("?")
    text = (
        text[: last + 1]
        + "\n\n(6) What should the Council ask of regional organizations?"
        + text[last + 1 :]
    )
    (tmp_path / "china.txt").write_text(text)
    _, err = load_failing(tmp_path / "china.txt")
    assert "rewords questions that delegations have answered" in err
    assert Question.objects.count() == 5


def test_a_revised_letter_replaces_the_letter_text_delegations_read(db, tmp_path):
    china = SEEDS / "2010-01-13-china-regional-subregional-organizations.txt"
    load(china)
    revised = tmp_path / "china.txt"
    revised.write_text(china.read_text().replace("blue helmets?", "United Nations peacekeepers?"))
    load(revised)
    assert "United Nations peacekeepers?" in Debate.objects.get().letter_text


def test_a_question_the_revised_letter_no_longer_asks_is_kept_and_named(db, tmp_path):
    """Only an editor deletes a question, in the preview or the admin: a file loaded again,
    perhaps read differently, must not take away what editors corrected or added."""
    load(EDUCATION)
    debate = Debate.objects.get()
    revised = revise(
        tmp_path,
        EDUCATION,
        "2. What can peace agreements do to bring children back to school?\n\n3.",
        "2.",
    )
    out, _ = load(revised)
    assert "unchanged" in out
    assert "question 2 “What can peace agreements do to bring children…” is not in" in out
    assert debate.questions.count() == 3


def _without_question(debate: Debate, letter_path, order: int) -> LoadResult:
    """Load the letter into the debate as an editor who deleted question `order` would."""
    letter = parse_letter(letter_path.read_text())
    gone = debate.questions.get(order=order).pk
    rows = [row for row in plan(letter, debate) if row.question != gone]
    return load_letter(letter, source=letter_path.name, debate=debate, rows=rows)


def test_a_question_an_editor_deletes_goes_unless_delegations_wrote_under_it(db):
    load(EDUCATION)
    debate = Debate.objects.get()
    answered = debate.questions.get(order=3)
    open_statement(debate, make_delegation()).answers.filter(question=answered).update(
        text="Schools in the camps"
    )
    result = _without_question(debate, EDUCATION, 2)
    assert (result.outcome, result.questions_removed) == ("updated", 1)
    assert list(debate.questions.values_list("order", "text")) == [
        (1, "How can schools be kept safe from attack and from military use?"),
        (2, "How can regional organizations help displaced children continue their education?"),
    ]

    result = _without_question(debate, EDUCATION, 2)
    assert result.questions_removed == 0
    assert "“How can regional organizations help displaced children continue…” is kept: " in (
        result.summary()
    )
    assert answered.answers.get().text == "Schools in the camps"


def test_a_question_whose_draft_was_emptied_is_kept_with_its_history(db):
    load(EDUCATION)
    debate = Debate.objects.get()
    answer = open_statement(debate, make_delegation()).answers.get(question__order=2)
    answer.save_text("A first thought", base_version=answer.version, by=None)
    answer.save_text("", base_version=answer.version, by=None)
    result = _without_question(debate, EDUCATION, 2)
    assert "kept: delegations wrote under it" in result.summary()
    assert debate.questions.count() == 3
    assert [revision.text for revision in answer.revisions.order_by("version")] == [
        "A first thought",
        "",
    ]


def test_a_letter_that_reorders_its_questions_keeps_the_debates_order(db, tmp_path):
    load(EDUCATION)
    debate = Debate.objects.get()
    text = EDUCATION.read_text()
    first = "1. How can schools be kept safe from attack and from military use?"
    third = "3. How can regional organizations help displaced children continue their education?"
    revised = tmp_path / EDUCATION.name
    revised.write_text(
        text.replace(first, "@").replace(third, first.replace("1.", "3.")).replace("@", third)
    )
    revised.write_text(revised.read_text().replace("3. How can regional", "1. How can regional"))
    out, _ = load(revised)
    assert "unchanged" in out
    assert debate.questions.get(order=1).text.startswith("How can schools")


def test_a_corrected_import_survives_loading_the_same_file_again(db, tmp_path):
    """What an editor split, merged, reworded and added in the preview stays when the file
    is loaded again from the command line."""
    load(EDUCATION)
    debate = Debate.objects.get()
    letter = parse_letter(EDUCATION.read_text())
    rows = plan(letter, debate)
    rows[0].text = "How can schools be kept safe from attack?"
    merged = Row(
        f"{rows[1].text} {rows[2].text}",
        wording=f"{rows[1].wording}\n\n{rows[2].wording}",
        question=rows[1].question,
    )
    added = Row("How can donors fund schooling in emergencies?")
    load_letter(letter, source="corrected", debate=debate, rows=[rows[0], merged, added])
    before = list(debate.questions.values_list("order", "text"))
    assert len(before) == 3

    out, _ = load(EDUCATION)
    assert "unchanged" in out
    assert list(debate.questions.values_list("order", "text")) == before


def test_the_document_symbol_is_kept_with_the_debate(db):
    load(LETTERS / "parser" / "02-pdftotext-layout.txt")
    assert Debate.objects.get().symbol == "S/2025/352"
