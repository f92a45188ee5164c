"""Small builders for the people and things the tests talk about."""

from __future__ import annotations

import datetime
import io
import itertools

import docx
import odf.opendocument
import odf.teletype
import odf.text
import pypdf
from django.contrib.auth.models import Group, User
from django.utils import timezone

from debateprep.debates.models import RATE_FIELDS, Debate, Question
from debateprep.delegations.models import Delegation, Membership
from debateprep.delegations.policy import EDITORS_GROUP
from debateprep.drafting.models import Answer, Statement
from debateprep.lib.speech import count_in

_serial = itertools.count(1)


def make_user(username: str | None = None, **fields) -> User:
    username = username or f"user{next(_serial)}"
    user = User.objects.create_user(username=username, password="pw-" + username, **fields)
    return user


def make_delegation(name: str = "Romania", code: str = "ROU", **fields) -> Delegation:
    return Delegation.objects.create(name=name, code=code, **fields)


def make_member(delegation: Delegation, role=Membership.Role.DRAFTER, **fields) -> User:
    user = make_user(**fields)
    Membership.objects.create(user=user, delegation=delegation, role=role)
    return user


def make_editor(username: str = "editor") -> User:
    user = make_user(username, is_staff=True)
    # A transactional test flushes the tables, the group its migration made included.
    user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    return user


def make_debate(questions: int = 3, **fields) -> Debate:
    number = next(_serial)
    defaults = {
        "slug": f"debate-{number}",
        "title": f"Cooperation with regional organizations {number}",
        "meeting_date": datetime.date(2004, 7, 20),
        "presidency": "Romania",
        "letter_heading": "Letter dated 8 July 2004 from the Permanent Representative of Romania",
        "letter_text": "I have the honour to inform you…",
    }
    debate = Debate.objects.create(**{**defaults, **fields})
    Question.objects.bulk_create(
        Question(
            debate=debate,
            order=order,
            label=f"Label {order}",
            text=f"Question {order}?",
            letter_label=f"Label {order}",
            letter_text=f"Question {order}?",
        )
        for order in range(1, questions + 1)
    )
    return debate


def open_statement(debate: Debate, delegation: Delegation) -> Statement:
    """A started statement with an empty answer in every place, as after its first saves."""
    statement, _ = Statement.objects.get_or_create(
        debate=debate, delegation=delegation, defaults={"language": delegation.language}
    )
    Answer.objects.bulk_create(
        [answer for answer in statement.answers_in_order() if answer.pk is None],
        ignore_conflicts=True,
    )
    return statement


def write_statement(
    debate: Debate,
    delegation: Delegation,
    *answers: str,
    opening: str = "",
    closing: str = "",
    status: str = Statement.Status.DRAFT,
) -> Statement:
    """A statement as its delegation typed it: the opening, an answer to each question in
    order, the closing, at the given status."""
    statement = open_statement(debate, delegation)
    now = timezone.now()
    texts = {("opening", None): opening, ("closing", None): closing}
    texts |= {("question", order): text for order, text in enumerate(answers, start=1)}
    for (part, order), text in texts.items():
        statement.answers.filter(part=part, question__order=order).update(
            text=text, words=count_in(text, statement.language), version=1, updated_at=now
        )
    Statement.objects.filter(pk=statement.pk).update(status=status, status_changed_at=now)
    statement.refresh_from_db()
    return statement


# Readers: each export is opened by a real reader for its format, as a person's program would.


def read_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


def docx_lines(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in read_docx(content).paragraphs]


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages(content))


def odt_lines(content: bytes) -> list[str]:
    """The text of each paragraph and heading of the body, then of the page header and footer."""
    document = odf.opendocument.load(io.BytesIO(content))
    body = [node for node in document.text.childNodes if node.tagName in ("text:p", "text:h")]
    margins = document.masterstyles.getElementsByType(odf.text.P)
    return [odf.teletype.extractText(node) for node in body + margins]


def in_order(text: str, *parts: str) -> bool:
    """Whether each part appears in the text after the one before it."""
    position = 0
    for part in parts:
        position = text.find(part, position)
        if position == -1:
            return False
        position += len(part)
    return True


# The admin's letter import, as a browser posts it.


def preview_data(response, **changes) -> dict:
    """The preview form as the browser posts it, from the page the test client was shown."""
    fields, questions = response.context["fields"], response.context["questions"]
    data = {"step": "preview"}
    for field in fields:
        value = field.value()
        data[field.html_name] = "" if value is None else str(value)
    management = questions.management_form
    for field in management:
        data[field.html_name] = field.value()
    for form in questions.forms:
        for field in form:
            value = field.value()
            if field.name == "DELETE":
                if value:
                    data[field.html_name] = "on"
                continue
            data[field.html_name] = "" if value is None else str(value)
    return {**data, **changes}


def debate_admin_form(debate: Debate, questions=None, **changes) -> dict:
    """The debate's admin form as the browser posts it, with its questions inline (all of
    them unless given)."""
    questions = list(debate.questions.all()) if questions is None else questions
    form = {
        "title": debate.title,
        "slug": debate.slug,
        "status": debate.status,
        "meeting_date": debate.meeting_date.isoformat() if debate.meeting_date else "",
        "presidency": debate.presidency,
        "organ": debate.organ,
        "meeting_kind": debate.meeting_kind,
        **{field: getattr(debate, field) for field in RATE_FIELDS.values()},
        "speaking_limit_seconds": debate.speaking_limit_seconds,
        "letter_heading": debate.letter_heading,
        "letter_text": debate.letter_text,
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
        **changes,
    }
    for index, question in enumerate(questions):
        form[f"questions-{index}-id"] = question.pk
        form[f"questions-{index}-debate"] = debate.pk
        form[f"questions-{index}-order"] = question.order
        form[f"questions-{index}-text"] = question.text
    return form


def make_ready(statement: Statement) -> Statement:
    """Ready to be made final: every guiding question nobody answered is marked "no position"
    (the statement has no open suggestion and keeps to its time)."""
    open_statement(statement.debate, statement.delegation)
    statement.answers.filter(question__isnull=False, text="").update(no_position=True)
    return statement
