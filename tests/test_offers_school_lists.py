"""The school pathway's lists: the start page's school section and the overview (scope,
the SQL birth window, query counts), and the figures for reporting."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import EnrolmentStatus, FollowOn, SchoolRecord
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
from tests.audit_reads import reads_of
from tests.test_offers_school import DASHBOARD, TODAY, _new_case, _pupil_case, _years_ago


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
    assert reads_of("cases.case", samira_case.pk, actor=demo.users["cm_a"])
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
