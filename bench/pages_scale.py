"""Benchmark: the everyday pages at 1,000,000 participants and 10,000,000 contacts.

Usage (PostgreSQL; a database with participants and cases, e.g. a copy of one made by
`bench/esf_data.py --participants 1000000`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench_1m \\
        .venv/bin/python bench/pages_scale.py --runs 20

The first run adds what the pages read, with server-side `INSERT ... SELECT ...
generate_series` (never model instances):

- team Rostock of partner A gets eight more case managers; open cases of partner A move to
  the team, about 250 to each of its case managers (Anna Berger, the demo case manager,
  among them), so the team lead's caseload has realistic figures;
- every case gets 1 to 19 counselling contacts (10 on average) with dates between its
  opening and its end, recorded by its case manager, each with its timeline event; the
  notes are one fixed valid ciphertext; the contacts of team Rostock have two topics each;
- two of Anna Berger's cases get exactly 50 and 2,000 contacts;
- every open case gets a task (one in ten done, the others due from 30 days ago to 60 days
  ahead, every third a plan step);
- the participants of team Rostock get 30 audit events each (their page's history).

Then, as the demo users, it measures median, p95 and query count of the participant
page, the case page of the cases with 50 and 2,000 contacts, the timeline (first page and
page 20), the team lead's caseload and "Mein Tag" (the start page) of the case manager
and of the team lead. A second run on the same database only measures.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from typing import Any

from common import analyze, setup, signed_in

CASES_EACH = 250
UNUSABLE = "!"  # Django's mark of an unusable password: the generated staff cannot sign in
BENCH_STAFF = 8
SIZES = (50, 2000)
CHUNK = 50_000  # cases per INSERT statement (progress and bounded transactions)
AUDIT_EVENTS = 30


def _log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)


def _rostock_staff(demo: Any) -> list[int]:
    """The demo case manager first, then eight bench case managers of team Rostock."""
    from bruecke.accounts.models import User
    from bruecke.network.models import Membership, Role

    ids = [demo.users["cm_a"].pk]
    for n in range(1, BENCH_STAFF + 1):
        user, created = User.objects.get_or_create(
            username=f"bench.rostock{n}", defaults={"first_name": "Bench", "last_name": f"Rostock {n}"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Membership.objects.create(
                user=user, organisation=demo.partners["A"], team=demo.teams["Rostock"], role=Role.CASE_MANAGER
            )
        ids.append(user.pk)
    return ids


def _caseloads(cursor: Any, demo: Any, staff: list[int]) -> None:
    """Moves open cases of partner A (and their participants) to team Rostock, about
    CASES_EACH to each of its case managers; the partner's other cases go to generated case
    managers, CASES_EACH each (the bulk generator gives all of a partner's cases to one)."""
    from bruecke.accounts.models import User

    partner, team = demo.partners["A"].pk, demo.teams["Rostock"].pk
    cursor.execute(
        "CREATE TEMP TABLE bench_moved AS SELECT id, participant_id, "
        "(row_number() OVER (ORDER BY id) - 1) %% %s AS slot FROM cases_case "
        "WHERE organisation_id = %s AND status = 'active' ORDER BY id LIMIT %s",
        [len(staff), partner, CASES_EACH * len(staff)],
    )
    cursor.execute(
        "UPDATE cases_case c SET team_id = %s, case_manager_id = (%s::bigint[])[m.slot + 1] "
        "FROM bench_moved m WHERE c.id = m.id",
        [team, staff],
    )
    cursor.execute(
        "UPDATE participants_participant p SET team_id = %s FROM bench_moved m WHERE p.id = m.participant_id",
        [team],
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_rest AS SELECT id, (row_number() OVER (ORDER BY id) - 1) / %s AS slot "
        "FROM cases_case WHERE organisation_id = %s AND case_manager_id = ANY(%s) "
        "AND id NOT IN (SELECT id FROM bench_moved)",
        [CASES_EACH, partner, staff],
    )
    cursor.execute("SELECT count(DISTINCT slot) FROM bench_rest")
    pool = User.objects.bulk_create(
        User(username=f"bench.a{n}", first_name="Bench", last_name=f"A {n}", password=UNUSABLE)
        for n in range(cursor.fetchone()[0])
    )
    cursor.execute(
        "UPDATE cases_case c SET case_manager_id = (%s::bigint[])[r.slot + 1] "
        "FROM bench_rest r WHERE c.id = r.id",
        [[user.pk for user in pool]],
    )
    cursor.execute("DROP TABLE bench_moved, bench_rest")


def _measured_cases(cursor: Any, demo: Any) -> dict[int, int]:
    """Two open cases of Anna Berger that get exactly 50 and 2,000 contacts."""
    cursor.execute(
        "SELECT id FROM cases_case WHERE case_manager_id = %s AND status = 'active' "
        "AND opened_on < current_date - 400 ORDER BY id LIMIT 2",
        [demo.users["cm_a"].pk],
    )
    return dict(zip(SIZES, [row[0] for row in cursor.fetchall()], strict=True))


CONTACTS_SQL = """
INSERT INTO cases_contact (created_at, updated_at, date, duration_minutes, channel, interpreter,
    interpreter_language, note, confidential, case_id, recorded_by_id, site_id, sensitive_topics)
SELECT now(), now(),
    least(current_date, c.opened_on + (random() * greatest(
        coalesce(c.closed_on, current_date) - c.opened_on, 0))::int),
    15 + (g * 7) %% 60, 'office', '', '', %(note)s, false, c.id, c.case_manager_id, NULL, ''
FROM cases_case c
CROSS JOIN LATERAL generate_series(1, CASE
    WHEN c.id = %(small)s THEN 50 WHEN c.id = %(large)s THEN 2000
    ELSE 1 + (c.id * 7919) %% 19 END) AS g
WHERE c.id >= %(low)s AND c.id < %(high)s
"""

EVENTS_SQL = """
INSERT INTO cases_caseevent (occurred_on, created_at, kind, object_type, object_id, details,
    actor_id, case_id)
SELECT date, created_at, 'contact', 'cases.contact', id::text,
    jsonb_build_object('channel', channel, 'minutes', duration_minutes), recorded_by_id, case_id
FROM cases_contact WHERE id > (SELECT coalesce(max(object_id::bigint), 0) FROM cases_caseevent
    WHERE object_type = 'cases.contact')
"""

TOPICS_SQL = """
INSERT INTO cases_contact_topics (contact_id, contacttopic_id)
SELECT k.id, t.id FROM cases_contact k
JOIN cases_case c ON c.id = k.case_id AND c.team_id = %(team)s
JOIN LATERAL (SELECT id FROM cases_contacttopic WHERE NOT sensitive
    ORDER BY (id * 31 + k.id) %% 7 LIMIT 2) t ON true
WHERE k.id > (SELECT coalesce(max(contact_id), 0) FROM cases_contact_topics)
"""

TASKS_SQL = """
INSERT INTO cases_task (created_at, updated_at, title, due_on, source, source_type, source_id,
    done_on, assignee_id, case_id, created_by_id, done_by_id, organisation_id, version)
SELECT now(), now(), 'Unterlagen nachreichen', current_date + ((c.id %% 90) - 30)::int,
    CASE WHEN c.id %% 3 = 0 THEN 'plan_step' ELSE 'manual' END, '', '',
    CASE WHEN c.id %% 10 = 0 THEN current_date - 1 END, c.case_manager_id, c.id,
    c.case_manager_id, CASE WHEN c.id %% 10 = 0 THEN c.case_manager_id END, c.organisation_id, 1
FROM cases_case c WHERE c.status = %(status)s
"""

AUDIT_SQL = """
INSERT INTO core_auditevent (created_at, action, object_type, object_id, changed_fields,
    request_id, remote_addr, actor_id, organisation_id)
SELECT now() - make_interval(days => g), 'update', 'participants.participant', p.id::text,
    '["phone"]'::jsonb, '', NULL, %(actor)s, p.organisation_id
FROM participants_participant p CROSS JOIN generate_series(1, %(events)s) AS g
WHERE p.team_id = %(team)s
"""


def _contacts(cursor: Any, measured: dict[int, int], note: str, started: float) -> None:
    """Contacts of every case, chunked by case id."""
    cursor.execute("SELECT min(id), max(id) FROM cases_case")
    low, high = cursor.fetchone()
    for start in range(low, high + 1, CHUNK):
        params = {"note": note, "small": measured[50], "large": measured[2000], "low": start}
        cursor.execute(CONTACTS_SQL, {**params, "high": start + CHUNK})
        _log(f"contacts of cases {start}..{start + CHUNK - 1}", started)


def _missing(cursor: Any, sql: str, params: list[Any]) -> bool:
    cursor.execute(f"SELECT NOT EXISTS ({sql})", params)
    return bool(cursor.fetchone()[0])


def generate(demo: Any, started: float) -> dict[int, int]:
    """Adds staff, contacts, events, topics, tasks and audit events (see the module text).
    Each step is skipped when an earlier, interrupted run has done it."""
    from django.db import connection, transaction

    from bruecke.core import crypto

    text = "Bewerbungsunterlagen besprochen, nächster Termin vereinbart."
    note = crypto.encrypt(text, context="cases.contact.note")
    team = demo.teams["Rostock"].pk
    measured = _existing(demo)
    with connection.cursor() as cursor:
        if measured is None:
            with transaction.atomic():
                staff = _rostock_staff(demo)
                _caseloads(cursor, demo, staff)
                measured = _measured_cases(cursor, demo)
            _log(f"caseloads of team Rostock; measured cases {measured}", started)
            _contacts(cursor, measured, note, started)
        if _missing(
            cursor,
            "SELECT 1 FROM cases_caseevent WHERE object_type = 'cases.contact' "
            "AND object_id = (SELECT max(id)::text FROM cases_contact)",
            [],
        ):
            cursor.execute(EVENTS_SQL)
            _log(f"{cursor.rowcount} timeline events", started)
        small = (
            "SELECT 1 FROM cases_contact_topics t JOIN cases_contact k ON k.id = t.contact_id "
            "WHERE k.case_id = %s"
        )
        if _missing(cursor, small, [measured[50]]):
            cursor.execute(TOPICS_SQL, {"team": team})
            _log(f"{cursor.rowcount} contact topics", started)
        if _missing(cursor, "SELECT 1 FROM cases_task WHERE title = 'Unterlagen nachreichen'", []):
            cursor.execute(TASKS_SQL, {"status": "active"})
            _log(f"{cursor.rowcount} tasks", started)
        audit = "SELECT 1 FROM core_auditevent WHERE changed_fields = '[\"phone\"]'::jsonb AND actor_id = %s"
        if _missing(cursor, audit, [demo.users["cm_a"].pk]):
            cursor.execute(AUDIT_SQL, {"actor": demo.users["cm_a"].pk, "events": AUDIT_EVENTS, "team": team})
            _log(f"{cursor.rowcount} audit events", started)
    return measured


def _existing(demo: Any) -> dict[int, int] | None:
    """The measured cases of an earlier run (found by their contact counts), if any."""
    from django.db.models import Count

    from bruecke.cases.models import Case

    counts = (
        Case.objects.filter(case_manager=demo.users["cm_a"])
        .annotate(n=Count("contacts"))
        .filter(n__in=SIZES)
        .values_list("n", "pk")
    )
    found = dict(counts)
    return found if len(found) == len(SIZES) else None


def _figures() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "participants_participant",
            "cases_case",
            "cases_contact",
            "cases_caseevent",
            "cases_task",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - constant names
            print(f"{table:<28} {cursor.fetchone()[0]:>12,}")


def timed(client: Any, label: str, path: str, runs: int) -> None:
    """As `common.measure` (one warm-up, then `runs` requests), with the median time the
    database took (the sum of the query times Django records)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    timings, sql = [], []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (label, response.status_code)
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    p95 = sorted(timings)[max(int(len(timings) * 0.95) - 1, 0)]
    median, database = statistics.median(timings), statistics.median(sql)
    print(f"{label:<30} {median:>10.1f} {p95:>8.1f} {database:>8.1f} {len(queries):>8}", flush=True)


def explain(client: Any, label: str, path: str, slower_than_ms: float) -> None:
    """Every SELECT of one request of `path` through EXPLAIN (ANALYZE, BUFFERS); prints the
    execution time of each and the plan of those slower than `slower_than_ms`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(f"== {label}: {len(queries)} queries")
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
            took = float(plan[-1].split(":")[1].split()[0])
            print(f"{took:8.2f} ms  {sql[:120]}")
            if took > slower_than_ms:
                print("\n".join(plan))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-analyze", action="store_true", help="measure only (the data is analysed)")
    parser.add_argument("--explain", type=float, help="EXPLAIN every query; plans of those slower (ms)")
    args = parser.parse_args()
    started = time.perf_counter()
    setup()
    from bruecke.cases.models import Case
    from bruecke.network.demo import seed_network

    demo = seed_network()
    measured = generate(demo, started)
    if not args.no_analyze:
        analyze()
        _log("ANALYZE", started)
    _figures()
    small, large = (Case.objects.get(pk=measured[n]) for n in SIZES)
    manager, lead = signed_in(demo.users["cm_a"]), signed_in(demo.users["team_lead"])
    pages = [
        (manager, "participant page", f"/participants/{small.participant_id}/"),
        (manager, "case page, 50 contacts", f"/cases/{small.pk}/"),
        (manager, "case page, 2,000 contacts", f"/cases/{large.pk}/"),
        (manager, "timeline, 2,000 events", f"/cases/{large.pk}/timeline/"),
        (manager, "timeline page 20", f"/cases/{large.pk}/timeline/?page=20"),
        (lead, "caseload (team lead)", "/cases/caseload/"),
        (manager, "Mein Tag (case manager)", "/dashboard/"),
        (lead, "Mein Tag (team lead)", "/dashboard/"),
    ]
    if args.explain is not None:
        for client, label, path in pages:
            explain(client, label, path, args.explain)
        return
    print(f"{'page':<30} {'median ms':>10} {'p95 ms':>8} {'SQL ms':>8} {'queries':>8}")
    for client, label, path in pages:
        timed(client, label, path, args.runs)
    print(f"today: {datetime.date.today()}")


if __name__ == "__main__":
    main()
