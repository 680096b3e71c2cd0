"""Benchmark: audit log storage per event and the audit log page at N events.

Usage (PostgreSQL only; the figures in docs/benchmarks.md use 30,000,000 events):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_audit \\
        .venv/bin/python bench/audit_storage.py --events 30000000

    # the layout before migration 0012 (for comparison, on its own database):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_audit_old \\
        .venv/bin/python bench/audit_storage.py --events 3000000 --old-layout

The script creates and migrates the database, loads the demo network, and fills the audit
log up to N events with `INSERT … SELECT … generate_series` in chunks (once; reused on later
runs): events spread evenly over the last 36 months, oldest first as they would arrive, a
realistic mix of actions and record types, every fifth read a list read naming 50 records in
`object_ids`. It reports bytes per event (table and indexes of all partitions) and the audit
log page's server time (median, 95th percentile) and query count as the demo data-protection
officer, for the default view and each filter, and the time of the page's row query alone
(the page also counts its rows; that count is the shared paginator's, see docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from typing import Any

from common import analyze, measure, print_header, setup, signed_in

# ruff: noqa: S608 (the SQL is built from this module's constants and the demo's ids)

MONTHS = 36
CHUNK = 500_000
# (action, cumulative share): reads dominate, sign-in events follow, the rest is rare.
ACTIONS = [
    ("read", 0.60),
    ("update", 0.78),
    ("create", 0.89),
    ("delete", 0.90),
    ("login", 0.93),
    ("logout", 0.95),
    ("mfa_verified", 0.975),
    ("login_failed", 0.983),
    ("export", 0.986),
    ("password_change", 0.988),
    ("mfa_failed", 0.990),
    ("import", 0.991),
    ("merge", 0.992),
    ("subject_access", 0.9925),
    ("sessions_ended", 0.993),
    ("invitation", 1.0),
]
# (record type, highest id, cumulative share) for events about records.
RECORD_TYPES = [
    ("participants.participant", 1_000_000, 0.40),
    ("cases.contact", 10_000_000, 0.70),
    ("cases.case", 1_000_000, 0.85),
    ("participants.consent", 1_000_000, 0.90),
    ("esf.entryrecord", 1_000_000, 0.95),
    ("participants.residencestatus", 1_000_000, 0.98),
    ("offers.enrolment", 500_000, 1.0),
]
AUTH_ACTIONS = {"login", "logout", "mfa_verified", "login_failed", "password_change", "mfa_failed"}
AUTH_ACTIONS |= {"sessions_ended", "invitation"}


def _array(values: list[Any]) -> str:
    return "(ARRAY[" + ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values) + "])"


def fill_sql(staff: list[tuple[int, int]]) -> str:
    """One chunk: rows %(first)s..%(last)s of %(total)s, evenly spread from %(start)s."""
    actions = _array([a for a, _ in ACTIONS])
    action_cuts = _array([c for _, c in ACTIONS[:-1]]) + "::float8[]"
    types = _array([t for t, _, _ in RECORD_TYPES])
    type_max = _array([m for _, m, _ in RECORD_TYPES])
    type_cuts = _array([c for _, _, c in RECORD_TYPES[:-1]]) + "::float8[]"
    users = _array([u for u, _ in staff])
    orgs = _array([o for _, o in staff])
    auth = _array(sorted(AUTH_ACTIONS))
    return f"""
    INSERT INTO core_auditevent (created_at, actor_id, organisation_id, action, object_type,
        object_id, changed_fields, request_id, remote_addr, object_ids)
    SELECT ts, {users}[s], {orgs}[s], act,
        CASE WHEN act = ANY({auth}) THEN 'accounts.user' ELSE {types}[t] END,
        CASE WHEN act = ANY({auth}) THEN ({users}[s])::text
             WHEN list THEN ''
             ELSE (1 + floor(r_id * {type_max}[t]))::bigint::text END,
        CASE WHEN act = 'update' THEN '["status", "notes"]'::jsonb ELSE '[]'::jsonb END,
        md5(g::text || r_id::text),
        ('10.' || mod(s, 250) || '.' || mod(g, 250) || '.7')::inet,
        CASE WHEN list THEN pool.lists[1 + mod(g, 1000)] END
    FROM (
        -- 1,000 list pages of 50 random record ids each, reused: generating 50 ids per row
        -- would take longer than the insert.
        SELECT array_agg(ids) AS lists FROM (
            SELECT jsonb_agg(1 + floor(random() * 1000000 + 0 * k)::bigint) AS ids
            FROM generate_series(1, 1000) p, generate_series(1, 50) k GROUP BY p
        ) l
    ) pool, (
        SELECT g, r_id, s, t, act, act = 'read' AND r_list < 0.2 AS list,
               %(start)s::timestamptz + (g::float8 / %(total)s) * %(span)s * interval '1 second' AS ts
        FROM (
            SELECT g, random() AS r_id, random() AS r_list,
                   1 + floor(random() * {len(staff)})::int AS s,
                   1 + width_bucket(random(), {type_cuts}) AS t,
                   ({actions})[1 + width_bucket(random(), {action_cuts})] AS act
            FROM generate_series(%(first)s, %(last)s) g
        ) r
    ) x
    """


def fill(events: int, *, old_layout: bool) -> None:
    from django.db import connection, transaction

    from bruecke.core.models import AuditEvent
    from bruecke.network.models import Membership

    existing = AuditEvent.objects.count()
    if existing >= events:
        return
    staff = sorted(set(Membership.objects.values_list("user_id", "organisation_id")))
    now = datetime.datetime.now(datetime.UTC)
    start = now - datetime.timedelta(days=MONTHS * 30.44)
    span = (now - start).total_seconds()
    sql = fill_sql(staff)
    if connection.vendor == "postgresql" and not old_layout:
        # The migration made partitions from today on: the 36 months before need theirs,
        # or every generated event would land in DEFAULT.
        from bruecke.core import audit_partitions

        with transaction.atomic(), connection.cursor() as cursor:
            audit_partitions.ensure_months(cursor, start.date(), now.date())
    started = time.perf_counter()
    for first in range(existing, events, CHUNK):
        last = min(first + CHUNK, events) - 1
        with transaction.atomic(), connection.cursor() as cursor:
            params: dict[str, Any] = {
                "first": first,
                "last": last,
                "total": events,
                "start": start,
                "span": span,
            }
            cursor.execute(sql, params)
        print(f"  {last + 1:>11,} events, {time.perf_counter() - started:.0f} s", flush=True)


def storage() -> tuple[int, int, int]:
    """(events, bytes of table and indexes over all partitions, bytes of the indexes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0),
                   coalesce(sum(pg_indexes_size(c.oid)), 0)
            FROM pg_class c
            WHERE c.oid = 'core_auditevent'::regclass
               OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'core_auditevent'::regclass)
            """
        )
        total, indexes = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM core_auditevent")
        count = cursor.fetchone()[0]
    return count, total, indexes


def index_sizes() -> list[tuple[str, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(pi.inhparent::regclass::text, i.indexrelid::regclass::text),
                   sum(pg_relation_size(i.indexrelid))
            FROM pg_index i
            LEFT JOIN pg_inherits pi ON pi.inhrelid = i.indexrelid
            WHERE i.indrelid = 'core_auditevent'::regclass
               OR i.indrelid IN (
                   SELECT inhrelid FROM pg_inherits WHERE inhparent = 'core_auditevent'::regclass
               )
            GROUP BY 1 ORDER BY 2 DESC
            """
        )
        return list(cursor.fetchall())


