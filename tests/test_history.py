"""An answer's history: every saved text kept, grouped for reading, compared and restored."""

from datetime import timedelta

import pytest
from django.urls import reverse

from debateprep.drafting.models import Revision, Statement
from debateprep.lib.diff import word_diff
from tests.factories import open_statement

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def answer(debate, romania):
    return open_statement(debate, romania).answers.get(question__order=1)


def history_url(answer, **query):
    url = reverse("drafting:answer-history", args=answer.url_args)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def restore(client, answer, version, base_version, **extra):
    url = reverse("drafting:answer-restore", args=answer.url_args)
    return client.post(url, {"version": version, "base_version": base_version}, **extra)


def saved_texts(answer) -> list[str]:
    return list(answer.revisions.order_by("version").values_list("text", flat=True))


def test_typing_over_a_saved_answer_at_once_keeps_the_earlier_text_restorable(
    client, drafter, answer
):
    client.force_login(drafter)
    url = reverse("drafting:answer-save", args=answer.url_args)
    client.post(url, {"text": "Our considered position on subsidiarity.", "version": 0}, **HTMX)
    # Seconds later, well inside the grouping window: select all, type over it.
    client.post(url, {"text": "oops", "version": 1}, **HTMX)

    assert saved_texts(answer) == ["Our considered position on subsidiarity.", "oops"]
    response = restore(client, answer, version=1, base_version=2)
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Our considered position on subsidiarity."


def test_a_restore_keeps_the_text_it_replaces(drafter, answer, client):
    answer.save_text("First", base_version=0, by=drafter)
    answer.save_text("Second", base_version=1, by=drafter)
    client.force_login(drafter)
    restore(client, answer, version=1, base_version=2)
    assert saved_texts(answer) == ["First", "Second", "First"]
    latest = answer.revisions.latest()
    assert (latest.kind, latest.restored_from) == (Revision.Kind.RESTORE, 1)


def test_saves_by_different_people_and_conflict_resolutions_each_stay(drafter, lead, answer):
    answer.save_text("Drafter's text", base_version=0, by=drafter)
    answer.save_text("Lead's text", base_version=1, by=lead)
    answer.save_text("Drafter again", base_version=2, by=drafter, kind=Revision.Kind.RESOLVE)
    assert saved_texts(answer) == ["Drafter's text", "Lead's text", "Drafter again"]


def test_history_groups_one_persons_quick_saves_and_keeps_each_one(client, drafter, lead, answer):
    for version, text in enumerate(["A", "A b", "A b c"]):
        answer.save_text(text, base_version=version, by=drafter)
    answer.save_text("A b c d", base_version=3, by=lead)
    client.force_login(drafter)
    page = client.get(history_url(answer)).content.decode()
    assert page.count('class="revision-group"') == 2
    assert "2 earlier saves by the same person" in page
    for version in range(1, 5):
        assert f"Version {version}<" in page


def test_saves_far_apart_are_separate_entries(client, drafter, answer):
    answer.save_text("Morning", base_version=0, by=drafter)
    answer.revisions.update(created_at=answer.updated_at - timedelta(hours=3))
    answer.save_text("Afternoon", base_version=1, by=drafter)
    client.force_login(drafter)
    assert client.get(history_url(answer)).content.decode().count('class="revision-group"') == 2


def test_history_shows_author_time_and_word_count(client, drafter, answer):
    drafter.first_name, drafter.last_name = "Ana", "Popescu"
    drafter.save()
    answer.save_text("Three short words", base_version=0, by=drafter)
    client.force_login(drafter)
    page = client.get(history_url(answer)).content.decode()
    assert "Ana Popescu" in page
    assert "3 words" in page
    assert f'datetime="{answer.updated_at.astimezone().isoformat()[:16]}' in page or "<time" in page


def test_diff_marks_inserted_and_deleted_words(client, drafter, answer):
    answer.save_text("We support regional organizations.", base_version=0, by=drafter)
    answer.save_text("We strongly support subregional organizations.", base_version=1, by=drafter)
    client.force_login(drafter)
    page = client.get(history_url(answer, old=1, new=2)).content.decode()
    assert "Changes from version 1 to version 2 (the current text)" in page
    assert "<ins>strongly </ins>" in page
    assert "<del>regional</del><ins>subregional</ins>" in page


def test_any_two_versions_can_be_compared(client, drafter, answer):
    for version, text in enumerate(["one", "one two", "one two three"]):
        answer.save_text(text, base_version=version, by=drafter)
    client.force_login(drafter)
    page = client.get(history_url(answer, old=1, new=2)).content.decode()
    assert "Changes from version 1 to version 2<" in page
    assert "<ins> two</ins>" in page
    assert "three" not in page.split('class="diff"')[1].split("</div>")[0]


