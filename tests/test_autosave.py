import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debateprep.debates.models import Debate, Question
from debateprep.delegations.models import Delegation, Membership, Session
from debateprep.drafting.models import (
    MAX_ANSWER_CHARS,
    Answer,
    Revision,
    Statement,
    StatementLocked,
)
from debateprep.lib.compiled import CompiledQuery
from tests.factories import make_member, make_ready, open_statement

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def answer(debate, romania):
    statement = open_statement(debate, romania)
    return statement.answers.get(question__order=1)


def save(client, answer, text, version, **extra):
    url = reverse("drafting:answer-save", args=answer.url_args)
    return client.post(url, {"text": text, "version": version, **extra}, **HTMX)


def test_autosave_stores_text_and_reports_saved_time_words_and_new_version(client, drafter, answer):
    client.force_login(drafter)
    response = save(client, answer, "We support the role of regional organizations.", 0)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Saved at" in body
    assert "<span data-word-count>7</span>" in body
    assert f'id="{answer.anchor}-version"' in body
    assert 'value="1"' in body
    assert re.search(r'<p id="statement-totals"[^>]*hx-swap-oob="true"', body)
    answer.refresh_from_db()
    assert answer.text == "We support the role of regional organizations."
    assert answer.version == 1
    assert answer.updated_by == drafter


def test_the_saved_line_names_the_day_of_a_save_before_today(client, drafter, answer):
    answer.save_text("Written on Monday.", base_version=0, by=drafter)
    monday = timezone.make_aware(timezone.datetime(2026, 3, 2, 14, 5))
    Answer.objects.filter(pk=answer.pk).update(updated_at=monday)
    client.force_login(drafter)
    url = reverse(
        "drafting:statement", args=[answer.statement.debate.slug, answer.statement.delegation.code]
    )
    assert "Saved 2 March at 14:05" in client.get(url).content.decode()
    french = client.get(url, headers={"accept-language": "fr"}).content.decode()
    assert "Enregistré le 2 mars à 14:05" in french
    assert "Saved at" in save(client, answer, "Written today.", 1).content.decode()


def test_stale_save_shows_conflict_and_keeps_both_texts(client, drafter, lead, answer):
    answer.save_text("Their text from the other tab.", base_version=0, by=lead)
    client.force_login(drafter)
    response = save(client, answer, "My text typed in this tab.", 0)
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed elsewhere" in body
    assert "My text typed in this tab." in body
    assert "Their text from the other tab." in body
    assert 'name="conflict_version" value="1"' in body
    # The version is not advanced, so later autosaves cannot silently overwrite theirs: out of
    # band comes the conflict panel alone.
    assert re.findall(r'id="([^"]+)"[^>]*hx-swap-oob', body) == [f"{answer.anchor}-conflict"]
    answer.refresh_from_db()
    assert answer.text == "Their text from the other tab."


def test_keep_mine_after_a_conflict_overwrites_with_my_text(client, drafter, lead, answer):
    answer.save_text("Theirs", base_version=0, by=lead)
    client.force_login(drafter)
    response = save(client, answer, "Mine", 0, resolve="mine", conflict_version=1)
    assert response.status_code == 200
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Mine", 2)


def test_take_theirs_replaces_the_box_with_their_text(client, drafter, lead, answer):
    answer.save_text("Theirs", base_version=0, by=lead)
    client.force_login(drafter)
    response = save(client, answer, "Mine", 0, resolve="theirs", conflict_version=1)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#{answer.anchor}"
    assert "\nTheirs</textarea>" in response.content.decode()
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Theirs", 1)


def test_keep_both_saves_mine_then_theirs(client, drafter, lead, answer):
    answer.save_text("Theirs", base_version=0, by=lead)
    client.force_login(drafter)
    response = save(client, answer, "Mine", 0, resolve="both", conflict_version=1)
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.text == "Mine\n\nTheirs"
    assert "Mine\n\nTheirs</textarea>" in response.content.decode()