def row_query(user: Any, params: dict[str, str], runs: int) -> tuple[float, float]:
    """Median and p95 (ms) of the page's first 50 rows alone, without the count."""
    from bruecke.core.audit_forms import AuditFilterForm
    from bruecke.core.selectors import audit_events_filtered

    form = AuditFilterForm(params, user=user)
    assert form.is_valid(), form.errors
    timings = []
    for _run in range(runs + 1):
        started = time.perf_counter()
        list(audit_events_filtered(user, form.to_filter())[:50])
        timings.append((time.perf_counter() - started) * 1000)
    timings = sorted(timings[1:])
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=30_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--page-runs",
        type=int,
        default=None,
        help="runs of the whole page (default --runs; it counts every row)",
    )
    parser.add_argument("--old-layout", action="store_true", help="the schema before migration 0012")
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.utils.http import urlencode

    from bruecke.network.demo import seed_network

    if args.old_layout:
        call_command("migrate", "core", "0011", verbosity=0)
    demo = seed_network()
    started = time.perf_counter()
    fill(args.events, old_layout=args.old_layout)
    print(f"filled in {time.perf_counter() - started:.0f} s")
    analyze()
    count, total, indexes = (int(v) for v in storage())
    print(
        f"events {count:,}: {total / count:.0f} bytes/event ({(total - indexes) / count:.0f} table, "
        f"{indexes / count:.0f} indexes), {total / 1e9:.2f} GB"
    )
    for name, size in index_sizes():
        print(f"  {name:<48} {size / count:>6.1f} bytes/event")

    dpo = demo.users["dpo"]
    client = signed_in(dpo)
    staff_member = demo.users["cm_a"].pk
    year_ago = datetime.date.today() - datetime.timedelta(days=365)
    filters: list[tuple[str, dict[str, str]]] = [
        ("default view", {}),
        ("staff member", {"actor": str(staff_member)}),
        ("action viewed (frequent)", {"action": "read"}),
        ("action login failed (rare)", {"action": "login_failed"}),
        ("action subject access (rarest)", {"action": "subject_access"}),
        ("record type contact", {"object_type": "cases.contact"}),
        ("record type enrolment (rare)", {"object_type": "offers.enrolment"}),
        ("record number", {"object_id": "4242"}),
        ("record type + number", {"object_type": "participants.participant", "object_id": "4242"}),
        (
            "date range (one week a year ago)",
            {
                "date_from": year_ago.isoformat(),
                "date_until": (year_ago + datetime.timedelta(days=6)).isoformat(),
            },
        ),
        (
            "staff + action + date range",
            {
                "actor": str(staff_member),
                "action": "update",
                "date_from": year_ago.isoformat(),
                "date_until": (year_ago + datetime.timedelta(days=30)).isoformat(),
            },
        ),
    ]
    print("\naudit log page (whole request, the paginator's count included)")
    print_header()
    for label, params in filters:
        measure(client, label, "/audit/?" + urlencode(params), args.page_runs or args.runs)
    print("\nrow query alone (first 50 rows, no count)")
    print(f"{'filter':<36} {'median ms':>10} {'p95 ms':>8}")
    for label, params in filters:
        median, p95 = row_query(dpo, params, args.runs)
        print(f"{label:<36} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
