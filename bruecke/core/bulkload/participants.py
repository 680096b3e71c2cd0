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
GENDER_WEIGHTS = [("female", 38), ("male", 60), ("diverse", 1), ("not_stated", 1)]


@dataclass
class Context:
    """What every row needs: ids, the network's homes and staff, the fixed ciphertexts."""

    today: datetime.date
    start: datetime.date
    project_id: int
    homes: list[tuple[int, int]]  # (organisation id, team id)
    team_staff: dict[int, list[int]]  # team id -> user ids of its staff (case managers first)
    team_managers: dict[int, list[int]] = field(default_factory=dict)  # team id -> its case managers
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


@cache
def _dated_record(year: int, month: int | None, day: int | None, gender: str) -> Any:
    """The comparable form of a birth date and sex (a few ten thousand values, cached)."""
    from bruecke.dedupe.records import record_from_row

    return record_from_row({"birth_year": year, "birth_month": month, "birth_day": day, "gender": gender})


def blocking_keys(given: str, family: str, birth: tuple[Any, ...], gender: str) -> list[str]:
    """The duplicate-detection keys, as `bruecke.dedupe.services` writes them."""
    from bruecke.dedupe.blocking import blocking_keys as keys_of

    dated = _dated_record(*birth, gender)
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


# Residence-status history: one to three documents per participant, the last one the current
# status (issued at entry or later, valid until the participant's `current_valid_until`).
RESIDENCE = """
INSERT INTO participants_residencestatus (created_at, updated_at, status, issued_on, valid_until,
    asylum_applied_on, reception_centre_obligation, work_note, note, participant_id)
SELECT issued + time '11:00', issued + time '11:00',
    CASE WHEN n = total THEN p.current_status WHEN n = 1 THEN 'gestattung' ELSE 'duldung_60a' END,
    issued, CASE WHEN n = total THEN GREATEST(p.current_valid_until, issued) ELSE issued + 180 END,
    NULL, false, '', '', p.id
FROM (
    SELECT p.*, 1 + (p.id %% 4 = 0)::int + (p.id %% 8 = 0)::int AS total FROM participants_participant p
    WHERE p.id BETWEEN %(lo)s AND %(hi)s
) p
CROSS JOIN LATERAL generate_series(1, p.total) n
CROSS JOIN LATERAL (SELECT LEAST(p.entry_date + (n - 1) * 180, %(today)s) AS issued) i
"""
# Consent to counselling for everyone, to reporting to the funder for 80 %, recorded at entry
# by the first member of the participant's team (a case manager).
CONSENTS = """
INSERT INTO participants_consent (created_at, updated_at, purpose, given_on, method, sheet_version,
    sheet_language, scan, revoked_on, recorded_by_id, revoked_by_id, participant_id)
SELECT p.entry_date + time '09:30', p.entry_date + time '09:30', purpose, p.entry_date, 'on_screen',
    %(sheet)s, 'de', '', NULL, s.users[1], NULL, p.id
FROM participants_participant p JOIN bulk_team_staff s ON s.team_id = p.team_id
CROSS JOIN (VALUES ('counselling'), ('funder_reporting')) v(purpose)
WHERE p.id BETWEEN %(lo)s AND %(hi)s AND (purpose = 'counselling' OR p.id %% 5 <> 0)
"""


def load_history(cursor: Any, participants: tuple[int, int], today: datetime.date) -> dict[str, int]:
    """Residence-status history and consents of the participants with ids in `participants`."""
    from bruecke.participants.info_sheet import INFO_SHEET_VERSION

    lo, hi = participants
    cursor.execute(RESIDENCE, {"lo": lo, "hi": hi, "today": today})
    counts = {"participants_residencestatus": cursor.rowcount}
    cursor.execute(CONSENTS, {"lo": lo, "hi": hi, "sheet": INFO_SHEET_VERSION})
    counts["participants_consent"] = cursor.rowcount
    return counts
