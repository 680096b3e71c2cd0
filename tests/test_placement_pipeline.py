"""The pipeline: proposing, every allowed and refused move, dates, the work-permission
application (a refusal closes the entry; no start without a granted permission), scope and
the pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, EventKind
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import ResidenceStatus
from bruecke.placement.models import (
    ALLOWED_NEXT,
    Application,
    CloseReason,
    OpportunityStatus,
    PermitDecision,
    PermitRequest,
    Stage,
    Step,
)
from bruecke.placement.services import pipeline as services
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


def needs_permit(case: Case) -> None:
    """Gives the participant a Gestattung: employment needs the Ausländerbehörde's permission."""
    ResidenceStatus.objects.filter(participant=case.participant).update(
        status="gestattung", work_note="with_permission"
    )


def _entry(po: User, case: Case, **kwargs: Any) -> Application:
    return factories.application(
        po, case, factories.opportunity(case.organisation, **kwargs), on=case.opened_on
    )


def _move(
    po: User, application: Application, stage: str, on: datetime.date | None = None, **kw: Any
) -> Application:
    application.refresh_from_db()
    return services.application_move(actor=po, application=application, stage=stage, on=on or TODAY, **kw)


# --- proposing ------------------------------------------------------------------------------


def test_proposing_creates_the_entry_a_step_a_timeline_event_and_audit(po: User, case: Case) -> None:
    opportunity = factories.opportunity(case.organisation)
    application = services.application_create(
        actor=po, case=case, opportunity=opportunity, on=TODAY, note="Passt"
    )
    assert application.stage == Stage.PROPOSED
    assert application.team_id == case.team_id
    assert list(Step.objects.filter(application=application).values_list("stage", "note")) == [
        ("proposed", "Passt")
    ]
    event = CaseEvent.objects.get(case=case, kind=EventKind.PIPELINE, object_id=str(application.pk))
    assert event.details["stage"] == "proposed"
    assert "Passt" not in str(event.details)  # notes stay out of the timeline details
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="placement.application", object_id=str(application.pk)
    ).exists()


def test_proposing_twice_is_refused(po: User, case: Case) -> None:
    opportunity = factories.opportunity(case.organisation)
    before = Application.objects.filter(case=case).count()  # the demo's entries of the case
    services.application_create(actor=po, case=case, opportunity=opportunity, on=TODAY)
    with pytest.raises(ValidationError) as error:
        services.application_create(actor=po, case=case, opportunity=opportunity, on=TODAY)
    assert "opportunity" in error.value.message_dict
    assert Application.objects.filter(case=case).count() == before + 1
    assert Application.objects.filter(case=case, opportunity=opportunity).count() == 1


def test_a_closed_case_or_a_closed_opportunity_cannot_be_proposed(po: User, case: Case) -> None:
    closed = factories.opportunity(case.organisation, status=OpportunityStatus.CLOSED)
    before = Application.objects.count()  # the demo's pipeline
    with pytest.raises(ValidationError):
        services.application_create(actor=po, case=case, opportunity=closed, on=TODAY)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.application_create(
            actor=po, case=case, opportunity=factories.opportunity(case.organisation), on=TODAY
        )
    assert "case" in error.value.message_dict
    assert Application.objects.count() == before


@pytest.mark.parametrize("key", ["cm_a", "cm_b", "coordinator", "ruppin.admin"])
def test_outside_the_scope_nothing_is_proposed(key: str, persona: Callable[[str], User], case: Case) -> None:
    opportunity = factories.opportunity(case.organisation)
    before = Application.objects.count()  # the demo's pipeline
    with pytest.raises(Http404):
        services.application_create(actor=persona(key), case=case, opportunity=opportunity, on=TODAY)
    assert Application.objects.count() == before


def test_an_opportunity_the_actor_cannot_see_is_404(po: User, case: Case, demo: DemoNetwork) -> None:
    foreign = factories.opportunity(demo.partners["B"])  # not shared with the network
    before = Application.objects.count()  # the demo's pipeline
    with pytest.raises(Http404):
        services.application_create(actor=po, case=case, opportunity=foreign, on=TODAY)
    assert Application.objects.count() == before


# --- moves ----------------------------------------------------------------------------------

