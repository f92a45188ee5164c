from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from debateprep.debates.models import Debate
from tests.factories import make_debate, open_statement, preview_data

LETTERS = Path(__file__).resolve().parent / "letters"
EDUCATION = LETTERS / "2023-05-16-malta-education.txt"
URL = reverse("admin:debates_debate_load_letter")


def upload(client, name="education.txt", content=None):
    content = EDUCATION.read_bytes() if content is None else content
    return client.post(URL, {"letter": SimpleUploadedFile(name, content)})


def question_texts(response) -> list[str]:
    return [
        form["text"].value() for form in response.context["questions"].forms if form["text"].value()
    ]


@pytest.fixture
def logged_in(client, editor):
    client.force_login(editor)
    return client


def test_an_upload_shows_the_parsed_fields_questions_and_the_source_before_creating(logged_in):
    response = upload(logged_in)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Keeping children in school during armed conflict"' in page
    assert 'value="2023-05-16"' in page
    assert question_texts(response)[0] == (
        "How can schools be kept safe from attack and from military use?"
    )
    assert '<pre class="letter-source" tabindex="0">' in page
    assert '<mark data-question="1"' in page
    assert "Create the debate (unpublished)" in page
    assert not Debate.objects.exists()


def test_a_pasted_letter_with_e_mail_headers_is_previewed(logged_in):
    pasted = (
        "From: Mission of Malta <malta@example.org>\r\nSubject: Fwd: concept note\r\n\r\n"
        "Dear colleagues, please find the letter below.\r\n\r\n"
        + EDUCATION.read_text().replace("\n", "\r\n")
    )
    response = logged_in.post(URL, {"pasted": pasted})
    assert response.status_code == 200
    assert len(question_texts(response)) == 3
    assert response.context["fields"]["source_name"].value() == "pasted text"


def test_an_upload_without_file_or_text_asks_for_one(logged_in):
    response = logged_in.post(URL, {"pasted": "  "})
    assert "Choose a file or paste the letter" in response.content.decode()


def test_a_letter_the_parser_refuses_shows_why_and_creates_nothing(logged_in):
    response = upload(logged_in, "minutes.pdf", b"%PDF-1.4 broken")
    page = response.content.decode()
    assert response.status_code == 200
    assert "minutes.pdf:" in page
    assert "Create the debate" not in page
    assert not Debate.objects.exists()


def test_split_at_the_editors_mark_makes_two_questions(logged_in):
    preview = upload(logged_in)
    marked = "How can schools be kept safe from attack? || And from military use?"
    data = preview_data(preview, **{"questions-0-text": marked}, split="1")
    response = logged_in.post(URL, data)
    assert question_texts(response)[:3] == [
        "How can schools be kept safe from attack?",
        "And from military use?",
        "What can peace agreements do to bring children back to school?",
    ]
    assert [form["order"].value() for form in response.context["questions"].forms[:4]] == [
        1,
        2,
        3,
        4,
    ]
    assert not Debate.objects.exists()


def test_split_without_a_mark_cuts_after_the_first_question_mark(logged_in):
    preview = upload(logged_in)
    text = "What is at stake? How can schools be kept safe?"
    response = logged_in.post(URL, preview_data(preview, **{"questions-0-text": text}, split="1"))
    assert question_texts(response)[:2] == ["What is at stake?", "How can schools be kept safe?"]


def test_merge_with_next_joins_two_questions(logged_in):
    preview = upload(logged_in)
    response = logged_in.post(URL, preview_data(preview, merge="2"))
    texts = question_texts(response)
    assert len(texts) == 2
    assert texts[1] == (
        "What can peace agreements do to bring children back to school? "
        "How can regional organizations help displaced children continue their education?"
    )


def test_create_makes_an_unpublished_debate_with_the_corrected_questions(logged_in):
    preview = upload(logged_in)
    data = preview_data(
        preview,
        **{
            "title": "Children in school during armed conflict",
            "questions-1-DELETE": "on",
            "questions-3-order": "4",
            "questions-3-text": "How can donors fund schooling in emergencies?",
            "questions-3-label": "Funding",
        },
        create="1",
    )
    response = logged_in.post(URL, data, follow=True)
    debate = Debate.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:debates_debate_change", args=[debate.pk]
    )
    assert debate.title == "Children in school during armed conflict"
    assert (debate.sender, debate.signatory) == ("Malta", "Anna Borg")
    assert debate.status == Debate.Status.DRAFT
    questions = list(debate.questions.order_by("order"))
    assert [(q.order, q.label, q.text) for q in questions] == [
        (1, "", "How can schools be kept safe from attack and from military use?"),
        (2, "", "How can regional organizations help displaced children continue their education?"),
        (3, "Funding", "How can donors fund schooling in emergencies?"),
    ]
    assert "3 guiding questions" in response.content.decode()
    assert "Publish to delegations" in response.content.decode()


