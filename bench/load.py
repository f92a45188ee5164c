"""Autosave under load, next to the floor of the stack, on gunicorn and PostgreSQL.

    python bench/load.py                     # the whole run, about 2 minutes
    python bench/load.py --seconds 5 --rounds 1
    BENCH_DATABASE_URL=postgres://user@host:5432/postgres python bench/load.py

Not a test. It creates a PostgreSQL database of its own (dropped at the end), migrates it and
fills it as a full debate: one debate of 10 guiding questions, 200 delegations each with a
drafter and a statement of 12 answers of 300 words. Then it starts two gunicorns with the same
command (2 sync workers each): the app, and the floor (bench/floor.py: the same settings with
no middleware and one view doing one UPDATE). Each drafter is logged in (a session in the
database, as a log-in makes) and saves one answer of their own again and again, each save
carrying the version the previous reply gave, as the page does. App and floor runs are
interleaved, so that both see the same machine:

- closed loop, 50 connections (wrk, bench/load.lua: one typist per connection), saves/s and
  p50/p95/p99, and the ratio of the app's saves/s to the floor's (target: at least 0.3);
- open loop at a fixed offered rate, 100 and 250 saves/s spread over 200 typists, each with at
  most one save in flight (htmx's `queue last`): p50/p95/p99 from each save's scheduled time,
  so that a server falling behind shows its backlog (target at 250/s: p95 under 50 ms).

At the end every answer must hold the last text its typist sent, and every save must have been
answered 200: any other outcome is a lost or stale save, and is printed.

Each run also prints the CPU the server's workers spent per save, and "others": the share of
the machine's CPUs busy with anything but this benchmark (another program, another test suite)
while it ran. A run with others above a few per cent was slowed by them: run it again.

`--profile` instead saves in this process through Django's test client: it prints one save's
queries (with PostgreSQL's planning and execution time for the reads), the time a save takes,
and where it goes (cProfile).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from workspace import ROOT, WORDS

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "load.lua"
SERVERS: list[Server] = []
VERSION = re.compile(rb'name="version" value="(\d+)"')
CONFLICT_VERSION = re.compile(rb'name="conflict_version" value="(\d+)"')


@dataclass
class Typist:
    """One drafter saving one answer, on the app or on the floor."""

    index: int
    answer_pk: int
    path: str
    cookie: str = ""
    csrf: str = ""
    base: str = ""
    version: int = 0
    # What the answer must hold: the last text answered 200, or the one still in flight.
    acked_text: str | None = None
    sent_text: str | None = None
    sent: int = 0
    acked: int = 0
    refused: int = 0
    queue: asyncio.Queue | None = field(default=None, repr=False)

    def text(self, marker: str, seq: int) -> str:
        return f"{self.base} {marker}n{seq}"


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    refused: int
    errors: int
    cpu_ms: float | None = None
    others: float | None = None
    offered: float | None = None
    unanswered: int = 0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each run")
    parser.add_argument("--rounds", type=int, default=2, help="closed-loop rounds of each")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rates", type=int, nargs="+", default=[100, 250])
    parser.add_argument("--typists", type=int, default=200, help="for the fixed rates")
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead: profile saves in this process (cProfile) and print one save's queries",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server's maintenance database; the benchmark's own is made beside it",
    )
    args = parser.parse_args()
    args.delegations = max(args.typists, args.connections)

    name = f"debateprep_load_{os.getpid()}"
    maintenance = psycopg.connect(args.database_url, autocommit=True)
    maintenance.execute(f'CREATE DATABASE "{name}"')
    servers: list[subprocess.Popen] = []
    try:
        database_url = args.database_url.rsplit("/", 1)[0] + "/" + name
        env = django_environment(database_url)
        app_typists, floor_typists = prepare(args)
        if args.profile:
            profile(app_typists[0])
            return
        app = start_gunicorn("debateprep.settings", args.workers, env)
        servers.append(app.process)
        floor = start_gunicorn("floor", args.workers, env)
        servers.append(floor.process)
        SERVERS.extend([app, floor])
        benchmark(args, app, floor, app_typists, floor_typists)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            process.wait(10)
        from django.db import connections

        connections.close_all()
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.close()


def django_environment(database_url: str) -> dict[str, str]:
    """Production settings on the benchmark's database, for this process and the servers."""
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SETTINGS_MODULE="debateprep.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(BENCH), env.get("PYTHONPATH", "")])
    return env


