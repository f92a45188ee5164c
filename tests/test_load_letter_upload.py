from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from debateprep.debates.models import Debate
from tests.factories import debate_admin_form, open_statement, preview_data

CHINA = (
    Path(settings.BASE_DIR) / "seeds" / "2010-01-13-china-regional-subregional-organizations.txt"
)
URL = "admin:debates_debate_load_letter"


def upload(client, name, content, publish="", force=""):
    """Upload, then create the debate from the preview as parsed; `force` confirms rewording
    answered questions, and `publish` presses the debate's publish button afterwards. Returns
    the page the upload or the creation ended on."""
    preview = client.post(reverse(URL), {"letter": SimpleUploadedFile(name, content)})
    if "fields" not in preview.context:
        return preview
    button = {"confirm": "1"} if force else {"create": "1"}
    response = client.post(reverse(URL), preview_data(preview, **button), follow=True)
    debate = response.context.get("original")
    if publish and debate is not None:
        client.post(reverse("admin:debates_debate_publish", args=[debate.pk]))
    return response


def test_editor_loads_a_letter_from_the_admin(client, editor):
    client.force_login(editor)
    assert (
        "Load a letter" in client.get(reverse("admin:debates_debate_changelist")).content.decode()
    )
    response = upload(client, "china.txt", CHINA.read_bytes(), publish="on")
    debate = Debate.objects.get(slug="2010-01-13-china")
    assert debate.status == Debate.Status.PUBLISHED
    assert debate.questions.count() == 5
    assert response.redirect_chain[-1][0] == reverse(
        "admin:debates_debate_change", args=[debate.pk]
    )
    assert "created “2010-01-13-china”, 5 guiding questions" in response.content.decode()


def test_a_malformed_letter_is_refused_with_the_reason(client, editor):
    client.force_login(editor)
    response = upload(client, "minutes.txt", b"Dear colleague,\n\nThank you.\n")
    assert response.status_code == 200
    # The admin previews a letter without questions, for the editor to type them in; this is
    # no letter at all.
    assert (
        "minutes.txt: not loaded: no letter heading and no concept note found"
        in response.content.decode()
    )
    assert not Debate.objects.exists()


def test_delegates_cannot_load_letters(client, drafter):
    client.force_login(drafter)
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_uploaded_letter_can_stay_a_draft(client, editor):
    client.force_login(editor)
    upload(client, "china.txt", CHINA.read_bytes())
    assert Debate.objects.get(slug="2010-01-13-china").status == Debate.Status.DRAFT


LETTERS = Path(__file__).resolve().parent / "letters"
EDUCATION = LETTERS / "2023-05-16-malta-education.txt"


def test_an_uploaded_letter_without_a_title_is_refused_with_the_reason(client, editor):
    client.force_login(editor)
    response = upload(client, "no-title.txt", (LETTERS / "no-title.txt").read_bytes())
    assert response.status_code == 200
    assert "no-title.txt: not loaded: no title found" in response.content.decode()
    assert not Debate.objects.exists()


def test_an_over_long_heading_is_refused_naming_the_field_and_its_limit(client, editor):
    client.force_login(editor)
    response = upload(client, "long.txt", (LETTERS / "long-heading.txt").read_bytes())
    assert response.status_code == 200
    assert (
        "long.txt: not loaded: letter heading: "
        "Ensure this value has at most 500 characters (it has 625)."
    ) in response.content.decode()
    assert not Debate.objects.exists()


def test_a_letter_without_a_meeting_date_stays_a_draft_until_the_date_is_set(client, editor):
    client.force_login(editor)
    response = upload(
        client, "undated.txt", (LETTERS / "no-meeting-date.txt").read_bytes(), publish="on"
    )
    assert "set it in the admin before publishing" in response.content.decode()
    debate = Debate.objects.get()
    assert debate.status == Debate.Status.DRAFT

    url = reverse("admin:debates_debate_change", args=[debate.pk])
    response = client.post(url, debate_admin_form(debate, status=Debate.Status.PUBLISHED))
    assert response.status_code == 200
    assert "A debate is published with its meeting date" in response.content.decode()
    debate.refresh_from_db()
    assert debate.status == Debate.Status.DRAFT

    form = debate_admin_form(debate, status=Debate.Status.PUBLISHED, meeting_date="2023-05-16")
    assert client.post(url, form).status_code == 302
    debate.refresh_from_db()
    assert debate.status == Debate.Status.PUBLISHED


def test_an_upload_that_would_reword_answered_questions_lists_them_unless_forced(
    client, editor, romania
):
    client.force_login(editor)
    upload(client, "education.txt", EDUCATION.read_bytes(), publish="on")
    debate = Debate.objects.get()
    statement = open_statement(debate, romania)
    statement.answers.filter(question__order=3).update(text="Through the AU")
    revised = EDUCATION.read_bytes().replace(b"help displaced", b"support displaced")

    response = upload(client, "revised.txt", revised)
    page = response.content.decode()
    assert "revised.txt: not loaded: it rewords questions that delegations have answered" in page
    assert "question 3: “How can regional organizations help displaced children" in page
    assert "(1 answer)" in page
    assert debate.questions.get(order=3).text.startswith("How can regional organizations help")

    response = upload(client, "revised.txt", revised, force="on")
    assert "0 added, 1 reworded" in response.content.decode()
    assert debate.questions.get(order=3).text.startswith("How can regional organizations support")