PATHS: dict[str, list[Stage]] = {
    Stage.PROPOSED: [],
    Stage.APPLIED: [Stage.APPLIED],
    Stage.INTERVIEW: [Stage.APPLIED, Stage.INTERVIEW],
    Stage.TRIAL: [Stage.APPLIED, Stage.TRIAL],
    Stage.CONTRACT: [Stage.APPLIED, Stage.CONTRACT],
    Stage.STARTED: [Stage.APPLIED, Stage.CONTRACT, Stage.STARTED],
    Stage.REJECTED: [Stage.REJECTED],
    Stage.WITHDRAWN: [Stage.WITHDRAWN],
}
MOVES: list[tuple[str, str]] = [(src, dst) for src in Stage for dst in Stage if src != dst]


def _reach(po: User, application: Application, stage: str) -> Application:
    for step in PATHS[stage]:
        reason = CloseReason.OTHER if step in services.CLOSING_STAGES else ""
        application = _move(po, application, step, close_reason=reason)
    return application


@pytest.mark.parametrize(("source", "target"), MOVES)
def test_every_move_is_allowed_or_refused_as_the_table_says(
    source: str, target: str, po: User, case: Case
) -> None:
    application = _reach(po, _entry(po, case), source)
    assert application.stage == source
    steps = Step.objects.filter(application=application).count()
    reason = CloseReason.EMPLOYER_DECLINED if target in services.CLOSING_STAGES else ""
    if target in ALLOWED_NEXT[source]:
        moved = _move(po, application, target, close_reason=reason)
        assert moved.stage == target
        assert Step.objects.filter(application=application).count() == steps + 1
        assert CaseEvent.objects.filter(
            case=case, kind=EventKind.PIPELINE, object_id=str(application.pk), details__stage=target
        ).exists()
    else:
        with pytest.raises(ValidationError) as error:
            _move(po, application, target, close_reason=reason)
        assert "stage" in error.value.message_dict
        application.refresh_from_db()
        assert application.stage == source
        assert Step.objects.filter(application=application).count() == steps


def test_rejected_and_withdrawn_need_a_reason(po: User, case: Case) -> None:
    application = _entry(po, case)
    for stage in (Stage.REJECTED, Stage.WITHDRAWN):
        with pytest.raises(ValidationError) as error:
            _move(po, application, stage)
        assert "close_reason" in error.value.message_dict
    moved = _move(po, application, Stage.WITHDRAWN, close_reason=CloseReason.PARTICIPANT_DECLINED)
    assert moved.close_reason == CloseReason.PARTICIPANT_DECLINED


def test_a_step_cannot_be_dated_before_the_case_opened_the_previous_step_or_in_the_future(
    po: User, case: Case
) -> None:
    application = _entry(po, case)
    application = _move(po, application, Stage.APPLIED, on=case.opened_on + 3 * DAY)
    for on, words in [
        (case.opened_on - DAY, "vor der Fallöffnung"),
        (case.opened_on + 2 * DAY, "vor dem vorherigen Schritt"),
        (TODAY + DAY, "in der Zukunft"),
    ]:
        with pytest.raises(ValidationError) as error:
            _move(po, application, Stage.INTERVIEW, on=on)
        assert words in str(error.value.message_dict["on"])
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_a_proposal_cannot_be_dated_before_the_case_opened(po: User, case: Case) -> None:
    opportunity = factories.opportunity(case.organisation)
    before = Application.objects.count()  # the demo's pipeline
    with pytest.raises(ValidationError):
        services.application_create(actor=po, case=case, opportunity=opportunity, on=case.opened_on - DAY)
    assert Application.objects.count() == before


def test_an_outdated_version_is_refused(po: User, case: Case) -> None:
    application = _entry(po, case)
    with pytest.raises(ValidationError):
        services.application_move(
            actor=po,
            application=application,
            stage=Stage.APPLIED,
            on=TODAY,
            expected_version=application.version + 1,
        )


@pytest.mark.parametrize("key", ["cm_a", "cm_b", "ruppin.admin"])
def test_outside_the_scope_nothing_moves(
    key: str, persona: Callable[[str], User], po: User, case: Case
) -> None:
    application = _entry(po, case)
    with pytest.raises(Http404):
        services.application_move(actor=persona(key), application=application, stage=Stage.APPLIED, on=TODAY)
    application.refresh_from_db()
    assert application.stage == Stage.PROPOSED


# --- work permission ------------------------------------------------------------------------


def _permit(po: User, application: Application, **data: Any) -> PermitRequest:
    values = {"applied_on": TODAY, "decision": PermitDecision.PENDING, **data}
    return services.permit_save(actor=po, application=application, data=values)


