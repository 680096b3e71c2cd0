"""Hand-built participations for the indicator engine tests: real rows (participant, entry
record, cases, exit records with their situations and follow-ups), the stored results
computed by the exit services' own function."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from typing import Any

from bruecke.cases.models import Case, CaseStatus
from bruecke.esf.exit_models import ExitRecord, ExitSituation, FollowUp
from bruecke.esf.exit_services import refresh_results
from bruecke.esf.models import EntryRecord, citizenship_codes, third_country_national_of
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.projects.models import EsfVariant, Project
from bruecke.reporting.indicators import ReportRequest
from bruecke.reporting.scope import ReportScope

_numbers = itertools.count(1)
D = datetime.date
DEFAULT_ENTRY = D(2025, 3, 1)


def make_project(demo: DemoNetwork, **settings: Any) -> Project:
    values = {"esf_variant": EsfVariant.ESF_PLUS, "starts_on": D(2020, 1, 1), **settings}
    return Project.objects.create(network=demo.network, name=f"Indikatorprojekt {next(_numbers)}", **values)


def network_scope(demo: DemoNetwork) -> ReportScope:
    return ReportScope(network_id=demo.network.pk, key=f"network-{demo.network.pk}", label="network")


def partner_scope(demo: DemoNetwork, partner: str) -> ReportScope:
    org = demo.partners[partner]
    return ReportScope(network_id=demo.network.pk, key=f"org-{org.pk}", label=partner, organisation_id=org.pk)


def team_scope(demo: DemoNetwork, team: str) -> ReportScope:
    t = demo.teams[team]
    return ReportScope(network_id=demo.network.pk, key=f"team-{t.pk}", label=team, team_id=t.pk)


def request_for(
    demo: DemoNetwork, project: Project, start: D, end: D, scope: ReportScope | None = None
) -> ReportRequest:
    return ReportRequest(project=project, start=start, end=end, scope=scope or network_scope(demo))


def person(
    demo: DemoNetwork,
    project: Project,
    *,
    partner: str = "A",
    team: str = "Rostock",
    gender: str = "female",
    birth: tuple[int, int | None, int | None] = (1990, 5, 5),
    placeholder: bool = False,
    entry: D = DEFAULT_ENTRY,
    lm: str = "unemployed",
    isced: int | None = 3,
    since: D | None = None,
    citizenships: str = "SY",
    record: bool = True,
    town: str = "",
    **entry_fields: Any,
) -> Participant:
    participant = Participant.objects.create(
        organisation=demo.partners[partner],
        team=demo.teams[team],
        project=project,
        given_names="Test",
        family_name=f"Indikator {next(_numbers)}",
        birth_year=birth[0],
        birth_month=birth[1],
        birth_day=birth[2],
        birth_date_is_placeholder=placeholder,
        gender=gender,
        nationality=citizenship_codes(citizenships)[0] if citizenships.strip() else "",
        town=town,
        entry_date=entry,
    )
    if record:
        codes = citizenship_codes(citizenships)
        EntryRecord.objects.create(
            participant=participant,
            organisation=participant.organisation,
            lm_status_entry=lm,
            isced_level=isced,
            registered_unemployed_since=since,
            citizenships=" ".join(codes),
            third_country_national_at_entry=third_country_national_of(codes),
            **entry_fields,
        )
    return participant


def open_case(demo: DemoNetwork, participant: Participant, opened: D | None = None) -> Case:
    return Case.objects.create(
        organisation=participant.organisation,
        participant=participant,
        team=participant.team,
        case_manager=demo.users["cm_a"],
        opened_on=opened or participant.entry_date,
    )


def leave(
    demo: DemoNetwork,
    participant: Participant,
    exit_date: D,
    *,
    situations: Sequence[tuple[int, str]] = (),
    follow_ups: Sequence[tuple[D, str, bool]] = (),
    qualification_on: D | None = None,
) -> ExitRecord:
    """A closed case ending on `exit_date`; situations as (days after exit, kind) in
    recording order; follow-ups as (answered on, employed answer, improved)."""
    case = open_case(demo, participant)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=exit_date)
    record = ExitRecord.objects.create(
        case=case,
        participant=participant,
        organisation=participant.organisation,
        exit_date=exit_date,
        exit_reason="completed",
        qualification_gained=qualification_on is not None,
        qualification_on=qualification_on,
    )
    for offset, kind in situations:
        ExitSituation.objects.create(
            exit_record=record, date=exit_date + datetime.timedelta(days=offset), kind=kind
        )
    for answered_on, employed, improved in follow_ups:
        FollowUp.objects.create(
            exit_record=record,
            organisation=participant.organisation,
            answered_on=answered_on,
            employed=employed,
            improvements=["promotion"] if improved else [],
        )
    refresh_results(record)
    return record
