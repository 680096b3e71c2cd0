"""Bulk generator: N synthetic participants with ESF entry and exit questionnaires.

Usage (PostgreSQL only; the COPY path is PostgreSQL's):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/esf_data.py --participants 1000000

The script creates and migrates the database if needed, loads the demo network, adds six
benchmark teams (ten teams in the network), removes the participants an earlier run of
this script generated (marked with district "bench-esf") and loads N new ones with
`COPY ... FROM STDIN` (psycopg 3 `cursor.copy()`), never as model instances: participants
with their name search keys and duplicate-detection blocking keys, ESF entry records,
cases, exit records with the situations after exit and six-month follow-ups. Rows are
generated in chunks (bounded memory); the exit records' result columns are computed per
row with `bruecke.esf.results`, exactly as the exit services store them. Decision record:
docs/decisions/0053-bulk-generator-with-copy.md.
"""

from __future__ import annotations

import argparse
import datetime
import io
import random
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bruecke.core.bulkload import participants
from bruecke.core.bulkload.cases import CASE_COLUMNS, case_line
from bruecke.core.bulkload.participants import (
    KEY_TABLES,
    PARTICIPANT_COLUMNS,
    Context,
    weighted,
    write_person,
)
from bruecke.core.bulkload.writer import chunks, copy, line, reset_sequence

MARKER = "bench-esf"  # participants_participant.district of every generated participant
CHUNK = 20_000
BENCH_TEAMS = [f"Bench {n}" for n in range(1, 7)]
# (labour-market status at entry, weight): 70 % inactive, 25 % unemployed, 5 % employed.
LM_WEIGHTS = [("inactive", 70), ("unemployed", 25), ("employed", 5)]
ISCED_WEIGHTS = [(0, 8), (1, 15), (2, 25), (3, 25), (4, 7), (5, 4), (6, 9), (7, 6), (8, 1)]
SITUATION_WEIGHTS = [
    ("employed", 25),
    ("self_employed", 2),
    ("job_searching", 20),
    ("unemployed_registered", 15),
    ("education_training", 15),
    ("apprenticeship", 8),
    ("school", 5),
    ("inactive", 10),
]
EXIT_REASONS = ["completed", "early_job", "early_training", "early_other", "moved", "unknown"]
NULL = "\\N"
RESULT_COLUMNS = (
    "result_labour_market",
    "result_education",
    "result_qualification",
    "result_same_day_conflict",
    "follow_up_result",
    "follow_up_improved",
)


TABLES = {
    "participants_participant": PARTICIPANT_COLUMNS,
    **KEY_TABLES,
    "esf_entryrecord": (
        "id, created_at, updated_at, version, participant_id, organisation_id, lm_status_entry, "
        "registered_unemployed_since, isced_level, school_qualification_de, vocational_qualification_de, "
        "disability, disability_details, minority, foreign_background, homeless_or_housing_exclusion, "
        "sensitive_asked_on, rural_area, citizenships, third_country_national_at_entry"
    ),
    "cases_case": CASE_COLUMNS,
    "esf_exitrecord": (
        "id, created_at, updated_at, version, case_id, participant_id, organisation_id, exit_date, "
        "exit_reason, status_collected_on, qualification_gained, qualification_on, result_labour_market, "
        "result_education, result_qualification, result_same_day_conflict, follow_up_result, "
        "follow_up_improved"
    ),
    "esf_exitsituation": "id, exit_record_id, date, kind",
    "esf_followup": (
        "id, created_at, updated_at, version, exit_record_id, organisation_id, answered_on, employed, "
        "self_employed, improvements, note"
    ),
}


def _answer(rng: random.Random, yes: float, refused: float) -> str:
    draw = rng.random()
    if draw < yes:
        return "yes"
    if draw < yes + refused:
        return "refused"
    return "no" if draw < 0.95 else ""


def _entry_rows(
    ctx: Context, rng: random.Random, row: tuple[int, int, datetime.date, str], out: dict[str, io.StringIO]
) -> str:
    """The entry record; returns the labour-market status at entry."""
    pid, org, entry, nationality = row
    lm = weighted(rng, LM_WEIGHTS)
    since = None
    if lm == "unemployed":
        # 40 % of the unemployed are long-term unemployed (registered more than 12 months).
        days = rng.randint(400, 1500) if rng.random() < 0.4 else rng.randint(10, 350)
        since = entry - datetime.timedelta(days=days)
    isced = None if rng.random() < 0.02 else weighted(rng, ISCED_WEIGHTS)  # 2 % incomplete
    disability, minority = _answer(rng, 0.05, 0.03), _answer(rng, 0.04, 0.04)
    foreign, homeless = _answer(rng, 0.85, 0.02), _answer(rng, 0.03, 0.01)
    asked = entry if any(a for a in (disability, minority, foreign, homeless)) else None
    citizenships = nationality if rng.random() > 0.03 else f"{nationality} DE"
    tcn = not any(code in _eu27() for code in citizenships.split())
    rural = None if rng.random() < 0.1 else rng.random() < 0.3
    now = f"{entry} 10:00:00+00"
    out["esf_entryrecord"].write(
        line(
            ctx.take("esf_entryrecord"),
            now,
            now,
            1,
            pid,
            org,
            lm,
            since,
            isced,
            "",
            "",
            ctx.cipher["disability"].get(disability, ""),
            "",
            ctx.cipher["minority"].get(minority, ""),
            foreign,
            homeless,
            asked,
            rural,
            citizenships,
            tcn,
        )
    )
    return lm


