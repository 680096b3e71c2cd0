"""The school pathway: school records and transitions through their pages and services
(audit, timeline, schooling status, the school-age reason), the start page's two school
lists and their overview (scope, SQL birth window, query counts), and the figures."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, CaseEvent, EventKind
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import EnrolmentStatus, FollowOn, SchoolRecord, SchoolType, TransitionRecord
from bruecke.offers.school_age import Birth, is_school_age
from bruecke.offers.selectors.school import (
    born_within,
    leaving_without_follow_on,
    school_age_not_enrolled,
    school_age_window,
)
from bruecke.offers.selectors.school_figures import school_age_enrolment, transitions_by_follow_on
from bruecke.offers.services import school as services
from bruecke.participants.models import Gender, Participant, SchoolingStatus
from tests.expectations_cases import _case, _mohammed

TODAY = datetime.date.today()
DASHBOARD = reverse("core:dashboard")


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _pupil_case(demo: DemoNetwork, family_name: str) -> Case:
    return Case.objects.get(
        participant__organisation=demo.partners["A"], participant__family_name=family_name
    )


def _new_case(demo: DemoNetwork, born: tuple[int, int | None, int | None], *, partner: str = "A") -> Case:
    team = demo.teams["Rostock" if partner == "A" else "Greifswald"]
    person = Participant.objects.create(
        organisation=demo.partners[partner],
        team=team,
        given_names="Schul",
        family_name="Kind",
        birth_year=born[0],
        birth_month=born[1],
        birth_day=born[2],
        gender=Gender.FEMALE,
        nationality="SY",
        entry_date=TODAY - datetime.timedelta(days=30),
    )
    return Case.objects.create(
        organisation=demo.partners[partner],
        participant=person,
        team=team,
        case_manager=demo.users["cm_a" if partner == "A" else "cm_b"],
        opened_on=TODAY - datetime.timedelta(days=30),
    )


def _years_ago(years: int, days: int = 0) -> tuple[int, int, int]:
    day = TODAY.replace(year=TODAY.year - years) if (TODAY.month, TODAY.day) != (2, 29) else TODAY
    day -= datetime.timedelta(days=days)
    return day.year, day.month, day.day


def _enrol(**extra: str) -> dict[str, str]:
    return {
        "status": EnrolmentStatus.ENROLLED,
        "status_on": _d(TODAY - datetime.timedelta(days=10)),
        "school_name": "Regionale Schule Evershagen",
        "school_type": SchoolType.REGIONAL,
        "grade": "8",
        "language_support": "on",
        "expected_certificate": "berufsreife",
        "expected_leaving_on": _d(TODAY + datetime.timedelta(days=400)),
        **extra,
    }


# --- recording -------------------------------------------------------------------------


def test_an_enrolment_is_saved_audited_in_the_timeline_and_sets_the_schooling_status(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _new_case(demo, _years_ago(13))
    response = login("cm_a").post(reverse("offers:school_create", args=[case.pk]), _enrol())
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("participants:detail", args=[case.participant_id]) + "#school-heading"
    )
    record = SchoolRecord.objects.get(case=case)
    assert (record.grade, record.language_support, record.participant_id) == (8, True, case.participant_id)
    assert (record.organisation_id, record.team_id) == (case.organisation_id, case.team_id)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="offers.schoolrecord", object_id=str(record.pk)
    ).exists()
    event = CaseEvent.objects.get(case=case, kind=EventKind.SCHOOL)
    assert event.details == {"action": "created", "status": "enrolled"}
    assert event.occurred_on == record.status_on
    case.participant.refresh_from_db()
    assert case.participant.schooling_status == SchoolingStatus.ATTENDING
    # The timeline shows it in words.
    page = login("cm_a").get(reverse("cases:detail", args=[case.pk]) + "?section=history")
    assert "eingeschult" in page.content.decode() or "enrolled" in page.content.decode()


def test_the_schooling_status_follows_the_record(demo: DemoNetwork) -> None:
    case = _new_case(demo, _years_ago(16))
    actor = demo.users["cm_a"]
    record = services.school_record_create(
        actor=actor,
        record=SchoolRecord(case=case, status=EnrolmentStatus.REQUESTED, status_on=TODAY),
    )
    assert Participant.objects.get(pk=case.participant_id).schooling_status == SchoolingStatus.WAITING
    services.school_record_update(
        actor=actor,
        record=record,
        data={
            "status": EnrolmentStatus.ENROLLED,
            "school_name": "BS Rostock",
            "school_type": SchoolType.VOCATIONAL,
        },
        expected_version=record.version,
    )
    assert (
        Participant.objects.get(pk=case.participant_id).schooling_status == SchoolingStatus.VOCATIONAL_SCHOOL
    )
    kinds = list(
        CaseEvent.objects.filter(case=case, kind=EventKind.SCHOOL)
        .order_by("pk")
        .values_list("details", flat=True)
    )
    assert [d["action"] for d in kinds] == ["created", "status"]


def test_school_enrolment_of_an_adult_without_a_reason_is_refused_and_nothing_saved(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)  # Mohammed, born 1994
    before = (CaseEvent.objects.count(), AuditEvent.objects.filter(action=AuditAction.CREATE).count())
    response = login("cm_a").post(reverse("offers:school_create", args=[case.pk]), _enrol())
    assert response.status_code == 400
    form = response.context["form"]
    assert "above_age_reason" in form.errors
    assert "Schulalter" in str(form.errors["above_age_reason"]) or "school age" in str(
        form.errors["above_age_reason"]
    )
    assert 'aria-invalid="true"' in response.content.decode()
    assert not SchoolRecord.objects.filter(case=case).exists()
    assert (CaseEvent.objects.count(), AuditEvent.objects.filter(action=AuditAction.CREATE).count()) == before
    assert _mohammed(demo).schooling_status == ""
    # With a reason it is saved.
    response = login("cm_a").post(
        reverse("offers:school_create", args=[case.pk]),
        _enrol(school_type=SchoolType.VOCATIONAL, above_age_reason="Berufsschule während der Ausbildung"),
    )
    assert response.status_code == 302
    assert SchoolRecord.objects.get(case=case).above_age_reason == "Berufsschule während der Ausbildung"


def test_a_partial_birth_date_that_could_be_school_age_needs_no_reason(demo: DemoNetwork) -> None:
    # Born in the year that turns 18 this year: maybe still 17, so no reason is asked.
    case = _new_case(demo, (TODAY.year - 18, None, None))
    if (TODAY.month, TODAY.day) == (12, 31):
        pytest.skip("on 31 December everyone born that year is 18")
    record = services.school_record_create(
        actor=demo.users["cm_a"],
        record=SchoolRecord(case=case, status=EnrolmentStatus.NOT_ENROLLED, status_on=TODAY),
    )
    assert record.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"grade": "14"}, "grade"),
        ({"grade": "0"}, "grade"),
        ({"status_on": _d(TODAY + datetime.timedelta(days=1))}, "status_on"),
        ({"expected_leaving_on": _d(TODAY - datetime.timedelta(days=30))}, "expected_leaving_on"),
        ({"school_name": ""}, "school_name"),
        ({"status": "graduated"}, "status"),
        ({"school_type": "hogwarts"}, "school_type"),
        ({"status_on": "31.02.2026"}, "status_on"),
    ],
)
def test_bad_school_input_is_shown_beside_the_field_and_nothing_saved(
    login: Callable[[str], Client], demo: DemoNetwork, changes: dict[str, str], field: str
) -> None:
    case = _new_case(demo, _years_ago(12))
    response = login("cm_a").post(reverse("offers:school_create", args=[case.pk]), _enrol(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SchoolRecord.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.SCHOOL).exists()


def test_the_database_refuses_a_grade_out_of_range(demo: DemoNetwork) -> None:
    from django.db import IntegrityError, transaction

    case = _new_case(demo, _years_ago(12))
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolRecord.objects.create(
            organisation=case.organisation,
            case=case,
            participant=case.participant,
            status=EnrolmentStatus.ENROLLED,
            status_on=TODAY,
            grade=14,
            created_by=demo.users["cm_a"],
        )


def test_another_partner_gets_404_and_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _new_case(demo, _years_ago(12))
    for url in ("offers:school_create", "offers:school_edit", "offers:transition_edit"):
        response = login("cm_b").post(reverse(url, args=[case.pk]), _enrol())
        assert response.status_code == 404, url
    assert not SchoolRecord.objects.filter(case=case).exists()
    assert not TransitionRecord.objects.filter(case=case).exists()


def test_the_coordinator_and_other_partners_do_not_see_the_school_section(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    samira = _pupil_case(demo, "Haidari").participant
    page = login("cm_a").get(reverse("participants:detail", args=[samira.pk])).content.decode()
    assert 'id="school-heading"' in page
    assert reverse("offers:school_edit", args=[_pupil_case(demo, "Haidari").pk]) in page
    # An adult without a record has no school section.
    page = login("cm_a").get(reverse("participants:detail", args=[_mohammed(demo).pk])).content.decode()
    assert 'id="school-heading"' not in page


def test_an_outdated_edit_is_a_conflict(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _new_case(demo, _years_ago(12))
    record = services.school_record_create(
        actor=demo.users["cm_a"],
        record=SchoolRecord(case=case, status=EnrolmentStatus.REQUESTED, status_on=TODAY),
    )
    url = reverse("offers:school_edit", args=[case.pk])
    stale = record.version
    assert login("team_lead").post(url, {**_enrol(), "version": stale}).status_code == 302
    response = login("cm_a").post(url, {**_enrol(school_name="Andere Schule"), "version": stale})
    assert response.status_code == 400 and response.context["form"].conflict
    assert SchoolRecord.objects.get(case=case).school_name == "Regionale Schule Evershagen"


def test_a_closed_case_keeps_its_school_record(demo: DemoNetwork) -> None:
    from django.core.exceptions import ValidationError

    from bruecke.cases.models import CaseStatus

    case = _new_case(demo, _years_ago(12))
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError):
        services.school_record_create(
            actor=demo.users["cm_a"],
            record=SchoolRecord(case=case, status=EnrolmentStatus.REQUESTED, status_on=TODAY),
        )
    assert not SchoolRecord.objects.filter(case=case).exists()


def test_the_transition_is_created_then_changed(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _new_case(demo, _years_ago(17))
    url = reverse("offers:transition_edit", args=[case.pk])
    client = login("cm_a")
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "certificate": "berufsreife",
        "certificate_on": _d(TODAY - datetime.timedelta(days=20)),
        "career_orientation_on": _d(TODAY - datetime.timedelta(days=60)),
        "apprenticeship_search_on": "",
        "vocational_school": "",
        "vocational_school_from": "",
        "follow_on": FollowOn.NONE,
        "version": "0",
    }
    assert client.post(url, data).status_code == 302
    record = TransitionRecord.objects.get(case=case)
    # A second "first save" from another open page is a conflict, not a second record.
    response = client.post(url, {**data, "follow_on": FollowOn.WORK})
    assert response.status_code == 400 and response.context["form"].conflict
    assert (
        client.post(
            url, {**data, "follow_on": FollowOn.APPRENTICESHIP, "version": record.version}
        ).status_code
        == 302
    )
    assert TransitionRecord.objects.get(case=case).follow_on == FollowOn.APPRENTICESHIP
    details = list(
        CaseEvent.objects.filter(case=case, kind=EventKind.SCHOOL)
        .order_by("pk")
        .values_list("details", flat=True)
    )
    assert details == [
        {"action": "transition", "follow_on": "none"},
        {"action": "transition", "follow_on": "apprenticeship"},
    ]


def test_bad_transition_input(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _new_case(demo, _years_ago(17))
    response = login("cm_a").post(
        reverse("offers:transition_edit", args=[case.pk]),
        {
            "certificate": "",
            "certificate_on": _d(TODAY),
            "career_orientation_on": _d(TODAY + datetime.timedelta(days=3)),
            "vocational_school": "",
            "vocational_school_from": _d(TODAY),
            "follow_on": "space_program",
            "version": "0",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"follow_on"} <= set(errors)
    assert not TransitionRecord.objects.filter(case=case).exists()
    response = login("cm_a").post(
        reverse("offers:transition_edit", args=[case.pk]),
        {
            "certificate": "",
            "certificate_on": _d(TODAY),
            "career_orientation_on": _d(TODAY + datetime.timedelta(days=3)),
            "vocational_school": "",
            "vocational_school_from": _d(TODAY),
            "follow_on": FollowOn.NONE,
            "version": "0",
        },
    )
    assert response.status_code == 400
    assert {"certificate", "career_orientation_on", "vocational_school"} <= set(
        response.context["form"].errors
    )
    assert not TransitionRecord.objects.filter(case=case).exists()


# --- the lists -------------------------------------------------------------------------


def test_the_demo_pupils_are_on_the_start_page_of_partner_a_only(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    page = login("cm_a").get(DASHBOARD).content.decode()
    section = page[page.index('id="school-dashboard-heading"') :]
    assert "Samira Haidari" in section  # 15, not enrolled
    assert "Dawit Gebremedhin" in section  # leaving in four months, no follow-on
    assert "Lina Karimi" not in section  # enrolled, leaving not soon
    assert reverse("offers:school_overview") in section
    # The lists' rows are read events of the start page.
    samira_case = _pupil_case(demo, "Haidari")
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        object_type="cases.case",
        object_id=str(samira_case.pk),
        actor=demo.users["cm_a"],
    ).exists()
    other = login("cm_b").get(DASHBOARD).content.decode()
    assert "Samira Haidari" not in other and "Dawit Gebremedhin" not in other
    # A placement officer has no school section (no RECORD_CASE_WORK).
    assert 'id="school-dashboard-heading"' not in login("po_a").get(DASHBOARD).content.decode()


def test_a_follow_on_or_an_enrolment_takes_the_participant_off_the_lists(demo: DemoNetwork) -> None:
    user = demo.users["cm_a"]
    dawit = _pupil_case(demo, "Gebremedhin")
    assert dawit.school_record in list(leaving_without_follow_on(user, TODAY))
    services.transition_save(
        actor=user,
        case=dawit,
        data={"follow_on": FollowOn.APPRENTICESHIP},
        expected_version=dawit.transition_record.version,
    )
    assert dawit.school_record not in list(leaving_without_follow_on(user, TODAY))
    samira = _pupil_case(demo, "Haidari")
    assert samira in list(school_age_not_enrolled(user, TODAY))
    record = samira.school_record
    services.school_record_update(
        actor=user,
        record=record,
        data={"status": EnrolmentStatus.ENROLLED, "school_name": "Gesamtschule Lütten Klein"},
        expected_version=record.version,
    )
    assert samira not in list(school_age_not_enrolled(user, TODAY))


def test_compulsory_schooling_completed_is_not_on_the_not_enrolled_list(demo: DemoNetwork) -> None:
    case = _new_case(demo, _years_ago(17))
    assert case in list(school_age_not_enrolled(demo.users["cm_a"], TODAY))
    Participant.objects.filter(pk=case.participant_id).update(schooling_status=SchoolingStatus.FINISHED)
    assert case not in list(school_age_not_enrolled(demo.users["cm_a"], TODAY))


BOUNDARY_OFFSETS = (-2, -1, 0, 1, 2)


def test_the_sql_birth_window_agrees_with_the_rules(demo: DemoNetwork) -> None:
    """Full, year-and-month, year-only and placeholder birth dates around both ends of the
    window: the SQL filter finds exactly those the Python rule calls school age."""
    first, last = school_age_window(TODAY)
    births: list[tuple[int, int | None, int | None, bool]] = []
    for edge in (first, last):
        for offset in BOUNDARY_OFFSETS:
            day = edge + datetime.timedelta(days=offset)
            births.append((day.year, day.month, day.day, False))
            births.append((day.year, day.month, None, False))
        for year in (edge.year - 1, edge.year, edge.year + 1):
            births.append((year, None, None, False))
            births.append((year, 1, 1, True))
    people = Participant.objects.bulk_create(
        Participant(
            organisation=demo.partners["A"],
            given_names=f"Fenster{i}",
            family_name="Grenze",
            birth_year=y,
            birth_month=m,
            birth_day=d,
            birth_date_is_placeholder=p,
            gender=Gender.MALE,
            entry_date=TODAY,
        )
        for i, (y, m, d, p) in enumerate(births)
    )
    found = set(
        born_within(Participant.objects.filter(family_name="Grenze"), first, last).values_list(
            "pk", flat=True
        )
    )
    expected = {p.pk for p in people if is_school_age(Birth.of(p), TODAY)}
    assert found == expected
    assert expected and len(expected) < len(people)  # both kinds are there


def test_the_overview_lists_both_and_its_query_count_does_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    client = login("team_lead")
    url = reverse("offers:school_overview")
    counts = []
    for batch in (2, 30):
        for i in range(batch):
            case = _new_case(demo, _years_ago(16, days=i))
            if i % 2:
                SchoolRecord.objects.create(
                    organisation=case.organisation,
                    case=case,
                    participant=case.participant,
                    team=case.team,
                    status=EnrolmentStatus.ENROLLED,
                    status_on=TODAY,
                    school_name="Schule",
                    expected_leaving_on=TODAY + datetime.timedelta(days=20),
                    created_by=demo.users["cm_a"],
                )
        with count_queries() as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]
    body = response.content.decode()
    assert "Samira Haidari" in body and "Dawit Gebremedhin" in body
    assert "?leaving_page=2" not in body  # 16 + 1 leavers fit one page


def test_school_figures(demo: DemoNetwork) -> None:
    partner = demo.partners["A"]
    before = school_age_enrolment([partner.pk], None, TODAY)
    follow_before = transitions_by_follow_on([partner.pk], None)
    case = _new_case(demo, _years_ago(9))
    services.school_record_create(
        actor=demo.users["cm_a"],
        record=SchoolRecord(case=case, status=EnrolmentStatus.ENROLLED, status_on=TODAY, school_name="GS"),
    )
    _new_case(demo, _years_ago(11))
    after = school_age_enrolment([partner.pk], None, TODAY)
    assert after == {"enrolled": before["enrolled"] + 1, "not_enrolled": before["not_enrolled"] + 1}
    # The demo: Lina and Dawit enrolled, Samira not (at least).
    assert before["enrolled"] >= 2 and before["not_enrolled"] >= 1
    assert school_age_enrolment([demo.partners["B"].pk], None, TODAY)["enrolled"] == 0
    older = _new_case(demo, _years_ago(19))
    services.transition_save(
        actor=demo.users["cm_a"], case=older, data={"follow_on": FollowOn.EQ}, expected_version=0
    )
    follow = transitions_by_follow_on([partner.pk], None)
    assert follow.get("eq", 0) == follow_before.get("eq", 0) + 1
    assert follow.get("none", 0) >= 1  # Dawit
    assert transitions_by_follow_on([partner.pk], demo.teams["Greifswald"].pk) == {}


def test_a_second_school_record_for_the_same_case_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """Two tabs: the second new-record form (its own token) finds the case already has one."""
    case = _new_case(demo, _years_ago(12))
    client = login("cm_a")
    assert client.post(reverse("offers:school_create", args=[case.pk]), _enrol()).status_code == 302
    response = client.post(
        reverse("offers:school_create", args=[case.pk]), _enrol(school_name="Zweite Schule")
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert SchoolRecord.objects.filter(case=case).count() == 1
    assert SchoolRecord.objects.get(case=case).school_name == "Regionale Schule Evershagen"
    # Opening the new-record page again leads to the existing record.
    opened = client.get(reverse("offers:school_create", args=[case.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("offers:school_edit", args=[case.pk])