def test_resolving_against_an_even_newer_save_conflicts_again(client, drafter, lead, answer):
    answer.save_text("Theirs", base_version=0, by=lead)
    answer.save_text("Theirs, edited again", base_version=1, by=lead)
    client.force_login(drafter)
    response = save(client, answer, "Mine", 0, resolve="mine", conflict_version=1)
    assert response.status_code == 409
    assert "Theirs, edited again" in response.content.decode()


def test_resaving_the_same_text_from_an_old_version_is_not_a_conflict(
    client, drafter, lead, answer
):
    answer.save_text("Same words", base_version=0, by=lead)
    client.force_login(drafter)
    assert save(client, answer, "Same words", 0).status_code == 200


def test_over_long_answer_is_refused_with_a_clear_message_and_nothing_saved(
    client, drafter, answer
):
    client.force_login(drafter)
    response = save(client, answer, "x" * (MAX_ANSWER_CHARS + 1), 0)
    assert response.status_code == 422
    body = response.content.decode()
    assert f"Too long to save: {MAX_ANSWER_CHARS + 1:d} characters" in body
    assert f"the limit is {MAX_ANSWER_CHARS}" in body
    answer.refresh_from_db()
    assert answer.text == ""


def test_database_refuses_over_long_answer_even_without_the_form(answer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(text="x" * (MAX_ANSWER_CHARS + 1))


def test_final_statement_is_read_only(client, drafter, answer):
    Statement.objects.update(status=Statement.Status.FINAL)
    client.force_login(drafter)
    response = save(client, answer, "Late change", 0)
    assert response.status_code == 423
    assert "a lead must reopen it" in response.content.decode()
    answer.refresh_from_db()
    assert answer.text == ""


def test_save_button_without_javascript_saves_and_returns_to_the_answer(client, drafter, answer):
    client.force_login(drafter)
    url = reverse("drafting:answer-save", args=answer.url_args)
    response = client.post(url, {"text": "Saved without JavaScript", "version": 0})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{answer.anchor}")
    page = client.get(response["Location"])
    assert "Saved without JavaScript" in page.content.decode()


def test_conflict_without_javascript_shows_the_page_with_both_texts(client, drafter, lead, answer):
    answer.save_text("Theirs", base_version=0, by=lead)
    client.force_login(drafter)
    url = reverse("drafting:answer-save", args=answer.url_args)
    response = client.post(url, {"text": "Mine, typed without JavaScript", "version": 0})
    assert response.status_code == 409
    body = response.content.decode()
    assert "<html" in body
    assert "Mine, typed without JavaScript</textarea>" in body
    assert "Theirs</textarea>" in body


def test_answer_text_is_shown_escaped(client, drafter, answer):
    answer.save_text("<script>alert(1)</script>", base_version=0, by=drafter)
    client.force_login(drafter)
    page = client.get(answer.statement.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_answer_box_does_not_silently_truncate_long_pastes(client, drafter, answer):
    client.force_login(drafter)
    page = client.get(answer.statement.get_absolute_url()).content.decode()
    assert "maxlength" not in page


def test_keeping_both_texts_over_the_limit_is_refused_and_the_conflict_stays(
    client, drafter, lead, answer
):
    theirs = "a" * 12_000
    answer.save_text(theirs, base_version=0, by=lead)
    client.force_login(drafter)
    response = save(client, answer, "b" * 12_000, 0, resolve="both", conflict_version=1)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Both texts together are too long." in body
    assert 'name="conflict_version" value="1"' in body
    answer.refresh_from_db()
    assert answer.text == theirs


def test_resolving_a_conflict_keeps_the_replaced_text_as_its_own_version(client, drafter, answer):
    client.force_login(drafter)
    save(client, answer, "Written in the first tab", 0)
    assert save(client, answer, "Written in the second tab", 0).status_code == 409
    save(client, answer, "Written in the second tab", 0, resolve="mine", conflict_version=1)
    texts = set(Revision.objects.values_list("text", flat=True))
    assert texts == {"Written in the first tab", "Written in the second tab"}


def test_conflict_with_my_own_other_tab_says_so(client, drafter, answer):
    client.force_login(drafter)
    save(client, answer, "First tab", 0)
    body = save(client, answer, "Second tab", 0).content.decode()
    assert "You saved this answer in another tab or window" in body


def test_autosave_after_the_session_ended_gets_401_not_the_login_page(client, answer):
    response = save(client, answer, "Typed after logging out elsewhere", 0)
    assert response.status_code == 401
    assert "<form" not in response.content.decode()
    answer.refresh_from_db()
    assert answer.text == ""


@pytest.mark.parametrize("ended", ["expired", "logged out", "deactivated"])
def test_an_autosave_on_a_session_that_ended_is_refused_and_saves_nothing(
    client, drafter, answer, ended
):
    client.force_login(drafter)
    save(client, answer, "Saved while logged in", 0)
    if ended == "expired":
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    elif ended == "logged out":
        Session.objects.all().delete()
    else:
        User.objects.filter(pk=drafter.pk).update(is_active=False)
    response = save(client, answer, "Typed after the session ended", 1)
    assert response.status_code == 401
    answer.refresh_from_db()
    assert answer.text == "Saved while logged in"


def test_the_user_a_session_brought_serves_only_that_sessions_request(
    client, drafter, other_drafter, answer
):
    client.force_login(drafter)
    assert save(client, answer, "Mine", 0).status_code == 200
    # Next in the same process: a visitor without a session, then another delegation's drafter.
    assert Client().get(reverse("drafting:debate-list")).status_code == 302
    other = Client()
    other.force_login(other_drafter)
    assert save(other, answer, "Theirs", 1).status_code == 404
    answer.refresh_from_db()
    assert answer.text == "Mine"


def test_a_deleted_account_takes_its_sessions_with_it(client, drafter, answer):
    client.force_login(drafter)
    assert Session.objects.get().user == drafter
    drafter.delete()
    assert not Session.objects.exists()
    assert save(client, answer, "Typed after the account went", 0).status_code == 401


def test_a_save_begun_before_mark_final_does_not_land_after_it(drafter, lead, answer):
    # The request loaded the statement as a draft; the lead marks it final before the save.
    statement = make_ready(Statement.objects.get(pk=answer.statement_id))
    statement.set_status(Statement.Status.FINAL, by=lead)
    with pytest.raises(StatementLocked):
        answer.save_text("Typed while the lead approved", base_version=0, by=drafter)
    answer.refresh_from_db()
    assert answer.text == ""
    assert not answer.revisions.exists()


def test_a_save_begun_before_a_change_of_language_is_counted_in_the_new_language(drafter, answer):
    # The request read the statement in English; a member switches it to Chinese before the save.
    Statement.objects.filter(pk=answer.statement_id).update(language="zh-hans")
    answer.save_text("我们支持区域组织。", base_version=0, by=drafter)
    answer.refresh_from_db()
    assert answer.words == 8
    assert answer.revisions.get().words == 8
    assert Statement.objects.get().speaking_time().words == 8


def while_the_statement_is_held(hold, save, then=lambda: None) -> None:
    """Run `save` in a thread while another holds the statement's row: `hold` takes it, inside
    a transaction that `then` finishes once `save` is seen waiting for the row."""
    locked, release = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            hold()
            locked.set()
            release.wait(5)
            then()
        connection.close()

    def saver():
        try:
            save()
        finally:
            connection.close()

    holding = threading.Thread(target=holder)
    holding.start()
    locked.wait(5)
    saving = threading.Thread(target=saver)
    saving.start()
    saving.join(0.5)
    assert saving.is_alive(), "the save must wait for the statement's row"
    release.set()
    holding.join(5)
    saving.join(5)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite serialises whole transactions"
)
@pytest.mark.django_db(transaction=True)
def test_saves_wait_for_mark_final_and_are_then_refused(drafter, lead, debate, romania):
    answer = make_ready(open_statement(debate, romania)).answers.get(question__order=1)
    statement = Statement.objects.get()
    outcome = {}

    def save_late():
        try:
            outcome["saved"] = answer.save_text("Late text", base_version=0, by=drafter)
        except StatementLocked:
            outcome["saved"] = "refused"

    while_the_statement_is_held(
        hold=lambda: Statement.objects.select_for_update().get(pk=statement.pk),
        then=lambda: statement.set_status(Statement.Status.FINAL, by=lead),
        save=save_late,
    )
    assert outcome["saved"] == "refused"
    answer.refresh_from_db()
    assert answer.text == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite serialises whole transactions"
)
@pytest.mark.parametrize("road", ["autosave", "save_text"])
@pytest.mark.django_db(transaction=True)
def test_a_save_that_waited_for_another_counts_it_in_the_totals(drafter, debate, romania, road):
    statement = open_statement(debate, romania)
    answer = statement.answers.get(question__order=1)
    opening = statement.answers.get(part=Answer.Part.OPENING)
    outcome = {}

    def save_the_answer():
        if road == "autosave":
            client = Client()
            client.force_login(drafter)
            outcome["reply"] = save(client, answer, "We support regional organizations.", 0)
        else:
            answer.save_text("We support regional organizations.", base_version=0, by=drafter)
            outcome["total"] = answer.statement.speaking_time().words

    while_the_statement_is_held(
        hold=lambda: opening.save_text(
            "Thank you very much, Mr. President.", base_version=0, by=drafter
        ),
        save=save_the_answer,
    )
    # 6 words of the opening saved while this save waited, and its own 4.
    if road == "autosave":
        assert "<span data-total-words>10</span>" in outcome["reply"].content.decode()
    else:
        assert outcome["total"] == 10
    assert Statement.objects.get().speaking_time().words == 10


