"""A statement as team work: comments, suggestions, approval, presence and activity."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from debateprep.delegations.models import Membership
from debateprep.drafting.models import (
    MAX_COMMENT_CHARS,
    Comment,
    Presence,
    Revision,
    Statement,
    Suggestion,
)
from tests.factories import make_debate, make_member, make_ready, open_statement

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reviewer(romania):
    return make_member(romania, Membership.Role.REVIEWER, username="reviewer", first_name="Rita")


@pytest.fixture
def answer(debate, romania, drafter):
    answer = open_statement(debate, romania).answers.get(question__order=1)
    answer.save_text(
        "We support regional organizations in early warning.", base_version=0, by=drafter
    )
    return answer


def url(name, answer, *args):
    return reverse(f"drafting:{name}", args=[*answer.url_args, *args])


def test_a_reviewer_comments_on_a_passage_and_the_drafter_replies_and_resolves(
    client, reviewer, drafter, answer
):
    client.force_login(reviewer)
    response = client.post(
        url("comment-add", answer),
        {"text": "Name the organizations?", "quote": "regional organizations"},
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Name the organizations?" in page
    assert '<blockquote class="quote">regional organizations</blockquote>' in page
    # The count beside the answer follows.
    assert (
        f'<span id="{answer.anchor}-open-items" class="open-items" data-hx-swap-oob="true">'
        "(1 open comment)</span>"
    ) in page

    client.force_login(drafter)
    statement_page = client.get(answer.statement.get_absolute_url()).content.decode()
    assert "(1 open comment)" in statement_page
    assert "Open on this statement: 1 comment." in statement_page
    thread = Comment.objects.get()
    client.post(url("comment-add", answer), {"text": "The AU and the EU.", "thread": thread.pk})
    client.post(url("comment-resolve", answer, thread.pk), {"resolved": "on"})
    thread.refresh_from_db()
    assert thread.replies.get().text == "The AU and the EU."
    assert (thread.resolved_by, thread.is_resolved) == (drafter, True)
    assert "open comment" not in client.get(answer.statement.get_absolute_url()).content.decode()

    client.post(url("comment-resolve", answer, thread.pk), {})
    thread.refresh_from_db()
    assert not thread.is_resolved


def test_comments_are_the_delegations_own(client, editor, other_drafter, reviewer, answer):
    answer.add_comment("Internal: check with the capital", by=reviewer)
    client.force_login(editor)
    page = client.get(answer.statement.get_absolute_url()).content.decode()
    assert "Comments and suggestions" not in page
    assert client.get(url("answer-review", answer)).status_code == 404
    client.force_login(other_drafter)
    assert client.get(url("answer-review", answer)).status_code == 404
    assert client.post(url("comment-add", answer), {"text": "Hello"}).status_code == 404
    assert Comment.objects.count() == 1


def test_comments_and_suggestions_never_reach_an_export(client, drafter, reviewer, answer):
    answer.add_comment("Internal: check with the capital", by=reviewer)
    answer.add_suggestion("Secret wording", by=reviewer, base_version=1, base_text=answer.text)
    client.force_login(drafter)
    for fmt in ("md", "txt"):
        response = client.get(
            reverse("jobs:statement", args=[answer.statement.debate.slug, "ROU", fmt])
        )
        export = b"".join(response.streaming_content).decode()
        assert "We support regional organizations" in export
        assert "capital" not in export
        assert "Secret wording" not in export


def test_a_comment_on_a_final_statement_is_refused_with_a_message(client, lead, answer):
    statement = make_ready(answer.statement)
    statement.set_status(Statement.Status.FINAL, by=lead)
    client.force_login(lead)
    response = client.post(url("comment-add", answer), {"text": "Too late?"}, **HTMX)
    assert response.status_code == 423
    assert "This statement is final" in response.content.decode()
    response = client.post(
        url("suggestion-add", answer), {"text": "Other text", "base_version": 1}, **HTMX
    )
    assert response.status_code == 423
    assert not Comment.objects.exists()
    assert not Suggestion.objects.exists()


def test_an_over_long_comment_is_refused_and_kept_in_its_box(client, reviewer, answer):
    client.force_login(reviewer)
    text = "word " * (MAX_COMMENT_CHARS // 4)
    response = client.post(url("comment-add", answer), {"text": text}, **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ensure this value has at most 5000 characters" in page
    assert text.strip() in page


def test_hostile_text_in_a_comment_is_shown_as_typed(client, reviewer, answer):
    client.force_login(reviewer)
    response = client.post(url("comment-add", answer), {"text": "<script>alert(1)</script>"})
    page = client.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_suggestion_for_a_passage_is_shown_as_a_diff_and_accepted_as_the_reviewers(
    client, reviewer, drafter, answer
):
    client.force_login(reviewer)
    response = client.post(
        url("suggestion-add", answer),
        {
            "quote": "early warning",
            "start": answer.text.index("early warning"),
            "text": "early warning and mediation",
            "note": "Mediation matters too.",
            "base_version": 1,
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "early warning<ins> and mediation</ins>." in response.content.decode()
    # A reviewer cannot write, so cannot accept.
    suggestion = Suggestion.objects.get()
    decide = url("suggestion-decide", answer, suggestion.pk)
    assert client.post(decide, {"decision": "accept"}).status_code == 403

    client.force_login(drafter)
    response = client.post(decide, {"decision": "accept"}, **HTMX)
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.text == "We support regional organizations in early warning and mediation."
    revision = answer.revisions.get(version=answer.version)
    assert (revision.kind, revision.author, revision.accepted_by) == (
        Revision.Kind.SUGGESTION,
        reviewer,
        drafter,
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (Suggestion.Status.ACCEPTED, drafter)
    # The answer is drawn anew with the saved text in its box and its review panel open.
    page = response.content.decode()
    assert "early warning and mediation.</textarea>" in page
    assert "No open suggestions." in page
    assert client.post(decide, {"decision": "reject"}, **HTMX).status_code == 409


def test_a_suggestion_on_an_older_text_is_carried_over_or_flagged(
    client, reviewer, drafter, answer
):
    suggestion = answer.add_suggestion(
        "We firmly support regional organizations in early warning.",
        by=reviewer,
        base_version=1,
        base_text=answer.text,
    )
    answer.save_text(
        "We support regional organizations in early warning. They know the ground.",
        base_version=1,
        by=drafter,
    )
    client.force_login(drafter)
    page = client.get(url("answer-review", answer)).content.decode()
    assert "Made on version 1; shown against the current text." in page
    client.post(url("suggestion-decide", answer, suggestion.pk), {"decision": "accept"})
    answer.refresh_from_db()
    assert answer.text == (
        "We firmly support regional organizations in early warning. They know the ground."
    )

    clashing = answer.add_suggestion(
        "We firmly support the African Union in early warning. They know the ground.",
        by=reviewer,
        base_version=answer.version,
        base_text=answer.text,
    )
    answer.save_text(
        "We firmly support subregional bodies in early warning. They know the ground.",
        base_version=answer.version,
        by=drafter,
    )
    page = client.get(url("answer-review", answer)).content.decode()
    assert "This suggestion no longer applies cleanly" in page
    response = client.post(url("suggestion-decide", answer, clashing.pk), {"decision": "accept"})
    assert response.status_code == 409
    answer.refresh_from_db()
    assert "subregional bodies" in answer.text
    clashing.refresh_from_db()
    assert clashing.status == Suggestion.Status.OPEN


def test_a_suggestion_for_a_passage_no_longer_in_the_text_is_refused(client, reviewer, answer):
    client.force_login(reviewer)
    response = client.post(
        url("suggestion-add", answer),
        {"quote": "peacekeeping", "text": "peace operations", "base_version": 1},
        **HTMX,
    )
    assert response.status_code == 422
    assert "The selected passage is not in the answer any more" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_approval_asks_for_a_ready_statement_or_a_leads_reason(client, lead, reviewer, answer):
    statement = answer.statement
    status_url = reverse("drafting:statement-status", args=[statement.debate.slug, "ROU"])
    answer.add_suggestion("Other text", by=reviewer, base_version=1, base_text=answer.text)
    client.force_login(lead)
    response = client.post(status_url, {"status": "final"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "No answer and no “no position” mark: Label 2; Label 3." in page
    assert "1 suggestion is still open (Label 1): accept or reject it." in page
    assert "Approve anyway" in page

    for order in (2, 3):
        second = statement.answer_at(f"question-{statement.debate.questions.get(order=order).pk}")
        client.post(url("answer-position", second), {"no_position": "on"})
    response = client.post(status_url, {"status": "final"})
    assert response.status_code == 409
    assert "No answer" not in response.content.decode()

    response = client.post(
        status_url, {"status": "final", "override": "on", "reason": " "}, follow=True
    )
    assert "Say why the statement is approved as it is." in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    response = client.post(
        status_url, {"status": "final", "override": "on", "reason": "Agreed with the capital"}
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.FINAL
    change = statement.status_changes.get()
    assert (change.by, change.reason) == (lead, "Agreed with the capital")
    assert "1 suggestion is still open" in change.overridden
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Draft → Final: “Agreed with the capital”" in page
    assert "Approved although: 1 suggestion is still open" in page


def test_the_no_position_mark_is_for_writers_and_shown_to_all(client, reviewer, drafter, answer):
    second = answer.statement.answer_at(
        f"question-{answer.statement.debate.questions.get(order=2).pk}"
    )
    client.force_login(reviewer)
    assert client.post(url("answer-position", second), {"no_position": "on"}).status_code == 403
    client.force_login(drafter)
    client.post(url("answer-position", second), {"no_position": "on"})
    page = client.get(answer.statement.get_absolute_url()).content.decode()
    assert page.count("No position on this question") == 1
    assert "Remove the “no position” mark" in page


def test_reviewers_see_what_changed_since_the_review_began(client, drafter, reviewer, answer):
    statement = answer.statement
    statement.set_status(Statement.Status.IN_REVIEW, by=drafter)
    answer.save_text("We support the AU in early warning.", base_version=1, by=drafter)
    client.force_login(reviewer)
    page = client.get(statement.get_absolute_url()).content.decode()
    history = url("answer-history", answer)
    assert f'href="{history}?old=1&amp;new=2"' in page
    assert page.count("Changes since the review began") == 1


def test_the_statement_page_counts_comments_and_suggestions_in_fixed_queries(
    client, drafter, reviewer, romania, django_assert_num_queries
):
    counts = []
    for items in (2, 20):
        debate = make_debate(questions=5)
        statement = open_statement(debate, romania)
        for answer in statement.answers.all():
            answer.save_text("Text", base_version=0, by=drafter)
            for n in range(items):
                answer.add_comment(f"Comment {n}", by=reviewer)
                answer.add_suggestion(f"Text {n}", by=reviewer, base_version=1, base_text="Text")
        client.force_login(drafter)
        with django_assert_num_queries(11) as captured:
            page = client.get(statement.get_absolute_url()).content.decode()
        assert f"({items} open comments, {items} suggestions)" in page
        counts.append(len(captured))
        with django_assert_num_queries(10) as captured:
            panel = client.get(url("answer-review", statement.answers.first()), **HTMX)
        assert panel.content.decode().count('class="suggestion"') == items
    assert counts[0] == counts[1]


def test_who_is_here_and_typing_where(client, drafter, lead, editor, answer):
    pulse = reverse("drafting:statement-pulse", args=[answer.statement.debate.slug, "ROU"])
    client.force_login(lead)
    client.post(pulse, {"slot": answer.slot, "typing": "on"}, **HTMX)

    client.force_login(drafter)
    reply = client.post(pulse, {"slot": "opening"}, **HTMX).content.decode()
    assert "Also here: lead (typing)" in reply
    assert (
        f'id="{answer.anchor}-presence" class="typing" data-hx-swap-oob="true">lead is typing here'
        in reply
    )
    assert 'id="answer-opening-presence" class="typing" data-hx-swap-oob="true"></p>' in reply

    # A page that stopped asking is taken to be closed.
    Presence.objects.filter(user=lead).update(seen_at=timezone.now() - timedelta(minutes=5))
    assert "Nobody else has this statement open." in client.post(pulse, {}, **HTMX).content.decode()

    client.force_login(editor)
    assert client.post(pulse, {}, **HTMX).status_code == 404


def test_recent_activity_groups_saves_and_lists_the_teams_steps(client, drafter, reviewer, answer):
    answer.save_text("Second", base_version=1, by=drafter)
    answer.save_text("Third", base_version=2, by=drafter)
    answer.add_comment("Why?", by=reviewer)
    answer.statement.set_status(Statement.Status.IN_REVIEW, by=drafter)
    client.force_login(reviewer)
    pulse = reverse("drafting:statement-pulse", args=[answer.statement.debate.slug, "ROU"])
    reply = client.post(pulse, {}, **HTMX).content.decode()
    assert "drafter made it in review" in reply
    assert "Rita commented on “Label 1”" in reply or "reviewer commented on “Label 1”" in reply
    assert "drafter saved “Label 1” (3 times)" in reply


def test_activity_credits_an_accepted_suggestion_to_who_accepted_it(
    client, reviewer, drafter, answer
):
    suggestion = answer.add_suggestion(
        "Other text", by=reviewer, base_version=1, base_text=answer.text
    )
    suggestion.decide(True, by=drafter)
    comment = answer.add_comment("Why?", by=reviewer)
    comment.set_resolved(True, by=drafter)
    client.force_login(reviewer)
    pulse = reverse("drafting:statement-pulse", args=[answer.statement.debate.slug, "ROU"])
    reply = client.post(pulse, {}, **HTMX).content.decode()
    assert "drafter accepted a suggestion on “Label 1”" in reply
    assert "Rita suggested a change to “Label 1”" in reply
    assert "Rita accepted" not in reply
    assert "drafter resolved a comment on “Label 1”" in reply


def test_a_second_accept_shows_why_in_the_panel_and_leaves_the_answer(
    client, reviewer, drafter, lead, answer
):
    suggestion = answer.add_suggestion(
        "Other text", by=reviewer, base_version=1, base_text=answer.text
    )
    suggestion.decide(True, by=lead)
    client.force_login(drafter)
    response = client.post(
        url("suggestion-decide", answer, suggestion.pk), {"decision": "accept"}, **HTMX
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == f"#{answer.anchor}-review"
    assert response["HX-Reswap"] == "innerHTML"
    assert "This suggestion was accepted already." in response.content.decode()


def test_a_refused_reply_stays_in_its_threads_box(client, reviewer, answer):
    thread = answer.add_comment("Shorter?", by=reviewer)
    client.force_login(reviewer)
    reply = "word " * 1_100
    response = client.post(url("comment-add", answer), {"text": reply, "thread": thread.pk}, **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    box = page[page.index(f'id="reply-{thread.pk}"') :]
    assert box.split("</textarea>")[0].endswith(reply)
    assert "at most 5000 characters" in page
    assert "maxlength" not in page


def test_the_history_credits_an_accepted_suggestion_to_both(client, reviewer, drafter, answer):
    suggestion = answer.add_suggestion(
        "We support regional organizations.", by=reviewer, base_version=1, base_text=answer.text
    )
    suggestion.decide(True, by=drafter)
    client.force_login(drafter)
    page = client.get(url("answer-history", answer)).content.decode()
    entry = " ".join(page.split())
    assert "· Rita · 4 words · Suggestion accepted by drafter" in entry


def test_status_changes_and_exports_are_in_the_audit_log(client, drafter, editor, answer):
    from debateprep.delegations.models import AuditEntry
    from debateprep.jobs.models import ExportJob

    answer.statement.set_status(Statement.Status.IN_REVIEW, by=drafter, reason="Ready to read")
    client.force_login(drafter)
    client.get(reverse("jobs:statement", args=[answer.statement.debate.slug, "ROU", "md"]))
    client.force_login(editor)
    client.get(reverse("jobs:compendium", args=[answer.statement.debate.slug, "csv"]))
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.action, e.actor, e.delegation, e.changes) for e in entries] == [
        (
            AuditEntry.Action.STATUS_CHANGED,
            drafter,
            answer.statement.delegation,
            {"status": ["draft", "in_review"], "reason": "Ready to read"},
        ),
        (AuditEntry.Action.EXPORTED, drafter, answer.statement.delegation, {"format": "md"}),
        (
            AuditEntry.Action.EXPORTED,
            editor,
            None,
            {"compendium": "csv", "job": str(ExportJob.objects.get().pk)},
        ),
    ]
    assert entries[0].debate == str(answer.statement.debate)


def test_a_first_suggestion_or_reply_on_an_answer_nobody_saved_yet(client, reviewer, debate):
    """Nothing has been written: the suggestion is the first text, and a reply names no
    thread that exists."""
    statement = Statement(debate=debate, delegation=reviewer.delegations.get())
    closing = statement.answer_at("closing")
    client.force_login(reviewer)
    response = client.post(
        url("suggestion-add", closing), {"text": "Thank you, Madam President.", "base_version": 0}
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.base_text, suggestion.text) == ("", "Thank you, Madam President.")
    opening = statement.answer_at("opening")
    response = client.post(url("comment-add", opening), {"text": "Hi", "thread": 1})
    assert response.status_code == 404


def test_restoring_the_current_version_says_so_and_saves_nothing(client, drafter, answer):
    client.force_login(drafter)
    response = client.post(
        url("answer-restore", answer), {"version": 1, "base_version": 1}, follow=True
    )
    assert "Version 1 is the current text already." in response.content.decode()
    assert answer.revisions.count() == 1
