from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

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
