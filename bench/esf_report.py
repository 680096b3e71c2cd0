"""Benchmark: the ESF Plus indicator report for the whole network against hand-written SQL.

Usage (on data loaded by bench/esf_data.py, PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/esf_report.py [--runs 5]

Times `compute_report` (bruecke.reporting.indicators) for project "NAF MV plus", whole
network, project start to today, and in the same run one hand-written SELECT with
COUNT(*) FILTER (...) per gender over the same tables for the output indicators that SQL
can count (EECO12 and EECO15 are encrypted and need Python), plus one for the immediate
and longer-term results. Prints the medians, the ratio and the engine's query count, and
checks that both agree on every indicator they share.
Targets: report ≤ 3 s at 1,000,000 participants and ≤ 2× the hand-written SQL.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from common import setup

GENDERS = {"female": "women", "male": "men", "diverse": "non_binary"}

# The completeness rule (§11.2) and the age at entry (§11.5, partial dates → 1 January / day 1).
COMPLETE = (
    "p.gender IN ('female', 'male', 'diverse') AND p.birth_year IS NOT NULL "
    "AND e.lm_status_entry <> '' AND e.isced_level IS NOT NULL"
)
AGE = (
    "date_part('year', age(p.entry_date, make_date(p.birth_year, COALESCE(p.birth_month, 1), "
    "COALESCE(p.birth_day, 1))))"
)
OUTPUTS_SQL = f"""
SELECT p.gender,
  COUNT(*) AS "EECO01",
  COUNT(*) FILTER (WHERE e.lm_status_entry = 'unemployed') AS "EECO02",
  COUNT(*) FILTER (WHERE e.lm_status_entry = 'unemployed' AND e.registered_unemployed_since IS NOT NULL
                   AND p.entry_date > e.registered_unemployed_since + interval '12 months') AS "EECO03",
  COUNT(*) FILTER (WHERE e.lm_status_entry = 'inactive') AS "EECO04",
  COUNT(*) FILTER (WHERE e.lm_status_entry = 'employed') AS "EECO05",
  COUNT(*) FILTER (WHERE {AGE} < 18) AS "EECO06",
  COUNT(*) FILTER (WHERE {AGE} BETWEEN 18 AND 29) AS "EECO07",
  COUNT(*) FILTER (WHERE {AGE} >= 55) AS "EECO08",
  COUNT(*) FILTER (WHERE e.isced_level <= 2) AS "EECO09",
  COUNT(*) FILTER (WHERE e.isced_level IN (3, 4)) AS "EECO10",
  COUNT(*) FILTER (WHERE e.isced_level >= 5) AS "EECO11",
  COUNT(*) FILTER (WHERE e.third_country_national_at_entry) AS "EECO13",
  COUNT(*) FILTER (WHERE e.foreign_background = 'yes') AS "EECO14",
  COUNT(*) FILTER (WHERE e.homeless_or_housing_exclusion = 'yes') AS "EECO16",
  COUNT(*) FILTER (WHERE e.rural_area) AS "EECO17"
FROM participants_participant p
JOIN esf_entryrecord e ON e.participant_id = p.id
JOIN network_organisation o ON o.id = p.organisation_id
WHERE p.project_id = %(project)s AND o.network_id = %(network)s
  AND p.entry_date BETWEEN %(start)s AND %(end)s AND {COMPLETE}
GROUP BY p.gender
"""  # noqa: S608 (module constants; the values are query parameters)
# Final exit = the latest exit of a participant without an open case (§11.1); the results
# are the stored columns (decision 0049). EECR05 base: reference date ≤ period end.
RESULTS_SQL = f"""
SELECT p.gender,
  COUNT(*) FILTER (WHERE x.result_labour_market = 'EECR01') AS "EECR01",
  COUNT(*) FILTER (WHERE x.result_education) AS "EECR02",
  COUNT(*) FILTER (WHERE x.result_qualification) AS "EECR03",
  COUNT(*) FILTER (WHERE x.result_labour_market = 'EECR04') AS "EECR04",
  COUNT(*) FILTER (WHERE x.follow_up_result = 'yes'
                   AND x.exit_date + interval '6 months' <= %(end)s) AS "EECR05"
FROM (
  SELECT DISTINCT ON (participant_id) * FROM esf_exitrecord ORDER BY participant_id, exit_date DESC, id DESC
) x
JOIN participants_participant p ON p.id = x.participant_id
JOIN esf_entryrecord e ON e.participant_id = p.id
JOIN network_organisation o ON o.id = p.organisation_id
WHERE p.project_id = %(project)s AND o.network_id = %(network)s
  AND x.exit_date BETWEEN %(start)s AND %(end)s AND {COMPLETE}
  AND NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.participant_id = p.id AND c.status <> 'closed')
