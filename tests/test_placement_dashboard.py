"""The placement section of the start page: open opportunities, the pipeline by stage,
follow-ups due and employers not contacted for a while; scope, read audit, query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bruecke.cases.models import Case
from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import (
    Application,
    CheckIn,
    CooperationStatus,
    Employer,
    Occupation,
    Opportunity,
    OpportunityStatus,
    Placement,
    PlacementStatus,
    Stage,
)
from tests.audit_reads import reads_of
from tests.expectations_cases import _case
from tests.test_mobile_caseload import TODAY, _open_case

DASHBOARD = reverse("core:dashboard")


def _links_exist() -> bool:
    """The pages the section links to are built by the other parts of placement."""
    try:
        reverse("placement:pipeline")
        reverse("placement:opportunity_detail", kwargs={"pk": 1})
    except NoReverseMatch:
        return False
    return True


needs_links = pytest.mark.skipif(
    not _links_exist(), reason="the placement pages it links to are not built yet"
)


def _main(client: Client) -> tuple[Any, str]:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    return response, body[body.index("<main") :]


def _slot(main: str) -> str:
    return main.split('data-slot="placement"')[1].split("</section>")[0]


def _employer(demo: DemoNetwork, name: str, partner: str = "A", **extra: Any) -> Employer:
    return Employer.objects.create(organisation=demo.partners[partner], name=name, sector="C", **extra)


def _opportunity(demo: DemoNetwork, employer: Employer, title: str, days: int, **extra: Any) -> Opportunity:
    occupation, _ = Occupation.objects.get_or_create(
        code="26212", defaults={"title": "Berufe in der Bauelektrik – Fachkraft"}
    )
    return Opportunity.objects.create(
        organisation=employer.organisation,
        network=employer.organisation.network,
        employer=employer,
        title=title,
        kind="job",
        occupation=occupation,
        start_date=TODAY + datetime.timedelta(days=days),
        **extra,
    )


def _application(demo: DemoNetwork, case: Case, opportunity: Opportunity, stage: str) -> Application:
    return Application.objects.create(
        organisation=case.organisation,
        case=case,
        team=case.team,
        opportunity=opportunity,
        stage=stage,
        stage_on=TODAY,
        created_by=demo.users["po_a"],
    )


def _placement(demo: DemoNetwork, case: Case, employer: Employer, **extra: Any) -> Placement:
    return Placement.objects.create(
        organisation=case.organisation,
        case=case,
        participant=case.participant,
        team=case.team,
        employer=employer,
        kind="employment",
        start_date=TODAY - datetime.timedelta(days=40),
        created_by=demo.users["po_a"],
        **extra,
    )


def _check_in(placement: Placement, months: int, days: int, **extra: Any) -> CheckIn:
    return CheckIn.objects.create(
        placement=placement, months_after_start=months, due_on=TODAY + datetime.timedelta(days=days), **extra
    )


def test_who_gets_the_section(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    for key in ("po_a", "team_lead"):
        assert 'data-slot="placement"' in _main(login(key))[1], key
    for key in ("cm_a", "cm_b", "coordinator", "dpo", "admin"):
        assert 'data-slot="placement"' not in _main(login(key))[1], key


def test_open_opportunities_of_the_own_organisation_by_start_date(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _employer(demo, "Elektro Nord GmbH")
    base = Opportunity.objects.filter(organisation=demo.partners["A"], status=OpportunityStatus.OPEN).count()
    for index in range(7):
        _opportunity(demo, employer, f"Elektriker Stelle {index}", days=-300 - index)
    _opportunity(demo, employer, "Besetzte Stelle", days=1, status=OpportunityStatus.FILLED)
    _opportunity(demo, _employer(demo, "Fremdbetrieb", partner="B"), "Fremde Stelle", days=1)
    response, main = _main(login("po_a"))
    section = response.context["placement"]
    assert section["opportunity_count"] == base + 7
    shown = [o.title for o in section["opportunities"]]
    assert shown == [f"Elektriker Stelle {index}" for index in (6, 5, 4, 3, 2)]  # the earliest start first
    slot = _slot(main)
    assert "Elektriker Stelle 6" in slot and "Elektriker Stelle 0" not in slot  # the earliest five
    assert "Besetzte Stelle" not in slot and "Fremde Stelle" not in slot


def test_pipeline_by_stage_of_his_own_cases_and_of_the_team_for_the_team_lead(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _employer(demo, "Hafenlogistik")
    opportunities = [_opportunity(demo, employer, f"Lager {i}", days=20) for i in range(3)]
    own = _case(demo)  # Jonas Krause is its placement officer
    colleague = _open_case(demo, "cm_a", "A", "Rostock", "Kollegenfall")  # team Rostock, not his
    other_team = _open_case(demo, "cm_a", "A", "Schwerin", "Anderesteam")

    def counts(persona: str) -> dict[str, int]:
        return {row.stage: row.count for row in _main(login(persona))[0].context["placement"]["pipeline"]}

    po_before, lead_before = counts("po_a"), counts("team_lead")  # the demo's own pipeline
    _application(demo, own, opportunities[0], Stage.APPLIED)
    _application(demo, own, opportunities[1], Stage.INTERVIEW)
    _application(demo, own, opportunities[2], Stage.REJECTED)  # closed: not counted
    _application(demo, colleague, opportunities[0], Stage.APPLIED)
    _application(demo, other_team, opportunities[0], Stage.APPLIED)
    po = {stage: n - po_before[stage] for stage, n in counts("po_a").items()}
    assert po == {"proposed": 0, "applied": 1, "interview": 1, "trial": 0, "contract": 0}
    lead = {stage: n - lead_before[stage] for stage, n in counts("team_lead").items()}
    assert lead == {"proposed": 0, "applied": 2, "interview": 1, "trial": 0, "contract": 0}


@needs_links
def test_each_stage_count_links_to_the_pipeline(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    slot = _slot(_main(login("po_a"))[1])
    for stage in ("proposed", "applied", "interview", "trial", "contract"):
        assert f'href="{reverse("placement:pipeline")}?stage={stage}"' in slot


def test_follow_ups_due_with_overdue_in_words_and_a_read_event(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _employer(demo, "Pflegeheim Warnow")
    own = _case(demo)
    placement = _placement(demo, own, employer)
    overdue = _check_in(placement, 1, -10)
    soon = _check_in(placement, 3, 5)
    _check_in(placement, 6, 30)  # not yet due
    colleague = _open_case(demo, "cm_a", "A", "Rostock", "Kollegenfall")
    colleague_placement = _placement(demo, colleague, employer)
    _check_in(colleague_placement, 1, -2)
    his_other = _open_case(demo, "cm_a", "A", "Rostock", "Beendet")
    Case.objects.filter(pk=his_other.pk).update(placement_officer=demo.users["po_a"])
    ended = _placement(demo, his_other, employer)
    Placement.objects.filter(pk=ended.pk).update(status=PlacementStatus.ENDED, ended_on=TODAY)
    _check_in(ended, 1, -3)
    _check_in(_placement(demo, own, employer), 1, -1, done_on=TODAY)  # done

    response, main = _main(login("po_a"))
    # The demo's own placements have check-ins too: only this employer's are looked at.
    follow_ups = response.context["placement"]["follow_ups"]
    assert [c.pk for c in follow_ups if c.placement.employer_id == employer.pk] == [overdue.pk, soon.pk]
    slot = _slot(main)
    assert "Al-Hassan" in slot and "Kollegenfall" not in slot and "Beendet" not in slot
    assert "überfällig" in slot  # the badge says it in words
    assert reads_of("placement.placement", placement.pk, actor=demo.users["po_a"])
    # The team lead sees the team's.
    lead = _main(login("team_lead"))[0].context["placement"]["follow_ups"]
    assert {c.placement_id for c in lead if c.placement.employer_id == employer.pk} == {
        placement.pk,
        colleague_placement.pk,
    }


@needs_links
def test_follow_ups_and_opportunities_link_to_their_pages(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    employer = _employer(demo, "Pflegeheim Warnow", cooperation_status=CooperationStatus.ACTIVE)
    placement = _placement(demo, _case(demo), employer)
    _check_in(placement, 1, 0)
    opportunity = _opportunity(demo, employer, "Pflegehelfer:in", days=3)
    slot = _slot(_main(login("po_a"))[1])
    assert reverse("placement:placement_detail", kwargs={"pk": placement.pk}) in slot
    assert reverse("placement:opportunity_detail", kwargs={"pk": opportunity.pk}) in slot
    assert reverse("placement:employer_detail", kwargs={"pk": employer.pk}) in slot


def test_employers_not_contacted_for_the_configured_weeks(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any
) -> None:
    weeks_ago = TODAY - datetime.timedelta(weeks=9)
    stale = _employer(
        demo, "Alte Werft", cooperation_status=CooperationStatus.ACTIVE, last_contact_on=weeks_ago
    )
    never = _employer(demo, "Nie Kontaktiert", cooperation_status=CooperationStatus.CONTACTED)
    _employer(demo, "Frisch Kontaktiert", cooperation_status=CooperationStatus.ACTIVE, last_contact_on=TODAY)
    _employer(demo, "Interessent", last_contact_on=weeks_ago)  # a prospect: not yet worked with
    _employer(demo, "Beendet", cooperation_status=CooperationStatus.ENDED, last_contact_on=weeks_ago)
    _employer(
        demo,
        "Fremder Betrieb",
        partner="B",
        cooperation_status=CooperationStatus.ACTIVE,
        last_contact_on=weeks_ago,
    )
    response, main = _main(login("po_a"))
    made = {stale.pk, never.pk}  # the demo has a stale employer of its own
    shown = [e.pk for e in response.context["placement"]["employers"] if e.pk in made]
    assert shown == [never.pk, stale.pk]  # never contacted first, then the longest ago
    slot = _slot(main)
    for name in ("Frisch Kontaktiert", "Interessent", "Beendet", "Fremder Betrieb"):
        assert name not in slot
    assert "8 Wochen" in slot
    # The number of weeks is a setting.
    settings.PLACEMENT_EMPLOYER_STALE_WEEKS = 10
    response, main = _main(login("po_a"))
    assert stale.pk not in [e.pk for e in response.context["placement"]["employers"]]
    assert "10 Wochen" in _slot(main)


def test_the_section_keeps_its_query_count(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    counts: dict[str, list[int]] = {"po_a": [], "team_lead": []}
    employer = _employer(demo, "Zaehlbetrieb", cooperation_status=CooperationStatus.ACTIVE)
    for batch in (1, 12):
        for index in range(batch):
            other = _employer(
                demo, f"Betrieb {batch}-{index}", cooperation_status=CooperationStatus.CONTACTED
            )
            opportunity = _opportunity(demo, other, f"Stelle {batch}-{index}", days=index)
            case = _open_case(demo, "cm_a", "A", "Rostock", f"Fall{batch}x{index}")
            Case.objects.filter(pk=case.pk).update(placement_officer=demo.users["po_a"])
            _application(demo, case, opportunity, Stage.APPLIED)
            _check_in(_placement(demo, case, employer), 1, -index)
        for key in counts:
            client = login(key)
            with count_queries() as ctx:
                assert client.get(DASHBOARD).status_code == 200
            counts[key].append(ctx.count)
    assert counts["po_a"][0] == counts["po_a"][1]
    assert counts["team_lead"][0] == counts["team_lead"][1]
