"""Importing opportunities, placements and referrals: created, updated and unchanged on a
second import, through the services (audit events, filled places, lifecycle steps),
references scoped to the organisation, and bad input as row errors on the right column."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Model

from bruecke.cases.models import Case, CaseStatus
from bruecke.core.audit import object_type_of
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import Measure, MeasureKind, Provider, ProviderKind, Referral, ReferralStep
from bruecke.participants.models import Participant
from bruecke.placement.models import (
    Application,
    CheckIn,
    Employer,
    Occupation,
    Opportunity,
    OpportunityStatus,
    Placement,
    PlacementStatus,
    Stage,
)
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import Counts, RowResult, run_file
from bruecke.spreadsheets.mapping import suggest_columns
from bruecke.spreadsheets.models import ExternalKey
from bruecke.spreadsheets.reading import read_table
from tests import placement_factories as factories
from tests.expectations_cases import _case

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _run(
    demo: DemoNetwork,
    entity_key: str,
    rows: list[list[str]],
    *,
    user: str = "po_a",
    dry_run: bool = False,
    values: dict[str, dict[str, str]] | None = None,
) -> tuple[Counts, list[RowResult]]:
    entity = registry.get(entity_key)
    assert entity is not None
    ctx = ImportContext(actor=demo.users[user], organisation=demo.partners["A"], entity=entity_key)
    table = read_table(_csv(rows), f"{entity_key}.csv")
    plan = Plan(entity, {c.key: c.key for c in entity.all_columns() if c.key in rows[0]}, values or {})
    results: list[RowResult] = []
    counts = run_file(ctx, plan, table, dry_run=dry_run, on_row=results.append)
    return counts, results


def _key(demo: DemoNetwork, entity: str, external_id: str, pk: int) -> None:
    """As if the record had come with an earlier import of its own entity."""
    ExternalKey.objects.create(
        organisation=demo.partners["A"], entity=entity, external_id=external_id, object_id=pk, row_hash=""
    )


def _created_events(obj: Model) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(obj.pk), object_type=object_type_of(obj)
    ).count()


@pytest.fixture
def case(demo: DemoNetwork) -> Case:
    case = _case(demo)
    _key(demo, "participants", "P-1", case.participant_id)
    return case


@pytest.fixture
def employer(demo: DemoNetwork) -> Employer:
    employer = factories.employer(demo.partners["A"])
    _key(demo, "employers", "E-1", employer.pk)
    return employer


# --- opportunities ---------------------------------------------------------------------------

OPP_HEADER = ["external_id", "employer", "title", "kind", "occupation", "start_date", "places", "status"]


def _opp_row(**overrides: str) -> list[str]:
    row = {
        "external_id": "O-1",
        "employer": "E-1",
        "title": "Koch/Köchin (m/w/d)",
        "kind": "job",
        "occupation": factories.DEMO_CODE,
        "start_date": _d(TODAY + 30 * DAY),
        "places": "2",
        "status": "",
        **overrides,
    }
    return [row[key] for key in OPP_HEADER]


@pytest.mark.django_db
def test_opportunities_are_created_updated_and_left_unchanged(demo: DemoNetwork, employer: Employer) -> None:
    factories.opportunity(demo.partners["A"], employer_=employer)  # puts the occupation in the catalogue
    before = Opportunity.objects.count()
    counts, results = _run(demo, "opportunities", [OPP_HEADER, _opp_row()], dry_run=True)
    assert (counts.created, counts.errors, Opportunity.objects.count()) == (1, 0, before), results[0].errors

    counts, results = _run(demo, "opportunities", [OPP_HEADER, _opp_row()])
    assert counts.created == 1, results[0].errors
    opportunity = Opportunity.objects.get(pk=results[0].object_id or 0)
    assert (opportunity.employer, opportunity.places, opportunity.status) == (
        employer,
        2,
        OpportunityStatus.OPEN,
    )
    assert opportunity.network_id == demo.partners["A"].network_id
    assert _created_events(opportunity) == 1

    events = AuditEvent.objects.count()
    counts, _results = _run(demo, "opportunities", [OPP_HEADER, _opp_row()])
    assert (counts.unchanged, AuditEvent.objects.count()) == (1, events)

    header = [*OPP_HEADER, "status_reason"]
    counts, results = _run(
        demo,
        "opportunities",
        [header, [*_opp_row(title="Koch (m/w/d)", status="closed"), "Stelle gestrichen"]],
    )
    opportunity.refresh_from_db()
    assert counts.updated == 1, results[0].errors
    assert (opportunity.title, opportunity.status, opportunity.status_reason) == (
        "Koch (m/w/d)",
        OpportunityStatus.CLOSED,
        "Stelle gestrichen",
    )


@pytest.mark.django_db
def test_an_occupation_can_be_given_by_its_title(demo: DemoNetwork, employer: Employer) -> None:
    factories.opportunity(demo.partners["A"], employer_=employer)
    title = Occupation.objects.get(code=factories.DEMO_CODE).title
    counts, results = _run(demo, "opportunities", [OPP_HEADER, _opp_row(occupation=title.upper())])
    assert counts.created == 1, results[0].errors
    assert Opportunity.objects.get(pk=results[0].object_id or 0).occupation_id == factories.DEMO_CODE


@pytest.mark.django_db
def test_bad_opportunity_rows_are_errors_on_their_columns(demo: DemoNetwork, employer: Employer) -> None:
    factories.opportunity(demo.partners["A"], employer_=employer)
    other = factories.employer(demo.partners["B"], name="Werft Greifswald")
    header = [*OPP_HEADER, "end_date"]
    rows = [
        header,
        [*_opp_row(external_id="1", places="-3"), ""],
        [*_opp_row(external_id="2"), _d(TODAY)],  # ends before it starts
        [*_opp_row(external_id="3", kind="Minijob"), ""],
        [*_opp_row(external_id="4", employer=str(other.pk)), ""],
        [*_opp_row(external_id="5", occupation="Sternendeuter"), ""],
        [*_opp_row(external_id="6", status="filled"), ""],  # no reason
        [*_opp_row(external_id="7", start_date="31.02.2027"), ""],
    ]
    before = Opportunity.objects.count()
    counts, results = _run(demo, "opportunities", rows)
    columns = [[column for column, _message in result.errors] for result in results]
    assert columns == [
        ["places"],
        ["end_date"],
        ["kind"],
        ["employer"],
        ["occupation"],
        ["status_reason"],
        ["start_date"],
    ]
    assert "keinen Datensatz" in results[3].errors[0][1]
    assert (counts.errors, Opportunity.objects.count()) == (7, before)


# --- placements ------------------------------------------------------------------------------

PL_HEADER = ["external_id", "participant", "kind", "start_date", "employer", "hours_per_week"]


@pytest.mark.django_db
def test_a_placement_is_recorded_directly_and_updated_by_a_later_import(
    demo: DemoNetwork, case: Case, employer: Employer
) -> None:
    before = Placement.objects.filter(case=case).count()
    start = max(case.opened_on, TODAY - 60 * DAY)
    row = ["PL-1", "P-1", "Sozialversicherungspflichtig", _d(start), "E-1", "30"]
    mapping = {"kind": {"sozialversicherungspflichtig": "employment"}}
    counts, results = _run(demo, "placements", [PL_HEADER, row], dry_run=True, values=mapping)
    assert (counts.created, Placement.objects.filter(case=case).count()) == (1, before), results[0].errors

    counts, results = _run(demo, "placements", [PL_HEADER, row], values=mapping)
    assert counts.created == 1, results[0].errors
    placement = Placement.objects.get(pk=results[0].object_id or 0)
    assert (placement.case, placement.employer, placement.kind, placement.application) == (
        case,
        employer,
        "employment",
        None,
    )
    assert CheckIn.objects.filter(placement=placement).count() == 3
    assert _created_events(placement) == 1

    counts, _results = _run(demo, "placements", [PL_HEADER, row], values=mapping)
    assert counts.unchanged == 1

    header = [*PL_HEADER, "ended_on", "end_reason"]
    ended = [*row[:5], "20", _d(TODAY), "Probezeit nicht bestanden"]
    counts, results = _run(demo, "placements", [header, ended], values=mapping)
    placement.refresh_from_db()
    assert counts.updated == 1, results[0].errors
    assert placement.hours_per_week == Decimal(20)
    assert (placement.status, placement.ended_on) == (PlacementStatus.ENDED, TODAY)

    later_end = [*ended[:6], _d(TODAY - DAY), ended[7]]
    counts, results = _run(demo, "placements", [header, later_end], values=mapping)
    assert results[0].errors[0][0] == "ended_on"

    moved = [*row[:3], _d(start + DAY), *row[4:]]
    counts, results = _run(demo, "placements", [PL_HEADER, moved], values=mapping)
    assert results[0].errors[0][0] == "start_date"


@pytest.mark.django_db
def test_a_placement_on_an_opportunity_goes_through_the_pipeline_and_fills_a_place(
    demo: DemoNetwork, case: Case, employer: Employer
) -> None:
    opportunity = factories.opportunity(demo.partners["A"], employer_=employer, places=1)
    _key(demo, "opportunities", "O-9", opportunity.pk)
    header = ["external_id", "participant", "kind", "start_date", "opportunity"]
    counts, results = _run(demo, "placements", [header, ["PL-2", "P-1", "employment", _d(TODAY), "O-9"]])
    assert counts.created == 1, results[0].errors
    placement = Placement.objects.get(pk=results[0].object_id or 0)
    opportunity.refresh_from_db()
    assert (placement.opportunity, placement.employer) == (opportunity, employer)
    assert (opportunity.places_filled, opportunity.status) == (1, OpportunityStatus.FILLED)
    application = Application.objects.get(case=case, opportunity=opportunity)
    assert application.stage == Stage.STARTED
    assert list(application.steps.values_list("stage", flat=True)) == [
        "proposed",
        "applied",
        "contract",
        "started",
    ]

    counts, results = _run(demo, "placements", [header, ["PL-3", "P-1", "employment", _d(TODAY), "O-9"]])
    assert results[0].errors[0][0] == "opportunity"


@pytest.mark.django_db
def test_bad_placement_rows_are_errors_on_their_columns(
    demo: DemoNetwork, case: Case, employer: Employer
) -> None:
    yusuf = Participant.objects.get(organisation=demo.partners["B"], family_name="Yusuf")
    other = factories.employer(demo.partners["B"], name="Werft Greifswald")
    header = [*PL_HEADER, "fixed_term_until", "ended_on", "end_reason"]
    start = _d(max(case.opened_on, TODAY - 60 * DAY))
    rows = [
        header,
        ["1", str(yusuf.pk), "employment", start, "E-1", "30", "", "", ""],
        ["2", "P-1", "employment", start, str(other.pk), "30", "", "", ""],
        ["3", "P-1", "employment", start, "E-1", "-5", "", "", ""],
        ["4", "P-1", "employment", start, "E-1", "30", _d(case.opened_on - DAY), "", ""],
        ["5", "P-1", "employment", start, "E-1", "30", "", _d(TODAY + DAY), "Umzug"],
        ["6", "P-1", "employment", start, "", "30", "", "", ""],
        ["7", "P-1", "Festanstellung", start, "E-1", "30", "", "", ""],
        ["8", "P-1", "employment", _d(case.opened_on - DAY), "E-1", "30", "", "", ""],
        ["9", "P-1", "employment", start, "E-1", "30", "", "", "ohne Datum"],
    ]
    before = Placement.objects.count()
    counts, results = _run(demo, "placements", rows)
    columns = [sorted({column or "" for column, _message in result.errors}) for result in results]
    assert columns == [
        ["participant"],
        ["employer"],
        ["hours_per_week"],
        ["fixed_term_until"],
        ["ended_on"],
        ["employer"],
        ["kind"],
        ["start_date"],
        ["ended_on"],
    ]
    assert (counts.errors, Placement.objects.count()) == (9, before)


# --- referrals -------------------------------------------------------------------------------


@pytest.fixture
def measure(demo: DemoNetwork) -> Measure:
    provider = Provider.objects.create(
        organisation=demo.partners["A"], kind=ProviderKind.OTHER, name="VHS Rostock", town="Rostock"
    )
    return Measure.objects.create(
        organisation=demo.partners["A"],
        provider=provider,
        kind=MeasureKind.LANGUAGE_COURSE,
        title="Deutschkurs B1",
    )


REF_HEADER = [
    "external_id",
    "participant",
    "measure",
    "status",
    "referred_on",
    "started_on",
    "ended_on",
    "note",
]


@pytest.mark.django_db
def test_a_referral_is_imported_with_every_step_of_its_lifecycle(
    demo: DemoNetwork, case: Case, measure: Measure
) -> None:
    referred, started = max(case.opened_on, TODAY - 90 * DAY), max(case.opened_on, TODAY - 30 * DAY)
    row = ["R-1", "P-1", "deutschkurs b1", "started", _d(referred), _d(started), "", "läuft gut"]
    counts, results = _run(demo, "referrals", [REF_HEADER, row], user="cm_a")
    assert counts.created == 1, results[0].errors
    referral = Referral.objects.get(pk=results[0].object_id or 0)
    assert (referral.measure, referral.status, referral.referred_on, referral.started_on) == (
        measure,
        "started",
        referred,
        started,
    )
    steps = list(ReferralStep.objects.filter(referral=referral).order_by("occurred_on", "pk"))
    assert [(s.status, s.occurred_on) for s in steps] == [("referred", referred), ("started", started)]
    assert steps[-1].note == "läuft gut"
    assert _created_events(referral) == 1

    counts, _results = _run(demo, "referrals", [REF_HEADER, row], user="cm_a")
    assert counts.unchanged == 1

    done = [*row[:3], "abgeschlossen", row[4], row[5], _d(TODAY), "Zertifikat erhalten"]
    mapping = {"status": {"abgeschlossen": "completed"}}
    counts, results = _run(demo, "referrals", [REF_HEADER, done], user="cm_a", values=mapping)
    referral.refresh_from_db()
    assert counts.updated == 1, results[0].errors
    assert (referral.status, referral.ended_on) == ("completed", TODAY)
    assert referral.steps.count() == 3

    rewritten = [*done[:3], "dropped_out", *done[4:]]
    counts, results = _run(demo, "referrals", [REF_HEADER, rewritten], user="cm_a", values=mapping)
    assert results[0].errors[0][0] == "status"


@pytest.mark.django_db
def test_impossible_referral_rows_are_errors_on_their_columns(
    demo: DemoNetwork, case: Case, measure: Measure
) -> None:
    yusuf = Participant.objects.get(organisation=demo.partners["B"], family_name="Yusuf")
    on = _d(max(case.opened_on, TODAY - 30 * DAY))
    later = _d(max(case.opened_on, TODAY - 10 * DAY))
    rows = [
        REF_HEADER,
        ["1", "P-1", "Deutschkurs B1", "rejected", on, later, later, ""],  # started, then rejected
        ["2", "P-1", "Deutschkurs B1", "started", "", later, "", ""],  # never referred
        ["3", "P-1", "Deutschkurs B1", "started", later, on, "", ""],  # started before referred
        ["4", "P-1", "Deutschkurs B1", "referred", _d(TODAY + DAY), "", "", ""],
        ["5", "P-1", "Schweißkurs", "referred", on, "", "", ""],
        ["6", str(yusuf.pk), "Deutschkurs B1", "referred", on, "", "", ""],
        ["7", "P-1", "Deutschkurs B1", "referred", on, later, "", ""],  # a date after its status
        ["8", "P-1", "Deutschkurs B1", "completed", on, later, "", ""],  # no end date
        ["9", "P-1", "Deutschkurs B1", "referred", _d(case.opened_on - DAY), "", "", ""],
    ]
    before = Referral.objects.count()
    counts, results = _run(demo, "referrals", rows, user="cm_a")
    columns = [sorted({column or "" for column, _message in result.errors}) for result in results]
    assert columns == [
        ["status"],
        ["referred_on"],
        ["started_on"],
        ["referred_on"],
        ["measure"],
        ["participant"],
        ["started_on"],
        ["ended_on"],
        ["referred_on"],
    ]
    assert (counts.errors, Referral.objects.count()) == (9, before)


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(
    demo: DemoNetwork, case: Case, measure: Measure, employer: Employer
) -> None:
    events, referrals = AuditEvent.objects.count(), Referral.objects.count()
    row = ["R-2", "P-1", "Deutschkurs B1", "referred", _d(max(case.opened_on, TODAY - DAY)), "", "", ""]
    counts, results = _run(demo, "referrals", [REF_HEADER, row], user="cm_a", dry_run=True)
    assert counts.created == 1, results[0].errors
    assert (Referral.objects.count(), AuditEvent.objects.count()) == (referrals, events)


@pytest.mark.django_db
def test_german_headers_are_suggested_for_the_referral_columns() -> None:
    entity = registry.get("referrals")
    assert entity is not None
    headers = ["Nr.", "Maßnahme", "Träger", "Stand", "vermittelt am", "begonnen am", "Notiz"]
    assert suggest_columns(entity, headers) == {
        "external_id": "Nr.",
        "measure": "Maßnahme",
        "provider": "Träger",
        "status": "Stand",
        "referred_on": "vermittelt am",
        "started_on": "begonnen am",
        "note": "Notiz",
    }


@pytest.mark.django_db
def test_two_rows_for_the_last_place_of_an_opportunity_import_nothing(
    demo: DemoNetwork, case: Case, employer: Employer
) -> None:
    opportunity = factories.opportunity(demo.partners["A"], employer_=employer, places=1)
    other_case = (
        Case.objects.filter(organisation=demo.partners["A"], team=case.team, opened_on__lte=TODAY)
        .exclude(participant=case.participant)
        .exclude(status=CaseStatus.CLOSED)
        .first()
    )
    assert other_case is not None
    header = ["external_id", "participant", "case", "kind", "start_date", "opportunity"]
    rows = [
        header,
        ["1", "P-1", "", "employment", _d(TODAY), str(opportunity.pk)],
        [
            "2",
            str(other_case.participant_id),
            str(other_case.pk),
            "employment",
            _d(TODAY),
            str(opportunity.pk),
        ],
    ]
    before = Placement.objects.count()
    counts, results = _run(demo, "placements", rows, user="team_lead")
    assert results[0].errors == []
    assert results[1].errors == [("opportunity", "Dieses Angebot hat keinen freien Platz mehr.")]
    opportunity.refresh_from_db()
    assert (counts.errors, Placement.objects.count(), opportunity.places_filled) == (1, before, 0)
