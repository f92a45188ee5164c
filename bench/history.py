"""How long an answer's history takes to show with 500 saved versions.

    python bench/history.py                  # 500 versions, 20 runs of each request
    python bench/history.py --versions 2000 --runs 50

Not a test. It builds one answer with N revisions whose text grows to about 15,000 characters
(with words changed along the way) in a temporary SQLite database, migrated on the spot and
removed at the end, then asks for its history through Django's test client, as a browser
would, and prints for each request the queries it ran and the median and slowest times:
- the history page, showing the last save's changes (what a delegate sees first);
- the history opened in place (the htmx fragment);
- the first version against the last: the largest diff there is.
The target is under 100 ms per request on the development machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from workspace import WORDS, temporary_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    with temporary_django():
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    answer, user = build(args.versions)
    client = Client()
    client.force_login(user)
    url = reverse("drafting:answer-history", args=answer.url_args)
    requests = {
        "history page (last save's changes)": (url, {}),
        "history in place (htmx fragment)": (url, {"HTTP_HX_REQUEST": "true"}),
        f"version 1 against version {args.versions}": (f"{url}?old=1&new={args.versions}", {}),
    }
    print(f"one answer, {args.versions} versions, {len(answer.text):,} characters now")
    print(f"{'request':<40}{'queries':>8}{'median ms':>11}{'max ms':>8}")
    for name, (address, headers) in requests.items():
        queries = []
        with connection.execute_wrapper(counting(queries)):
            response = client.get(address, **headers)
        assert response.status_code == 200, response.status_code
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(address, **headers)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{name:<40}{len(queries):>8}{statistics.median(timings):>11.1f}{max(timings):>8.1f}")


def counting(queries: list):
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def build(versions: int):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from debateprep.debates.models import Debate, Question
    from debateprep.delegations.models import Delegation, Membership
    from debateprep.drafting.models import Answer, Revision, Statement
    from debateprep.lib.speech import count_words

    rng = random.Random(2004)
    debate = Debate.objects.create(slug="bench", title="Regional organizations")
    question = Question.objects.create(debate=debate, order=1, text="What should the Council do?")
    delegation = Delegation.objects.create(name="Romania", code="ROU")
    user = User.objects.create_user("drafter")
    Membership.objects.create(user=user, delegation=delegation)
    statement = Statement.objects.create(debate=debate, delegation=delegation)
    answer = Answer.objects.create(statement=statement, question=question)

    words: list[str] = []
    revisions = []
    started = timezone.now() - timezone.timedelta(days=30)
    for version in range(1, versions + 1):
        words += rng.choices(WORDS, k=rng.randint(2, 8))
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        del words[1800:]
        text = " ".join(words)
        revisions.append(
            Revision(
                answer=answer,
                version=version,
                author=user,
                created_at=started + timezone.timedelta(minutes=version * rng.randint(1, 9)),
                text=text,
                words=count_words(text),
            )
        )
    Revision.objects.bulk_create(revisions)
    Answer.objects.filter(pk=answer.pk).update(text=text, version=versions)
    answer.refresh_from_db()
    return answer, user


if __name__ == "__main__":
    main()
