"""Benchmark: participant list, filters and name search with N participants.

Usage (PostgreSQL is where the target applies):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/participants.py --participants 100000

The script creates the database if needed, migrates it, loads the demo network and N
synthetic participants (once; reused on later runs), then requests each page through
Django's full request stack as a case manager and reports the server time
(median and 95th percentile over the runs) and the number of SQL queries.
"""

from __future__ import annotations

import argparse
import time

from common import analyze, measure, print_header, setup, signed_in


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo
    from bruecke.participants.models import Participant

    demo = seed_network()
    participants_demo.seed_fixed(demo)
    missing = args.participants - Participant.objects.count()
    if missing > 0:
        started = time.perf_counter()
        participants_demo.generate(demo, missing, seed=Participant.objects.count())
        print(f"generated {missing} participants in {time.perf_counter() - started:.0f} s")
    analyze()

    client = signed_in(demo.users["cm_a"])
    token = client.post("/participants/search/", {"q": "Mohammed"})["Location"]
    token_two = client.post("/participants/search/", {"q": "Schewtschenko 1987"})["Location"]
    token_partial = client.post("/participants/search/", {"q": "moha al"})["Location"]
    first_of_a = Participant.objects.filter(organisation=demo.partners["A"])[0]
    cases = {
        "list (first page)": "/participants/",
        "list (page 20)": "/participants/?page=20",
        "filter: status": "/participants/?status=gestattung",
        "filter: expiring documents": "/participants/?expiring=1",
        "search: Mohammed (variants)": token,
        "search: name + birth year": token_two,
        "search: prefixes 'moha al'": token_partial,
        "participant page": f"/participants/{first_of_a.pk}/",
    }
    visible = Participant.objects.filter(organisation=demo.partners["A"], team=demo.teams["Rostock"]).count()
    total = Participant.objects.count()
    print(f"{connection.vendor}: {total} participants; {visible} visible to the case manager")
    print_header()
    for label, path in cases.items():
        measure(client, label, path, args.runs)


if __name__ == "__main__":
    main()
