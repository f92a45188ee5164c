"""What an e-mail adds after a pasted letter (sign-off, signature, "Sent from my iPhone", a
confidentiality notice or disclaimer) is left out of the letter's text; anything that may be
the letter's or the annex's own last paragraph is kept."""

import pytest

from debateprep.debates.letter import parse_letter
from tests.test_letter_shapes import letter_with

LAST = "Expected outcome\n\nThe presidency intends to propose a presidential statement."
MAIL_HEADERS = (
    "From: Maria Lindqvist <m.lindqvist@mission.example>\nSent: Monday, 4 March 2024 09:14\n"
    "To: SC-Affairs-All\nSubject: FW: Concept note\n\nDear colleagues,\n\nPlease find the letter "
    "below.\n\n"
)

FURNITURE = {
    "rule-and-notice": "________________________________\nThis e-mail and any attachments are "
    "confidential. If you have received it in error, please notify the sender.",
    "notice-after-blank": "____________\n\nThis message is intended only for the addressee "
    "and may contain privileged information.",
    "disclaimer": "Disclaimer: The views expressed in this e-mail are those of the sender and "
    "do not necessarily reflect those of the Mission.",
    "notice-heading": "CONFIDENTIALITY NOTICE\nThe information contained in this "
    "communication is confidential and may be legally privileged.",
    "iphone": "Sent from my iPhone",
    "outlook": "Get Outlook for Android",
    "sign-off": "Best regards,\nMaria Lindqvist\nPolitical Affairs Officer\nPermanent Mission of "
    "Sweden to the United Nations",
    "sign-off-contacts": "Kind regards,\n\nMaria Lindqvist\nPolitical Affairs Officer\n"
    "Tel.: +1 212 583 2500\nm.lindqvist@mission.example",
    "dashes-signature": "--\nMaria Lindqvist | Permanent Mission of Sweden\n"
    "www.swedenabroad.example",
    "all-of-them": "Thanks,\nMaria\n\nSent from my iPad\n\n-----\nDisclaimer: this e-mail may "
    "contain confidential information.",
}


@pytest.mark.parametrize("tail", FURNITURE.values(), ids=FURNITURE.keys())
@pytest.mark.parametrize("headers", ["", MAIL_HEADERS], ids=["pasted-alone", "in-an-e-mail"])
def test_what_an_e_mail_adds_after_the_letter_is_not_part_of_it(headers: str, tail: str) -> None:
    text = headers + letter_with(f"Guiding questions\n\n1. How can schools be kept?\n\n{LAST}")
    letter = parse_letter(f"{text}\n\n{tail}\n")

    assert letter.text.endswith(LAST)
    assert letter.sections[-1].text == "The presidency intends to propose a presidential statement."
    assert letter.warnings == ()


def test_a_signature_of_contact_details_after_an_e_mailed_letter_is_not_part_of_it() -> None:
    text = MAIL_HEADERS + letter_with(f"Guiding questions\n\n1. How can schools be kept?\n\n{LAST}")
    tail = "Maria Lindqvist\nPolitical Affairs Officer\nMobile: +1 917 555 0100\nm@mission.example"

    assert parse_letter(f"{text}\n\n{tail}\n").text.endswith(LAST)


@pytest.mark.parametrize(
    "tail",
    [
        "Ms. Jane Doe\nPolitical Coordinator\njane.doe@mission.example",
        "For further information, please contact the Mission at protocol@mission.example.",
        "This message of solidarity was welcomed by the Council in 2023.",
        "____________\n1 See the report of the Secretary-General (S/2024/1).",
        "(Signed) Carolyn Rodrigues-Birkett\nAmbassador\nTel.: +1 212 573 5828",
        "Best regards to all participants, whose contributions are awaited with interest.",
    ],
    ids=["contacts-no-e-mail", "contact-sentence", "not-a-notice", "footnote", "signed", "prose"],
)
def test_a_last_paragraph_that_may_be_the_letter_s_own_is_kept(tail: str) -> None:
    text = letter_with(f"Guiding questions\n\n1. How can schools be kept?\n\n{LAST}")

    assert parse_letter(f"{text}\n\n{tail}\n").text.endswith(tail.splitlines()[-1])


def test_contact_details_in_an_e_mail_are_kept_when_the_letter_goes_on_after_them() -> None:
    annex = (
        "Format\n\nMs. Jane Doe\nPolitical Coordinator\njane.doe@mission.example\n\n"
        f"Guiding questions\n\n1. How can schools be kept?\n\n{LAST}"
    )
    letter = parse_letter(MAIL_HEADERS + letter_with(annex))

    assert "jane.doe@mission.example" in letter.text
    assert letter.text.endswith(LAST)