def test_a_save_without_javascript_keeps_line_breaks_as_autosave_does(client, drafter, answer):
    client.force_login(drafter)
    url = reverse("drafting:answer-save", args=answer.url_args)
    client.post(url, {"text": "First paragraph.\r\n\r\nSecond.", "version": 0})
    answer.refresh_from_db()
    assert answer.text == "First paragraph.\n\nSecond."


def test_an_autosave_runs_one_query_for_the_address_and_the_right_to_write(
    client, drafter, answer, django_assert_num_queries
):
    client.force_login(drafter)
    save(client, answer, "First words.", 0)
    # 1. the session with its user;
    # On PostgreSQL, 2. the save in one statement, which finds the answer at this address if
    # the user may write it (their role, the debate open to the delegation), with what the
    # reply reads of its statement, debate and delegation (Answer.objects.saved_at).
    # Elsewhere, 2. that answer (Answer.objects.writable_at); 3. SAVEPOINT (a transaction
    # outside tests); 4. the statement's row held (a save never lands after "Mark final");
    # 5. the compare-and-set UPDATE of text, word count and version; 6. the revision;
    # 7. RELEASE SAVEPOINT (COMMIT); 8. the totals: one sum of the word counts kept on the
    # answers' rows.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 8):
        response = save(client, answer, "Second words, three more.", 1)
    assert response.status_code == 200
    assert "<span data-total-words>4</span>" in response.content.decode()


