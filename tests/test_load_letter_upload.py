from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from debateprep.debates.models import Debate

CHINA = (
    Path(settings.BASE_DIR) / "seeds" / "2010-01-13-china-regional-subregional-organizations.txt"
)
URL = "admin:debates_debate_load_letter"


def upload(client, name, content, **extra):
    return client.post(
        reverse(URL), {"letter": SimpleUploadedFile(name, content), **extra}, follow=True
    )


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
    assert "minutes.txt: not loaded: no guiding questions found" in response.content.decode()
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