def test_the_rules_engine_says_whether_a_permit_is_needed(po: User, case: Case) -> None:
    application = _entry(po, case)
    assert not services.permit_needed(services.permit_answer(application))
    needs_permit(case)
    answer = services.permit_answer(application)
    assert services.permit_needed(answer)
    assert answer is not None and answer.ba_approval


def test_started_without_a_granted_permission_is_refused(po: User, case: Case) -> None:
    needs_permit(case)
    application = _reach(po, _entry(po, case), Stage.CONTRACT)
    with pytest.raises(ValidationError) as error:
        _move(po, application, Stage.STARTED)
    assert "Erlaubnis" in str(error.value.message_dict["stage"])
    _permit(po, application, ba_requested_on=TODAY)
    with pytest.raises(ValidationError):
        _move(po, application, Stage.STARTED)
    permit = PermitRequest.objects.get(application=application)
    services.permit_save(
        actor=po,
        application=application,
        data={
            "applied_on": TODAY,
            "decision": PermitDecision.GRANTED,
            "decided_on": TODAY,
            "conditions": "Nur Hotel",
        },
        expected_version=permit.version,
    )
    assert _move(po, application, Stage.STARTED).stage == Stage.STARTED
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.WORK_PERMIT, object_id=str(application.pk), details__decision="granted"
    ).exists()


def test_a_refused_permission_closes_the_entry_in_the_same_save(po: User, case: Case) -> None:
    needs_permit(case)
    application = _reach(po, _entry(po, case), Stage.INTERVIEW)
    _permit(po, application, decision=PermitDecision.REFUSED, decided_on=TODAY)
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    assert application.close_reason == CloseReason.PERMIT_REFUSED
    assert Step.objects.filter(application=application, stage=Stage.REJECTED).exists()
    assert CaseEvent.objects.filter(
        case=case, kind=EventKind.PIPELINE, object_id=str(application.pk), details__reason="permit_refused"
    ).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": PermitDecision.GRANTED}, "decided_on"),
        ({"decided_on": TODAY}, "decided_on"),
        ({"ba_requested_on": TODAY - 400 * DAY}, "ba_requested_on"),
        ({"applied_on": TODAY + DAY}, "applied_on"),
        ({"applied_on": datetime.date(2000, 1, 1)}, "applied_on"),
        ({"decision": PermitDecision.REFUSED, "decided_on": TODAY, "valid_until": TODAY}, "valid_until"),
        (
            {"decision": PermitDecision.GRANTED, "decided_on": TODAY, "valid_until": TODAY - DAY},
            "valid_until",
        ),
    ],
)
def test_bad_permit_dates_are_refused_next_to_the_field(
    data: dict[str, Any], field: str, po: User, case: Case
) -> None:
    needs_permit(case)
    application = _entry(po, case)
    before = PermitRequest.objects.count()  # the demo's pending permission applications
    with pytest.raises(ValidationError) as error:
        _permit(po, application, **data)
    assert field in error.value.message_dict
    assert not PermitRequest.objects.filter(application=application).exists()
    assert PermitRequest.objects.count() == before
    application.refresh_from_db()
    assert application.stage == Stage.PROPOSED


# --- pages ----------------------------------------------------------------------------------


def test_propose_from_the_case_page_form(login: Callable[[str], Client], po: User, case: Case) -> None:
    opportunity = factories.opportunity(case.organisation)
    client = login("po_a")
    url = reverse("placement:application_create") + f"?case={case.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert opportunity.title in page.content.decode()
    response = client.post(url, {"case": case.pk, "opportunity": opportunity.pk, "on": ""})
    application = Application.objects.get(case=case, opportunity=opportunity)
    assert response.status_code == 302
    assert response["Location"] == reverse("placement:application_detail", args=[application.pk])
    assert application.stage_on == TODAY


def test_the_matching_page_posts_case_and_opportunity_only(
    login: Callable[[str], Client], case: Case
) -> None:
    opportunity = factories.opportunity(case.organisation)
    response = login("po_a").post(
        reverse("placement:application_create"), {"case": case.pk, "opportunity": opportunity.pk}
    )
    assert response.status_code == 302
    assert Application.objects.filter(case=case, opportunity=opportunity).exists()