GROUP BY p.gender
"""  # noqa: S608 (module constants; the values are query parameters)


def _median(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    timings, result = [], None
    for _run in range(runs):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def _sql(statement: str, params: dict[str, Any]) -> dict[str, int]:
    """Totals per indicator (the sum over the genders: the engine's total, §11.13)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        names = [column.name for column in cursor.description][1:]
        totals = dict.fromkeys(names, 0)
        for row in cursor.fetchall():
            if row[0] in GENDERS:
                for name, value in zip(names, row[1:], strict=True):
                    totals[name] += value
    return totals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the report's queries")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bruecke.network.demo import seed_network
    from bruecke.participants.models import Participant
    from bruecke.projects.models import Project
    from bruecke.reporting.indicators import ReportRequest, compute_report
    from bruecke.reporting.scope import ReportScope

    demo = seed_network()
    project = Project.objects.get(network=demo.network, name="NAF MV plus")
    network = demo.network
    scope = ReportScope(network_id=network.pk, key=f"network-{network.pk}", label=network.name)
    request = ReportRequest(project, project.starts_on, timezone.localdate(), scope)
    params = {"project": project.pk, "network": network.pk, "start": request.start, "end": request.end}

    compute_report(request)  # warm-up (caches, connection)
    with CaptureQueriesContext(connection) as queries:
        report_s, report = _median(args.runs, lambda: compute_report(request))
    # On this connection; the aggregates run on a second one (beside.py), not counted here.
    per_report = len(queries) // args.runs
    outputs_s, outputs = _median(args.runs, lambda: _sql(OUTPUTS_SQL, params))
    results_s, results = _median(args.runs, lambda: _sql(RESULTS_SQL, params))
    sql_s = outputs_s + results_s

    values = {code: item.values.total for code, item in report.by_code().items()}
    differ = {code: (values.get(code), n) for code, n in (outputs | results).items() if values.get(code) != n}
    print(f"{connection.vendor}: {Participant.objects.count()} participants; project {project.name}")
    print(f"{'compute_report (median of ' + str(args.runs) + ')':<40} {report_s:>8.2f} s")
    print(f"{'  statements per report (this connection)':<40} {per_report:>8}")
    print(f"{'hand-written SQL: outputs':<40} {outputs_s:>8.2f} s")
    print(f"{'hand-written SQL: results':<40} {results_s:>8.2f} s")
    print(f"{'ratio report / SQL (outputs + results)':<40} {report_s / sql_s:>8.2f}")
    print(
        f"EECO01 = {values.get('EECO01')}, EECR04 = {values.get('EECR04')}, EECR05 = {values.get('EECR05')}"
    )
    print("engine and SQL agree" if not differ else f"DIFFER (engine, sql): {differ}")
    _where_the_time_goes(request, args.explain)


def _timed(label: str, work: Callable[[], Any]) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    work()
    print(
        f"  {label:<38} {time.perf_counter() - started:>8.2f} s  ({time.process_time() - cpu:.2f} s CPU here)"
    )


def _where_the_time_goes(request: Any, explain: bool) -> None:
    """The report's three parts, each alone. In the report the two aggregates run on a
    second connection beside the decryption pass (reporting/indicators/beside.py), so the
    report takes less than their sum; the CPU column is this process's (Python) share."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bruecke.reporting.indicators import engine, sensitive
    from bruecke.reporting.indicators.grouped import grouped_counts
    from bruecke.reporting.indicators.outputs import Counted
    from bruecke.reporting.indicators.participations import (
        complete_q,
        entered_in_period,
        participations,
        partner_ids,
    )
    from bruecke.reporting.people import counted_once, join_people

    project = request.project
    partners = partner_ids(project)
    output_items, result_items = engine._definitions(project, request)
    counted = [item for item in output_items if isinstance(item, Counted)]
    everyone = participations(request, partners)
    joined = join_people(everyone, project.network_id)
    entered = counted_once(everyone, joined).filter(entered_in_period(request))
    print("where the time goes (each part alone):")
    with CaptureQueriesContext(connection) as queries:
        _timed("output aggregate", lambda: grouped_counts(entered, counted, engine._output_flags(project)))
        _timed("result aggregate", lambda: engine._result_row(request, partners, joined, result_items, {}))
    with transaction.atomic():  # as in the report: a cursor without hold
        _timed("decryption pass", lambda: sensitive.combinations(entered.filter(complete_q())))
    if explain:
        for query in queries.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join("      " + line for (line,) in cursor.fetchall()))


if __name__ == "__main__":
    main()
