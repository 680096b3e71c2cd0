"""Participants as COPY text: name fields, name search keys, duplicate-detection blocking
keys, residence-status history and consents, computed per row in Python exactly as the
services compute them (the keys come from `participants.names` and `dedupe.blocking`)."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, NamedTuple

from bruecke.core.bulkload.writer import line

PARTICIPANT_COLUMNS = (
    "id, created_at, updated_at, version, given_names, family_name, latin_name, birth_year, "
    "birth_month, birth_day, birth_date_is_placeholder, gender, nationality, country_of_birth, "
    "phone, email, messenger, street, postcode, town, district, first_language, other_languages, "
    "german_level, children_birth_years, single_parent, schooling_status, eligibility, entry_date, "
    "current_status, current_valid_until, organisation_id, project_id, team_id, "
    "family_name_own_script, given_names_own_script, latin_spelling_confirmed"
)
# Written without an id: the database's sequence numbers these rows.
KEY_TABLES = {
    "participants_namekey": "participant_id, key",
    "dedupe_blockingkey": "participant_id, organisation_id, key",
}
HISTORY_TABLES = {
    "participants_residencestatus": (
        "created_at, updated_at, status, issued_on, valid_until, asylum_applied_on, "
        "reception_centre_obligation, work_note, note, participant_id"
    ),
    "participants_consent": (
        "created_at, updated_at, purpose, given_on, method, sheet_version, sheet_language, scan, "
        "revoked_on, recorded_by_id, revoked_by_id, participant_id"
    ),
}
GENDER_WEIGHTS = [("female", 38), ("male", 60), ("diverse", 1), ("not_stated", 1)]


@dataclass
class Context:
    """What every row needs: ids, the network's homes and staff, the fixed ciphertexts."""

    today: datetime.date
    start: datetime.date
    project_id: int
    homes: list[tuple[int, int]]  # (organisation id, team id)
    team_staff: dict[int, list[int]]  # team id -> user ids of its staff (case managers first)
    cipher: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> plaintext -> ciphertext
    next_id: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]


class Person(NamedTuple):
    id: int
    organisation_id: int
    team_id: int
    entry: datetime.date
    nationality: str
    status: str  # the current residence status
    valid_until: datetime.date


@cache
def name_keys(given: str, family: str) -> tuple[str, ...]:
    from bruecke.participants import names

    return tuple(sorted(k[:64] for k in names.name_keys(given) | names.name_keys(family)))


@cache
def _name_record(given: str, family: str) -> Any:
    """The comparable form of a name (the costly part, cached); birth and sex come later."""
    from bruecke.dedupe.records import record_from_row

    return record_from_row({"given_names": given, "family_name": family})


def blocking_keys(given: str, family: str, birth: tuple[Any, ...], gender: str) -> list[str]:
    """The duplicate-detection keys, as `bruecke.dedupe.services` writes them."""
    from bruecke.dedupe.blocking import blocking_keys as keys_of
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
    return sorted(keys_of(record))


@cache
def latin(given: str, family: str) -> str:
    from bruecke.participants import names

    return names.to_latin(f"{given} {family}")


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def origins() -> list[Any]:
    """The demo's countries of origin with their name pools, repeated by weight."""
    from bruecke.participants.demo import ORIGINS

    return [o for o in ORIGINS for _ in range(o[1])]


def write_person(
    ctx: Context, rng: random.Random, pool: list[Any], out: dict[str, io.StringIO], marker: str
) -> Person:
    """One participant with its name and blocking keys; `marker` goes into `district`."""
    from bruecke.participants.demo import STATUS_WEIGHTS

    country, _w, given_pool, family_pool = rng.choice(pool)
    given, family = rng.choice(given_pool), rng.choice(family_pool)
    org, team = rng.choice(ctx.homes)
    entry = ctx.start + datetime.timedelta(days=rng.randint(0, (ctx.today - ctx.start).days))
    year = entry.year - rng.randint(15, 66)
    month = rng.randint(1, 12) if rng.random() > 0.1 else None
    day = rng.randint(1, 28) if month and rng.random() > 0.1 else None
    gender = weighted(rng, GENDER_WEIGHTS)
    status = weighted(rng, STATUS_WEIGHTS)
    valid_until = ctx.today + datetime.timedelta(days=rng.randint(-30, 700))
    pid = ctx.take("participants_participant")
    now = f"{entry} 09:00:00+00"
    out["participants_participant"].write(
        line(
            *(pid, now, now, 1, given, family, latin(given, family), year, month, day, False, gender),
            *(country, country, "", "", "", "", "", "", marker, "", "[]", "", "[]", False, "", ""),
            *(entry, status, valid_until, org, ctx.project_id, team, "", "", False),
        )
    )
    out["participants_namekey"].write("".join(line(pid, key) for key in name_keys(given, family)))
    blocking = blocking_keys(given, family, (year, month, day), gender)
    out["dedupe_blockingkey"].write("".join(line(pid, org, key) for key in blocking))
    return Person(pid, org, team, entry, country, status, valid_until)


def write_history(ctx: Context, rng: random.Random, person: Person, out: dict[str, io.StringIO]) -> None:
    """Residence-status history (one to three documents, the last one current) and consents."""
    from bruecke.participants.demo import STATUS_WEIGHTS
    from bruecke.participants.info_sheet import INFO_SHEET_VERSION

    issued = person.entry
    count = rng.choice([1, 1, 2, 3])
    for n in range(count):
        current = n == count - 1
        kind = person.status if current else ("gestattung" if n == 0 else weighted(rng, STATUS_WEIGHTS))
        until = issued + datetime.timedelta(days=rng.randint(90, 700))
        if current:
            until = max(person.valid_until, issued)
        stamp = f"{issued} 11:00:00+00"
        row = (stamp, stamp, kind, issued, until, None, False, "", "", person.id)
        out["participants_residencestatus"].write(line(*row))
        issued = min(until, ctx.today)
    recorder = ctx.team_staff[person.team_id][0]
    stamp = f"{person.entry} 09:30:00+00"
    purposes = ["counselling"] + (["funder_reporting"] if rng.random() < 0.8 else [])
    for purpose in purposes:
        row = (stamp, stamp, purpose, person.entry, "on_screen", INFO_SHEET_VERSION, "de", "")
        out["participants_consent"].write(line(*row, None, recorder, None, person.id))
