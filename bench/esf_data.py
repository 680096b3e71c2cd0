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
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

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
# Tables whose rows COPY writes without an id (the database's sequence numbers them).
KEY_TABLES = ("participants_namekey", "dedupe_blockingkey")
RESULT_COLUMNS = (
    "result_labour_market",
    "result_education",
    "result_qualification",
    "result_same_day_conflict",
    "follow_up_result",
    "follow_up_improved",
)


@dataclass
class Context:
    """What every row needs: ids, the network's homes, the fixed ciphertexts."""

    today: datetime.date
    start: datetime.date
    project_id: int
    homes: list[tuple[int, int]]  # (organisation id, team id)
    staff: dict[int, int]  # organisation id -> a case manager's user id
    cipher: dict[str, dict[str, str]]  # field -> answer -> ciphertext
    next_id: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]


TABLES = {
    "participants_participant": (
        "id, created_at, updated_at, version, given_names, family_name, latin_name, birth_year, "
        "birth_month, birth_day, birth_date_is_placeholder, gender, nationality, country_of_birth, "
        "phone, email, messenger, street, postcode, town, district, first_language, other_languages, "
        "german_level, children_birth_years, single_parent, schooling_status, eligibility, entry_date, "
        "current_status, current_valid_until, organisation_id, project_id, team_id, "
        "family_name_own_script, given_names_own_script, latin_spelling_confirmed"
    ),
    "participants_namekey": "participant_id, key",
    "dedupe_blockingkey": "participant_id, organisation_id, key",
    "esf_entryrecord": (
        "id, created_at, updated_at, version, participant_id, organisation_id, lm_status_entry, "
        "registered_unemployed_since, isced_level, school_qualification_de, vocational_qualification_de, "
        "disability, disability_details, minority, foreign_background, homeless_or_housing_exclusion, "
        "sensitive_asked_on, rural_area, citizenships, third_country_national_at_entry"
    ),
    "cases_case": (
        "id, created_at, updated_at, version, status, pause_reason, opened_on, closed_on, "
        "case_manager_id, organisation_id, participant_id, team_id"
    ),
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


def _v(value: Any) -> str:
    """One COPY text-format value (our values never contain tabs, newlines or backslashes)."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def _line(*values: Any) -> str:
    return "\t".join(map(_v, values)) + "\n"


@cache
def _keys(given: str, family: str) -> tuple[str, ...]:
    from bruecke.participants import names

    return tuple(sorted(k[:64] for k in names.name_keys(given) | names.name_keys(family)))


@cache
def _name_record(given: str, family: str) -> Any:
    """The comparable form of a name (the costly part, cached); birth and sex come later."""
    from bruecke.dedupe.records import record_from_row

    return record_from_row({"given_names": given, "family_name": family})


def _blocking_keys(given: str, family: str, birth: tuple[Any, ...], gender: str) -> list[str]:
    """The duplicate-detection keys, as `bruecke.dedupe.services` writes them."""
    from dataclasses import replace

    from bruecke.dedupe.blocking import blocking_keys
    from bruecke.dedupe.records import record_from_row

    year, month, day = birth
    dated = record_from_row({"birth_year": year, "birth_month": month, "birth_day": day, "gender": gender})
    record = replace(
        _name_record(given, family),
        birth_year=dated.birth_year,
        birth_month=dated.birth_month,
        birth_day=dated.birth_day,
        sex=dated.sex,
    )
    return sorted(blocking_keys(record))


@cache
def _latin(given: str, family: str) -> str:
    from bruecke.participants import names

    return names.to_latin(f"{given} {family}")


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


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
    lm = _weighted(rng, LM_WEIGHTS)
    since = None
    if lm == "unemployed":
        # 40 % of the unemployed are long-term unemployed (registered more than 12 months).
        days = rng.randint(400, 1500) if rng.random() < 0.4 else rng.randint(10, 350)
        since = entry - datetime.timedelta(days=days)
    isced = None if rng.random() < 0.02 else _weighted(rng, ISCED_WEIGHTS)  # 2 % incomplete
    disability, minority = _answer(rng, 0.05, 0.03), _answer(rng, 0.04, 0.04)
    foreign, homeless = _answer(rng, 0.85, 0.02), _answer(rng, 0.03, 0.01)
    asked = entry if any(a for a in (disability, minority, foreign, homeless)) else None
    citizenships = nationality if rng.random() > 0.03 else f"{nationality} DE"
    tcn = not any(code in _eu27() for code in citizenships.split())
    rural = None if rng.random() < 0.1 else rng.random() < 0.3
    now = f"{entry} 10:00:00+00"
    out["esf_entryrecord"].write(
        _line(
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
                results.Situation(day, _weighted(rng, SITUATION_WEIGHTS), ctx.take("esf_exitsituation"))
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
        _line(
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
        out["esf_exitsituation"].write(_line(situation.order, record_id, situation.date, situation.kind))
    for answer in answers:
        improvements = '["promotion"]' if answer.improved else "[]"
        stamp = f"{answer.answered_on} 10:00:00+00"
        out["esf_followup"].write(
            _line(
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
    employed = _weighted(rng, [("yes", 45), ("no", 40), ("no_response", 15)])
    improved = employed == "yes" and rng.random() < 0.3
    return [results.FollowUpAnswer(answered, employed, improved, ctx.take("esf_followup"))]


def _chunk_rows(ctx: Context, rng: random.Random, count: int, origins: list[Any]) -> dict[str, io.StringIO]:
    """All rows of `count` participants, as COPY text per table."""
    out = {table: io.StringIO() for table in TABLES}
    span = (ctx.today - ctx.start).days
    for _n in range(count):
        country, _w, given_pool, family_pool = rng.choice(origins)
        given, family = rng.choice(given_pool), rng.choice(family_pool)
        org, team = rng.choice(ctx.homes)
        entry = ctx.start + datetime.timedelta(days=rng.randint(0, span))
        year = entry.year - rng.randint(15, 66)
        month = rng.randint(1, 12) if rng.random() > 0.1 else None
        day = rng.randint(1, 28) if month and rng.random() > 0.1 else None
        gender = _weighted(rng, [("female", 38), ("male", 60), ("diverse", 1), ("not_stated", 1)])
        pid = ctx.take("participants_participant")
        now = f"{entry} 09:00:00+00"
        out["participants_participant"].write(
            _line(
                pid,
                now,
                now,
                1,
                given,
                family,
                _latin(given, family),
                year,
                month,
                day,
                False,
                gender,
                country,
                country,
                "",
                "",
                "",
                "",
                "",
                "",
                MARKER,
                "",
                "[]",
                "",
                "[]",
                False,
                "",
                "",
                entry,
                "gestattung",
                None,
                org,
                ctx.project_id,
                team,
                "",
                "",
                False,
            )
        )
        out["participants_namekey"].write("".join(_line(pid, key) for key in _keys(given, family)))
        blocking = _blocking_keys(given, family, (year, month, day), gender)
        out["dedupe_blockingkey"].write("".join(_line(pid, org, key) for key in blocking))
        lm = _entry_rows(ctx, rng, (pid, org, entry, country), out)
        case_id = ctx.take("cases_case")
        exit_date = _exit_rows(ctx, rng, (case_id, pid, org, entry, lm), out)
        status = "closed" if exit_date else "active"
        out["cases_case"].write(
            _line(case_id, now, now, 1, status, "", entry, exit_date, ctx.staff[org], org, pid, team)
        )
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
    # Special-category answers must be valid ciphertexts: encrypt each value once, reuse it.
    cipher = {
        name: {a: crypto.encrypt(a, context=f"esf.entryrecord.{name}") for a in ("yes", "no", "refused")}
        for name in ("disability", "minority")
    }
    start = max(project.starts_on, today - datetime.timedelta(days=4 * 365))
    return Context(today, start, project.pk, homes, staff, cipher)


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
        if table in KEY_TABLES:
            continue  # their ids come from their own sequences (COPY leaves the column out)
        highest = "GREATEST((SELECT MAX(id) FROM " + table + "), 1)"  # noqa: S608
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), " + highest + ")", [table])


def generate(
    demo: Any, count: int, *, seed: int = 2026, today: datetime.date | None = None
) -> dict[str, int]:
    """Replaces the generated participants by `count` new ones; returns rows per table."""
    from django.db import connection, transaction

    from bruecke.participants.demo import ORIGINS

    assert connection.vendor == "postgresql", "the generator uses PostgreSQL's COPY"
    ctx = _context(demo, today or datetime.date.today())
    rng = random.Random(seed)
    origins = [o for o in ORIGINS for _ in range(o[1])]
    written = dict.fromkeys(TABLES, 0)
    with transaction.atomic(), connection.cursor() as cursor:
        clean(cursor)
        _reserve_ids(cursor, ctx)
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        for size in _chunks(count, CHUNK):
            rows = _chunk_rows(ctx, rng, size, origins)
            for table, columns in TABLES.items():
                text = rows[table].getvalue()
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(text)
                written[table] += text.count("\n")
        _reset_sequences(cursor)
    return written


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


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
