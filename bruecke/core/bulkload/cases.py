"""Cases as COPY text: about two thirds of the participants have one, in their team, with a
case manager of that team, opened on or after the entry date, a third of them closed."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

from bruecke.core.bulkload.participants import Context, Person
from bruecke.core.bulkload.writer import line

CASE_COLUMNS = (
    "id, created_at, updated_at, version, status, pause_reason, opened_on, closed_on, "
    "case_manager_id, organisation_id, participant_id, team_id"
)
WITH_CASE = 0.65  # share of participants with a case
CLOSED = 0.3  # share of cases closed


def case_line(case_id: int, person: Person, manager: int, opened: datetime.date, closed: Any) -> str:
    """One case row; the participant's organisation and team are the case's."""
    now = f"{opened} 09:00:00+00"
    status = "closed" if closed else "active"
    org, team = person.organisation_id, person.team_id
    return line(case_id, now, now, 1, status, "", opened, closed, manager, org, person.id, team)


def write_case(ctx: Context, rng: random.Random, person: Person, out: dict[str, io.StringIO]) -> None:
    """A case for ~65 % of the participants; opened within the last three years."""
    if rng.random() >= WITH_CASE:
        return
    earliest = max(person.entry, ctx.today - datetime.timedelta(days=3 * 365))
    opened = earliest + datetime.timedelta(days=rng.randint(0, max((ctx.today - earliest).days, 0)))
    closed = None
    if rng.random() < CLOSED and (ctx.today - opened).days > 30:
        closed = opened + datetime.timedelta(days=rng.randint(30, (ctx.today - opened).days))
    managers = ctx.team_managers.get(person.team_id) or ctx.team_staff[person.team_id][:1]
    manager = managers[0] if len(managers) == 1 else rng.choice(managers)
    out["cases_case"].write(case_line(ctx.take("cases_case"), person, manager, opened, closed))


# What `case_open` derives per case through `placement.services.match_profiles.refresh_for_case`:
# a generated case has no profile, office, postcode or town, so its match profile is the
# empty one (qualification level 1, German rank 0, no location); closed cases are not open.
MATCH_PROFILES = """
INSERT INTO placement_matchprofile (case_id, is_open, experience_1, experience_2, experience_3, wish_1,
    wish_2, wish_3, qualification_level, german_rank, latitude, longitude, location_source,
    driving_licence, own_car, public_transport, max_travel_minutes, max_hours_per_week,
    shifts_possible, childcare_limits, refreshed_at, organisation_id, participant_id, team_id)
SELECT c.id, c.status <> 'closed', '', '', '', '', '', '', 1, 0, NULL, NULL, '', false, false, false,
    NULL, NULL, true, '', c.created_at, c.organisation_id, c.participant_id, c.team_id
FROM cases_case c WHERE c.id BETWEEN %(lo)s AND %(hi)s
"""


def load_match_profiles(cursor: Any, cases: tuple[int, int]) -> int:
    cursor.execute(MATCH_PROFILES, {"lo": cases[0], "hi": cases[1]})
    return int(cursor.rowcount)
