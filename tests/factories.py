"""Small builders for the people and things the tests talk about."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.models import Group, User

from debateprep.debates.models import Debate, Question
from debateprep.drafting.models import Delegation, Membership, Statement

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
    user.groups.add(Group.objects.get(name="Editors"))
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
    statement, _ = Statement.objects.get_or_create(debate=debate, delegation=delegation)
    statement.answers_in_order()
    return statement
