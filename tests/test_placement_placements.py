"""Placements and the follow-up after the start: place filling, check-ins and their
outcomes, missed check-ins in the daily run, the ESF exit suggestion, the figures for
reporting, scope and the demo."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, EventKind
from bruecke.esf.results import add_months
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Team
from bruecke.placement.demo import pipeline as demo_pipeline
from bruecke.placement.models import (
    Application,
    CheckIn,
    CheckInOutcome,
    Opportunity,
    OpportunityStatus,
    Placement,
    PlacementKind,
    PlacementStatus,
    SixMonthStatus,
    Stage,
)
from bruecke.placement.selectors import figures
from bruecke.placement.services import pipeline as pipeline_services
from bruecke.placement.services import placements as services
from bruecke.reminders.models import Notice
from bruecke.reminders.schedule import run_schedule
from bruecke.reminders.services.check_ins import CHECK_IN_MISSED
from tests import placement_factories as factories
from tests.expectations_cases import _case

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def case(demo: DemoNetwork) -> Case:
    return _case(demo)


@pytest.fixture
def po(persona: Callable[[str], User]) -> User:
    return persona("po_a")


def _data(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": PlacementKind.EMPLOYMENT,
        "start_date": TODAY,
        "employer": None,
        "hours_per_week": Decimal("30"),
        "wage_band": "",
        "fixed_term_until": None,
        **overrides,
    }


def _contract(po: User, case: Case, opportunity: Opportunity) -> Application:
    application = factories.application(po, case, opportunity, on=case.opened_on)
    for stage in (Stage.APPLIED, Stage.CONTRACT):
        application.refresh_from_db()
        application = pipeline_services.application_move(
            actor=po, application=application, stage=stage, on=TODAY
        )
    return application


def _direct(po: User, case: Case, **overrides: Any) -> Placement:
    employer = overrides.pop("employer", None) or factories.employer(case.organisation)
    return services.placement_create(actor=po, case=case, data=_data(employer=employer, **overrides))


# --- creating, place filling ----------------------------------------------------------------


def test_a_placement_from_a_contract_fills_a_place_and_starts_the_entry(po: User, case: Case) -> None:
    opportunity = factories.opportunity(case.organisation, places=2)
    application = _contract(po, case, opportunity)
    placement = services.placement_create(
        actor=po, case=case, application=application, data=_data(employer=opportunity.employer)
    )
    opportunity.refresh_from_db()
    application.refresh_from_db()
    assert (opportunity.places_filled, opportunity.status) == (1, OpportunityStatus.OPEN)
    assert application.stage == Stage.STARTED
    assert placement.opportunity_id == opportunity.pk and placement.team_id == case.team_id
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PLACEMENT, object_id=str(placement.pk)).exists()
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.PIPELINE, object_id=str(application.pk), details__stage="started"
    ).exists()


def test_the_last_place_fills_the_opportunity_and_then_none_is_free(
    po: User, case: Case, demo: DemoNetwork
) -> None:
    opportunity = factories.opportunity(case.organisation, places=1)
    application = _contract(po, case, opportunity)
    services.placement_create(
        actor=po, case=case, application=application, data=_data(employer=opportunity.employer)
    )
    opportunity.refresh_from_db()
    assert (opportunity.places_filled, opportunity.status) == (1, OpportunityStatus.FILLED)
    # A second participant's contract for the same opportunity: no free place, nothing saved.
    other = Case.objects.filter(team=case.team).exclude(pk=case.pk).first()
    assert other is not None
    Case.objects.filter(pk=other.pk).update(status="active", closed_on=None)
    before = Placement.objects.filter(case=other).count()
    second = Application.objects.create(
        case=other,
        opportunity=opportunity,
        organisation=other.organisation,
        team=other.team,
        stage=Stage.CONTRACT,
        stage_on=TODAY,
        created_by=po,
    )
    with pytest.raises(ValidationError) as error:
        services.placement_create(
            actor=po, case=other, application=second, data=_data(employer=opportunity.employer)
        )
    assert "keinen freien Platz" in str(error.value)
    second.refresh_from_db()
    opportunity.refresh_from_db()
    assert second.stage == Stage.CONTRACT
    assert opportunity.places_filled == 1
    assert Placement.objects.filter(case=other).count() == before


def test_check_ins_are_created_after_the_configured_months(po: User, case: Case, settings: Any) -> None:
    placement = _direct(po, case, start_date=case.opened_on)
    assert [(c.months_after_start, c.due_on) for c in placement.check_ins.all()] == [
        (m, add_months(case.opened_on, m)) for m in (1, 3, 6)
    ]
    settings.PLACEMENT_CHECK_IN_MONTHS = (2, 12)
    other = _direct(po, case, start_date=case.opened_on, kind=PlacementKind.MINIJOB)
    assert [c.months_after_start for c in other.check_ins.all()] == [2, 12]


def test_school_and_self_employment_need_no_employer_others_do(po: User, case: Case) -> None:
    before = Placement.objects.filter(case=case).count()  # the demo's placements of the case
    for kind in (PlacementKind.SCHOOL, PlacementKind.SELF_EMPLOYMENT):
        services.placement_create(actor=po, case=case, data=_data(kind=kind))
    with pytest.raises(ValidationError) as error:
        services.placement_create(actor=po, case=case, data=_data(kind=PlacementKind.EMPLOYMENT))
    assert "employer" in error.value.message_dict
    assert Placement.objects.filter(case=case).count() == before + 2


def test_bad_dates_are_refused_and_nothing_is_saved(po: User, case: Case) -> None:
    employer = factories.employer(case.organisation)
    before = (Placement.objects.count(), CheckIn.objects.count())  # the demo's placements
    for data, field in [
        (_data(employer=employer, start_date=case.opened_on - DAY), "start_date"),
        (_data(employer=employer, fixed_term_until=TODAY - DAY), "fixed_term_until"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.placement_create(actor=po, case=case, data=data)
        assert field in error.value.message_dict
    assert (Placement.objects.count(), CheckIn.objects.count()) == before


def test_a_proposal_cannot_become_a_placement_before_the_contract(po: User, case: Case) -> None:
    opportunity = factories.opportunity(case.organisation)
    application = factories.application(po, case, opportunity, on=case.opened_on)
    with pytest.raises(ValidationError):
        services.placement_create(
            actor=po, case=case, application=application, data=_data(employer=opportunity.employer)
        )
    opportunity.refresh_from_db()
    assert opportunity.places_filled == 0


@pytest.mark.parametrize("key", ["cm_a", "cm_b", "user_c", "ruppin.admin", "coordinator"])
def test_outside_the_scope_no_placement_is_saved(
    key: str, persona: Callable[[str], User], case: Case
) -> None:
    before = Placement.objects.count()  # the demo's placements
    with pytest.raises(Http404):
        services.placement_create(actor=persona(key), case=case, data=_data(kind=PlacementKind.SCHOOL))
    assert Placement.objects.count() == before


def test_an_employer_the_actor_cannot_see_is_404(po: User, case: Case, demo: DemoNetwork) -> None:
    foreign = factories.employer(demo.partners["B"], name="Fremd GmbH")
    before = Placement.objects.count()  # the demo's placements
    with pytest.raises(Http404):
        services.placement_create(actor=po, case=case, data=_data(employer=foreign))
    assert Placement.objects.count() == before


def test_the_form_page_of_another_team_is_404_and_saves_nothing(
    login: Callable[[str], Client], case: Case
) -> None:
    client = login("cm_b")
    before = Placement.objects.count()  # the demo's placements
    url = reverse("placement:placement_create", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "school", "start_date": TODAY.strftime("%d.%m.%Y")}).status_code == 404
    assert Placement.objects.count() == before


def test_the_form_page_records_a_placement(login: Callable[[str], Client], case: Case) -> None:
    employer = factories.employer(case.organisation)
    response = login("po_a").post(
        reverse("placement:placement_create", args=[case.pk]),
        {
            "kind": "employment",
            "start_date": TODAY.strftime("%d.%m.%Y"),
            "employer": employer.pk,
            "hours_per_week": "20",
        },
    )
    placement = Placement.objects.get(case=case, employer=employer)
    assert response.status_code == 302
    assert response["Location"] == reverse("placement:placement_detail", args=[placement.pk])
    page = login("po_a").get(response["Location"]).content.decode()
    assert "Nachbetreuung nach dem Start" in page


def test_the_form_page_shows_a_missing_employer_next_to_the_field(
    login: Callable[[str], Client], case: Case
) -> None:
    before = Placement.objects.count()  # the demo's placements
    response = login("po_a").post(
        reverse("placement:placement_create", args=[case.pk]),
        {"kind": "employment", "start_date": TODAY.strftime("%d.%m.%Y")},
    )
    assert response.status_code == 400
    assert (
        'id="id_employer-errors"' in response.content.decode() or "Arbeitgeber" in response.content.decode()
    )
    assert Placement.objects.count() == before


# --- check-ins --------------------------------------------------------------------------------


def _record(po: User, check_in: CheckIn, outcome: str, **kw: Any) -> CheckIn:
    check_in.refresh_from_db()
    return services.check_in_record(actor=po, check_in=check_in, done_on=TODAY, outcome=outcome, **kw)


def test_a_problem_or_risk_marks_the_placement_at_risk_and_going_well_clears_it(po: User, case: Case) -> None:
    placement = _direct(po, case, start_date=case.opened_on)
    first = placement.check_ins.get(months_after_start=1)
    for outcome in (CheckInOutcome.PROBLEM, CheckInOutcome.AT_RISK):
        _record(po, first, outcome)
        placement.refresh_from_db()
        assert placement.status == PlacementStatus.AT_RISK
    _record(po, first, CheckInOutcome.FINE)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ACTIVE
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.CHECK_IN, object_id=str(placement.pk), details__outcome="fine"
    ).exists()


def test_ended_ends_the_placement_with_date_and_reason(po: User, case: Case) -> None:
    placement = _direct(po, case, start_date=case.opened_on)
    first = placement.check_ins.get(months_after_start=1)
    with pytest.raises(ValidationError) as error:
        _record(po, first, CheckInOutcome.ENDED)
    assert "end_reason" in error.value.message_dict
    _record(po, first, CheckInOutcome.ENDED, end_reason="Probezeit nicht bestanden")
    placement.refresh_from_db()
    assert (placement.status, placement.ended_on, placement.end_reason) == (
        PlacementStatus.ENDED,
        TODAY,
        "Probezeit nicht bestanden",
    )


def test_the_six_month_check_in_asks_for_the_status_after_six_months(po: User, case: Case) -> None:
    placement = _direct(po, case, start_date=case.opened_on)
    six = placement.check_ins.get(months_after_start=6)
    with pytest.raises(ValidationError) as error:
        _record(po, six, CheckInOutcome.FINE)
    assert "status_6_months" in error.value.message_dict
    _record(po, six, CheckInOutcome.FINE, status_6_months=SixMonthStatus.STILL_THERE)
    placement.refresh_from_db()
    assert placement.status_6_months == SixMonthStatus.STILL_THERE


def test_a_check_in_cannot_be_dated_before_the_start_or_in_the_future(po: User, case: Case) -> None:
    placement = _direct(po, case, start_date=TODAY - 3 * DAY)
    first = placement.check_ins.get(months_after_start=1)
    for done_on in (TODAY - 4 * DAY, TODAY + DAY):
        with pytest.raises(ValidationError) as error:
            services.check_in_record(actor=po, check_in=first, done_on=done_on, outcome=CheckInOutcome.FINE)
        assert "done_on" in error.value.message_dict
    first.refresh_from_db()
    assert first.done_on is None


def test_the_check_in_form_of_another_team_is_404(
    login: Callable[[str], Client], po: User, case: Case
) -> None:
    placement = _direct(po, case, start_date=case.opened_on)
    first = placement.check_ins.get(months_after_start=1)
    url = reverse("placement:check_in_record", args=[first.pk])
    assert login("cm_b").get(url).status_code == 404
    assert login("cm_a").get(url).status_code == 404  # reads, does not record
    response = login("po_a").post(
        url, {"done_on": TODAY.strftime("%d.%m.%Y"), "outcome": "at_risk", "version": first.version}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AT_RISK


def test_an_overdue_check_in_and_a_risk_show_on_the_case_tab_and_the_pipeline(
    login: Callable[[str], Client], po: User, case: Case
) -> None:
    placement = _direct(po, case, start_date=case.opened_on)
    client = login("po_a")
    tab_url = reverse("cases:detail", args=[case.pk]) + "?section=placement"
    overdue = "Nachbetreuung überfällig"
    # The demo's placements of the case have an overdue check-in of their own: one more.
    tab_before = client.get(tab_url).content.decode().count(overdue)
    board_before = client.get(reverse("placement:pipeline")).content.decode().count(overdue)
    CheckIn.objects.filter(placement=placement, months_after_start=1).update(due_on=TODAY - 2 * DAY)
    tab = client.get(tab_url).content.decode()
    assert tab.count(overdue) == tab_before + 1
    board = client.get(reverse("placement:pipeline")).content.decode()
    assert board.count(overdue) == board_before + 1
    _record(po, placement.check_ins.get(months_after_start=3), CheckInOutcome.AT_RISK)
    detail = client.get(reverse("placement:placement_detail", args=[placement.pk])).content.decode()
    assert "Abbruch droht" in detail


def test_ending_a_placement_on_the_edit_page(login: Callable[[str], Client], po: User, case: Case) -> None:
    placement = _direct(po, case, start_date=case.opened_on)
    url = reverse("placement:placement_edit", args=[placement.pk])
    client = login("po_a")
    response = client.post(url, {"ended_on": TODAY.strftime("%d.%m.%Y"), "version": placement.version})
    assert response.status_code == 400
    assert "Bitte geben Sie den Grund an." in response.content.decode()
    response = client.post(
        url, {"ended_on": TODAY.strftime("%d.%m.%Y"), "end_reason": "Umzug", "version": placement.version}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ENDED


# --- the daily run ----------------------------------------------------------------------------


def test_missed_check_ins_are_announced_once_to_the_placement_officer(
    po: User, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    # The demo's missed check-ins are announced first: the run below has only this one.
    with django_capture_on_commit_callbacks(execute=True):
        run_schedule(only=["missed_check_ins"], today=TODAY)
    notices = Notice.objects.filter(kind=CHECK_IN_MISSED).count()
    placement = _direct(po, case, start_date=case.opened_on)
    first = placement.check_ins.get(months_after_start=1)
    CheckIn.objects.filter(pk=first.pk).update(due_on=TODAY - 2 * DAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = run_schedule(only=["missed_check_ins"], today=TODAY)
    assert report.steps["missed_check_ins"].counts == {"check_ins_announced": 1, "mails": 1}
    [message] = mail.outbox
    assert message.to == [case.placement_officer.email]  # type: ignore[union-attr]
    assert case.participant.family_name not in message.body
    assert "/placement/pipeline/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        again = run_schedule(only=["missed_check_ins"], today=TODAY)
    assert again.steps["missed_check_ins"].counts == {}
    assert len(mail.outbox) == 1
    assert Notice.objects.filter(kind=CHECK_IN_MISSED).count() == notices + 1
    assert Notice.objects.filter(kind=CHECK_IN_MISSED, object_id=str(first.pk)).count() == 1


# --- ESF exit suggestion ----------------------------------------------------------------------


def test_the_exit_form_suggests_the_placement_and_prefills_only_on_request(
    login: Callable[[str], Client], po: User, case: Case
) -> None:
    employer = factories.employer(case.organisation, name="Hafenküche Rostock")
    _direct(po, case, start_date=case.opened_on, employer=employer)
    client = login("cm_a")
    url = reverse("cases:close", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Vorschlag aus der Vermittlung" in page and "Hafenküche Rostock" in page
    assert 'value="employed" selected' not in page
    prefilled = client.get(url + "?suggestion=placement").content.decode()
    assert '<option value="employed" selected>' in prefilled
    case.refresh_from_db()
    assert case.status != "closed"  # nothing saved without the user's submit


def test_no_suggestion_without_an_employment_or_training_placement(
    login: Callable[[str], Client], po: User, case: Case
) -> None:
    # The demo's placements of the case (employment, minijob) would be suggested: without them.
    Placement.objects.filter(case=case).delete()
    _direct(po, case, kind=PlacementKind.INTERNSHIP)
    page = login("cm_a").get(reverse("cases:close", args=[case.pk])).content.decode()
    assert "Vorschlag aus der Vermittlung" not in page


# --- figures for reporting --------------------------------------------------------------------


def _added(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """What the test's records added to the figures (the demo's placements count too)."""
    differences = {key: after.get(key, 0) - before.get(key, 0) for key in {*before, *after}}
    return {key: n for key, n in differences.items() if n}


def test_figures_count_placements_by_kind_and_the_status_after_six_months(
    po: User, case: Case, demo: DemoNetwork
) -> None:
    organisations = [demo.partners["A"].pk]
    year = (TODAY - datetime.timedelta(days=400), TODAY)
    recent = (TODAY - DAY * 60, TODAY)

    def current() -> tuple[dict[str, int], ...]:
        return (
            figures.placements_by_kind(organisations, None, *year),
            figures.placements_by_kind(organisations, case.team_id, *recent),
            figures.placements_by_kind([demo.partners["B"].pk], None, *year),
            figures.status_after_six_months(organisations, None, *year, today=TODAY),
        )

    by_kind, by_kind_recent, other_partner, six_months = current()
    _direct(po, case, start_date=case.opened_on)
    _direct(po, case, start_date=case.opened_on, kind=PlacementKind.MINIJOB)
    old = _direct(po, case, start_date=case.opened_on, kind=PlacementKind.MINIJOB)
    Placement.objects.filter(pk=old.pk).update(
        start_date=add_months(TODAY, -7), status_6_months=SixMonthStatus.STILL_THERE
    )
    after = current()
    assert _added(by_kind, after[0]) == {"employment": 1, "minijob": 2}
    assert _added(by_kind_recent, after[1]) == {"employment": 1, "minijob": 1}
    assert after[2] == other_partner
    assert _added(six_months, after[3]) == {"still_there": 1}


# --- demo -------------------------------------------------------------------------------------


def test_the_demo_seeds_a_pipeline_and_placements_once(demo: DemoNetwork, case: Case) -> None:
    # The session's demo has seeded its pipeline already: this test starts without it and
    # without open opportunities (rolled back with the test).
    teams = Team.objects.filter(network=demo.network)
    Placement.objects.filter(team__in=teams).delete()
    Application.objects.filter(team__in=teams).delete()
    Opportunity.objects.filter(status=OpportunityStatus.OPEN).update(status=OpportunityStatus.CLOSED)
    demo_pipeline.seed(demo)  # no open opportunities: nothing
    assert not Application.objects.filter(team__in=teams).exists()
    assert not Placement.objects.filter(team__in=teams).exists()
    employer = factories.employer(case.organisation, name="Demo-Hotel")
    for n in range(4):
        factories.opportunity(case.organisation, employer_=employer, places=3, title=f"Demo {n}")
    demo_pipeline.seed(demo)
    stages = set(Application.objects.filter(team=case.team).values_list("stage", flat=True))
    assert {Stage.PROPOSED, Stage.INTERVIEW, Stage.APPLIED, Stage.WITHDRAWN} <= stages
    placements = Placement.objects.filter(team=case.team)
    assert placements.count() == 2
    assert placements.filter(status=PlacementStatus.AT_RISK).exists()
    assert CheckIn.objects.filter(placement__team=case.team, done_on__isnull=True, due_on__lt=TODAY).exists()
    assert CheckIn.objects.filter(
        placement__team=case.team, months_after_start=1, done_on__isnull=False
    ).exists()
    counts = (Application.objects.count(), Placement.objects.count())
    demo_pipeline.seed(demo)
    assert (Application.objects.count(), Placement.objects.count()) == counts


def test_the_history_shows_pipeline_permit_placement_and_check_in_events(
    login: Callable[[str], Client], po: User, case: Case
) -> None:
    client = login("cm_a")
    url = reverse("cases:timeline", args=[case.pk])
    texts = ("Vertrag unterschrieben", "laufend", "erfasst", "nach 1 Monat")
    # The demo's pipeline of the case is in its history already: each text more often.
    before = client.get(url).content.decode()
    opportunity = factories.opportunity(case.organisation)
    application = _contract(po, case, opportunity)
    pipeline_services.permit_save(
        actor=po, application=application, data={"applied_on": TODAY, "decision": "pending"}
    )
    placement = _direct(po, case, start_date=case.opened_on)
    _record(po, placement.check_ins.get(months_after_start=1), CheckInOutcome.PROBLEM)
    page = client.get(url).content.decode()
    for text in texts:
        assert page.count(text) > before.count(text), text
    assert "?section=placement#placement-heading" in page


def test_the_check_in_months_are_read_from_the_environment_and_checked() -> None:
    from tests.test_settings import _settings_value

    assert _settings_value("s.PLACEMENT_CHECK_IN_MONTHS").stdout.split()[-3:] == ["(1,", "3,", "6)"]
    assert _settings_value("s.PLACEMENT_CHECK_IN_MONTHS", PLACEMENT_CHECK_IN_MONTHS="6, 2").stdout.split()[
        -2:
    ] == ["(2,", "6)"]
    refused = _settings_value("s.PLACEMENT_CHECK_IN_MONTHS", PLACEMENT_CHECK_IN_MONTHS="1,drei")
    assert refused.returncode != 0 and "PLACEMENT_CHECK_IN_MONTHS" in refused.stderr