def test_a_preview_without_a_title_is_refused_and_creates_nothing(logged_in):
    preview = upload(logged_in)
    response = logged_in.post(URL, preview_data(preview, title="", create="1"))
    assert response.status_code == 200
    assert "education.txt: not loaded: no title found" in response.content.decode()
    assert not Debate.objects.exists()


def test_reimport_that_rewords_an_answered_question_asks_for_confirmation(logged_in, romania):
    preview = upload(logged_in)
    logged_in.post(URL, preview_data(preview, create="1"))
    debate = Debate.objects.get()
    open_statement(debate, romania).answers.filter(question__order=3).update(text="Through the AU")
    reworded = "How can regional organizations support displaced children in school?"

    preview = upload(logged_in)
    response = logged_in.post(
        URL, preview_data(preview, **{"questions-2-text": reworded}, create="1")
    )
    page = response.content.decode()
    assert "it rewords questions that delegations have answered" in page
    assert "question 3: “How can regional organizations help displaced children" in page
    assert "Confirm and update the debate" in page
    assert debate.questions.get(order=3).text.startswith("How can regional organizations help")

    response = logged_in.post(
        URL, preview_data(response, **{"questions-2-text": reworded}, confirm="1"), follow=True
    )
    assert "0 added, 1 reworded" in response.content.decode()
    assert debate.questions.get(order=3).text == reworded
    assert Debate.objects.count() == 1


def test_a_letter_loaded_before_updates_its_debate_and_the_preview_says_so(logged_in):
    preview = upload(logged_in)
    logged_in.post(URL, preview_data(preview, create="1"))
    debate = Debate.objects.get()

    preview = upload(logged_in)
    page = preview.content.decode()
    assert preview.context["fields"]["debate"].value() == debate.pk
    assert 'value="Update the debate"' in page
    assert "Create the debate (unpublished)" not in page
    added = "How can donors fund schooling in emergencies?"
    response = logged_in.post(
        URL, preview_data(preview, **{"questions-3-text": added}, create="1"), follow=True
    )
    assert "updated “2023-05-16-malta”, 4 guiding questions (1 added, 0 reworded)" in (
        response.content.decode()
    )
    assert Debate.objects.get().questions.get(order=4).text == added


def test_the_editor_chooses_the_debate_a_letter_updates(logged_in, romania):
    """A corrected letter whose title changed is not recognised as the same debate: the editor
    says which it is, and the answers stay under their questions."""
    preview = upload(logged_in)
    logged_in.post(URL, preview_data(preview, create="1"))
    debate = Debate.objects.get()
    open_statement(debate, romania).answers.filter(question__order=1).update(text="Safe schools")

    corrected = EDUCATION.read_bytes().replace(b"Keeping children", b"Keeping girls and boys")
    preview = upload(logged_in, content=corrected)
    assert preview.context["fields"]["debate"].value() is None
    # Choosing the debate shows the preview again as it would load into that debate.
    redrawn = logged_in.post(URL, preview_data(preview, debate=str(debate.pk), create="1"))
    page = redrawn.content.decode()
    assert "Shown now as it would load into" in page
    assert 'value="Keeping children in school during armed conflict"' in page
    assert "The debate&#x27;s question 1." in page
    assert "1 delegation has answered it." in page
    assert Debate.objects.get().title == "Keeping children in school during armed conflict"

    title = "Keeping girls and boys in school during armed conflict"
    response = logged_in.post(URL, preview_data(redrawn, title=title, create="1"), follow=True)
    assert "updated “2023-05-16-malta”" in response.content.decode()
    assert Debate.objects.get().title == title
    assert Debate.objects.count() == 1
    assert debate.questions.get(order=1).answers.get().text == "Safe schools"


def test_deleting_questions_in_the_preview_removes_them_unless_answered(logged_in, romania):
    preview = upload(logged_in)
    logged_in.post(URL, preview_data(preview, create="1"))
    debate = Debate.objects.get()
    statement = open_statement(debate, romania)
    statement.answers.filter(question__order=2).update(text="Peace agreements first")

    preview = upload(logged_in)
    unanswered_and_answered = {"questions-0-DELETE": "on", "questions-1-DELETE": "on"}
    response = logged_in.post(
        URL, preview_data(preview, **unanswered_and_answered, create="1"), follow=True
    )
    page = response.content.decode()
    assert "0 added, 0 reworded, 1 removed" in page
    assert "“What can peace agreements do to bring children…” is kept: delegations" in page
    assert list(debate.questions.values_list("order", "text")) == [
        (1, "What can peace agreements do to bring children back to school?"),
        (2, "How can regional organizations help displaced children continue their education?"),
    ]
    assert statement.answers.get(question__order=1).text == "Peace agreements first"


def test_an_update_keeps_what_editors_corrected_before(logged_in):
    """Loading the same letter again shows the debate's questions as editors left them."""
    preview = upload(logged_in)
    corrected = "How can schools be kept safe from attack?"
    logged_in.post(URL, preview_data(preview, **{"questions-0-text": corrected}, create="1"))
    preview = upload(logged_in)
    assert question_texts(preview)[0] == corrected
    response = logged_in.post(URL, preview_data(preview, create="1"), follow=True)
    assert "unchanged" in response.content.decode()
    assert Debate.objects.get().questions.get(order=1).text == corrected