def test_totals_after_an_autosave_count_every_answer_of_the_statement(client, drafter, answer):
    opening = answer.statement.answers.get(part=Answer.Part.OPENING)
    opening.save_text("Thank you, Mr. President.", base_version=0, by=drafter)
    client.force_login(drafter)
    body = save(client, answer, "We support the role of regional organizations.", 0)
    assert "<span data-total-words>11</span>" in body.content.decode()
    assert Statement.objects.get().speaking_time().words == 11
    answer.refresh_from_db()
    assert answer.words == 7


def test_the_first_autosave_of_a_statement_starts_it(client, drafter, debate, romania):
    client.force_login(drafter)
    url = reverse("drafting:answer-save", args=[debate.slug, romania.code, "opening"])
    response = client.post(url, {"text": "Thank you.", "version": 0}, **HTMX)
    assert response.status_code == 200
    assert 'id="statement-state"' in response.content.decode()
    assert Answer.objects.get().text == "Thank you."


@pytest.mark.parametrize(
    ("who", "status"),
    [("drafter", 200), ("lead", 200), ("reviewer", 403), ("editor", 403), ("outsider", 404)],
)
@pytest.mark.parametrize("invited", [True, False])
def test_an_autosave_is_refused_as_a_save_without_javascript_is(
    client, debate, romania, france, editor, who, status, invited
):
    """The quick way to an answer decides as the usual one does: by role, and only for debates
    open to the delegation."""
    if invited:
        debate.invited_only = True
        debate.save()
        debate.invited_delegations.add(romania)
    people = {
        "drafter": make_member(romania, username="d"),
        "lead": make_member(romania, Membership.Role.LEAD, username="l"),
        "reviewer": make_member(romania, Membership.Role.REVIEWER, username="r"),
        "editor": editor,
        "outsider": make_member(france, username="o"),
    }
    answer = open_statement(debate, romania).answers.get(question__order=1)
    client.force_login(people[who])
    assert save(client, answer, "Typed", 0).status_code == status
    url = reverse("drafting:answer-save", args=answer.url_args)
    without_js = client.post(url, {"text": "Typed", "version": answer.version + (status == 200)})
    assert without_js.status_code == (302 if status == 200 else status)


