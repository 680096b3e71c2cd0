"""Benchmark: explainable matching among 50,000 open opportunities and 100,000 participants.

Usage (PostgreSQL is where the targets apply):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench_matching \\
        .venv/bin/python bench/matching.py --opportunities 50000 --participants 100000 --runs 30

The generator (idempotent: it tops up to the requested sizes) creates employers with sites
in the towns of Mecklenburg-Vorpommern and open opportunities with the KldB codes of the
demo extract, all of partner A; and participants of partner A, team Rostock, each with an
open case, a residence document and a match profile (bulk loads, not the audited
services: a data loader for test installations).

Measured (server time of the selector, as the pages call it, including the exact
work-permission check of the short list):
  - top 20 opportunities for one participant (targets: median ≤ 100 ms, p95 ≤ 150 ms),
  - top 20 participants for one opportunity (target: median ≤ 300 ms),
and both pages through the Django test client for the query counts.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from common import ROOT, analyze, print_header, setup, signed_in

KINDS = [("job", "")] * 10 + [
    ("apprenticeship", ""),
    ("apprenticeship", ""),
    ("internship", "orientation"),
    ("internship", "mandatory"),
    ("hospitation", ""),
    ("eq", ""),
    ("bfd", ""),
    ("fsj", ""),
    ("trial_work", ""),
]
STATUSES = ["ae_25_2_refugee"] * 4 + ["ae_24"] * 2 + ["gestattung"] * 2 + ["duldung_60a", "duldung_60b"]
GERMAN = ["", "A1", "A2", "A2", "B1", "B1", "B2", "C1"]
RANK = {"": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5}


def _codes() -> list[str]:
    with (ROOT / "bruecke/placement/data/kldb_demo.csv").open(encoding="utf-8") as handle:
        return [r["code"] for r in csv.DictReader(handle, delimiter=";") if len(r["code"]) == 5]


def _places() -> list[Any]:
    from bruecke.placement.models import Place

    return list(Place.objects.all())


def generate_opportunities(demo: Any, count: int, rng: random.Random) -> None:
    from django.db import transaction

    from bruecke.placement.models import Employer, EmployerSite, Occupation, Opportunity
    from bruecke.placement.models.opportunities import GERMAN_RANK

    partner = demo.partners["A"]
    existing = Opportunity.objects.filter(organisation=partner, title__startswith="Bench ").count()
    missing = count - existing
    if missing <= 0:
        return
    codes = [c for c in _codes() if Occupation.objects.filter(code=c).exists()]
    places = _places()
    today = datetime.date.today()
    with transaction.atomic():
        employers = Employer.objects.bulk_create(
            Employer(organisation=partner, name=f"Bench Betrieb {existing + i}", sector=rng.choice("CFGHINQ"))
            for i in range(max(missing // 25, 1))
        )
        sites = EmployerSite.objects.bulk_create(
            EmployerSite(
                employer=e,
                town=(p := rng.choice(places)).name,
                postcode=p.postcode,
                latitude=p.latitude + Decimal(rng.randint(-200, 200)) / 10000,
                longitude=p.longitude + Decimal(rng.randint(-300, 300)) / 10000,
            )
            for e in employers
        )
    for start in range(0, missing, 5000):
        batch = []
        for i in range(start, min(start + 5000, missing)):
            site = rng.choice(sites)
            kind, internship_kind = rng.choice(KINDS)
            german = rng.choice(GERMAN)
            full = rng.random() < 0.7
            batch.append(
                Opportunity(
                    organisation=partner,
                    network_id=partner.network_id,
                    employer_id=site.employer_id,
                    site=site,
                    title=f"Bench {existing + i}",
                    kind=kind,
                    internship_kind=internship_kind,
                    occupation_id=rng.choice(codes),
                    working_time="full" if full else "part",
                    hours_per_week=None if full else Decimal(rng.choice([15, 20, 25, 30])),
                    shifts=rng.random() < 0.25,
                    german_level=german,
                    german_rank=GERMAN_RANK[german],
                    driving_licence=rng.random() < 0.15,
                    start_date=today + datetime.timedelta(days=rng.randint(-20, 400)),
                    places=rng.choice([1, 1, 1, 2, 3]),
                    status="open",
                    expires_on=None
                    if rng.random() < 0.5
                    else today + datetime.timedelta(days=rng.randint(10, 300)),
                    latitude=float(site.latitude),
                    longitude=float(site.longitude),
                )
            )
        Opportunity.objects.bulk_create(batch)


def generate_participants(demo: Any, count: int, rng: random.Random) -> None:
    from django.db import transaction

    from bruecke.cases.models import Case
    from bruecke.participants.models import Gender, Participant, ResidenceStatus
    from bruecke.placement.models import MatchProfile

    partner, team = demo.partners["A"], demo.teams["Rostock"]
    existing = Participant.objects.filter(organisation=partner, family_name="Benchabgleich").count()
    missing = count - existing
    codes = _codes()
    places = _places()
    today = datetime.date.today()
    staff = [demo.users["cm_a"], demo.users["team_lead"]]
    for start in range(0, max(missing, 0), 5000):
        size = min(5000, missing - start)
        with transaction.atomic():
            people = Participant.objects.bulk_create(
                Participant(
                    organisation=partner,
                    team=team,
                    given_names=f"Person{existing + start + i}",
                    family_name="Benchabgleich",
                    birth_year=rng.randint(1965, 2006),
                    gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                    nationality=rng.choice(["SY", "AF", "UA", "IQ", "ER", "SO", "GE", "IR"]),
                    german_level=rng.choice(["A1", "A2", "B1", "B2", ""]),
                )
                for i in range(size)
            )
            cases = Case.objects.bulk_create(
                Case(
                    participant=p,
                    organisation=partner,
                    team=team,
                    case_manager=staff[i % 2],
                    opened_on=today - datetime.timedelta(days=rng.randint(30, 900)),
                )
                for i, p in enumerate(people)
            )
            ResidenceStatus.objects.bulk_create(
                ResidenceStatus(
                    participant=p,
                    status=rng.choice(STATUSES),
                    issued_on=today - datetime.timedelta(days=rng.randint(10, 900)),
                    valid_until=today + datetime.timedelta(days=rng.randint(30, 700)),
                )
                for p in people
            )
            rows = []
            for case, person in zip(cases, people, strict=True):
                place = rng.choice(places) if rng.random() < 0.9 else None
                experience = rng.sample(codes, rng.randint(0, 3))
                wishes = rng.sample(codes, rng.randint(0, 2))
                rows.append(
                    MatchProfile(
                        case=case,
                        participant=person,
                        organisation=partner,
                        team=team,
                        experience_1=([*experience, "", "", ""])[0],
                        experience_2=([*experience, "", "", ""])[1],
                        experience_3=([*experience, "", "", ""])[2],
                        wish_1=([*wishes, "", ""])[0],
                        wish_2=([*wishes, "", ""])[1],
                        qualification_level=rng.randint(1, 3),
                        german_rank=RANK[person.german_level],
                        latitude=float(place.latitude) if place else None,
                        longitude=float(place.longitude) if place else None,
                        location_source="town" if place else "",
                        driving_licence=rng.random() < 0.35,
                        own_car=rng.random() < 0.2,
                        public_transport=rng.random() < 0.8,
                        max_travel_minutes=rng.choice([None, None, 30, 45, 60, 90]),
                        max_hours_per_week=rng.choice([None, None, None, 20, 30]),
                        shifts_possible=rng.random() < 0.7,
                        childcare_limits=rng.choice(["", "", "", "school_hours", "part_time"]),
                    )
                )
            MatchProfile.objects.bulk_create(rows)


def _time(function: Any, runs: int) -> tuple[float, float]:
    function()  # warm-up
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), sorted(timings)[max(int(len(timings) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--opportunities", type=int, default=50_000)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.urls import reverse

    from bruecke.cases.models import Case
    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo
    from bruecke.placement.demo import catalogue
    from bruecke.placement.matching.engine import opportunities_for_case, participants_for_opportunity
    from bruecke.placement.models import MatchProfile, Opportunity

    demo = seed_network()
    participants_demo.seed_fixed(demo)
    catalogue.seed_occupations()
    rng = random.Random(2026)
    started = time.perf_counter()
    generate_opportunities(demo, args.opportunities, rng)
    generate_participants(demo, args.participants, rng)
    analyze()
    print(f"generated/checked in {time.perf_counter() - started:.0f} s")
    user = demo.users["po_a"]
    open_count = Opportunity.objects.filter(status="open").count()
    profiles = MatchProfile.objects.filter(is_open=True, organisation=demo.partners["A"]).count()
    print(
        f"{connection.vendor}: {open_count} open opportunities, {profiles} open match profiles of partner A"
    )
    # Participants with different residence situations, and opportunities of different kinds.
    sample_cases = list(
        Case.objects.filter(participant__family_name="Benchabgleich").order_by("pk")[
            :: max(args.participants // 5, 1)
        ][:5]
    )
    sample_opportunities = list(
        Opportunity.objects.filter(title__startswith="Bench ").order_by("pk")[
            :: max(args.opportunities // 5, 1)
        ][:5]
    )
    print(f"{'selector':<48} {'median ms':>10} {'p95 ms':>8}")
    for case in sample_cases:
        median, p95 = _time(lambda case=case: opportunities_for_case(user, case), args.runs)
        status = case.participant.residence_statuses.first()
        print(
            f"{'top 20 opportunities, ' + (status.status if status else '-'):<48} {median:>10.1f} {p95:>8.1f}"
        )
    for opportunity in sample_opportunities:
        median, p95 = _time(lambda o=opportunity: participants_for_opportunity(user, o), args.runs)
        label = f"top 20 participants, {opportunity.kind} {opportunity.occupation_id}"
        print(f"{label:<48} {median:>10.1f} {p95:>8.1f}")
    client = signed_in(user)
    print_header()
    from common import measure

    measure(client, "case_matches page", reverse("placement:case_matches", args=[sample_cases[0].pk]), 10)
    measure(
        client,
        "opportunity_matches page",
        reverse("placement:opportunity_matches", args=[sample_opportunities[0].pk]),
        10,
    )


if __name__ == "__main__":
    main()