def test_publish_button_publishes_and_unpublish_takes_it_back(logged_in):
    debate = make_debate(status=Debate.Status.DRAFT)
    response = logged_in.post(
        reverse("admin:debates_debate_publish", args=[debate.pk]), follow=True
    )
    debate.refresh_from_db()
    assert debate.status == Debate.Status.PUBLISHED
    assert "published to delegations" in response.content.decode()
    assert "Unpublish" in response.content.decode()

    logged_in.post(reverse("admin:debates_debate_unpublish", args=[debate.pk]))
    debate.refresh_from_db()
    assert debate.status == Debate.Status.DRAFT


def test_publish_refuses_a_debate_without_a_meeting_date(logged_in):
    debate = make_debate(status=Debate.Status.DRAFT, meeting_date=None)
    response = logged_in.post(
        reverse("admin:debates_debate_publish", args=[debate.pk]), follow=True
    )
    assert "A debate is published with its meeting date" in response.content.decode()
    debate.refresh_from_db()
    assert debate.status == Debate.Status.DRAFT


def test_publish_is_a_post(logged_in):
    debate = make_debate(status=Debate.Status.DRAFT)
    response = logged_in.get(reverse("admin:debates_debate_publish", args=[debate.pk]))
    assert response.status_code == 405


def test_delegates_are_sent_to_the_admin_login_everywhere(client, drafter):
    debate = make_debate(status=Debate.Status.DRAFT)
    client.force_login(drafter)
    posts = [
        (URL, {"letter": SimpleUploadedFile("education.txt", EDUCATION.read_bytes())}),
        (URL, {"step": "preview", "source": EDUCATION.read_text(), "create": "1"}),
        (reverse("admin:debates_debate_publish", args=[debate.pk]), {}),
        (reverse("admin:debates_debate_unpublish", args=[debate.pk]), {}),
    ]
    assert "/admin/login/" in client.get(URL)["Location"]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    debate.refresh_from_db()
    assert debate.status == Debate.Status.DRAFT
    assert Debate.objects.count() == 1


def test_loading_and_publishing_are_in_the_audit_log(logged_in, editor):
    from debateprep.delegations.models import AuditEntry

    preview = upload(logged_in)
    logged_in.post(URL, preview_data(preview, create="1"))
    debate = Debate.objects.get()
    logged_in.post(reverse("admin:debates_debate_publish", args=[debate.pk]))
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "actor", "changes"))
    assert entries[0][:2] == (AuditEntry.Action.ADMIN_ADDED, editor.pk)
    assert entries[0][2]["letter loaded"] == "education.txt"
    assert entries[1] == (
        AuditEntry.Action.ADMIN_CHANGED,
        editor.pk,
        {"status": ["draft", "published"]},
    )


def test_split_at_every_mark_takes_each_new_questions_marker_and_label(logged_in):
    preview = upload(logged_in)
    text = (
        "a. How can schools be kept safe? || b. Funding: Who pays for repairs? || "
        "(c) Monitoring — Who reports attacks?"
    )
    response = logged_in.post(URL, preview_data(preview, **{"questions-0-text": text}, split="1"))
    forms = response.context["questions"].forms
    assert [(f["marker"].value(), f["label"].value(), f["text"].value()) for f in forms[:3]] == [
        ("1.", "", "a. How can schools be kept safe?"),
        ("b.", "Funding", "Who pays for repairs?"),
        ("(c)", "Monitoring", "Who reports attacks?"),
    ]


def test_a_split_or_merge_number_that_is_no_number_changes_nothing(logged_in):
    preview = upload(logged_in)
    response = logged_in.post(URL, preview_data(preview, split="\u00b2"), follow=True)
    assert response.status_code == 200
    assert "That question is no longer there." in response.content.decode()
    assert len(question_texts(response)) == 3


def test_the_source_shows_a_run_of_blank_lines_as_one(logged_in):
    padded = EDUCATION.read_text().replace("Concept note", "\n" * 50_000 + "Concept note")
    response = upload(logged_in, content=padded.encode())
    assert response.status_code == 200
    lines = [line["text"] for line in response.context["source_lines"]]
    assert len(lines) < 60
    assert "" in lines


def test_a_letter_without_questions_the_parser_finds_is_previewed_to_add_them(logged_in):
    text = EDUCATION.read_text()
    questions = text[text.index("Guiding questions") :]
    response = upload(logged_in, content=text.replace(questions, "Guiding questions\n").encode())
    page = response.content.decode()
    assert "Check: no guiding questions found" in page
    assert question_texts(response) == []
    added = {"questions-0-text": "How can schools be kept safe?", "questions-0-order": "1"}
    response = logged_in.post(URL, preview_data(response, **added, create="1"), follow=True)
    assert "created “2023-05-16-malta”, 1 guiding question" in response.content.decode()
