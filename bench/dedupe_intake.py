"""Benchmark: the intake duplicate warning (candidate lookup and scoring) with N participants.

Usage (PostgreSQL; the loader uses COPY):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/dedupe_intake.py --participants 1000000 [--probes 300] [--reuse]

Loads N participants with `bench/esf_data.py` (COPY, blocking keys included; skipped with
--reuse when that many are already there), then times `bruecke.dedupe.intake.candidates`
(every query included: visibility, ranked candidate ids, compared fields, model, term
frequencies, the shown registrations) for three kinds of probe, as a case manager of one
team and as a case manager of the whole organisation:

- duplicate: an existing registration in another spelling (Mohammed → Muhammad, …), half
  of them with only month and year of birth — should warn;
- common: a new person with a common name (Mohammed Al-Hassan, Ahmad Rahimi, …) and a
  random birth date — thousands share the name keys;
- rare: a new person with a name nobody has.

Prints p50 / p95 / max in ms, the query count and the share of probes that warned.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from common import analyze, setup

COMMON = [("Mohammed", "Al-Hassan", "SY"), ("Muhammad", "Alhasan", "SY"), ("Ahmad", "Rahimi", "AF")]
RARE = [("Ignatius", "Wolkenstein", "AT"), ("Svetozar", "Quaranta", "RS"), ("Ulrike", "Zebedäus", "DE")]
# Another transliteration of the same name (the keys agree; the spelling differs).
SPELLINGS = {
    "Mohammed": "Muhammad",
    "Muhammad": "Mohamed",
    "Al-Hassan": "Alhasan",
    "Alhasan": "Al Hassan",
    "Hussein": "Husain",
    "Husain": "Hussein",
    "Ahmad": "Ahmed",
    "Ahmed": "Ahmad",
    "Shevchenko": "Schewtschenko",
    "Schewtschenko": "Shevchenko",
    "Yusuf": "Youssef",
    "Youssef": "Yusuf",
}


def _probe_row(base: dict[str, Any], rng: random.Random, kind: str) -> dict[str, Any]:
    row = dict(base, pk=None)
    if kind == "duplicate":
        row["given_names"] = SPELLINGS.get(row["given_names"], row["given_names"])
        row["family_name"] = SPELLINGS.get(row["family_name"], row["family_name"])
        if rng.random() < 0.5:
            row["birth_day"] = None  # only month and year known this time
        return row
    given, family, country = rng.choice(COMMON if kind == "common" else RARE)
    return dict(
        row,
        given_names=given,
        family_name=family,
        nationality=country,
        country_of_birth=country,
        birth_year=rng.randint(1960, 2008),
        birth_month=rng.randint(1, 12),
        birth_day=rng.randint(1, 28),
        gender="male" if given != "Ulrike" else "female",
    )


def _bench_user(username: str, organisation_id: int, team_id: int | None) -> Any:
    """A case manager of one team (or, without a team, of the whole organisation)."""
    from bruecke.accounts.models import User
    from bruecke.network.models import Membership, Role

    user, _created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
    Membership.objects.get_or_create(
        user=user, organisation_id=organisation_id, team_id=team_id, defaults={"role": Role.CASE_MANAGER}
    )
    return user


def _users(marker: str) -> dict[str, Any]:
    """A case manager of the generated data's largest team, and one of its organisation."""
    from django.db.models import Count

    from bruecke.participants.models import Participant

    home = (
        Participant.objects.filter(district=marker)
        .values("organisation_id", "team_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert home is not None, "no generated participants"
    return {
        "case manager (team)": _bench_user("bench.intake.team", home["organisation_id"], home["team_id"]),
        "case manager (organisation)": _bench_user("bench.intake.org", home["organisation_id"], None),
    }


def _measure(label: str, user_id: int, rows: list[dict[str, Any]], network_id: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bruecke.accounts.models import User
    from bruecke.dedupe import intake
    from bruecke.dedupe.records import record_from_row

    timings, warned, queries = [], 0, 0
    for row in rows:
        user = User.objects.get(pk=user_id)  # a fresh request: memberships read again
        record = record_from_row(row)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            found = intake.candidates(user, record, network_id=network_id)
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
        warned += bool(found)
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    print(
        f"{label:<34} {statistics.median(timings):>8.1f} {p95:>8.1f} {timings[-1]:>8.1f} "
        f"{queries:>7} {100 * warned / len(rows):>7.0f} %"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded participants if enough")
    args = parser.parse_args()
    setup()
    import esf_data
    from django.db import connection, transaction

    from bruecke.dedupe.models import BlockingKey
    from bruecke.dedupe.records import SOURCE_FIELDS
    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo
    from bruecke.participants.models import Participant
    from bruecke.participants.selectors import participants_visible_to

    assert connection.vendor == "postgresql", "the loader uses PostgreSQL's COPY"
    demo = seed_network()
    loaded = Participant.objects.filter(district=esf_data.MARKER).count()
    if not (args.reuse and loaded >= args.participants):
        with transaction.atomic(), connection.cursor() as cursor:
            esf_data.clean(cursor)  # the fixed demo must not find generated namesakes
        participants_demo.seed_fixed(demo)
        started = time.perf_counter()
        esf_data.generate(demo, args.participants, seed=args.seed)
        print(f"loaded {args.participants} participants in {time.perf_counter() - started:.0f} s")
        analyze()
    total, keys = Participant.objects.count(), BlockingKey.objects.count()
    print(f"{total} participants, {keys} blocking keys ({keys / max(total, 1):.1f} per registration)")

    rng = random.Random(args.seed)
    users = _users(esf_data.MARKER)
    print(f"{'probe / user':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7} {'warned':>9}")
    for user_label, user in users.items():
        visible = participants_visible_to(user).filter(district=esf_data.MARKER)
        ids = list(visible.order_by("?").values_list("pk", flat=True)[: args.probes])
        bases = list(Participant.objects.filter(pk__in=ids).values(*SOURCE_FIELDS))
        print(f"-- {user_label}: {visible.count()} visible")
        for kind in ("duplicate", "common", "rare"):
            rows = [_probe_row(base, rng, kind) for base in bases]
            _measure(f"{kind}", user.pk, rows, demo.network.pk)


if __name__ == "__main__":
    main()
