"""Group offers: offers, sessions, enrolment (capacity warns, does not block), the roster's
scope, and attendance of a whole session in a constant number of queries (issue 14)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, EventKind
from bruecke.core.locking import EditConflict
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.demo.groups import TRAINING
from bruecke.offers.models import Attendance, Enrolment, GroupKind, GroupOffer, GroupSession
from bruecke.offers.services import groups as services
from bruecke.participants.models import Gender, Participant
from tests.access_expectations import mohammed
from tests.audit_reads import read_ids
from tests.clients import verified_client

TODAY = datetime.date.today()


def _offer(demo: DemoNetwork, **fields: Any) -> GroupOffer:
    values: dict[str, Any] = {
        "organisation": demo.partners["A"],
        "team": demo.teams["Rostock"],
        "title": "Digital fit",
        "kind": GroupKind.DIGITAL_SKILLS,
        "starts_on": TODAY - datetime.timedelta(days=10),
        "ends_on": TODAY + datetime.timedelta(days=30),
        **fields,
    }
    return services.group_offer_create(actor=demo.users["cm_a"], offer=GroupOffer(**values))


def _session(demo: DemoNetwork, offer: GroupOffer, days: int = -1) -> GroupSession:
    return services.session_create(
        actor=demo.users["cm_a"],
        session=GroupSession(
            offer=offer,
            date=TODAY + datetime.timedelta(days=days),
            starts_at=datetime.time(9),
            ends_at=datetime.time(11),
        ),
    )


def _bulk_enrolments(
    demo: DemoNetwork, offer: GroupOffer, count: int, name: str = "Gruppe"
) -> list[Enrolment]:
    people = Participant.objects.bulk_create(
        Participant(
            organisation=demo.partners["A"],
            team=demo.teams["Rostock"],
            given_names=f"{name}{index}",
            family_name="Teilnahme",
            birth_year=1995,
            gender=Gender.FEMALE,
            nationality="AF",
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
    return Enrolment.objects.bulk_create(
        Enrolment(
            offer=offer,
            organisation=offer.organisation,
            case=case,
            participant=case.participant,
            enrolled_on=offer.starts_on,
        )
        for case in cases
    )


def _attendance_post(session: GroupSession, rows: dict[int, str], guests: int = 0) -> dict[str, Any]:
    return {
        "version": session.version,
        "guests": guests,
        **{f"row_{pk}": status for pk, status in rows.items()},
    }


# Offers and sessions


def test_offer_end_before_start_is_refused_next_to_the_field(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    response = login("cm_a").post(
        reverse("offers:group_create"),
        {
            "title": "Jobcafé",
            "kind": GroupKind.JOB_ORIENTATION,
            "starts_on": "10.03.2027",
            "ends_on": "01.03.2027",
        },
    )
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not GroupOffer.objects.filter(title="Jobcafé").exists()


def test_offer_is_created_for_the_own_organisation(demo: DemoNetwork, login: Callable[[str], Client]) -> None:
    response = login("cm_b").post(
        reverse("offers:group_create"),
        {
            "title": "Sprachcafé",
            "kind": GroupKind.LANGUAGE_CAFE,
            "starts_on": "10.03.2027",
            # A forged organisation is not a field: it is ignored.
            "organisation": demo.partners["A"].pk,
        },
    )
    assert response.status_code == 302
    offer = GroupOffer.objects.get(title="Sprachcafé")
    assert offer.organisation == demo.partners["B"]
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="offers.groupoffer", object_id=str(offer.pk)
    ).exists()


def test_session_outside_the_offer_period_and_end_before_start_are_refused(demo: DemoNetwork) -> None:
    offer = _offer(demo)
    with pytest.raises(ValidationError) as outside:
        _session(demo, offer, days=60)
    assert "date" in outside.value.error_dict
    with pytest.raises(ValidationError) as backwards:
        services.session_create(
            actor=demo.users["cm_a"],
            session=GroupSession(
                offer=offer, date=TODAY, starts_at=datetime.time(12), ends_at=datetime.time(10)
            ),
        )
    assert "ends_at" in backwards.value.error_dict
    assert not GroupSession.objects.filter(offer=offer).exists()


def test_offer_period_cannot_leave_its_sessions_behind(demo: DemoNetwork) -> None:
    offer = _offer(demo)
    _session(demo, offer, days=20)
    with pytest.raises(ValidationError):
        services.group_offer_update(
            actor=demo.users["cm_a"],
            offer=offer,
            data={"ends_on": TODAY + datetime.timedelta(days=5)},
            expected_version=offer.version,
        )
    offer.refresh_from_db()
    assert offer.ends_on == TODAY + datetime.timedelta(days=30)


# Enrolment


def test_enrol_form_offers_only_cases_the_user_records_on_of_the_offers_organisation(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    offer = _offer(demo)
    page = login("cm_a").get(reverse("offers:enrol", args=[offer.pk]))
    choices = page.context["form"].fields["case"].queryset
    assert choices.filter(participant=mohammed(demo)).exists()
    assert set(choices.values_list("organisation_id", flat=True)) == {demo.partners["A"].pk}
    # Partner B's staff do not record on this offer's roster at all.
    assert login("cm_b").get(reverse("offers:enrol", args=[offer.pk])).status_code == 404


def test_enrol_a_case_of_another_partner_is_refused(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    offer = _offer(demo)
    foreign = Case.objects.filter(organisation=demo.partners["B"]).first()
    assert foreign is not None
    response = login("cm_a").post(
        reverse("offers:enrol", args=[offer.pk]),
        {"case": foreign.pk, "enrolled_on": TODAY.strftime("%d.%m.%Y")},
    )
    assert response.status_code == 400
    assert "case" in response.context["form"].errors
    assert not Enrolment.objects.filter(offer=offer).exists()


def test_capacity_overrun_warns_and_is_saved_after_confirmation(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    offer = _offer(demo, capacity=2)
    _bulk_enrolments(demo, offer, 2)
    case = Case.objects.get(participant=mohammed(demo))
    client = login("cm_a")
    url = reverse("offers:enrol", args=[offer.pk])
    data = {"case": case.pk, "enrolled_on": TODAY.strftime("%d.%m.%Y")}
    warned = client.post(url, data)
    assert warned.status_code == 400
    assert "over_capacity" in warned.context["form"].errors
    assert not Enrolment.objects.filter(offer=offer, case=case).exists()
    confirmed = client.post(url, {**data, "over_capacity": "on"})
    assert confirmed.status_code == 302
    assert Enrolment.objects.filter(offer=offer, left_on__isnull=True).count() == 3
    detail = client.get(reverse("offers:group_detail", args=[offer.pk]))
    assert "mehr Teilnehmende angemeldet als Plätze vorhanden" in detail.content.decode()


def test_a_participant_is_enrolled_once(demo: DemoNetwork) -> None:
    offer = _offer(demo)
    case = Case.objects.get(participant=mohammed(demo))
    services.enrolment_create(actor=demo.users["cm_a"], offer=offer, case=case, enrolled_on=TODAY)
    with pytest.raises(ValidationError):
        services.enrolment_create(actor=demo.users["cm_a"], offer=offer, case=case, enrolled_on=TODAY)


def test_leaving_before_enrolment_is_refused(demo: DemoNetwork, login: Callable[[str], Client]) -> None:
    offer = _offer(demo)
    (enrolment,) = _bulk_enrolments(demo, offer, 1)
    response = login("cm_a").post(
        reverse("offers:enrolment_end", args=[enrolment.pk]),
        {"left_on": (offer.starts_on - datetime.timedelta(days=1)).strftime("%d.%m.%Y")},
    )
    assert response.status_code == 400
    assert "left_on" in response.context["form"].errors
    enrolment.refresh_from_db()
    assert enrolment.left_on is None


# The roster's scope


def test_the_coordinator_sees_counts_never_names(demo: DemoNetwork, login: Callable[[str], Client]) -> None:
    offer = GroupOffer.objects.get(organisation=demo.partners["A"], title=TRAINING)
    names = [
        e.participant.full_name for e in Enrolment.objects.filter(offer=offer).select_related("participant")
    ]
    assert names
    for persona in ("coordinator", "cm_b", "user_c"):
        page = login(persona).get(reverse("offers:group_detail", args=[offer.pk])).content.decode()
        assert not any(name in page for name in names), persona
        assert "Nur das Team, das das Angebot durchführt, sieht die Namen." in page
    own = login("cm_a").get(reverse("offers:group_detail", args=[offer.pk])).content.decode()
    assert all(name in own for name in names)


# Attendance


def test_attendance_for_a_participant_not_enrolled_in_the_offer_is_refused(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    offer = _offer(demo)
    other = _offer(demo, title="Anderes Angebot")
    session = _session(demo, offer)
    (own,) = _bulk_enrolments(demo, offer, 1, name="Eigen")
    (foreign,) = _bulk_enrolments(demo, other, 1, name="Fremd")
    events = CaseEvent.objects.count()
    response = login("cm_a").post(
        reverse("offers:session_attendance", args=[session.pk]),
        _attendance_post(session, {own.pk: "present", foreign.pk: "present"}, guests=2),
    )
    assert response.status_code == 400
    assert "nur für Teilnehmende" in response.content.decode()
    assert not Attendance.objects.filter(session=session).exists()
    assert CaseEvent.objects.count() == events
    session.refresh_from_db()
    assert session.guests == 0 and session.attendance_taken_at is None


def test_attendance_for_someone_who_left_before_the_session_is_refused(demo: DemoNetwork) -> None:
    offer = _offer(demo)
    session = _session(demo, offer, days=-1)
    (left,) = _bulk_enrolments(demo, offer, 1)
    Enrolment.objects.filter(pk=left.pk).update(left_on=TODAY - datetime.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.attendance_save(
            actor=demo.users["cm_a"],
            session=session,
            rows={left.pk: "present"},
            guests=0,
            expected_version=None,
        )
    assert not Attendance.objects.filter(session=session).exists()


def test_attendance_status_must_be_one_of_the_three(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    offer = _offer(demo)
    session = _session(demo, offer)
    (enrolment,) = _bulk_enrolments(demo, offer, 1)
    response = login("cm_a").post(
        reverse("offers:session_attendance", args=[session.pk]),
        _attendance_post(session, {enrolment.pk: "late"}),
    )
    assert response.status_code == 400
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.parametrize("guests", ["-1", "1001", "zwei", "1e3"])
def test_guests_must_be_a_number_from_0_to_1000(
    demo: DemoNetwork, login: Callable[[str], Client], guests: str
) -> None:
    offer = _offer(demo)
    session = _session(demo, offer)
    response = login("cm_a").post(
        reverse("offers:session_attendance", args=[session.pk]),
        {"version": session.version, "guests": guests},
    )
    assert response.status_code == 400
    assert "guests" in response.context["form"].errors


def test_attendance_saves_rows_guests_timeline_and_audit(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    offer = _offer(demo)
    session = _session(demo, offer)
    first, second, third = _bulk_enrolments(demo, offer, 3)
    client = login("cm_a")
    url = reverse("offers:session_attendance", args=[session.pk])
    rows = {first.pk: "present", second.pk: "excused", third.pk: "absent"}
    response = client.post(url, _attendance_post(session, rows, guests=4))
    assert response.status_code == 302
    saved = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert saved == rows
    session.refresh_from_db()
    assert session.guests == 4 and session.attendance_taken_at is not None
    events = CaseEvent.objects.filter(kind=EventKind.ATTENDANCE, case_id__in=[first.case_id, second.case_id])
    assert {(e.case_id, e.details["status"]) for e in events} == {
        (first.case_id, "present"),
        (second.case_id, "excused"),
    }
    assert all(e.occurred_on == session.date and e.details["offer"] == offer.title for e in events)
    ids = [str(pk) for pk in Attendance.objects.filter(session=session).values_list("pk", flat=True)]
    audited = AuditEvent.objects.filter(
        object_type="offers.attendance", action=AuditAction.CREATE, object_id__in=ids
    )
    assert audited.count() == 3
    assert set(audited.values_list("organisation_id", flat=True)) == {demo.partners["A"].pk}

    # Saving again with one change: one corrected event, nothing for unchanged rows.
    before = CaseEvent.objects.filter(kind=EventKind.ATTENDANCE).count()
    again = client.post(url, _attendance_post(session, {**rows, third.pk: "excused"}, guests=4))
    assert again.status_code == 302
    assert CaseEvent.objects.filter(kind=EventKind.ATTENDANCE).count() == before + 1
    corrected = CaseEvent.objects.filter(kind=EventKind.ATTENDANCE, case_id=third.case_id).latest("pk")
    assert corrected.details == {"status": "excused", "offer": offer.title, "corrected": True}
    timeline = client.get(reverse("cases:timeline", args=[third.case_id])).content.decode()
    assert "entschuldigt (korrigiert)" in timeline


def test_attendance_from_an_outdated_screen_is_refused(demo: DemoNetwork) -> None:
    offer = _offer(demo)
    session = _session(demo, offer)
    (enrolment,) = _bulk_enrolments(demo, offer, 1)
    loaded = session.version
    services.attendance_save(
        actor=demo.users["cm_a"],
        session=session,
        rows={enrolment.pk: "present"},
        guests=0,
        expected_version=loaded,
    )
    with pytest.raises(EditConflict):
        services.attendance_save(
            actor=demo.users["team_lead"],
            session=session,
            rows={enrolment.pk: "absent"},
            guests=0,
            expected_version=loaded,
        )
    assert Attendance.objects.get(session=session).status == "present"


def _save_attendance_queries(
    demo: DemoNetwork, user: User, count: int, count_queries: Callable[[], Any], name: str
) -> int:
    offer = _offer(demo, title=f"Angebot {name}")
    session = _session(demo, offer)
    enrolments = _bulk_enrolments(demo, offer, count, name=name)
    statuses = ["present", "excused", "absent"]
    rows = {e.pk: statuses[i % 3] for i, e in enumerate(enrolments)}
    client = verified_client(user)
    url = reverse("offers:session_attendance", args=[session.pk])
    with count_queries() as counter:
        response = client.post(url, _attendance_post(session, rows, guests=1))
    assert response.status_code == 302
    assert Attendance.objects.filter(session=session).count() == count
    return counter.count


def test_attendance_of_30_saves_with_as_many_queries_as_of_3(
    demo: DemoNetwork, persona: Callable[[str], User], count_queries: Callable[[], Any]
) -> None:
    user = persona("cm_a")
    few = _save_attendance_queries(demo, user, 3, count_queries, "Wenige")
    many = _save_attendance_queries(demo, user, 30, count_queries, "Viele")
    assert many == few


def test_attendance_screen_lists_the_roster_with_a_fieldset_per_row_and_read_events(
    demo: DemoNetwork, login: Callable[[str], Client]
) -> None:
    offer = _offer(demo)
    session = _session(demo, offer)
    enrolments = _bulk_enrolments(demo, offer, 3)
    Enrolment.objects.filter(pk=enrolments[0].pk).update(left_on=TODAY - datetime.timedelta(days=3))
    page = login("cm_a").get(reverse("offers:session_attendance", args=[session.pk]))
    html = page.content.decode()
    assert html.count("<fieldset") == 2
    assert html.count('type="radio"') == 6
    assert "Gruppe0" not in html  # left before the session
    assert read_ids("offers.enrolment") == {str(e.pk) for e in enrolments[1:]}


# The list


def test_group_list_filters_by_kind_and_period(demo: DemoNetwork, login: Callable[[str], Client]) -> None:
    _offer(
        demo,
        title="Vergangen",
        starts_on=TODAY - datetime.timedelta(days=90),
        ends_on=TODAY - datetime.timedelta(days=60),
    )
    client = login("cm_a")
    past = client.get(reverse("offers:group_list"), {"when": "past"})
    titles = {o.title for o in past.context["page"]}
    assert "Vergangen" in titles and TRAINING not in titles
    training = client.get(reverse("offers:group_list"), {"kind": GroupKind.APPLICATION_TRAINING})
    assert {o.kind for o in training.context["page"]} == {GroupKind.APPLICATION_TRAINING}
    bad = client.get(reverse("offers:group_list"), {"kind": "'); DROP TABLE x;--", "page": "999"})
    assert bad.status_code == 200


def test_group_list_query_count_does_not_grow_with_offers(
    demo: DemoNetwork, login: Callable[[str], Client], count_queries: Callable[[], Any]
) -> None:
    client = login("coordinator")
    url = reverse("offers:group_list")
    client.get(url)
    with count_queries() as before:
        client.get(url)
    for index in range(5):
        offer = _offer(demo, title=f"Mehr {index}")
        _session(demo, offer)
        _bulk_enrolments(demo, offer, 2, name=f"Mehr{index}")
    with count_queries() as after:
        response = client.get(url)
    assert response.status_code == 200
    assert after.count == before.count