@pytest.mark.parametrize("change", ["not invited", "draft debate", "no longer a member"])
def test_an_autosave_outside_reach_is_not_found(client, drafter, debate, romania, answer, change):
    if change == "not invited":
        debate.invited_only = True
        debate.save()
    elif change == "draft debate":
        debate.status = Debate.Status.DRAFT
        debate.save()
    else:
        Membership.objects.filter(user=drafter).delete()
    client.force_login(drafter)
    assert save(client, answer, "Typed", 0).status_code == 404
    answer.refresh_from_db()
    assert answer.text == ""


def test_a_compiled_query_refuses_a_stand_in_that_does_not_reach_its_sql(db):
    # Were a value built into the SQL as a literal, every later call would silently run with
    # the first one: a save could land in the wrong answer.
    query = CompiledQuery(
        lambda order, slug: Question.objects.filter(order=1, debate__slug=slug).values_list("pk"),
        order=-5,
        slug="§slug§",
    )
    with pytest.raises(ValueError, match="order"):
        query.first(order=1, slug="x")


def test_a_compiled_query_in_a_statement_of_its_own_takes_both_their_values(db, romania):
    query = CompiledQuery(
        # Compiles to SQL with percent signs of its own (LIKE … || '%%').
        lambda code: Delegation.objects.filter(code=code, code__istartswith=F("code")).values_list(
            "name"
        ),
        around="SELECT count(*), %(label)s FROM ({query}) AS found",
        code="§code§",
    )
    assert query.first(code="ROU", label="found") == (1, "found")
    assert query.first(code="FRA", label="none") == (0, "none")


@pytest.mark.parametrize(
    "slot", ["question-99999999999999999999", "question-9223372036854775808", "question-", "x"]
)
def test_an_autosave_to_an_address_of_no_answer_is_not_found(client, drafter, answer, slot):
    client.force_login(drafter)
    debate_slug, code, _ = answer.url_args
    url = reverse("drafting:answer-save", args=[debate_slug, code, slot])
    response = client.post(url, {"text": "Lost?", "version": 0}, **HTMX)
    assert response.status_code == 404


def test_a_conflict_with_a_writer_whose_account_is_gone_still_shows_the_panel(
    client, drafter, romania, answer
):
    gone = make_member(romania, username="gone")
    answer.save_text("Theirs", base_version=0, by=gone)
    gone.delete()
    client.force_login(drafter)
    response = save(client, answer, "Mine", 0)
    assert response.status_code == 409
    assert "Someone else saved this answer" in response.content.decode()


@pytest.mark.parametrize("version", [2**31, 2**64])
def test_a_save_with_a_version_past_any_saved_one_is_refused_and_keeps_the_text(
    client, drafter, answer, version
):
    client.force_login(drafter)
    save(client, answer, "Saved", 0)
    response = save(client, answer, "Typed", version)
    assert response.status_code == 422
    assert "copy your text, then reload the page" in response.content.decode()
    answer.refresh_from_db()
    assert answer.text == "Saved"