def test_diff_escapes_what_was_typed(client, drafter, answer):
    answer.save_text("Plain", base_version=0, by=drafter)
    answer.save_text("Plain <script>alert(1)</script>", base_version=1, by=drafter)
    client.force_login(drafter)
    page = client.get(history_url(answer)).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_history_opens_in_place_as_a_fragment(client, drafter, answer):
    answer.save_text("Saved once", base_version=0, by=drafter)
    answer.save_text("Saved twice", base_version=1, by=drafter)
    client.force_login(drafter)
    response = client.get(history_url(answer), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Close history" in body
    assert "data-hx-post" in body


def test_restoring_in_place_puts_the_text_back_in_the_box(client, drafter, answer):
    answer.save_text("Keep this", base_version=0, by=drafter)
    answer.save_text("Not this", base_version=1, by=drafter)
    client.force_login(drafter)
    response = restore(client, answer, version=1, base_version=2, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#{answer.anchor}"
    assert "Keep this</textarea>" in response.content.decode()


def test_restoring_over_a_newer_save_is_refused_and_changes_nothing(client, drafter, lead, answer):
    answer.save_text("Old", base_version=0, by=drafter)
    answer.save_text("New", base_version=1, by=drafter)
    answer.save_text("Newer, by the lead", base_version=2, by=lead)
    client.force_login(drafter)
    response = restore(client, answer, version=1, base_version=2, **HTMX)
    assert response.status_code == 409
    assert "saved again since you opened its history" in response.content.decode()
    answer.refresh_from_db()
    assert answer.text == "Newer, by the lead"


def test_restoring_a_version_that_does_not_exist_is_refused(client, drafter, answer):
    answer.save_text("Only", base_version=0, by=drafter)
    client.force_login(drafter)
    assert restore(client, answer, version=7, base_version=1).status_code == 409
    assert saved_texts(answer) == ["Only"]


def test_a_final_statement_shows_history_without_restore(client, drafter, answer):
    answer.save_text("One", base_version=0, by=drafter)
    answer.save_text("Two", base_version=1, by=drafter)
    Statement.objects.update(status=Statement.Status.FINAL)
    client.force_login(drafter)
    page = client.get(history_url(answer)).content.decode()
    assert "Restore this version" not in page
    assert restore(client, answer, version=1, base_version=2).status_code == 423
    assert saved_texts(answer) == ["One", "Two"]


def test_opening_and_closing_have_a_history(client, drafter, debate, romania):
    statement = open_statement(debate, romania)
    client.force_login(drafter)
    for part in ("opening", "closing"):
        answer = statement.answers.get(part=part)
        answer.save_text(f"The {part}", base_version=0, by=drafter)
        page = client.get(history_url(answer)).content.decode()
        assert f"The {part}" in page


def test_an_unwritten_answer_has_an_empty_history(client, drafter, debate, romania):
    client.force_login(drafter)
    url = reverse("drafting:answer-history", args=[debate.slug, romania.code, "opening"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Nothing has been saved in this answer yet." in response.content.decode()
    assert not Statement.objects.exists()


@pytest.mark.parametrize("saves", [2, 30])
def test_history_query_count_does_not_grow_with_versions(
    client, drafter, answer, saves, django_assert_num_queries
):
    for version in range(saves):
        answer.save_text(f"Version {version + 1}", base_version=version, by=drafter)
    client.force_login(drafter)
    # the session with its user, delegation, role, debate, statement, question, answer,
    # revisions, two texts
    with django_assert_num_queries(9):
        response = client.get(history_url(answer))
    assert response.content.decode().count("Restore this version") == saves - 1


def test_a_save_that_deletes_much_of_the_text_starts_an_entry_of_its_own(client, drafter, answer):
    answer.save_text("Our considered position on subsidiarity.", base_version=0, by=drafter)
    answer.save_text("oops", base_version=1, by=drafter)
    client.force_login(drafter)
    page = client.get(history_url(answer)).content.decode()
    assert page.count('class="revision-group"') == 2
    assert "earlier save" not in page


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", "First words."),
        ("Our position.\n\nSecond paragraph.", "Our new position.\n\nSecond  paragraph!"),
        ("a b " * 3000, "b a " * 3000),
        ("Texte en français, 中文, عربي.", "Texte modifié, 中文, عربي!"),
    ],
)
def test_a_diff_rebuilds_both_texts_exactly(old, new):
    changes = word_diff(old, new)
    assert "".join(c.text for c in changes if c.kind != "insert") == old
    assert "".join(c.text for c in changes if c.kind != "delete") == new


def test_history_opens_on_the_changes_of_the_latest_entry(client, drafter, lead, answer):
    answer.save_text("The lead's opening.", base_version=0, by=lead)
    for version, text in enumerate(["The lead's opening. We", "The lead's opening. We agree."]):
        answer.save_text(text, base_version=version + 1, by=drafter)
    client.force_login(drafter)
    page = client.get(history_url(answer)).content.decode()
    assert "Changes from version 1 to version 3 (the current text)" in page


def test_a_revisions_address_shows_the_changes_it_made(client, drafter, answer):
    for version, text in enumerate(["one", "one two", "one two three"]):
        answer.save_text(text, base_version=version, by=drafter)
    client.force_login(drafter)
    page = client.get(answer.revisions.get(version=2).get_absolute_url()).content.decode()
    assert "Changes from version 1 to version 2<" in page