def test_the_propose_form_refuses_a_foreign_case(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    other = Case.objects.exclude(organisation=demo.partners["A"]).first()
    assert other is not None
    opportunity = factories.opportunity(demo.partners["A"])
    before = Application.objects.count()  # the demo's pipeline
    client = login("po_a")
    assert client.get(reverse("placement:application_create") + f"?case={other.pk}").status_code == 404
    response = client.post(
        reverse("placement:application_create"), {"case": other.pk, "opportunity": opportunity.pk}
    )
    assert response.status_code == 400
    assert Application.objects.count() == before


def test_the_move_form_shows_errors_in_german(login: Callable[[str], Client], po: User, case: Case) -> None:
    application = _entry(po, case)
    client = login("po_a")
    url = reverse("placement:application_move", args=[application.pk])
    response = client.post(
        url, {"stage": "rejected", "on": TODAY.strftime("%d.%m.%Y"), "version": application.version}
    )
    assert response.status_code == 400
    assert "Bitte geben Sie den Grund an." in response.content.decode()
    response = client.post(
        url, {"stage": "applied", "on": TODAY.strftime("%d.%m.%Y"), "version": application.version}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_the_detail_page_shows_the_permit_panel(login: Callable[[str], Client], po: User, case: Case) -> None:
    needs_permit(case)
    application = _entry(po, case)
    client = login("po_a")
    page = client.get(reverse("placement:application_detail", args=[application.pk])).content.decode()
    assert "Arbeitserlaubnis" in page or "Beschäftigungserlaubnis" in page
    assert reverse("placement:permit_edit", args=[application.pk]) in page
    response = client.post(
        reverse("placement:permit_edit", args=[application.pk]),
        {"applied_on": TODAY.strftime("%d.%m.%Y"), "decision": "pending", "version": 0},
    )
    assert response.status_code == 302
    assert PermitRequest.objects.filter(application=application).exists()


def test_a_case_manager_reads_but_cannot_move(login: Callable[[str], Client], po: User, case: Case) -> None:
    application = _entry(po, case)
    client = login("cm_a")
    page = client.get(reverse("placement:application_detail", args=[application.pk]))
    assert page.status_code == 200
    assert reverse("placement:application_move", args=[application.pk]) not in page.content.decode()
    response = client.post(
        reverse("placement:application_move", args=[application.pk]),
        {"stage": "applied", "on": TODAY.strftime("%d.%m.%Y"), "version": application.version},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Stage.PROPOSED


def test_the_board_lists_entries_per_stage_and_filters(
    login: Callable[[str], Client], po: User, case: Case
) -> None:
    first = _entry(po, case, title="Beikoch")
    _move(po, first, Stage.APPLIED)
    _entry(po, case, title="Servicekraft")
    client = login("po_a")
    page = client.get(reverse("placement:pipeline")).content.decode()
    assert "Beikoch" in page and "Servicekraft" in page
    applied_only = client.get(reverse("placement:pipeline") + "?stage=applied").content.decode()
    assert "Beikoch" in applied_only and "Servicekraft" not in applied_only
    assert "Beikoch" not in login("cm_b").get(reverse("placement:pipeline")).content.decode()


def test_the_board_runs_a_constant_number_of_queries(
    login: Callable[[str], Client], po: User, case: Case, count_queries: Any
) -> None:
    client = login("team_lead")
    _entry(po, case, title="Eins")
    _move(po, _entry(po, case, title="Zwei"), Stage.APPLIED)
    client.get(reverse("placement:pipeline"))
    with count_queries() as few:
        assert client.get(reverse("placement:pipeline")).status_code == 200
    for n in range(6):
        application = _entry(po, case, title=f"Stelle {n}")
        if n % 2:
            _move(po, application, Stage.APPLIED)
    with count_queries() as many:
        assert client.get(reverse("placement:pipeline")).status_code == 200
    assert many.count == few.count


def test_the_case_tab_lists_entries_with_a_constant_number_of_queries(
    login: Callable[[str], Client], po: User, case: Case, count_queries: Any
) -> None:
    client = login("po_a")
    url = reverse("cases:detail", args=[case.pk]) + "?section=placement"
    page = client.get(url).content.decode()
    # The matching page is another part of the placement capability (its URL may be absent
    # in a branch without it): when it exists, the tab links to it.
    try:
        matches = reverse("placement:case_matches", args=[case.pk])
    except NoReverseMatch:
        matches = ""
    assert matches in page
    assert reverse("placement:application_create") + f"?case={case.pk}" in page
    with count_queries() as few:
        client.get(url)
    _entry(po, case, title="Beikoch")
    _entry(po, case, title="Spülkraft")  # not a title of the demo's entries
    with count_queries() as many:
        page = client.get(url).content.decode()
    assert "Beikoch" in page and "Spülkraft" in page
    assert many.count == few.count
