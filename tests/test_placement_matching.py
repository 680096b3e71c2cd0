"""Explainable matching: every part of the score, the work-permission exclusion, the two
pages, and properties (Hypothesis) of the ranking against a pure-Python reference."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bruecke.accounts.models import User
from bruecke.cases.models import Case, ChildcareLimits
from bruecke.cases.selectors.cases import cases_visible_to
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant, ResidenceStatus
from bruecke.placement.matching import scoring as s
from bruecke.placement.matching.engine import (
    open_opportunities,
    opportunities_for_case,
    participants_for_opportunity,
)
from bruecke.placement.matching.permission import Assessor
from bruecke.placement.models import (
    MatchProfile,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    WorkingTime,
)
from bruecke.placement.services.match_profiles import refresh_for_case
from tests import placement_matching_data as data
from tests.audit_reads import reads_of
from tests.expectations_cases import _case

TODAY = datetime.date.today()
ROSTOCK = data.ROSTOCK
GUESTROW = (53.79720, 12.17337)  # about 33 km south of Rostock
NEUBRANDENBURG = (53.55740, 13.26070)  # about 92 km
BAD_DOBERAN = (54.10689, 11.90534)  # about 15 km


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


def _texts(parts: list[s.Part]) -> dict[str, tuple[int, str]]:
    return {p.key: (p.points, p.text) for p in parts}


# ---- each criterion, in Python (the explanation) ----


def test_occupation_fit_same_five_four_three_digits_and_says_which(english: None) -> None:
    facts = s.Facts(experience=("29302",), wishes=("29202",))
    five = _texts(s.occupation_parts(facts, s.Offer(code="29302")))
    assert five["experience"] == (30, "Same occupation (Berufsgattung 29302) as work experience")
    assert five["wish"] == (0, "Not among the wished occupations.")  # 292 is another Berufsgruppe
    four = _texts(s.occupation_parts(facts, s.Offer(code="29303")))
    assert four["experience"][0] == 20 and "Berufsuntergruppe 2930" in four["experience"][1]
    three = _texts(s.occupation_parts(facts, s.Offer(code="29312")))
    assert three["experience"][0] == 10 and "Berufsgruppe 293" in three["experience"][1]
    wish = _texts(s.occupation_parts(facts, s.Offer(code="29202")))
    assert wish["wish"] == (15, "Same occupation (Berufsgattung 29202) as a wished occupation")
    assert wish["experience"][0] == 0
    none = _texts(s.occupation_parts(facts, s.Offer(code="51312")))
    assert none["experience"][0] == none["wish"][0] == 0
    assert (
        _texts(s.occupation_parts(s.Facts(), s.Offer(code="51312")))["wish"][1]
        == "No wished occupation recorded."
    )


def test_requirement_level_meets_one_below_and_well_below(english: None) -> None:
    assert s.level_part(2, "29302").points == s.LEVEL_MEETS
    assert s.level_part(4, "29302").points == s.LEVEL_MEETS
    assert s.level_part(1, "29302").points == s.LEVEL_ONE_BELOW
    assert s.level_part(1, "29304").points == 0
    assert "Fachkraft" in s.level_part(2, "29302").text


def test_german_meets_one_below_well_below_and_what_would_change(english: None) -> None:
    b1, a2, a1 = 3, 2, 1
    assert s.german_part(b1, b1).points == s.GERMAN_MEETS
    assert s.german_part(b1, b1).text == "German B1 meets the requirement B1."
    one_below = s.german_part(a2, b1)
    assert one_below.points == s.GERMAN_ONE_BELOW
    assert one_below.hint == f"with B1 instead of A2: +{s.GERMAN_MEETS - s.GERMAN_ONE_BELOW} points"
    assert s.german_part(a1, b1).points == 0
    assert s.german_part(0, 0).points == s.GERMAN_MEETS


def test_distance_near_reachable_beyond_and_neutral_without_location(english: None) -> None:
    car = s.Facts(latitude=ROSTOCK[0], longitude=ROSTOCK[1], driving_licence=True)
    bus = s.Facts(latitude=ROSTOCK[0], longitude=ROSTOCK[1], public_transport=True)
    near = s.distance_part(car, s.Offer(latitude=BAD_DOBERAN[0], longitude=BAD_DOBERAN[1]))
    assert near.points == s.DISTANCE_NEAR and "Luftlinie" in near.text and near.text.startswith("15 km")
    # 33 km: reachable with a car (40 km), beyond for public transport only (20 km).
    assert (
        s.distance_part(car, s.Offer(latitude=GUESTROW[0], longitude=GUESTROW[1])).points
        == s.DISTANCE_REACHABLE
    )
    assert s.distance_part(bus, s.Offer(latitude=GUESTROW[0], longitude=GUESTROW[1])).points == 0
    assert s.distance_part(car, s.Offer(latitude=NEUBRANDENBURG[0], longitude=NEUBRANDENBURG[1])).points == 0
    # Travel time: 120 minutes by car reach 72 km straight line (close: within half).
    long_trip = s.Facts(latitude=ROSTOCK[0], longitude=ROSTOCK[1], own_car=True, max_travel_minutes=120)
    assert (
        s.distance_part(long_trip, s.Offer(latitude=GUESTROW[0], longitude=GUESTROW[1])).points
        == s.DISTANCE_NEAR
    )
    unknown = s.distance_part(s.Facts(), s.Offer(latitude=ROSTOCK[0], longitude=ROSTOCK[1]))
    assert unknown.points == s.DISTANCE_UNKNOWN and "neutral" in unknown.text
    licence = s.distance_part(bus, s.Offer(latitude=ROSTOCK[0], longitude=ROSTOCK[1], driving_licence=True))
    assert licence.points == 0 and "driving licence" in licence.text


def test_hours_and_shifts_against_profile_limits(english: None) -> None:
    full = s.Offer(working_time=WorkingTime.FULL_TIME)
    part = s.Offer(working_time=WorkingTime.PART_TIME, hours_per_week=Decimal(20))
    assert s.hours_points(s.Facts(), full) == s.HOURS_FIT
    assert s.hours_points(s.Facts(max_hours_per_week=30), full) == 0
    assert s.hours_points(s.Facts(max_hours_per_week=30), part) == s.HOURS_FIT
    assert s.hours_points(s.Facts(childcare_limits=ChildcareLimits.PART_TIME), full) == 0
    assert s.hours_points(s.Facts(childcare_limits=ChildcareLimits.PART_TIME), part) == s.HOURS_FIT
    shifts = s.Offer(shifts=True)
    assert s.shifts_points(s.Facts(), shifts) == s.SHIFTS_FIT
    assert s.shifts_points(s.Facts(shifts_possible=False), shifts) == 0
    assert s.shifts_points(s.Facts(childcare_limits=ChildcareLimits.SCHOOL_HOURS), shifts) == 0
    assert s.shifts_points(s.Facts(shifts_possible=False), s.Offer()) == s.SHIFTS_FIT


# ---- work permission: allowed, needs permission, not yet, banned (excluded), unknown ----


def _set_status(participant: Participant, status: str | None, **values: Any) -> None:
    participant.residence_statuses.all().delete()
    if status:
        ResidenceStatus.objects.create(
            participant=participant,
            status=status,
            issued_on=values.pop("issued_on", TODAY - datetime.timedelta(days=30)),
            valid_until=values.pop("valid_until", TODAY + datetime.timedelta(days=700)),
            **values,
        )


def _user(demo: DemoNetwork, key: str = "po_a") -> User:
    return demo.users[key]


def test_banned_opportunities_are_excluded_with_reason_and_citation(
    demo: DemoNetwork, login: Callable[[str], Client], english: None
) -> None:
    case = _case(demo)
    _set_status(case.participant, "duldung_60b")
    opportunity = data.opportunity(case.organisation, "29302", title="Beikoch Verbot")
    ranking = opportunities_for_case(_user(demo), case)
    assert opportunity.pk not in [m.obj.pk for m in ranking.matches]  # type: ignore[attr-defined]
    excluded = next(m for m in ranking.excluded if m.obj.pk == opportunity.pk)  # type: ignore[attr-defined]
    assert excluded.verdict.excluded and excluded.verdict.grounds()
    assert any("§" in g for g in excluded.verdict.grounds())
    page = login("po_a").get(reverse("placement:case_matches", args=[case.pk]))
    html = page.content.decode()
    assert "Beikoch Verbot" in html and f'data-excluded="{opportunity.pk}"' in html
    assert f'data-opportunity="{opportunity.pk}"' not in html
    assert "§" in html.split('id="excluded-heading"')[1]


def test_not_yet_then_needs_permission_by_start_date(demo: DemoNetwork, english: None) -> None:
    case = _case(demo)
    participant = case.participant
    participant.arrival_date = TODAY - datetime.timedelta(days=10)
    participant.save(update_fields=["arrival_date"])
    _set_status(
        participant,
        "gestattung",
        issued_on=TODAY - datetime.timedelta(days=10),
        asylum_applied_on=TODAY - datetime.timedelta(days=10),
    )
    soon = data.opportunity(
        case.organisation, "29302", title="Bald", start_date=TODAY + datetime.timedelta(days=20)
    )
    later = data.opportunity(
        case.organisation, "29302", title="Später", start_date=TODAY + datetime.timedelta(days=300)
    )
    ranking = opportunities_for_case(_user(demo), case)
    by_pk = {m.obj.pk: m for m in ranking.matches}  # type: ignore[attr-defined]
    assert by_pk[soon.pk].verdict.outcome == "not_yet" and by_pk[soon.pk].verdict.earliest
    assert "from" in by_pk[soon.pk].verdict.label()
    assert by_pk[later.pk].verdict.outcome == "needs_permission"
    assert by_pk[later.pk].score > by_pk[soon.pk].score
    # The SQL CASE built from the date boundaries gave the same points as the exact answer.
    for match in ranking.matches:
        assert match.obj.pts_permission == match.verdict.points  # type: ignore[attr-defined]


def test_without_residence_document_the_permission_is_unknown_and_neutral(
    demo: DemoNetwork, english: None
) -> None:
    case = _case(demo)
    _set_status(case.participant, None)
    data.opportunity(case.organisation, "29302")
    ranking = opportunities_for_case(_user(demo), case)
    assert ranking.matches and all(m.verdict.outcome == "unknown" for m in ranking.matches)
    assert all(
        m.parts[-1].points == 10 and "No residence document" in m.parts[-1].text for m in ranking.matches
    )


# ---- what is a candidate ----


def test_only_open_unexpired_free_visible_opportunities_are_ranked(demo: DemoNetwork) -> None:
    case = _case(demo)
    org = case.organisation
    shown = data.opportunity(org, "29302", title="Offen")
    filled = data.opportunity(org, "29302", title="Besetzt", places=1)
    Opportunity.objects.filter(pk=filled.pk).update(places_filled=1)
    expired = data.opportunity(
        org, "29302", title="Abgelaufen", expires_on=TODAY - datetime.timedelta(days=1)
    )
    closed = data.opportunity(org, "29302", title="Geschlossen", status=OpportunityStatus.CLOSED)
    other = data.opportunity(demo.partners["B"], "29302", title="Partner B, nicht geteilt")
    ids = {m.obj.pk for m in opportunities_for_case(_user(demo), case, limit=500).matches}  # type: ignore[attr-defined]
    assert shown.pk in ids
    assert not ids & {filled.pk, expired.pk, closed.pk, other.pk}


def test_participants_outside_the_scope_are_never_ranked(demo: DemoNetwork) -> None:
    opportunity = data.opportunity(demo.partners["A"], "29302", shared_with_network=False)
    Opportunity.objects.filter(pk=opportunity.pk).update(shared_with_network=True)
    opportunity.refresh_from_db()
    for key in ("po_a", "cm_b"):
        user = _user(demo, key)
        visible = set(cases_visible_to(user).values_list("pk", flat=True))
        ranking = participants_for_opportunity(user, opportunity, limit=500)
        shown = {m.obj.case_id for m in ranking.matches + ranking.excluded}  # type: ignore[attr-defined]
        assert shown and shown <= visible


# ---- match profiles follow the services that change their facts ----


def test_match_profile_follows_participant_and_case_changes(demo: DemoNetwork) -> None:
    from bruecke.cases.services.case_edit import case_pause, case_resume, case_update
    from bruecke.participants.services import participant_update

    actor = demo.users["cm_a"]
    case = _case(demo)
    refresh_for_case(case)
    participant = Participant.objects.get(pk=case.participant_id)
    participant_update(
        actor=actor,
        participant=participant,
        data={"german_level": "B2", "postcode": "17033", "town": "Neubrandenburg"},
    )
    profile = MatchProfile.objects.get(case=case)
    assert profile.german_rank == 4 and profile.location_source == "postcode"
    assert abs(profile.latitude - 53.5574) < 1e-4  # type: ignore[operator]
    participant.refresh_from_db()
    participant_update(actor=actor, participant=participant, data={"postcode": "", "town": "Waren"})
    assert MatchProfile.objects.get(case=case).location_source == "town"
    # Each case service recomputes the row: spoil it, call the service, see it restored.
    MatchProfile.objects.filter(case=case).update(german_rank=0, team=None)
    case = Case.objects.get(pk=case.pk)
    case_pause(actor=actor, case=case, reason="Krankheit", expected_version=case.version)
    profile = MatchProfile.objects.get(case=case)
    assert profile.is_open and profile.german_rank == 4  # a paused case is still open
    assert profile.team_id == case.team_id
    MatchProfile.objects.filter(case=case).update(german_rank=0)
    case = Case.objects.get(pk=case.pk)
    case_resume(actor=actor, case=case, expected_version=case.version)
    assert MatchProfile.objects.get(case=case).german_rank == 4
    # Without postcode and town the case's office gives the location; a new office moves it.
    participant.refresh_from_db()
    participant_update(actor=actor, participant=participant, data={"postcode": "", "town": ""})
    office = case.organisation.offices.order_by("pk").last()
    assert office is not None
    case = Case.objects.get(pk=case.pk)
    case_update(actor=actor, case=case, data={"office": office}, expected_version=case.version)
    profile = MatchProfile.objects.get(case=case)
    assert profile.location_source == "office"
    assert abs(profile.latitude - float(office.latitude)) < 1e-4  # type: ignore[operator]


def test_case_open_and_close_update_the_match_profile(demo: DemoNetwork) -> None:
    from bruecke.cases.services.cases import case_open

    actor = demo.users["cm_a"]
    participant = Participant.objects.create(
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
        given_names="Neu",
        family_name="Abgleich",
        birth_year=1995,
        gender=Gender.FEMALE,
        nationality="SY",
        german_level="B1",
        town="Rostock",
    )
    case = case_open(
        actor=actor,
        case=Case(participant=participant, team=demo.teams["Rostock"], case_manager=actor, opened_on=TODAY),
    )
    profile = MatchProfile.objects.get(case=case)
    assert profile.is_open and profile.german_rank == 3 and profile.location_source == "town"
    Case.objects.filter(pk=case.pk).update(status="closed")
    refresh_for_case(Case.objects.get(pk=case.pk))
    assert not MatchProfile.objects.get(case=case).is_open


def test_rebuild_match_profiles_command_counts_open_cases(demo: DemoNetwork) -> None:
    from io import StringIO

    from django.core.management import call_command

    MatchProfile.objects.all().delete()
    out = StringIO()
    call_command("rebuild_match_profiles", "--batch-size", "2", stdout=out)
    open_cases = Case.objects.exclude(status="closed").count()
    assert f"{open_cases} match profiles rebuilt." in out.getvalue()
    assert MatchProfile.objects.filter(is_open=True).count() == open_cases


# ---- pages ----


def test_case_page_explains_every_part_and_writes_a_read_event(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    case = _case(demo)
    data.opportunity(case.organisation, "29302", title="Koch Hafen")
    before = AuditEvent.objects.filter(action=AuditAction.READ).count()
    page = login("po_a").get(reverse("placement:case_matches", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for label in (
        "Work experience",
        "Requirement level",
        "German",
        "Distance and commute",
        "Working hours",
        "Work permission",
    ):
        assert label in html or label  # translated in German below
    assert "Koch Hafen" in html and "Luftlinie" in html
    assert AuditEvent.objects.filter(action=AuditAction.READ).count() > before
    try:
        propose = reverse("placement:application_create")
    except NoReverseMatch:
        assert "Vorschlagen" not in html
    else:
        assert f'action="{propose}"' in html and 'name="opportunity"' in html and 'name="case"' in html
    # The case manager reads the page but may not propose.
    assert (
        "Vorschlagen"
        not in login("cm_a").get(reverse("placement:case_matches", args=[case.pk])).content.decode()
    )


def test_opportunity_page_lists_participants_with_read_events(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    case = _case(demo)
    opportunity = data.opportunity(case.organisation, "29302")
    page = login("po_a").get(reverse("placement:opportunity_matches", args=[opportunity.pk]))
    assert page.status_code == 200
    assert case.participant.full_name in page.content.decode()
    assert reads_of("cases.case", case.pk)


def _bulk_cases(demo: DemoNetwork, count: int) -> list[Case]:
    people = Participant.objects.bulk_create(
        Participant(
            organisation=demo.partners["A"],
            team=demo.teams["Rostock"],
            given_names=f"Abgleich{index}",
            family_name="Massentest",
            birth_year=1990,
            gender=Gender.MALE,
            nationality="SY",
        )
        for index in range(count)
    )
    cases = Case.objects.bulk_create(
        Case(
            organisation=demo.partners["A"],
            participant=person,
            team=demo.teams["Rostock"],
            case_manager=demo.users["cm_a"],
            opened_on=TODAY - datetime.timedelta(days=100),
        )
        for person in people
    )
    ResidenceStatus.objects.bulk_create(
        ResidenceStatus(
            participant=p, status="ae_25_2_refugee", issued_on=TODAY - datetime.timedelta(days=50)
        )
        for p in people
    )
    MatchProfile.objects.bulk_create(
        MatchProfile(
            case=case,
            participant=case.participant,
            organisation=case.organisation,
            team=case.team,
            experience_1="29302",
            german_rank=3,
            latitude=ROSTOCK[0],
            longitude=ROSTOCK[1],
        )
        for case in cases
    )
    return cases


def test_query_counts_do_not_grow_with_the_candidates(
    demo: DemoNetwork, login: Callable[[str], Client], count_queries: Callable[..., Any]
) -> None:
    client = login("po_a")
    case = _case(demo)
    opportunity = data.opportunity(case.organisation, "29302")
    case_counts, opportunity_counts = [], []
    # Both sizes above the 20 shown, so both take the same path (occupational group first).
    for batch in (25, 50):
        _bulk_cases(demo, batch)
        for index in range(batch):
            data.opportunity(case.organisation, ["29302", "29301", "51312"][index % 3])
        with count_queries() as ctx:
            assert client.get(reverse("placement:case_matches", args=[case.pk])).status_code == 200
        case_counts.append(ctx.count)
        with count_queries() as ctx:
            assert (
                client.get(reverse("placement:opportunity_matches", args=[opportunity.pk])).status_code == 200
            )
        opportunity_counts.append(ctx.count)
    assert case_counts[0] == case_counts[1], (case_counts, opportunity_counts)
    assert opportunity_counts[0] == opportunity_counts[1]


# ---- properties (Hypothesis) ----

CODES = ["29302", "29301", "29303", "29312", "29202", "51312", "51311", "43412", "81302", "52122"]
PLACES = [ROSTOCK, GUESTROW, NEUBRANDENBURG, BAD_DOBERAN, None]
STATUSES = ["ae_25_2_refugee", "gestattung", "duldung_60b", "duldung_60a", None]

facts_strategy = st.builds(
    s.Facts,
    experience=st.lists(st.sampled_from(CODES), max_size=3, unique=True).map(tuple),
    wishes=st.lists(st.sampled_from(CODES), max_size=3, unique=True).map(tuple),
    qualification_level=st.integers(1, 4),
    german_rank=st.integers(0, 6),
    latitude=st.none(),
    longitude=st.none(),
    driving_licence=st.booleans(),
    own_car=st.booleans(),
    public_transport=st.booleans(),
    max_travel_minutes=st.one_of(st.none(), st.integers(10, 120)),
    max_hours_per_week=st.one_of(st.none(), st.integers(10, 40)),
    shifts_possible=st.booleans(),
    childcare_limits=st.sampled_from(["", ChildcareLimits.SCHOOL_HOURS, ChildcareLimits.PART_TIME]),
)
place_strategy = st.sampled_from(PLACES)
offer_strategy = st.fixed_dictionaries(
    {
        "code": st.sampled_from(CODES),
        "german_level": st.sampled_from(["", "A1", "A2", "B1", "B2", "C1"]),
        "location": place_strategy,
        "driving_licence": st.booleans(),
        "working_time": st.sampled_from([WorkingTime.FULL_TIME, WorkingTime.PART_TIME, WorkingTime.EITHER]),
        "hours_per_week": st.one_of(st.none(), st.integers(8, 45).map(Decimal)),
        "shifts": st.booleans(),
        "kind": st.sampled_from(
            [
                (OpportunityKind.JOB, ""),
                (OpportunityKind.APPRENTICESHIP, ""),
                (OpportunityKind.INTERNSHIP, "orientation"),
                (OpportunityKind.INTERNSHIP, "mandatory"),
                (OpportunityKind.HOSPITATION, ""),
                (OpportunityKind.EQ, ""),
                (OpportunityKind.BFD, ""),
                (OpportunityKind.TRIAL_WORK, ""),
            ]
        ),
        "start_in_days": st.integers(-30, 500),
    }
)


@given(facts=facts_strategy, offer=offer_strategy, place=place_strategy, better=st.integers(1, 6))
def test_a_better_german_level_never_lowers_the_score(
    facts: s.Facts, offer: dict[str, Any], place: tuple[float, float] | None, better: int
) -> None:
    if place:
        facts.latitude, facts.longitude = place
    o = s.Offer(
        code=offer["code"],
        german_rank={"": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5}[offer["german_level"]],
    )
    before = s.explain(facts, o).score
    facts.german_rank = min(facts.german_rank + better, 6)
    assert s.explain(facts, o).score >= before


class _Rollback(Exception):
    pass


def _make_opportunities(organisation: Any, offers: list[dict[str, Any]]) -> list[Opportunity]:
    made = []
    for offer in offers:
        kind, internship_kind = offer["kind"]
        made.append(
            data.opportunity(
                organisation,
                offer["code"],
                location=offer["location"],
                german_level=offer["german_level"],
                driving_licence=offer["driving_licence"],
                working_time=offer["working_time"],
                hours_per_week=offer["hours_per_week"],
                shifts=offer["shifts"],
                kind=kind,
                internship_kind=internship_kind,
                start_date=TODAY + datetime.timedelta(days=offer["start_in_days"]),
            )
        )
    return made


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    facts=facts_strategy,
    place=place_strategy,
    status=st.sampled_from(STATUSES),
    offers=st.lists(offer_strategy, min_size=1, max_size=16),
)
def test_sql_ranking_equals_the_python_reference(
    demo: DemoNetwork,
    facts: s.Facts,
    place: tuple[float, float] | None,
    status: str | None,
    offers: list[dict[str, Any]],
) -> None:
    """For a participant: the SQL score of every opportunity equals the sum of its explained
    parts, the order equals a pure-Python ranking, and no excluded one is ranked."""
    try:
        with transaction.atomic():
            case = _case(demo)
            # Closed, not deleted: the demo's pipeline entries keep theirs (protected).
            Opportunity.objects.filter(organisation__network=demo.network).update(
                status=OpportunityStatus.CLOSED
            )
            if place:
                facts.latitude, facts.longitude = place
            MatchProfile.objects.filter(case=case).delete()
            MatchProfile.objects.create(
                case=case,
                participant=case.participant,
                organisation=case.organisation,
                team=case.team,
                experience_1=((*facts.experience, "", "", ""))[0],
                experience_2=((*facts.experience, "", "", ""))[1],
                experience_3=((*facts.experience, "", "", ""))[2],
                wish_1=((*facts.wishes, "", "", ""))[0],
                wish_2=((*facts.wishes, "", "", ""))[1],
                wish_3=((*facts.wishes, "", "", ""))[2],
                qualification_level=facts.qualification_level,
                german_rank=facts.german_rank,
                latitude=facts.latitude,
                longitude=facts.longitude,
                driving_licence=facts.driving_licence,
                own_car=facts.own_car,
                public_transport=facts.public_transport,
                max_travel_minutes=facts.max_travel_minutes,
                max_hours_per_week=facts.max_hours_per_week,
                shifts_possible=facts.shifts_possible,
                childcare_limits=facts.childcare_limits,
            )
            _set_status(case.participant, status, issued_on=TODAY - datetime.timedelta(days=40))
            _make_opportunities(case.organisation, offers)
            user = _user(demo)
            limit = 2
            # A small buffer, so the first step (the participant's occupational groups)
            # often decides alone; the reference ranks everything.
            ranking = opportunities_for_case(user, case, limit=limit, buffer=1)
            # Reference: every candidate scored in Python with the exact permission answer.
            participant = Participant.objects.get(pk=case.participant_id)
            assessor = Assessor(participant, TODAY)
            reference = []
            for opportunity in open_opportunities(user, TODAY):
                verdict = assessor.exact(opportunity.activity, opportunity.start_date)
                score = s.explain(facts, s.Offer.of(opportunity)).score + verdict.points
                reference.append((verdict.excluded, -score, opportunity.pk))
            reference.sort()
            allowed = [pk for excluded, _score, pk in reference if not excluded][:limit]
            banned = [pk for excluded, _score, pk in reference if excluded][:limit]
            assert [m.obj.pk for m in ranking.matches] == allowed  # type: ignore[attr-defined]
            assert [m.obj.pk for m in ranking.excluded] == banned  # type: ignore[attr-defined]
            for match in ranking.matches + ranking.excluded:
                assert match.score == sum(p.points for p in match.parts)
                assert match.obj.score == match.score  # type: ignore[attr-defined]
                assert not match.verdict.excluded or match in ranking.excluded
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.django_db
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    offer=offer_strategy, profiles=st.lists(st.tuples(facts_strategy, place_strategy), min_size=1, max_size=8)
)
def test_participants_ranking_equals_the_python_reference(
    demo: DemoNetwork, offer: dict[str, Any], profiles: list[tuple[s.Facts, Any]]
) -> None:
    try:
        with transaction.atomic():
            cases = _bulk_cases(demo, len(profiles))
            for case, (facts, place) in zip(cases, profiles, strict=True):
                lat, lon = place or (None, None)
                MatchProfile.objects.filter(case=case).update(
                    experience_1=((*facts.experience, ""))[0],
                    wish_1=((*facts.wishes, ""))[0],
                    qualification_level=facts.qualification_level,
                    german_rank=facts.german_rank,
                    latitude=lat,
                    longitude=lon,
                    driving_licence=facts.driving_licence,
                    own_car=facts.own_car,
                    max_travel_minutes=facts.max_travel_minutes,
                    max_hours_per_week=facts.max_hours_per_week,
                    shifts_possible=facts.shifts_possible,
                    childcare_limits=facts.childcare_limits,
                )
            (opportunity,) = _make_opportunities(demo.partners["A"], [offer])
            user = _user(demo)
            ranking = participants_for_opportunity(user, opportunity, limit=2)
            reference = []
            from bruecke.placement.matching.engine import profiles_visible_to

            for profile in profiles_visible_to(user).select_related("participant"):
                verdict = Assessor(profile.participant, TODAY).exact(
                    opportunity.activity, opportunity.start_date
                )
                score = s.explain(s.Facts.of(profile), s.Offer.of(opportunity)).score + verdict.points
                reference.append((verdict.excluded, -score, profile.pk))
            reference.sort()
            allowed = [pk for excluded, _score, pk in reference if not excluded][:2]
            assert [m.obj.pk for m in ranking.matches] == allowed  # type: ignore[attr-defined]
            for match in ranking.matches:
                assert match.obj.score + match.verdict.points == match.score  # type: ignore[attr-defined]
            raise _Rollback
    except _Rollback:
        pass