@lru_cache(maxsize=1)
def _eu27() -> frozenset[str]:
    from bruecke.esf.models import EU27

    return EU27


def _exit_rows(
    ctx: Context,
    rng: random.Random,
    case: tuple[int, int, int, datetime.date, str],
    out: dict[str, io.StringIO],
) -> datetime.date | None:
    """Closes 60 % of the cases with an exit record, situations and follow-ups; returns the exit date."""
    from bruecke.esf import results
    from bruecke.esf.exit_services import stored_results

    case_id, pid, org, entry, _lm = case
    if rng.random() >= 0.6:
        return None
    latest = (ctx.today - entry).days
    if latest < 1:
        return None
    exit_date = entry + datetime.timedelta(days=rng.randint(min(30, latest), latest))
    window_end = min(results.exit_window(exit_date)[1], ctx.today)
    collected = exit_date + datetime.timedelta(days=rng.randint(0, (window_end - exit_date).days))
    situations = []
    if rng.random() < 0.8:
        for _n in range(rng.choice([1, 1, 1, 2])):
            day = exit_date + datetime.timedelta(days=rng.randint(0, (collected - exit_date).days))
            situations.append(
                results.Situation(day, weighted(rng, SITUATION_WEIGHTS), ctx.take("esf_exitsituation"))
            )
    gained_on = None
    if rng.random() < 0.2:
        gained_on = entry + datetime.timedelta(days=rng.randint(0, (window_end - entry).days))
    answers = _follow_ups(ctx, rng, exit_date)
    # Exactly what the exit services store (decision 0049), from bruecke.esf.results.
    stored = stored_results(
        entry_date=entry,
        exit_date=exit_date,
        qualification_on=gained_on,
        situations=situations,
        answers=answers,
    )
    record_id = ctx.take("esf_exitrecord")
    now = f"{collected} 10:00:00+00"
    out["esf_exitrecord"].write(
        line(
            record_id,
            now,
            now,
            1,
            case_id,
            pid,
            org,
            exit_date,
            rng.choice(EXIT_REASONS),
            collected if situations else None,
            gained_on is not None,
            gained_on,
            *(stored[column] for column in RESULT_COLUMNS),
        )
    )
    for situation in situations:
        out["esf_exitsituation"].write(line(situation.order, record_id, situation.date, situation.kind))
    for answer in answers:
        improvements = '["promotion"]' if answer.improved else "[]"
        stamp = f"{answer.answered_on} 10:00:00+00"
        out["esf_followup"].write(
            line(
                answer.order,
                stamp,
                stamp,
                1,
                record_id,
                org,
                answer.answered_on,
                answer.employed,
                False,
                improvements,
                "",
            )
        )
    return exit_date


def _follow_ups(ctx: Context, rng: random.Random, exit_date: datetime.date) -> list[Any]:
    """Half of the leavers whose six months are over answered once (some outside ±28 days)."""
    from bruecke.esf import results

    reference = results.follow_up_reference_date(exit_date)
    if reference > ctx.today or rng.random() >= 0.5:
        return []
    answered = min(reference + datetime.timedelta(days=rng.randint(-35, 35)), ctx.today)
    answered = max(answered, exit_date)
    employed = weighted(rng, [("yes", 45), ("no", 40), ("no_response", 15)])
    improved = employed == "yes" and rng.random() < 0.3
    return [results.FollowUpAnswer(answered, employed, improved, ctx.take("esf_followup"))]


def _chunk_rows(ctx: Context, rng: random.Random, count: int, origins: list[Any]) -> dict[str, io.StringIO]:
    """All rows of `count` participants, as COPY text per table."""
    out = {table: io.StringIO() for table in TABLES}
    for _n in range(count):
        person = write_person(ctx, rng, origins, out, MARKER)
        lm = _entry_rows(ctx, rng, (person.id, person.organisation_id, person.entry, person.nationality), out)
        case_id = ctx.take("cases_case")
        exit_date = _exit_rows(ctx, rng, (case_id, person.id, person.organisation_id, person.entry, lm), out)
        manager = ctx.team_staff[person.team_id][0]
        out["cases_case"].write(case_line(case_id, person, manager, person.entry, exit_date))
    return out


