"""The benchmark of issue 7: the archive at a million records, over HTTP.

    make bench                         # 1,000,000 records (PostgreSQL)
    BENCH_RECORDS=100000 make bench    # a smaller archive

Creates (or reuses, when a complete load of the same size is there) the
scratch database ``archive_bench_<N>`` with a UTF-8 locale, loads it
(``bench/load.py``), starts gunicorn on the production settings (DEBUG off,
persistent connections) plus the naive catalogue of ``bench/naive.py``, and
measures every figure of the issue, ``BENCH_REQUESTS`` (200) requests per
scenario from ``BENCH_CLIENTS`` (8) concurrent keep-alive clients. Prints a
table and writes it to ``bench/results/<date>.md``.

Environment: ``BENCH_POSTGRES`` (server URL, default
``postgres://postgres@127.0.0.1:5432``), ``BENCH_FRESH=1`` to reload,
``BENCH_WORKERS`` (gunicorn workers, default 2: one per core), ``BENCH_PORT`` (8765),
``BENCH_FILES_EVERY`` (one electronic file per this many records, 50).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import http_load  # noqa: E402

CATALOGUE = "/catalogue/"  # checked against the URLconf in main()

RECORDS = int(os.environ.get("BENCH_RECORDS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
FILES_EVERY = int(os.environ.get("BENCH_FILES_EVERY", "50"))
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
NAME = f"archive_bench_{RECORDS}"
DATABASE = f"{SERVER}/{NAME}"
VAR = Path(os.environ.get("BENCH_VAR", ROOT / "var" / f"bench-{RECORDS}"))
HOST = "127.0.0.1"
MARK = f"archive benchmark load complete: {RECORDS} records"


def env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "ARCHIVE_FIELD_KEY": "bench",
        "ARCHIVE_VAR_DIR": str(VAR),
        "ARCHIVE_HTTPS": "0",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": DATABASE,
        "DATABASE_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def django_setup() -> None:
    os.environ.update(env())
    import django

    django.setup()


def archivist_client(static: bool = False, username: str = "bench"):
    """Django's test client logged in as the bench's archivist (or the bench
    person ``username``): requests go through the whole middleware stack, in
    this process. ``static``: the static files collected first (pages name
    them through the manifest)."""
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User

    if static:
        call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST=HOST)
    client.force_login(User.objects.get(username=username))
    return client


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the database ----------------------------------------------------------


def _server():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    return connection


def database_ready() -> bool:
    with _server() as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = %s",
            [NAME],
        )
        row = cursor.fetchone()
    return bool(row and row[0] == MARK)


def prepare() -> None:
    """A loaded database of RECORDS records: reused if complete, else made."""
    if database_ready() and os.environ.get("BENCH_FRESH") != "1":
        print(f"reusing {NAME} ({RECORDS:,} records)")
        subprocess.run(  # noqa: S603 - the project's manage.py
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
            check=True,
            env=env(),
        )
        return
    connection = _server()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        cursor.execute(
            f"CREATE DATABASE {NAME} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    connection.close()
    subprocess.run(["rm", "-rf", str(VAR)], check=True)  # noqa: S603,S607
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - this script, a fixed step
        [sys.executable, __file__, "load"], check=True, env=env()
    )
    with _server() as connection, connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON DATABASE {NAME} IS %s", [MARK])
    print(f"loaded {RECORDS:,} records in {time.perf_counter() - started:.0f} s")


def step_load() -> None:
    django_setup()
    from django.core.management import call_command

    from bench.load import load

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated ({time.perf_counter() - started:.0f} s)", flush=True)
    load(RECORDS, FILES_EVERY, VAR, log=lambda m: print(m, flush=True))


# --- the server --------------------------------------------------------------


class Server:
    def __init__(self, workers: int = WORKERS):
        self.process = None
        self.workers = workers

    def __enter__(self):
        subprocess.run(  # noqa: S603 - the project's manage.py
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "collectstatic",
                "--no-input",
                "-v0",
            ],
            check=True,
            env=env(),
        )
        log = open(VAR / "gunicorn.log", "w")
        self.process = subprocess.Popen(  # noqa: S603 - the project's gunicorn
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"{HOST}:{PORT}",
                "--chdir",
                str(ROOT),
                "--timeout",
                "300",
                "--keep-alive",
                "60",
            ],
            env=env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _h = http_load.Client(HOST, PORT).get("/accounts/login/")
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {VAR / 'gunicorn.log'}")
            time.sleep(0.5)
        self.process.terminate()
        raise RuntimeError(
            f"gunicorn did not answer within 60 s: {VAR / 'gunicorn.log'}"
        )

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def worker_rss_mb(self) -> float:
        total = 0.0
        for child in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = child.read_text().split()
            except OSError:
                continue
            if int(fields[3]) == self.process.pid:
                status = (child.parent / "status").read_text()
                total = max(total, int(re.search(r"VmHWM:\s+(\d+)", status)[1]) / 1024)
        return total


def login(username: str) -> str:
    """The cookie of a logged-in session, got through the login form."""
    from bench.load import LOGIN_PASSWORD

    client = http_load.Client(HOST, PORT)
    _status, body, headers = client.get("/accounts/login/")
    csrf = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))[1]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()
    form = urlencode(
        {"username": username, "password": LOGIN_PASSWORD, "csrfmiddlewaretoken": token}
    )
    client.connection.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://{HOST}:{PORT}/accounts/login/",
        },
    )
    response = client.connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise RuntimeError(f"login of {username} failed: HTTP {response.status}")
    return f"sessionid={session[1]}; csrftoken={csrf}"


# --- what to ask ---------------------------------------------------------------


class Facts:
    """Values for the scenarios, read from the database before timing."""

    def __init__(self):
        from django.db.models import Max
        from django.db.models import Min

        from accounts.models import Department
        from archives.models import ArchiveRecord
        from archives.models import Box
        from archives.models import Category
        from archives.models import Storeroom
        from archives.models import Subcode

        self.rng = random.Random(7)  # noqa: S311 - sample data, not secrets
        shown = ArchiveRecord.objects.exclude(
            status__in=["draft", "submitted", "returned"]
        )
        self.top = top = shown.aggregate(Max("pk"))["pk__max"]
        self.record_ids = [self.rng.randint(1, top) for _ in range(2000)]
        self.categories = dict(Category.objects.values_list("code", "pk"))
        self.departments = list(
            Department.objects.filter(code__startswith="CS").values_list(
                "pk", flat=True
            )
        )
        self.storerooms = list(Storeroom.objects.values_list("pk", flat=True))
        self.boxes = list(Box.objects.values_list("code", flat=True)[:5000])
        self.subcodes = list(
            Subcode.objects.filter(dimension__category__code="TS").values_list(
                "pk", flat=True
            )
        )
        span = shown.aggregate(first=Min("date_formed"), last=Max("date_formed"))
        self.first_day, self.last_day = span["first"], span["last"]
        self.titles = list(
            shown.filter(pk__in=self.record_ids[:300]).values_list(
                "title", "number", "customer__name"
            )
        )

    def month(self) -> tuple[str, str]:
        days = (self.last_day - self.first_day).days
        start = self.first_day + datetime.timedelta(days=self.rng.randrange(days - 31))
        return start.isoformat(), (start + datetime.timedelta(days=30)).isoformat()

    def cursor_at(self, params: dict) -> str:
        """The ``after`` cursor of a random row of a result: a page at a
        random depth (the row is found by primary key, not by OFFSET)."""
        from django.contrib.auth import get_user_model

        from archives import selectors
        from archives.forms import CatalogueForm
        from core import paging

        user = get_user_model().objects.get(username="bench")
        form = CatalogueForm({k: v for k, v in params.items() if k != "per_page"})
        records = selectors.catalogue_search(user=user, query=form.to_query())
        keys = paging.keys_of(records)
        start = self.rng.randint(1, self.top)
        row = records.filter(pk__gte=start).order_by("pk").first()
        row = row or records.order_by("pk").first()
        return paging.encode([k.value(row) for k in keys])

    def term(self, short: bool) -> str:
        if short:
            return self.rng.choice(
                [
                    "投诉",
                    "发票",
                    "退款",
                    "物流",
                    "华",
                    "杭州",
                    "积分",
                    "维修",
                    "王",
                    "电话",
                ]
            )
        title, number, customer = self.rng.choice(self.titles)
        return self.rng.choice(
            [
                number,
                number[:8],
                (customer or title)[2:6],
                self.rng.choice(
                    ["物流延迟", "退换货", "发票开具", "满意度调查", "服务态度投诉"]
                ),
                title[-6:-2],
            ]
        )


def catalogue_scenarios(facts: Facts) -> dict[str, list[str]]:
    """Filter combinations, sorts and depths of the catalogue, REQUESTS each."""
    f = facts
    rng = f.rng
    cats = f.categories

    def urls(make) -> list[str]:
        return [f"/catalogue/?{urlencode(make())}" for _ in range(REQUESTS)]

    def deep(params: dict) -> dict:
        return {**params, "after": f.cursor_at(params)}

    # Deep cursors are read before the timing starts (each costs a query).
    deep_default = [deep({}) for _ in range(20)]
    deep_title = [deep({"sort": "title"}) for _ in range(20)]
    deep_gt = [deep({"category": cats["GT"], "sort": "-number"}) for _ in range(20)]
    return {
        "first page, newest first": urls(lambda: {}),
        "deep page (random depth), by cursor": urls(lambda: rng.choice(deep_default)),
        "last page": urls(lambda: {"last": 1}),
        "100 rows per page": urls(lambda: {"per_page": 100}),
        "category": urls(lambda: {"category": rng.choice(list(cats.values()))}),
        "category GT by number, deep": urls(lambda: rng.choice(deep_gt)),
        "category PX + department": urls(
            lambda: {"category": cats["PX"], "department": rng.choice(f.departments)}
        ),
        "status on loan (1 %)": urls(lambda: {"status": "on_loan"}),
        "department + one month": urls(
            lambda: dict(
                zip(("date_from", "date_to"), f.month(), strict=True),
                department=rng.choice(f.departments),
            )
        ),
        "storeroom": urls(lambda: {"storeroom": rng.choice(f.storerooms)}),
        "box code": urls(lambda: {"box": rng.choice(f.boxes)}),
        "sub-code (TS nature/status)": urls(
            lambda: {"subcode": rng.choice(f.subcodes)}
        ),
        "by title, deep": urls(lambda: rng.choice(deep_title)),
        "recently accepted": urls(lambda: {"sort": "-accepted"}),
        "category + department + status + month, by title": urls(
            lambda: dict(
                zip(("date_from", "date_to"), f.month(), strict=True),
                category=cats["TS"],
                department=rng.choice(f.departments),
                status="archived",
                sort="title",
            )
        ),
    }


# --- measurements outside HTTP ---------------------------------------------------


def numbering(writers: int = 32, per_writer: int = 125) -> dict:
    """32 threads taking numbers of one sequence, each in its own transaction."""
    from django.db import connection
    from django.db import transaction

    from accounts.models import User
    from archives.models import ArchiveRecord
    from archives.models import Category
    from archives.models import NumberSequence
    from archives.services.numbering import number_issue

    bench = User.objects.get(username="bench")
    record = ArchiveRecord.objects.create(
        category=Category.objects.get(code="GT"),
        title="编号基准",
        date_formed=datetime.date(2099, 12, 31),
        source_department=bench.department,
        responsible_person=bench,
        created_by=bench,
    )
    NumberSequence.objects.filter(prefix="GT20991231").delete()
    issued: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def writer():
        from django.db import connections

        record_copy = ArchiveRecord.objects.select_related("category").get(pk=record.pk)
        barrier.wait()
        mine = []
        for _ in range(per_writer):
            with transaction.atomic():
                mine.append(number_issue(record=record_copy).sequence)
        with lock:
            issued.extend(mine)
        connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    last = NumberSequence.objects.get(prefix="GT20991231").last_value
    duplicates = len(issued) - len(set(issued))
    gaps = len(set(range(1, last + 1)) - set(issued))
    NumberSequence.objects.filter(prefix="GT20991231").delete()
    record.delete()
    connection.close()
    return {
        "numbers": len(issued),
        "per_second": len(issued) / elapsed,
        "duplicates": duplicates,
        "gaps": gaps,
        "last": last,
    }


def step_check(kind: str) -> None:
    """One check in this fresh process, rolled back; its time and peak memory."""
    django_setup()
    from django.db import connection
    from django.db import transaction

    from accounts.models import User
    from retention.models import CheckRun
    from retention.services.checks import check_execute
    from retention.services.checks import check_finish
    from retention.services.checks import check_request

    connection.ensure_connection()
    before = rss_mb()
    with transaction.atomic():
        started = time.perf_counter()
        if kind == "inspection":
            run = check_request(kind="inspection")
            summary = check_execute(run_id=run.pk)
        else:
            run = CheckRun.objects.get(kind="stocktake", status="open")
            summary = check_finish(
                actor=User.objects.get(username="bench"), run=run
            ).summary
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "rss_before_mb": before,
                "peak_rss_mb": rss_mb(),
                "summary": {
                    k: v for k, v in (summary or {}).items() if isinstance(v, int)
                },
            }
        )
    )


def step_export(rows: int) -> None:
    """Stream the catalogue export of the first ``rows`` records by date."""
    django_setup()
    from django.http import QueryDict

    from accounts.models import User
    from archives.models import ArchiveRecord
    from reports import exports
    from reports.services import exports as export_service

    user = User.objects.get(username="bench")
    shown = ArchiveRecord.objects.exclude(
        status__in=["draft", "submitted", "returned"]
    ).order_by("date_formed", "pk")
    last_day = shown.values_list("date_formed", flat=True)[rows - 1 : rows][0]
    params = QueryDict(mutable=True)
    params.update({"date_to": last_day.isoformat(), "sort": "date"})
    before = rss_mb()
    started = time.perf_counter()
    lines = size = 0
    for chunk in export_service.csv_lines(
        kind=exports.KINDS["catalogue"], user=user, params=params
    ):
        lines += chunk.count("\n") if isinstance(chunk, str) else chunk.count(b"\n")
        size += len(chunk)
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": lines - 1,
                "seconds": elapsed,
                "bytes": size,
                "rss_before_mb": before,
                "peak_rss_mb": rss_mb(),
            }
        )
    )


def in_process(step: list[str]) -> dict:
    done = subprocess.run(  # noqa: S603 - this script, a fixed step
        [sys.executable, __file__, *step],
        check=False,
        env=env(),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(step)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def query_counts(facts: Facts) -> dict:
    """SQL statements of one catalogue page at 20 and 100 rows, and the counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = archivist_client()
    found = {}
    for per_page in (20, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/catalogue/", {"per_page": per_page})
        assert response.status_code == 200, response.status_code
        found[per_page] = len(queries)
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        found[f"uncapped_counts_{per_page}"] = sum(
            1 for sql in counts if not re.search(r"LIMIT \d+", sql)
        )
    return found


def replayable(sql: str) -> str:
    """A captured statement as another connection can run it: a statement
    prepared on the server (core.prepared) as its ``PREPARE`` and its
    ``EXECUTE`` joined by a NUL; any other as it is. On the connection that
    ran it."""
    from core.joins import without_setting
    from core.prepared import written_out

    if without_setting(sql).lstrip().startswith("EXECUTE "):
        return f"{written_out(sql)}\0{sql}"
    return sql


def replay(cursor, sql: str, prepared: dict[str, str]) -> None:
    """Run a ``replayable`` statement, preparing it first on this connection
    if it has not been (``prepared``: name to text, this connection's)."""
    prepare, _, sql = sql.rpartition("\0")
    if prepare:
        name = prepare.split(" ", 2)[1]
        if prepared.get(name) != prepare:
            # (Names start again with each connection of the capture.)
            if name in prepared:
                cursor.execute(f"DEALLOCATE {name}")
            cursor.execute(prepare)
            prepared[name] = prepare
    cursor.execute(sql)


def bare_sql(facts: Facts, params_list: list[dict], name: str) -> http_load.Timing:
    """The SQL our catalogue page runs for its rows and count (every
    statement, as PostgreSQL received it), replayed by 8 connections: what
    the page would cost with no Python at all."""
    import psycopg2
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from archives import selectors
    from archives.forms import CatalogueForm
    from core import paging

    user = User.objects.get(username="bench")
    statements = []
    for params in params_list:
        form = CatalogueForm({k: v for k, v in params.items() if k != "after"})
        records, text = selectors.catalogue_parts(user=user, query=form.to_query())
        with CaptureQueriesContext(connection) as queries:
            paging.keyset_page(
                records,
                per_page=25,
                after_cursor=params.get("after", ""),
                count=True,
                text=text,
                rows=selectors.catalogue_rows_by_id,
            )
        statements.append([replayable(q["sql"]) for q in queries])
    queue = list(statements)
    lock = threading.Lock()
    latencies: list[float] = []

    def worker():
        # The application's connections set the planner's random_page_cost.
        cost = os.environ.get("ARCHIVE_PG_RANDOM_PAGE_COST", "1.1")
        connection = psycopg2.connect(DATABASE, options=f"-c random_page_cost={cost}")
        prepared: dict[str, str] = {}
        with connection.cursor() as cursor:
            while True:
                with lock:
                    if not queue:
                        break
                    page = queue.pop()
                started = time.perf_counter()
                for sql in page:
                    replay(cursor, sql, prepared)
                    cursor.fetchall()
                with lock:
                    latencies.append(time.perf_counter() - started)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return http_load.Timing.of(name, latencies, time.perf_counter() - started, 0)


SERVICE_REQUESTS = int(os.environ.get("BENCH_SERVICE_REQUESTS", str(REQUESTS)))
# How many requests of each page have their SQL captured and replayed.
SQL_SAMPLE = 10


def page_statements(path: str) -> list[str]:
    """The SELECT statements one request of ``path`` runs, as PostgreSQL
    received them (the audit write and transaction control are left out: a
    replay must not append to the chain). A statement prepared on the server
    (core.prepared) comes as its ``PREPARE`` and its ``EXECUTE``, joined by
    a NUL: the replay prepares it once, as the page's connection did."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.joins import without_setting

    client = archivist_client()
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    # As sent, with the planner's setting in front where a query had it
    # (core.joins): the replay plans as the page did.
    return [
        replayable(q["sql"])
        for q in queries
        if without_setting(q["sql"]).lstrip().upper().startswith(("SELECT", "EXECUTE"))
    ]


def replay_one_client(name: str, pages: list[list[str]]) -> http_load.Timing:
    """Each page's statements replayed on one connection, one page at a time:
    the SQL floor of that page (no Python, no network to the browser)."""
    import psycopg2

    cost = os.environ.get("ARCHIVE_PG_RANDOM_PAGE_COST", "1.1")
    connection = psycopg2.connect(DATABASE, options=f"-c random_page_cost={cost}")
    connection.autocommit = True
    latencies = []
    started = time.perf_counter()
    prepared: dict[str, str] = {}  # name: text
    with connection.cursor() as cursor:
        for statements in [*pages, *pages]:  # the first pass warms the cache
            cursor.execute("RESET join_collapse_limit")  # as a request finds it
            began = time.perf_counter()
            for sql in statements:
                replay(cursor, sql, prepared)
                cursor.fetchall()
            latencies.append(time.perf_counter() - began)
    connection.close()
    latencies = latencies[len(pages) :]
    return http_load.Timing.of(name, latencies, time.perf_counter() - started, 0)


SCALING_WORKERS = (1, 2, 4)


def workers_scaling(facts, cookie) -> dict[int, http_load.Timing]:
    """Issue 22: record views (each writes its audit entry) through 1, 2 and 4
    gunicorn workers from 8 clients at once: requests per second. Nothing on
    the read path is serialised, so throughput follows the cores; past them
    (this machine has ``os.cpu_count()``) it cannot grow."""
    from django.urls import reverse

    paths = [
        reverse("archives:record-detail", args=[pk])
        for pk in facts.record_ids[:SERVICE_REQUESTS]
    ] * 2
    measured = {}
    for workers in SCALING_WORKERS:
        with Server(workers=workers):
            for _ in range(2):  # a warm-up pass, then the measured one
                timing = http_load.run(
                    f"record views, {workers} workers",
                    paths,
                    host=HOST,
                    port=PORT,
                    cookie=cookie,
                    clients=CLIENTS,
                )
            measured[workers] = timing
            print(
                f"  {workers} workers: {timing.per_second:6.0f}/s  "
                f"p50 {timing.p50_ms:6.1f} ms",
                flush=True,
            )
    return measured


def service_times(facts, cookie, request_ids, long_terms, short_terms) -> list[tuple]:
    """Issue 22: each page's service time with one client at a time (no
    queueing), beside the floors measured in the same run and the page's own
    SQL replayed; only the ratios mean anything on a shared machine."""
    from django.urls import reverse

    n = SERVICE_REQUESTS
    pages = {
        "bare Django hello (no session)": ["/floor/hello/"] * n,
        "floor: logged-in small template": ["/floor/small/"] * n,
        "page chrome (base.html, empty block)": ["/floor/chrome/"] * n,
        "catalogue, first page": ["/catalogue/"] * n,
        "search, 3+ characters": [
            f"/catalogue/?{urlencode({'q': t})}" for t in long_terms[:n]
        ],
        "search, 1–2 characters": [
            f"/catalogue/?{urlencode({'q': t})}" for t in short_terms[:n]
        ],
        "record detail": [
            reverse("archives:record-detail", args=[pk]) for pk in facts.record_ids[:n]
        ],
        "one-page PDF form": [
            reverse("lending:request-pdf", args=[pk]) for pk in request_ids[:n]
        ],
        "API list": ["/api/v1/records/"] * n,
    }
    measured = {}
    for name, paths in pages.items():
        for _ in range(2):  # a warm-up pass, then the measured one
            timing = http_load.run(
                name, paths, host=HOST, port=PORT, cookie=cookie, clients=1
            )
        measured[name] = timing
        print(
            f"  {name:55} p50 {timing.p50_ms:6.1f} ms  p95 {timing.p95_ms:6.1f} ms",
            flush=True,
        )
    floor = measured["floor: logged-in small template"].p50_ms
    rows = []
    for name, timing in measured.items():
        sql = None
        if not name.startswith(("bare", "floor", "page chrome")):
            step = max(1, len(pages[name]) // SQL_SAMPLE)
            sample = pages[name][::step][:SQL_SAMPLE]
            statements = [page_statements(path) for path in sample]
            sql = replay_one_client(name, statements)
            queries = round(sum(map(len, statements)) / len(statements), 1)
        rows.append(
            (
                name,
                timing.p50_ms,
                timing.p95_ms,
                timing.p50_ms / floor,
                sql.p50_ms if sql else None,
                timing.p50_ms / sql.p50_ms if sql and sql.p50_ms else None,
                queries if sql else None,
            )
        )
    return rows


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", content))


# --- the run ---------------------------------------------------------------------


def main() -> None:
    if len(sys.argv) > 1:
        step = sys.argv[1]
        if step == "load":
            step_load()
        elif step == "prepare":
            VAR.mkdir(parents=True, exist_ok=True)
            prepare()
        elif step == "check":
            step_check(sys.argv[2])
        elif step == "export":
            step_export(int(sys.argv[2]))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    prepare()
    django_setup()
    from django.conf import settings
    from django.urls import reverse

    assert reverse("archives:catalogue") == CATALOGUE

    from archives.models import ArchiveRecord
    from lending.models import AccessRequest

    total = ArchiveRecord.objects.count()  # once, for the report
    facts = Facts()
    if os.environ.get("BENCH_SERVICE_ONLY") == "1":
        service_only(total, facts)
        return
    rows: list[tuple] = []  # (figure, target, measured, holds)
    timings: list[http_load.Timing] = []
    started = time.perf_counter()
    print(f"archive: {total:,} records; {CLIENTS} clients, {REQUESTS} requests each")

    with Server() as server:
        archivist = login("bench")
        staff = login("bench_staff")

        def timed(name, paths, cookie=archivist, expect=200, warm_all=True):
            # A warm-up pass over the same requests (the steady state of a
            # server whose data is in memory), then the measured pass. The
            # naive pages, seconds each, are warmed with a tenth.
            http_load.run(
                name,
                paths if warm_all else paths[: max(8, len(paths) // 10)],
                host=HOST,
                port=PORT,
                cookie=cookie,
                clients=CLIENTS,
                expect=expect,
            )
            timing = http_load.run(
                name,
                paths,
                host=HOST,
                port=PORT,
                cookie=cookie,
                clients=CLIENTS,
                expect=expect,
            )
            timings.append(timing)
            print(
                f"  {name:55} p50 {timing.p50_ms:6.1f} ms  p95 {timing.p95_ms:6.1f} ms"
                f"  {timing.per_second:6.0f}/s",
                flush=True,
            )
            return timing

        print("catalogue")
        scenarios = catalogue_scenarios(facts)
        catalogue = [timed(name, paths) for name, paths in scenarios.items()]
        staff_first = timed(
            "customer-service staff: first page (own department)",
            [f"/catalogue/?{urlencode({})}"] * REQUESTS,
            cookie=staff,
        )
        staff_filtered = timed(
            "customer-service staff: category + month",
            [
                "/catalogue/?"
                + urlencode(
                    dict(
                        zip(("date_from", "date_to"), facts.month(), strict=True),
                        category=facts.categories["GT"],
                    )
                )
                for _ in range(REQUESTS)
            ],
            cookie=staff,
        )
        worst = max([*catalogue, staff_first, staff_filtered], key=lambda t: t.p95_ms)
        rows.append(
            (
                "catalogue list, worst of 17 filter/sort/depth scenarios (p95)",
                "≤ 60 ms",
                f"{worst.p95_ms:.1f} ms ({worst.name})",
                worst.p95_ms <= 60,
            )
        )

        print("search")
        long_terms = [facts.term(short=False) for _ in range(REQUESTS)]
        short_terms = [facts.term(short=True) for _ in range(REQUESTS)]
        search_long = timed(
            "search, 3+ characters",
            [f"/catalogue/?{urlencode({'q': t})}" for t in long_terms],
        )
        search_short = timed(
            "search, 1–2 characters",
            [f"/catalogue/?{urlencode({'q': t})}" for t in short_terms],
        )
        timed(
            "customer-service staff: search, 3+ characters",
            [f"/catalogue/?{urlencode({'q': t})}" for t in long_terms],
            cookie=staff,
        )
        rows.append(
            (
                "search in Chinese, 3+ characters (p95)",
                "≤ 50 ms",
                f"{search_long.p95_ms:.1f} ms",
                search_long.p95_ms <= 50,
            )
        )
        rows.append(
            (
                "search in Chinese, 1–2 characters (p95)",
                "≤ 150 ms",
                f"{search_short.p95_ms:.1f} ms",
                search_short.p95_ms <= 150,
            )
        )

        print("record detail")
        detail = timed(
            "record detail page",
            [
                reverse("archives:record-detail", args=[pk])
                for pk in facts.record_ids[:REQUESTS]
            ],
        )
        rows.append(
            (
                "record detail page (p95)",
                "≤ 40 ms",
                f"{detail.p95_ms:.1f} ms",
                detail.p95_ms <= 40,
            )
        )

        counts = query_counts(facts)
        same = counts[20] == counts[100]
        rows.append(
            (
                "SQL queries per catalogue page, 20 and 100 rows",
                "≤ 10, equal",
                f"{counts[20]} and {counts[100]}",
                counts[20] <= 10 and same,
            )
        )
        uncapped = counts["uncapped_counts_20"] + counts["uncapped_counts_100"]
        rows.append(
            (
                "exact COUNT(*) over more than 100,000 rows in a request",
                "never",
                f"none: counts stop at {settings.ARCHIVE_EXACT_COUNT_LIMIT + 1:,} rows"
                if not uncapped
                else f"{uncapped} uncapped",
                not uncapped,
            )
        )

        print("PDF")
        request_ids = list(
            AccessRequest.objects.order_by("?").values_list("pk", flat=True)[:REQUESTS]
        )
        form_pdf = timed(
            "one-page request form PDF",
            [reverse("lending:request-pdf", args=[pk]) for pk in request_ids],
        )
        rows.append(
            (
                "one-page PDF form (p95)",
                "≤ 50 ms",
                f"{form_pdf.p95_ms:.1f} ms",
                form_pdf.p95_ms <= 50,
            )
        )
        register = register_speed(archivist)
        rows.append(
            (
                f"register PDF of {register['rows']:,} rows",
                "≥ 80 pages/s",
                f"{register['per_second']:.0f} pages/s ({register['pages']} pages in "
                f"{register['seconds']:.1f} s)",
                register["per_second"] >= 80 and register["rows"] >= 10_000,
            )
        )

        print("side by side")
        naive_rows = naive_comparison(facts, timed, catalogue, search_long)
        print("service time (one client)")
        service = service_times(facts, archivist, request_ids, long_terms, short_terms)
        server_rss = server.worker_rss_mb()

    print("record views through 1, 2 and 4 workers")
    scaling = workers_scaling(facts, archivist)

    print("numbering")
    numbers = numbering()
    rows.append(
        (
            "numbering, 32 writers on one sequence",
            "≥ 500/s, 0 duplicates, 0 gaps",
            f"{numbers['per_second']:.0f}/s, {numbers['duplicates']} duplicates, "
            f"{numbers['gaps']} gaps ({numbers['numbers']:,} numbers)",
            numbers["per_second"] >= 500
            and numbers["duplicates"] == 0
            and numbers["gaps"] == 0,
        )
    )

    print("checks")
    stocktake = in_process(["check", "stocktake"])
    rows.append(
        (
            "yearly stocktake snapshot",
            "≤ 60 s, ≤ 256 MB",
            f"{stocktake['seconds']:.1f} s, peak {stocktake['peak_rss_mb']:.0f} MB",
            stocktake["seconds"] <= 60 and stocktake["peak_rss_mb"] <= 256,
        )
    )
    inspection = in_process(["check", "inspection"])
    rows.append(
        (
            "monthly fixity/inspection pass, worker peak memory",
            "≤ 256 MB",
            f"{inspection['peak_rss_mb']:.0f} MB ({inspection['seconds']:.0f} s, "
            f"{inspection['summary'].get('files_checked', '?')} files)",
            inspection["peak_rss_mb"] <= 256,
        )
    )
    print("export")
    small = in_process(["export", str(min(10_000, total // 10))])
    large = in_process(["export", str(min(100_000, total))])
    growth = large["peak_rss_mb"] - small["peak_rss_mb"]
    rows.append(
        (
            f"CSV export of {large['rows']:,} rows, streamed",
            "constant memory",
            f"peak {large['peak_rss_mb']:.0f} MB vs {small['peak_rss_mb']:.0f} MB for "
            f"{small['rows']:,} rows; {large['rows'] / large['seconds']:,.0f} rows/s",
            growth <= 20,
        )
    )
    rows.append(
        (
            "no periodic job updates every archive row",
            "none",
            periodic_writes(),
            periodic_writes() == "none",
        )
    )
    report(
        total,
        rows,
        timings,
        naive_rows,
        numbers,
        server_rss,
        time.perf_counter() - started,
        service,
        scaling,
    )


def register_speed(cookie: str) -> dict:
    from django.urls import reverse

    from lending.models import AccessItem

    items = AccessItem.objects.filter(request__kind="lending").order_by(
        "handed_over_at"
    )
    first = items.first().handed_over_at.date()
    last = items.last().handed_over_at.date()
    count = items.count()
    client = http_load.Client(HOST, PORT, cookie)
    path = (
        reverse("lending:register-pdf", args=["lending"])
        + "?"
        + urlencode({"date_from": first.isoformat(), "date_to": last.isoformat()})
    )
    best = None
    for _ in range(3):
        started = time.perf_counter()
        status, body, _headers = client.get(path)
        elapsed = time.perf_counter() - started
        assert status == 200, status
        if best is None or elapsed < best[0]:
            best = (elapsed, pdf_pages(body))
    elapsed, pages = best
    return {
        "rows": count,
        "pages": pages,
        "seconds": elapsed,
        "per_second": pages / elapsed,
    }


def naive_comparison(facts: Facts, timed, catalogue, search_long) -> list[tuple]:
    """The naive ListView and the bare SQL, on the same questions."""
    by_name = {t.name: t for t in catalogue}
    # The naive pages take seconds each at a million rows: fewer of them.
    slow = max(40, REQUESTS // 5)
    # Pages from a fifth of the way in to the end (the ListView's own numbers).
    pages = max(1, facts.top * 95 // 100 // 25)
    pages_deep = [
        {"page": facts.rng.randint(max(1, pages // 5), pages)} for _ in range(slow)
    ]
    naive = {
        "first page, newest first": timed(
            "naive ListView: first page",
            ["/naive/catalogue/"] * REQUESTS,
            warm_all=False,
        ),
        "deep page (random depth), by cursor": timed(
            "naive ListView: deep page (OFFSET)",
            [f"/naive/catalogue/?{urlencode(p)}" for p in pages_deep],
            warm_all=False,
        ),
        "category": timed(
            "naive ListView: category",
            [
                f"/naive/catalogue/?{urlencode({'category': c})}"
                for c in facts.rng.choices(list(facts.categories.values()), k=REQUESTS)
            ],
            warm_all=False,
        ),
    }
    terms = [facts.term(short=False) for _ in range(slow)]
    naive["search, 3+ characters"] = timed(
        "naive ListView: search icontains, 3+ characters",
        [f"/naive/catalogue/?{urlencode({'q': t})}" for t in terms],
        warm_all=False,
    )
    ours = {**by_name, "search, 3+ characters": search_long}
    deep_params = [{"after": facts.cursor_at({})} for _ in range(20)]
    bare = {
        "first page, newest first": bare_sql(
            facts, [{}] * REQUESTS, "bare SQL: first page"
        ),
        "deep page (random depth), by cursor": bare_sql(
            facts,
            [facts.rng.choice(deep_params) for _ in range(REQUESTS)],
            "bare SQL: deep page",
        ),
        "category": bare_sql(
            facts,
            [
                {"category": c}
                for c in facts.rng.choices(list(facts.categories.values()), k=REQUESTS)
            ],
            "bare SQL: category",
        ),
        "search, 3+ characters": bare_sql(
            facts,
            [{"q": facts.term(short=False)} for _ in range(REQUESTS)],
            "bare SQL: search, 3+ characters",
        ),
    }
    rows = []
    for name, naive_timing in naive.items():
        mine = ours[name]
        rows.append(
            (
                name,
                mine.p95_ms,
                naive_timing.p95_ms,
                naive_timing.p95_ms / mine.p95_ms,
                bare[name].p95_ms,
                mine.p95_ms / bare[name].p95_ms,
            )
        )
    return rows


def periodic_writes() -> str:
    """Scheduled tasks whose code updates archive records in bulk."""
    offenders = []
    for path in (ROOT / "retention" / "services").glob("*.py"):
        text = path.read_text()
        if re.search(r"ArchiveRecord\.objects(\.all\(\))?\.update\(", text):
            offenders.append(path.name)
    return ", ".join(offenders) or "none"


def service_only(total: int, facts) -> None:
    """``BENCH_SERVICE_ONLY=1``: the one-client table and the workers, alone
    (a minute or two: to measure one change at a time; ``BENCH_SCALING=0``
    leaves the workers out). ``BENCH_LABEL`` names the result file,
    bench/results/<date>-<records>-service-<label>.md."""
    from lending.models import AccessRequest

    load_before = os.getloadavg()[0]
    long_terms = [facts.term(short=False) for _ in range(SERVICE_REQUESTS)]
    short_terms = [facts.term(short=True) for _ in range(SERVICE_REQUESTS)]
    request_ids = list(
        AccessRequest.objects.order_by("?").values_list("pk", flat=True)[
            :SERVICE_REQUESTS
        ]
    )
    with Server():
        archivist = login("bench")
        print("service time (one client)")
        service = service_times(facts, archivist, request_ids, long_terms, short_terms)
    scaling = None
    if os.environ.get("BENCH_SCALING") != "0":
        print("record views through 1, 2 and 4 workers")
        scaling = workers_scaling(facts, archivist)
    label = os.environ.get("BENCH_LABEL", "now")
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    lines = [
        f"# Service time at {total:,} records: {label}",
        "",
        f"`BENCH_SERVICE_ONLY=1 BENCH_LABEL={label} BENCH_RECORDS={RECORDS} "
        f"make bench`; {os.cpu_count()} cores, load average {load_before:.1f} "
        f"before and {os.getloadavg()[0]:.1f} after; commit {git_commit()}.",
        "",
        *service_table(service),
        "",
        *(scaling_table(scaling) if scaling else []),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    results = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
    out = results / f"{today}-{RECORDS}-service-{label}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"written to {out}")


def git_commit() -> str:
    done = subprocess.run(  # noqa: S603 - git, to name the code measured
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def service_table(service) -> list[str]:
    return [
        "| page | p50 ms | p95 ms | ÷ floor | its SQL p50 ms | ÷ SQL | statements |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {name} | {p50:.1f} | {p95:.1f} | {ratio:.1f}× | "
            + (
                f"{sql:.1f} | {by_sql:.1f}× | {count}"
                if sql is not None
                else "— | — | —"
            )
            + " |"
            for name, p50, p95, ratio, sql, by_sql, count in service
        ),
    ]


def scaling_table(scaling) -> list[str]:
    scaling = scaling or {}
    return [
        f"Record views from {CLIENTS} clients at once, each writing its audit "
        f"entry; {os.cpu_count()} cores.",
        "",
        "| workers | requests/s | p50 ms | p95 ms | ÷ the previous |",
        "|---|---|---|---|---|",
        *(
            f"| {workers} | {t.per_second:.0f} | {t.p50_ms:.1f} | {t.p95_ms:.1f} | "
            + (
                f"{t.per_second / scaling[previous].per_second:.2f}×"
                if previous
                else "—"
            )
            + " |"
            for previous, (workers, t) in zip(
                [None, *scaling], scaling.items(), strict=False
            )
        ),
    ]


def report(
    total,
    rows,
    timings,
    naive_rows,
    numbers,
    server_rss,
    seconds,
    service=(),
    scaling=None,
) -> None:
    import platform

    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    lines = [
        f"# Benchmark {today}: {total:,} records",
        "",
        f"`make bench` (BENCH_RECORDS={RECORDS}); PostgreSQL "
        f"{server_version()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; "
        f"gunicorn {WORKERS} sync workers, DEBUG off, persistent connections; "
        f"{CLIENTS} concurrent keep-alive clients on the same machine, "
        f"{REQUESTS} requests per scenario after a warm-up pass over the same "
        "requests (the naive pages: a tenth); "
        f"whole run {seconds / 60:.0f} min.",
        "",
        "## Targets",
        "",
        "| figure | target | measured | holds |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {'yes' if d else '**no**'} |" for a, b, c, d in rows),
        "",
        "## Side by side (p95, ms)",
        "",
        "| question | ours | naive ListView | naive ÷ ours "
        "| bare SQL of our page | ours ÷ bare SQL |",
        "|---|---|---|---|---|---|",
        *(
            f"| {n} | {o:.1f} | {v:.1f} | {r:.1f}× | {b:.1f} | {q:.1f}× |"
            for n, o, v, r, b, q in naive_rows
        ),
        "",
        "## Service time, one client (issue 22)",
        "",
        "One request at a time (no queueing); the floor is the logged-in "
        "small-template page of the same run. The SQL column replays the "
        "page's own SELECT statements on one connection (the audit write "
        "left out).",
        "",
        *service_table(service),
        "",
        "## Record views through more workers (issue 22)",
        "",
        *scaling_table(scaling),
        "",
        "## Every scenario",
        "",
        "| scenario | requests | p50 ms | p95 ms | max ms | requests/s |",
        "|---|---|---|---|---|---|",
        *(
            f"| {t.name} | {t.requests} | {t.p50_ms:.1f} | {t.p95_ms:.1f} | "
            f"{t.max_ms:.1f} | {t.per_second:.0f} |"
            for t in timings
        ),
        "",
        f"Largest gunicorn worker (peak resident): {server_rss:.0f} MB.",
        "",
    ]
    text = "\n".join(lines)
    print()
    print(text)
    results = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
    out = results / f"{today}-{RECORDS}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"written to {out}")
    failed = [a for a, _b, _c, d in rows if not d]
    if failed:
        print("targets missed: " + "; ".join(failed))


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
