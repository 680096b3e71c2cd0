"""Shared by the import tests of the case-work entities: a German CSV, a run through the
engine as a named persona, and participants and cases made by the services directly."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.db import connection

from bruecke.cases.models import Case
from bruecke.cases.services.cases import case_open
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant
from bruecke.participants.services import participant_create
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import Counts, RowResult, run_file
from bruecke.spreadsheets.mapping import suggest_columns
from bruecke.spreadsheets.reading import read_table

TODAY = datetime.date.today()


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def german(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@dataclass
class Outcome:
    counts: Counts
    results: list[RowResult]

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        return [error for result in self.results for error in result.errors]

    def columns_with_errors(self) -> set[str | None]:
        return {column for column, _message in self.errors}


def run_import(
    demo: DemoNetwork,
    entity_key: str,
    rows: list[list[str]],
    *,
    persona: str = "cm_a",
    partner: str = "A",
    dry_run: bool = False,
    values: dict[str, dict[str, str]] | None = None,
) -> Outcome:
    entity = registry.get(entity_key)
    assert entity is not None
    ctx = ImportContext(actor=demo.users[persona], organisation=demo.partners[partner], entity=entity_key)
    table = read_table(csv_bytes(rows), f"{entity_key}.csv")
    plan = Plan(entity, suggest_columns(entity, table.headers), values or {})
    results: list[RowResult] = []
    counts = run_file(ctx, plan, table, dry_run=dry_run, on_row=results.append)
    return Outcome(counts, results)


def make_participant(
    demo: DemoNetwork,
    name: str,
    *,
    partner: str = "A",
    team: str = "Rostock",
    entry: datetime.date | None = None,
    nationality: str = "SY",
) -> Participant:
    actor = demo.users["cm_a" if partner == "A" else "cm_b"]
    return participant_create(
        actor=actor,
        participant=Participant(
            organisation=demo.partners[partner],
            team=demo.teams[team],
            given_names=name,
            family_name="Import",
            birth_year=1990,
            gender=Gender.FEMALE,
            nationality=nationality,
            entry_date=entry or days_ago(200),
        ),
    )


def make_case(demo: DemoNetwork, participant: Participant, *, opened_on: datetime.date | None = None) -> Case:
    partner_a = participant.organisation_id == demo.partners["A"].pk
    manager = demo.users["cm_a" if partner_a else "cm_b"]
    case = Case(
        participant=participant,
        case_manager=manager,
        team=participant.team,
        opened_on=opened_on or participant.entry_date,
    )
    return case_open(actor=manager, case=case)


def raw_column(table: str, column: str, pk: int) -> str:
    """A column as stored in the database, bypassing the model's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (test-only names)
        return str(cursor.fetchone()[0])
