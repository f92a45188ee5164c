"""How long a full compendium takes: 193 delegations x 10 questions x 300 words, each format.

    python bench/compendium.py                       # the whole General Assembly
    python bench/compendium.py --delegations 20      # a quick look
    python bench/compendium.py --formats docx csv json --tracemalloc

Not a test. It builds the data in a temporary SQLite database (migrated on the spot, removed at
the end), then makes each format in a child process of its own and prints:
- seconds: the export, from the query to the last byte;
- peak RSS: the child's peak resident memory, Typst's included;
- peak traced, with --tracemalloc: the peak of Python's own allocations during a second run
  under tracemalloc (tracing makes the PDF about six times slower, hence the option).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import time
import tracemalloc

from workspace import WORDS, temporary_django

MIB = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delegations", type=int, default=193)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--formats", nargs="+", help="default: every format of the compendium")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python's memory")
    args = parser.parse_args()

    with temporary_django():
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.db import connections

    from debateprep.drafting import exports

    formats = args.formats or list(exports.COMPENDIUM_FORMATS)
    started = time.perf_counter()
    debate = build(args.delegations, args.questions, args.words)
    print(
        f"{args.delegations} delegations x {args.questions} questions x {args.words} words "
        f"({args.delegations * args.questions * args.words:,} words), "
        f"built in {time.perf_counter() - started:.1f} s; "
        f"parent RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    # Each child opens its own connection: SQLite connections do not survive a fork.
    connections.close_all()
    print(
        f"{'format':<8}{'seconds':>9}{'peak RSS MiB':>14}{'peak traced MiB':>17}{'size MiB':>10}"
        f"{'pages':>7}  target (issue 9, at 193 x 10 x 300)"
    )
    for fmt in formats:
        seconds, traced, size, pages, rss = in_child(measure, debate, fmt, args.tracemalloc)
        traced_column = f"{traced:.1f}" if traced is not None else "-"
        print(
            f"{fmt:<8}{seconds:>9.2f}{rss:>14.0f}{traced_column:>17}{size:>10.1f}"
            f"{pages or '-':>7}  {verdict(fmt, seconds, rss)}"
        )


TARGETS = {"pdf": (15, 500), "docx": (3, None)}


def verdict(fmt: str, seconds: float, rss: float) -> str:
    if fmt not in TARGETS:
        return ""
    limit, memory = TARGETS[fmt]
    met = seconds < limit and (memory is None or rss < memory)
    wanted = f"< {limit} s" + (f", < {memory} MiB" if memory else "")
    return f"{wanted}: {'met' if met else 'MISSED'}"


def measure(debate, fmt: str, trace: bool) -> tuple[float, float | None, float, int | None]:
    import io

    import pypdf

    from debateprep.drafting import exports

    started = time.perf_counter()
    download = exports.compendium_download(debate, fmt)
    seconds = time.perf_counter() - started
    pages = len(pypdf.PdfReader(io.BytesIO(download.content)).pages) if fmt == "pdf" else None
    traced = None
    if trace:
        tracemalloc.start()
        exports.compendium_download(debate, fmt)
        traced = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
    return seconds, traced, len(download.content) / MIB, pages


def in_child(function, *args):
    """function(*args) in a forked child: its result, and the child's peak RSS in MiB."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        with os.fdopen(write, "w") as pipe:
            json.dump(function(*args), pipe)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        result = json.load(pipe)
    _, status, usage = os.wait4(pid, 0)
    if status:
        raise SystemExit(f"{function.__name__}{args[1:]} failed")
    return (*result, usage.ru_maxrss / 1024)


def build(delegations: int, questions: int, words: int):
    from django.utils import timezone

    from debateprep.debates.models import Debate, Question
    from debateprep.delegations.models import Delegation
    from debateprep.drafting.models import Answer, Statement

    rng = random.Random(2004)
    debate = Debate.objects.create(
        slug="bench", title="Cooperation with regional organizations", meeting_kind="open debate"
    )
    asked = Question.objects.bulk_create(
        Question(debate=debate, order=n, label=f"Question {n}", text=f"What of point {n}?")
        for n in range(1, questions + 1)
    )
    states = Delegation.objects.bulk_create(
        Delegation(name=f"Member State {n:03d}", code=f"S{n:03d}") for n in range(delegations)
    )
    statuses = list(Statement.Status)
    statements = Statement.objects.bulk_create(
        Statement(debate=debate, delegation=state, status=rng.choice(statuses)) for state in states
    )
    now = timezone.now()

    def text() -> str:
        # Three paragraphs, as a delegation would write an answer.
        third = words // 3
        sizes = [third, third, words - 2 * third]
        return "\n\n".join(" ".join(rng.choices(WORDS, k=size)) for size in sizes)

    Answer.objects.bulk_create(
        (
            Answer(statement=statement, question=question, text=text(), version=1, updated_at=now)
            for statement in statements
            for question in asked
        ),
        batch_size=500,
    )
    return debate


if __name__ == "__main__":
    main()
