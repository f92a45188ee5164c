"""How long the editors' overview of a debate takes at full size: 193 delegations x 30 questions.

    python bench/overview.py
    python bench/overview.py --delegations 50 --questions 10

Not a test. It builds the data in a temporary SQLite database (migrated on the spot, removed at
the end): every delegation with a started statement, answers to most questions, some marked
"no position", statuses and status changes spread over the past weeks. Then it asks for the page
as an editor, through Django's test client, and prints the queries it ran and its time (median
and worst of the runs). Target (issue 11): a constant number of queries, under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from workspace import WORDS, temporary_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delegations", type=int, default=193)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    # The page is rendered here, not served: no collected static files to look up.
    os.environ["STATIC_MANIFEST"] = "0"
    with temporary_django():
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    debate = build(args.delegations, args.questions)
    client = Client()
    client.force_login(editor())
    url = reverse("drafting:debate-overview", args=[debate.slug])
    client.get(url)
    timings = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    median, worst = statistics.median(timings), max(timings)
    verdict = "met" if worst < 200 else "NOT met"
    print(
        f"{args.delegations} delegations x {args.questions} questions: {len(queries)} queries, "
        f"{median:.0f} ms median, {worst:.0f} ms worst of {args.runs} "
        f"(target under 200 ms: {verdict})"
    )


def editor():
    from django.contrib.auth.models import Group, User

    from debateprep.delegations.policy import EDITORS_GROUP

    user = User.objects.create_user("bench-editor", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    return user


def build(delegations: int, questions: int):
    from django.utils import timezone

    from debateprep.debates.models import Debate, Question
    from debateprep.delegations.models import Delegation
    from debateprep.drafting.models import Answer, Statement, StatusChange

    rng = random.Random(11)
    debate = Debate.objects.create(slug="bench", title="Bench debate", status="published")
    Question.objects.bulk_create(
        Question(debate=debate, order=n, label=f"Label {n}", text=f"Question {n}?")
        for n in range(1, questions + 1)
    )
    asked = list(debate.questions.all())
    Delegation.objects.bulk_create(
        Delegation(name=f"Delegation {n:03d}", code=f"D{n:03d}") for n in range(delegations)
    )
    now = timezone.now()
    statuses = [Statement.Status.DRAFT, Statement.Status.IN_REVIEW, Statement.Status.FINAL]
    statements = Statement.objects.bulk_create(
        Statement(debate=debate, delegation=delegation, status=rng.choice(statuses))
        for delegation in Delegation.objects.all()
    )
    Statement.objects.filter(debate=debate).update(created_at=now - timezone.timedelta(days=30))
    answers = []
    for statement in statements:
        for question in asked:
            written = rng.random() < 0.8
            text = " ".join(rng.choices(WORDS, k=60)) if written else ""
            answers.append(
                Answer(
                    statement=statement,
                    question=question,
                    text=text,
                    words=60 if written else 0,
                    version=1 if written else 0,
                    no_position=not written and rng.random() < 0.3,
                )
            )
    Answer.objects.bulk_create(answers, batch_size=2000)
    StatusChange.objects.bulk_create(
        StatusChange(
            statement=statement,
            from_status=Statement.Status.DRAFT,
            to_status=statement.status,
            at=now - timezone.timedelta(days=rng.randint(0, 29)),
        )
        for statement in statements
        if statement.status != Statement.Status.DRAFT
    )
    return debate


if __name__ == "__main__":
    main()
