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
from typing import Any

from common import analyze, measure, print_header, setup, signed_in


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup()

    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo
    from bruecke.participants.models import Participant

    demo = seed_network()
    if not Participant.objects.exists():  # databases of bench/esf_data.py have them already
        participants_demo.seed_fixed(demo)
    missing = args.participants - Participant.objects.count()
    if missing > 0:
        started = time.perf_counter()
        participants_demo.generate(demo, missing, seed=Participant.objects.count())
        print(f"generated {missing} participants in {time.perf_counter() - started:.0f} s")
    analyze()

    client = signed_in(bench_user(demo, "bench.team", team=True))
    for label, path in cases(client, demo).items():
        measure(client, label, path, args.runs)
    organisation_wide = signed_in(bench_user(demo, "bench.organisation", team=False))
    for label, path in cases(organisation_wide, demo, quick=True).items():
        measure(organisation_wide, f"{label} [organisation]", path, args.runs)


def bench_user(demo: Any, username: str, *, team: bool) -> Any:
    """A case manager of partner A: in its largest team (team=True) or without a team (the
    whole organisation). The demo personas' team has few generated participants."""
    from django.db.models import Count

    from bruecke.accounts.models import User
    from bruecke.core import access
    from bruecke.network.models import Membership
    from bruecke.participants.models import Participant

    largest = (
        Participant.objects.filter(organisation=demo.partners["A"], team__isnull=False)
        .values("team")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    email = f"{username}@example.org"
    user, _created = User.objects.get_or_create(username=username, defaults={"email": email})
    Membership.objects.get_or_create(
        user=user,
        organisation=demo.partners["A"],
        team_id=largest["team"] if team and largest else None,
        role="case_manager",
        ended_on=None,
    )
    visible = Participant.objects.filter(access.participant_filter(user)).count()
    print(f"{username}: {visible} participants visible")
    return user


def cases(client: Any, demo: Any, *, quick: bool = False) -> dict[str, str]:
    """Every filter, sort and search of the list (issue 18); `quick`: the heaviest few."""
    from django.db import connection
    from django.db.models import Count

    from bruecke.participants.models import NameKey, Participant

    def search(query: str) -> str:
        return str(client.post("/participants/search/", {"q": query})["Location"])

    common = NameKey.objects.values("key").annotate(n=Count("id")).order_by("-n").first()
    rare = NameKey.objects.filter(key__startswith="xivhenke").count()
    total = Participant.objects.count()
    if not quick:
        print(f"{connection.vendor}: {total} participants; commonest key {common}; 'xivhenke' keys: {rare}")
        print_header()
    searches = {
        "search: most common name 'Hussein'": search("Hussein"),
        "search: 'Mohammed' (variants)": search("Mohammed"),
        "search: prefixes 'moha al'": search("moha al"),
        "search: 2-letter prefix 'al'": search("al"),
        "search: common name + year": search("Hussein 1990"),
        "search: rare name + year": search("Schewtschenko 1987"),
        "search: rare name 'Schewtschenko'": search("Schewtschenko"),
    }
    if quick:
        return {"list (first page)": "/participants/", **dict(list(searches.items())[:3])}
    team = client.get("/participants/").context["teams"][0].pk
    first_of_a = client.get("/participants/").context["page"][0]
    return {
        "list (first page)": "/participants/",
        "list (page 20)": "/participants/?page=20",
        "filter: team": f"/participants/?team={team}",
        "filter: status": "/participants/?status=gestattung",
        "filter: rare status": "/participants/?status=ae_25_2_refugee",
        "filter: expiring documents": "/participants/?expiring=1",
        "filter: eligibility eligible": "/participants/?eligibility=eligible",
        "filter: incomplete ESF": "/participants/?incomplete_esf=1",
        "sort: name desc": "/participants/?o=-name",
        "sort: born": "/participants/?o=born",
        "sort: born desc": "/participants/?o=-born",
        "sort: valid": "/participants/?o=valid",
        "sort: valid desc": "/participants/?o=-valid",
        "filter+sort: status, valid desc": "/participants/?status=gestattung&o=-valid",
        **searches,
        "search 'Hussein', page 20": searches["search: most common name 'Hussein'"] + "&page=20",
        "participant page": f"/participants/{first_of_a.pk}/",
    }


if __name__ == "__main__":
    main()