def _context(demo: Any, today: datetime.date) -> Context:
    from bruecke.core import crypto
    from bruecke.network.models import Membership, Team
    from bruecke.projects.models import Project

    project = Project.objects.get(network=demo.network, name="NAF MV plus")
    teams = [demo.teams[name] for name in sorted(demo.teams)]
    for name in BENCH_TEAMS:
        teams.append(
            Team.objects.get_or_create(network=demo.network, name=name, defaults={"region": name})[0]
        )
    partners = [demo.partners[key] for key in sorted(demo.partners)][:5]
    homes = [(partners[i % len(partners)].pk, team.pk) for i, team in enumerate(teams)]
    staff = {}
    for partner in partners:
        member = Membership.objects.filter(organisation=partner).order_by("pk").first()
        staff[partner.pk] = member.user_id if member else demo.users["cm_a"].pk
    team_staff = {team: [staff[org]] for org, team in homes}
    # Special-category answers must be valid ciphertexts: encrypt each value once, reuse it.
    cipher = {
        name: {a: crypto.encrypt(a, context=f"esf.entryrecord.{name}") for a in ("yes", "no", "refused")}
        for name in ("disability", "minority")
    }
    start = max(project.starts_on, today - datetime.timedelta(days=4 * 365))
    return Context(today, start, project.pk, homes, team_staff, cipher=cipher)


def clean(cursor: Any) -> None:
    """Removes what an earlier run generated (the rows hanging off marked participants)."""
    # Table and column names are constants of this module; the marker is a parameter.
    marked = "SELECT id FROM participants_participant WHERE district = %s"
    exits = "SELECT id FROM esf_exitrecord WHERE participant_id IN (" + marked + ")"  # noqa: S608
    for table, column, subquery in (
        ("esf_followup", "exit_record_id", exits),
        ("esf_exitsituation", "exit_record_id", exits),
        ("esf_exitrecord", "participant_id", marked),
        ("cases_case", "participant_id", marked),
        ("esf_entryrecord", "participant_id", marked),
        ("participants_namekey", "participant_id", marked),
        ("dedupe_blockingkey", "participant_id", marked),
        ("participants_participant", "id", marked),
    ):
        statement = "DELETE FROM " + table + " WHERE " + column + " IN (" + subquery + ")"  # noqa: S608
        cursor.execute(statement, [MARKER])


def _reserve_ids(cursor: Any, ctx: Context) -> None:
    for table in TABLES:
        if table not in KEY_TABLES:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM " + table)  # noqa: S608
            ctx.next_id[table] = cursor.fetchone()[0]


def _reset_sequences(cursor: Any) -> None:
    """The identity sequences continue after the explicit ids COPY wrote."""
    for table in TABLES:
        if table not in KEY_TABLES:  # those ids come from their own sequences
            reset_sequence(cursor, table)


def generate(
    demo: Any, count: int, *, seed: int = 2026, today: datetime.date | None = None
) -> dict[str, int]:
    """Replaces the generated participants by `count` new ones; returns rows per table."""
    from django.db import connection, transaction

    assert connection.vendor == "postgresql", "the generator uses PostgreSQL's COPY"
    ctx = _context(demo, today or datetime.date.today())
    rng = random.Random(seed)
    origins = participants.origins()
    written = dict.fromkeys(TABLES, 0)
    with transaction.atomic(), connection.cursor() as cursor:
        clean(cursor)
        _reserve_ids(cursor, ctx)
        for size in chunks(count, CHUNK):
            rows = _chunk_rows(ctx, rng, size, origins)
            for table, columns in TABLES.items():
                written[table] += copy(cursor, table, columns, rows[table].getvalue())
        _reset_sequences(cursor)
    return written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    from common import analyze, setup

    setup()
    from django.db import connection, transaction

    from bruecke.network.demo import seed_network
    from bruecke.participants import demo as participants_demo

    demo = seed_network()
    with transaction.atomic(), connection.cursor() as cursor:
        # First: the fixed demo looks people up by name and would find generated namesakes.
        clean(cursor)
    participants_demo.seed_fixed(demo)
    started = time.perf_counter()
    written = generate(demo, args.participants, seed=args.seed)
    loaded = time.perf_counter() - started
    analyze()
    for table, rows in written.items():
        print(f"{table:<28} {rows:>10}")
    print(f"loaded in {loaded:.0f} s, analyzed after {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