def prepare(args: argparse.Namespace) -> tuple[list[Typist], list[Typist]]:
    """Migrate, fill the debate, log the drafters in; the app's typists and the floor's."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.urls import reverse

    from debateprep.debates.models import Debate, Question
    from debateprep.delegations.models import Delegation, Membership
    from debateprep.drafting.models import Answer, Statement
    from debateprep.lib.speech import count_words

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(9)
    debates = [
        Debate.objects.create(
            slug=slug, title="Cooperation with regional organizations", meeting_date="2027-07-20"
        )
        for slug in ("load", "load-floor")
    ]
    Question.objects.bulk_create(
        Question(debate=debate, order=order, label=f"Label {order}", text=f"Question {order}?")
        for debate in debates
        for order in range(1, args.questions + 1)
    )
    delegations = Delegation.objects.bulk_create(
        Delegation(name=f"Delegation {i:03d}", code=f"D{i:03d}") for i in range(args.delegations)
    )
    users = User.objects.bulk_create(
        User(username=f"drafter{i:03d}", password="!") for i in range(args.delegations)
    )
    Membership.objects.bulk_create(
        Membership(user=user, delegation=delegation, role=Membership.Role.DRAFTER)
        for user, delegation in zip(users, delegations, strict=True)
    )
    statements = Statement.objects.bulk_create(
        Statement(debate=debate, delegation=delegation)
        for debate in debates
        for delegation in delegations
    )
    answers = []
    for statement in statements:
        statement.debate = next(d for d in debates if d.pk == statement.debate_id)
        for answer in statement.answers_in_order():
            answer.text = " ".join(rng.choice(WORDS) for _ in range(args.words))
            answer.words = count_words(answer.text)
            answers.append(answer)
    Answer.objects.bulk_create(answers)

    first = {
        (a.statement.debate_id, a.statement.delegation_id): a
        for a in Answer.objects.filter(question__order=1).select_related(
            "statement__debate", "statement__delegation"
        )
    }
    app_typists, floor_typists = [], []
    for i, (user, delegation) in enumerate(zip(users, delegations, strict=True)):
        client = Client()
        client.force_login(user, backend="debateprep.lib.accounts.AccountBackend")
        csrf = _get_new_csrf_string()
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        answer = first[debates[0].pk, delegation.pk]
        path = reverse("drafting:answer-save", args=answer.url_args)
        app_typists.append(
            Typist(
                i,
                answer.pk,
                path,
                cookie=f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
                csrf=csrf,
                base=answer.text,
            )
        )
        answer = first[debates[1].pk, delegation.pk]
        floor_typists.append(Typist(i, answer.pk, f"/floor/{answer.pk}/", base=answer.text))
    connection.close()
    print(
        f"{args.delegations} delegations, each a drafter and a statement of "
        f"{args.questions + 2} answers of {args.words} words, ready in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return app_typists, floor_typists


TICK = os.sysconf("SC_CLK_TCK")


def process_ticks(pid: int | str, children: bool = False) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(stat[11]) + int(stat[12]) + (int(stat[13]) + int(stat[14]) if children else 0)


class Others:
    """How busy the machine was with work other than this benchmark's, as a share of its CPUs:
    all busy time, less gunicorn's, PostgreSQL's (its ended backends included), wrk's and this
    process's. Another program running at the same time shows here, and makes a run slower."""

    def __init__(self, servers: list[Server]):
        self.servers = servers
        self.start = self.sample()

    def sample(self) -> tuple[float, float, float]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        busy = sum(fields) - fields[3] - fields[4]
        ours = sum(server.cpu_seconds() for server in self.servers) * TICK
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    comm = (entry / "comm").read_text().strip()
                except (FileNotFoundError, ProcessLookupError):
                    continue
                if comm == "postgres":
                    ours += process_ticks(entry.name, children=True)
        usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        ours += sum(u.ru_utime + u.ru_stime for u in usage) * TICK
        return busy, ours, time.monotonic()

    def share(self) -> float:
        busy, ours, now = self.sample()
        other = (busy - self.start[0]) - (ours - self.start[1])
        return max(0.0, other / TICK / (now - self.start[2]) / os.cpu_count())


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int

    def cpu_seconds(self) -> float:
        """User and system CPU of the server's workers so far."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sum(process_ticks(pid) for pid in children.read_text().split()) / TICK


def start_gunicorn(settings_module: str, workers: int, env: dict[str, str]) -> Server:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "debateprep.wsgi:application",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": settings_module}
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn ({settings_module}) stopped") from None
            time.sleep(0.2)
    name = "app" if settings_module.startswith("debateprep") else "floor"
    return Server(name, process, port)


def refresh_versions(typists: list[Typist]) -> None:
    from django.db import connection

    from debateprep.drafting.models import Answer

    versions = dict(
        Answer.objects.filter(pk__in=[t.answer_pk for t in typists]).values_list("pk", "version")
    )
    for typist in typists:
        typist.version = versions[typist.answer_pk]
    connection.close()


def closed_loop(
    server: Server, typists: list[Typist], connections: int, seconds: float, marker: str
) -> Result:
    """wrk with one typist per connection, each saving as soon as its last save is answered."""
    typists = typists[:connections]
    refresh_versions(typists)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as config:
        for t in typists:
            text = t.base.replace(" ", "+")
            config.write(f"{t.path}\t{t.cookie}\t{t.csrf}\t{t.version}\t{marker}\t{text}\n")
        config.flush()
        cpu, others = server.cpu_seconds(), Others(SERVERS)
        output = subprocess.run(
            [
                "wrk",
                f"--threads={connections}",
                f"--connections={connections}",
                f"--duration={seconds:g}s",
                "--timeout=10s",
                f"--script={LUA}",
                f"http://127.0.0.1:{server.port}/",
            ],
            env={**os.environ, "BENCH_TYPISTS": config.name},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu, others = server.cpu_seconds() - cpu, others.share()
    summary = dict(re.findall(r"(\w+)=([\d.]+)", re.search(r"^RESULT .*$", output, re.M)[0]))
    refused = 0
    for line in re.findall(r"^TYPIST .*$", output, re.M):
        index, *_ = line.split()[1:]
        values = dict(re.findall(r"(\w+)=(\d+)", line))
        typist = typists[int(index) - 1]
        sent, acked = int(values["sent"]), int(values["acked"])
        if sent:
            typist.sent_text = typist.text(marker, sent)
            typist.acked_text = typist.text(marker, acked) if acked else typist.acked_text
        refused += int(values["refused"])
    requests = int(summary["requests"])
    errors = sum(
        int(summary[k]) for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return Result(
        f"{server.name}, {connections} connections",
        requests,
        float(summary["seconds"]),
        int(summary["p50"]) / 1000,
        int(summary["p95"]) / 1000,
        int(summary["p99"]) / 1000,
        refused,
        errors,
        cpu_ms=cpu * 1000 / requests if requests else None,
        others=others,
    )


async def post(port: int, typist: Typist, body: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    headers = [
        f"POST {typist.path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
        "HX-Request: true",
        "Connection: close",
    ]
    if typist.cookie:
        headers += [f"Cookie: {typist.cookie}", f"X-CSRFToken: {typist.csrf}"]
    writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
    await writer.drain()
    reply = await reader.read()
    writer.close()
    return int(reply[9:12]), reply


async def open_loop(
    server: Server, typists: list[Typist], rate: float, seconds: float, marker: str
) -> Result:
    """Saves scheduled at a fixed rate whatever the server does, round robin over the typists;
    a typist whose last save is still in flight sends the next when it is answered."""
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    finished: list[float] = []
    refused = errors = 0

    async def typing(typist: Typist) -> None:
        nonlocal refused, errors
        while (scheduled := await typist.queue.get()) is not None:
            typist.sent += 1
            text = typist.text(marker, typist.sent)
            typist.sent_text = text
            body = f"text={text.replace(' ', '+')}&version={typist.version}".encode()
            try:
                status, reply = await asyncio.wait_for(post(server.port, typist, body), 30)
            except (OSError, TimeoutError, ValueError):
                errors += 1
                continue
            now = loop.time()
            latencies.append(now - scheduled)
            finished.append(now)
            if status == 200:
                typist.acked_text = text
                typist.version = int(VERSION.search(reply)[1])
            else:
                refused += 1
                if theirs := CONFLICT_VERSION.search(reply):
                    typist.version = int(theirs[1])

    for typist in typists:
        typist.queue, typist.sent = asyncio.Queue(), 0
    cpu, others = server.cpu_seconds(), Others(SERVERS)
    tasks = [asyncio.create_task(typing(typist)) for typist in typists]
    start = loop.time() + 0.1
    total = int(rate * seconds)
    for i in range(total):
        scheduled = start + i / rate
        await asyncio.sleep(max(0, scheduled - loop.time()))
        typists[i % len(typists)].queue.put_nowait(scheduled)
    window_end = start + seconds
    for typist in typists:
        typist.queue.put_nowait(None)
    # Let the backlog drain, however long it is (up to a minute), to measure every save.
    _, pending = await asyncio.wait(tasks, timeout=60)
    for task in pending:
        task.cancel()
    cpu, others = server.cpu_seconds() - cpu, others.share()
    unanswered = total - len(latencies) - errors
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

    in_window = sum(1 for t in finished if t <= window_end)
    return Result(
        f"{server.name}, {rate:g} saves/s offered",
        in_window,
        seconds,
        pct(50),
        pct(95),
        pct(99),
        refused,
        errors,
        cpu_ms=cpu * 1000 / len(latencies) if latencies else None,
        offered=rate,
        unanswered=unanswered,
        others=others,
    )


def check_saves(typists: list[Typist]) -> list[str]:
    """Every answer holds the last text its typist had answered 200, or a later one that was
    in flight when the run stopped."""
    from django.db import connection

    from debateprep.drafting.models import Answer

    texts = dict(
        Answer.objects.filter(pk__in=[t.answer_pk for t in typists]).values_list("pk", "text")
    )
    connection.close()
    problems = []
    for typist in typists:
        if typist.sent_text is None:
            continue
        if texts[typist.answer_pk] not in (typist.acked_text, typist.sent_text):
            problems.append(
                f"typist {typist.index}: the answer ends {texts[typist.answer_pk][-12:]!r}, "
                f"the last sent ends {typist.sent_text[-12:]!r}"
            )
    return problems


def benchmark(
    args: argparse.Namespace,
    app: Server,
    floor: Server,
    app_typists: list[Typist],
    floor_typists: list[Typist],
) -> None:
    runs = 0

    def marker() -> str:
        nonlocal runs
        runs += 1
        return f"r{runs}"

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; warming up")
    for server, typists in ((app, app_typists), (floor, floor_typists)):
        closed_loop(server, typists, 4, 2, marker())

    closed = {"app": [], "floor": []}
    print(f"\nClosed loop, {args.connections} connections, {args.seconds:g} s a run (wrk):")
    print(header())
    for _ in range(args.rounds):
        for server, typists in ((floor, floor_typists), (app, app_typists)):
            result = closed_loop(server, typists, args.connections, args.seconds, marker())
            closed[server.name].append(result)
            print(row(result))
    app_rate = statistics.mean(r.rate for r in closed["app"])
    floor_rate = statistics.mean(r.rate for r in closed["floor"])
    print(
        f"app {app_rate:.0f} saves/s, floor {floor_rate:.0f} saves/s: "
        f"ratio {app_rate / floor_rate:.2f} (target at least 0.3)"
    )

    print(
        f"\nOpen loop, fixed offered rates over {args.typists} typists, {args.seconds:g} s a run; "
        "latency from each save's scheduled time:"
    )
    print(header())
    fixed = {}
    for rate in args.rates:
        for server, typists in ((floor, floor_typists), (app, app_typists[: args.typists])):
            refresh_versions(typists)
            result = asyncio.run(open_loop(server, typists, rate, args.seconds, marker()))
            fixed[server.name, rate] = result
            print(row(result))
    for rate in args.rates:
        result = fixed["app", rate]
        verdict = ""
        if rate == 250:
            verdict = f" (target under 50 ms: {'met' if result.p95 < 50 else 'missed'})"
        print(
            f"app at {rate} saves/s offered: {result.rate:.0f}/s answered in time, "
            f"p50/p95/p99 {result.p50:.1f}/{result.p95:.1f}/{result.p99:.1f} ms{verdict}"
        )

    results = [*closed["app"], *(fixed["app", rate] for rate in args.rates)]
    refused = sum(r.refused for r in results)
    unanswered = sum(r.errors + r.unanswered for r in results)
    problems = check_saves(app_typists)
    print(
        f"\nLost or stale saves: {refused} answered other than 200, {unanswered} unanswered, "
        f"{len(problems)} answers not holding the last text sent"
    )
    for problem in problems[:10]:
        print("  " + problem)


def profile(typist: Typist, saves: int = 300) -> None:
    """Where one save's time goes: its queries, then the functions it spends its time in."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    refresh_versions([typist])
    client = Client(HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=typist.csrf, enforce_csrf_checks=True)
    for pair in typist.cookie.split("; "):
        name, value = pair.split("=", 1)
        client.cookies[name] = value

    def save(seq: int) -> None:
        text = typist.text("p", seq)
        response = client.post(typist.path, {"text": text, "version": typist.version})
        assert response.status_code == 200, response.status_code
        typist.version = int(VERSION.search(response.content)[1])

    for seq in range(1, 21):
        save(seq)
    with CaptureQueriesContext(connection) as queries:
        save(21)
    print(f"\nOne save: {len(queries)} queries (PostgreSQL's planning and execution, for reads)")
    for query in queries.captured_queries:
        sql, plan = query["sql"], ""
        if sql.startswith("SELECT") and "FOR UPDATE" not in sql:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY) {sql}")
                lines = [row[0] for row in cursor.fetchall()]
            times = [line.split(":")[1].strip() for line in lines if line.endswith(" ms")]
            plan = f"  [plan {times[0]}, run {times[1]}]"
        print(f"  {float(query['time']) * 1000:>5.1f} ms  {sql[:110]}{plan}")
    started = time.perf_counter()
    for seq in range(22, 22 + saves):
        save(seq)
    elapsed = (time.perf_counter() - started) * 1000 / saves
    print(f"\n{saves} saves in this process, one after the other: {elapsed:.2f} ms a save")
    profiler = cProfile.Profile()
    profiler.enable()
    for seq in range(22 + saves, 22 + 2 * saves):
        save(seq)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def header() -> str:
    return (
        f"{'run':<32}{'saves/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms/save':>13}{'not 200':>9}{'others':>8}"
    )


def row(result: Result) -> str:
    cpu = f"{result.cpu_ms:.2f}" if result.cpu_ms is not None else "-"
    not_ok = result.refused + result.errors + result.unanswered
    return (
        f"{result.name:<32}{result.rate:>9.0f}{result.p50:>9.1f}{result.p95:>9.1f}"
        f"{result.p99:>9.1f}{cpu:>13}{not_ok:>9}{result.others:>8.0%}"
    )


if __name__ == "__main__":
    main()
