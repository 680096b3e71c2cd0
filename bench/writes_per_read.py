"""Benchmark: what reading pages writes (audit rows, session rows).

Usage (PostgreSQL, own database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_writes \\
        .venv/bin/python bench/writes_per_read.py --participants 10000 --requests 1000

Seeds the demo network and synthetic participants (once; reused on later runs) and opens
team cases, then requests a signed-in page mix (participant list pages, a name search's
result, participant page, case page, case timeline, caseload, start page) in turn until
`--requests` GETs were made, capturing every SQL statement. Prints the INSERT/UPDATE/DELETE
statements per page read, and audit rows and session writes per 1,000 requests.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from common import analyze, open_team_cases, setup, signed_in

WRITES = ("INSERT", "UPDATE", "DELETE")


def _pages(demo: Any, client: Any) -> list[tuple[Any, str]]:
    from django.urls import reverse

    from bruecke.cases.models import Case
    from bruecke.participants.models import Participant

    case = Case.objects.filter(team=demo.teams["Rostock"], case_manager=demo.users["cm_a"]).order_by("pk")[0]
    person = Participant.objects.filter(organisation=demo.partners["A"]).order_by("pk")[0]
    search = client.post(reverse("participants:search"), {"q": "Ahmad"})["Location"]
    lead = signed_in(demo.users["team_lead"])
    return [
        (client, reverse("participants:list")),
        (client, reverse("participants:list") + "?page=2"),
        (client, search),
        (client, reverse("participants:detail", kwargs={"pk": person.pk})),
        (client, reverse("cases:detail", kwargs={"pk": case.pk})),
        (client, reverse("cases:timeline", kwargs={"pk": case.pk})),
        (lead, reverse("cases:caseload")),
        (client, reverse("core:dashboard")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bruecke.core.models import AuditEvent
    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo
    from bruecke.participants.models import Participant

    demo = seed_network()
    participants_demo.seed_fixed(demo)
    missing = args.participants - Participant.objects.count()
    if missing > 0:
        participants_demo.generate(demo, missing, seed=Participant.objects.count())
    open_team_cases(demo, 200)
    analyze()
    pages = _pages(demo, signed_in(demo.users["cm_a"]))
    for client, path in pages:  # warm-up, not counted
        assert client.get(path).status_code == 200, path
    audit_before = AuditEvent.objects.count()
    writes = session_writes = audit_inserts = 0
    started = time.perf_counter()
    for i in range(args.requests):
        client, path = pages[i % len(pages)]
        connection.queries_log.clear()  # the capture indexes a log capped at 9,000 entries
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        sqls = [q["sql"].lstrip() for q in queries.captured_queries]
        changing = [s for s in sqls if s.upper().startswith(WRITES)]
        writes += len(changing)
        session_writes += sum("django_session" in s for s in changing)
        audit_inserts += sum("core_auditevent" in s for s in changing)
    seconds = time.perf_counter() - started
    rows = AuditEvent.objects.count() - audit_before
    per_1000 = 1000 / args.requests
    print(f"{args.requests} GETs over {seconds:.0f} s, {Participant.objects.count()} participants")
    print(f"write statements per page read: {writes / args.requests:.2f}")
    print(f"audit INSERT statements per page read: {audit_inserts / args.requests:.2f}")
    print(f"audit rows per 1,000 requests: {rows * per_1000:.0f}")
    print(f"session writes per 1,000 requests: {session_writes * per_1000:.0f}")


if __name__ == "__main__":
    main()
