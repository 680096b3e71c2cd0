"""The school pathway: school records and transitions through their pages and services
(audit, timeline, schooling status, the school-age reason), the start page's two school
lists and their overview (scope, SQL birth window, query counts), and the figures."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, CaseEvent, EventKind
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import EnrolmentStatus, FollowOn, SchoolRecord, SchoolType, TransitionRecord
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
