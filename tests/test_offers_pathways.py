"""The language and recognition pathways (issue 14): the German level feeds the
participant's record, matching and the pre-checks; bad input is refused next to the field
with nothing saved; the participant page shows chart and table in constant queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, CaseEvent, CaseStatus, EventKind
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.chart import level_chart
from bruecke.offers.models import LanguageAssessment, RecognitionDecision, RecognitionProcedure
from bruecke.offers.selectors import pathway_figures as figures
from bruecke.offers.services import pathways as services
from bruecke.participants.models import Participant
from bruecke.placement.models import MatchProfile
from bruecke.rules.facts import facts_for, person_facts_for
from bruecke.rules.prechecks import State, precheck
from tests.access_expectations import mohammed
from tests.audit_reads import reads_of
from tests.expectations_cases import _case

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _record(demo: DemoNetwork, level: str, on: datetime.date = TODAY, **extra: Any) -> LanguageAssessment:
    return services.assessment_record(
        actor=demo.users["cm_a"],
        case=_case(demo),
        data={"level": level, "basis": "estimate", "assessed_on": on, **extra},
    )


def _level_now(participant: Participant) -> str:
    return Participant.objects.get(pk=participant.pk).german_level


def _german_item(participant: Participant) -> State:
    """The German-level item of the § 25b pre-check, from the stored record."""
    person = Participant.objects.get(pk=participant.pk)
    facts = facts_for(person, TODAY)
    assert facts is not None
    check = precheck("25b", facts, person_facts_for(person, TODAY), TODAY)
    return next(item.state for item in check.items if item.code == "german_a2")


def test_a_new_assessment_becomes_the_level_matching_and_the_prechecks_read(demo: DemoNetwork) -> None:
    person, case = mohammed(demo), _case(demo)
    _record(demo, "A1")
    assert _level_now(person) == "A1"
    assert MatchProfile.objects.get(case=case).german_rank == 1
    assert _german_item(person) == State.MISSING

    _record(demo, "B2")
    assert _level_now(person) == "B2"
    assert MatchProfile.objects.get(case=case).german_rank == 4
    assert _german_item(person) == State.MET


def test_the_newest_by_date_counts_and_a_deletion_falls_back(demo: DemoNetwork) -> None:
    person = mohammed(demo)
    newest = _record(demo, "B2", TODAY)
    _record(demo, "A1", TODAY - 10 * DAY)  # an older certificate entered later
    assert _level_now(person) == "B2"
    services.assessment_delete(actor=demo.users["cm_a"], assessment=newest)
    assert _level_now(person) == "A1"
    assert not LanguageAssessment.objects.filter(pk=newest.pk).exists()


def test_an_edit_changes_the_level_and_is_on_the_timeline(demo: DemoNetwork) -> None:
    person = mohammed(demo)
    assessment = _record(demo, "A2")
    updated = services.assessment_update(
        actor=demo.users["cm_a"],
        assessment=assessment,
        data={"level": "C1", "basis": "exam", "exam_name": "telc C1", "assessed_on": TODAY},
        expected_version=assessment.version,
    )
    assert (updated.level, updated.version, _level_now(person)) == ("C1", assessment.version + 1, "C1")
    events = CaseEvent.objects.filter(kind=EventKind.LANGUAGE, object_id=str(assessment.pk)).order_by("pk")
    assert [e.details["action"] for e in events] == ["created", "changed"]
    assert events.last().details == {"action": "changed", "level": "C1", "basis": "exam"}  # type: ignore[union-attr]


def test_recording_writes_audit_and_timeline_in_the_same_transaction(demo: DemoNetwork) -> None:
    assessment = _record(demo, "B1", exam_name="DTZ", note="Prüfung bestanden")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="offers.languageassessment", object_id=str(assessment.pk)
    ).exists()
    event = CaseEvent.objects.get(kind=EventKind.LANGUAGE, object_id=str(assessment.pk))
    assert event.occurred_on == TODAY
    assert "Prüfung" not in str(event.details)  # notes never go into the timeline


@pytest.mark.parametrize("level", ["D1", "B3", "none", "a1", "", "A1 "])
def test_levels_that_are_not_levels_are_refused_next_to_the_field(
    level: str, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = mohammed(demo)
    before = (LanguageAssessment.objects.count(), _level_now(person))
    response = login("cm_a").post(
        reverse("offers:language_create", args=[_case(demo).pk]),
        {"level": level, "basis": "estimate", "assessed_on": TODAY.strftime("%d.%m.%Y")},
    )
    assert response.status_code == 400
    assert "level" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert (LanguageAssessment.objects.count(), _level_now(person)) == before


def test_the_service_refuses_a_level_that_is_not_one_and_saves_nothing(demo: DemoNetwork) -> None:
    person = mohammed(demo)
    before = (LanguageAssessment.objects.count(), CaseEvent.objects.count(), _level_now(person))
    with pytest.raises(ValidationError) as error:
        _record(demo, "D1")
    assert "level" in error.value.message_dict
    assert (LanguageAssessment.objects.count(), CaseEvent.objects.count(), _level_now(person)) == before


def test_an_assessment_in_the_future_and_an_exam_without_name_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    before = LanguageAssessment.objects.count()
    response = login("cm_a").post(
        reverse("offers:language_create", args=[_case(demo).pk]),
        {"level": "B1", "basis": "exam", "assessed_on": (TODAY + DAY).strftime("%d.%m.%Y")},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Zukunft" in errors["assessed_on"][0]
    assert "exam_name" in errors
    assert LanguageAssessment.objects.count() == before


def test_the_form_records_the_level_and_returns_to_the_participant_page(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = mohammed(demo)
    response = login("cm_a").post(
        reverse("offers:language_create", args=[_case(demo).pk]),
        {
            "level": "B2",
            "basis": "certificate",
            "exam_name": "telc Deutsch B2",
            "assessed_on": TODAY.strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("participants:detail", args=[person.pk]))
    assert _level_now(person) == "B2"


def test_another_partner_cannot_record_on_the_case(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    before = LanguageAssessment.objects.count()
    response = login("cm_b").post(
        reverse("offers:language_create", args=[_case(demo).pk]),
        {"level": "B1", "basis": "estimate", "assessed_on": TODAY.strftime("%d.%m.%Y")},
    )
    assert response.status_code == 404
    with pytest.raises(Http404):
        services.assessment_record(
            actor=demo.users["cm_b"],
            case=_case(demo),
            data={"level": "B1", "basis": "estimate", "assessed_on": TODAY},
        )
    assert LanguageAssessment.objects.count() == before


def test_a_closed_case_takes_no_new_records(demo: DemoNetwork) -> None:
    closed = Case.objects.filter(organisation=demo.partners["A"], status=CaseStatus.CLOSED).first()
    assert closed is not None
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=demo.users["cm_a"],
            case=closed,
            data={"level": "A2", "basis": "estimate", "assessed_on": TODAY},
        )


def test_deleting_asks_first_and_the_post_deletes(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    assessment = _record(demo, "C1")
    client = login("cm_a")
    url = reverse("offers:language_delete", args=[assessment.pk])
    assert client.get(url).status_code == 200
    assert LanguageAssessment.objects.filter(pk=assessment.pk).exists()
    assert client.post(url).status_code == 302
    assert not LanguageAssessment.objects.filter(pk=assessment.pk).exists()
    assert CaseEvent.objects.filter(kind=EventKind.LANGUAGE, details__action="deleted").exists()
    assert login("cm_b").post(url).status_code == 404


def _recognition_post(**changes: str) -> dict[str, str]:
    data = {
        "qualification": "Diplom Krankenpflege",
        "country": "SY",
        "reference_occupation_text": "Pflegefachfrau/Pflegefachmann",
        "reference_occupation": "81302",
        "authority": "Landesamt für Gesundheit und Soziales",
        "applied_on": (TODAY - 30 * DAY).strftime("%d.%m.%Y"),
        "decision": "partial",
        "decided_on": (TODAY - 2 * DAY).strftime("%d.%m.%Y"),
        "compensation": "adaptation",
        "compensation_text": "",
        "costs": "1250,50",
        "funded_by": "zuschuss",
        "note": "Vertraulich: Beratung zur Finanzierung",
    }
    return {**data, **changes}


def test_a_recognition_procedure_is_recorded_encrypted_and_on_the_timeline(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("cm_a").post(
        reverse("offers:recognition_create", args=[_case(demo).pk]), _recognition_post()
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    procedure = RecognitionProcedure.objects.order_by("-pk").first()
    assert procedure is not None
    assert (procedure.costs, procedure.reference_occupation_id, procedure.decision) == (
        Decimal("1250.50"),
        "81302",
        RecognitionDecision.PARTIAL,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM offers_recognitionprocedure WHERE id = %s", [procedure.pk])
        assert "Vertraulich" not in cursor.fetchone()[0]
    event = CaseEvent.objects.get(kind=EventKind.RECOGNITION, object_id=str(procedure.pk))
    assert event.details == {"action": "created", "decision": "partial"}
    page = login("cm_a").get(reverse("offers:recognition_detail", args=[procedure.pk])).content.decode()
    assert "Pflegefachfrau/Pflegefachmann" in page and "1.250,50" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # The bad input of the issue: a decision before its application.
        ({"decided_on": (TODAY - 40 * DAY).strftime("%d.%m.%Y")}, "decided_on"),
        ({"applied_on": ""}, "applied_on"),
        ({"decided_on": ""}, "decided_on"),
        ({"decision": "pending"}, "decided_on"),
        ({"decision": "maybe"}, "decision"),
        ({"costs": "-5"}, "costs"),
        ({"costs": ""}, "costs"),
        ({"compensation": "other"}, "compensation_text"),
        ({"reference_occupation": "99999"}, "reference_occupation"),
        ({"applied_on": (TODAY + DAY).strftime("%d.%m.%Y"), "decided_on": ""}, "applied_on"),
    ],
)
def test_bad_recognition_input_is_refused_next_to_the_field(
    changes: dict[str, str], field: str, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    before = (RecognitionProcedure.objects.count(), CaseEvent.objects.count())
    response = login("cm_a").post(
        reverse("offers:recognition_create", args=[_case(demo).pk]), _recognition_post(**changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert (RecognitionProcedure.objects.count(), CaseEvent.objects.count()) == before


def test_the_decision_date_message_names_the_application_date(demo: DemoNetwork) -> None:
    with pytest.raises(ValidationError) as error:
        services.recognition_create(
            actor=demo.users["cm_a"],
            case=_case(demo),
            data={
                "qualification": "Diplom",
                "country": "SY",
                "authority": "IHK FOSA",
                "applied_on": datetime.date(2025, 3, 10),
                "decision": "full",
                "decided_on": datetime.date(2025, 3, 1),
            },
        )
    assert "10.03.2025" in error.value.message_dict["decided_on"][0]


def test_a_decision_recorded_later_is_a_decision_on_the_timeline(demo: DemoNetwork) -> None:
    procedure = services.recognition_create(
        actor=demo.users["cm_a"],
        case=_case(demo),
        data={
            "qualification": "Bachelor Bauingenieurwesen",
            "country": "IQ",
            "authority": "Ingenieurkammer MV",
        },
    )
    assert procedure.decision == RecognitionDecision.PENDING
    services.recognition_update(
        actor=demo.users["cm_a"],
        procedure=procedure,
        data={
            "qualification": procedure.qualification,
            "country": "IQ",
            "authority": procedure.authority,
            "applied_on": TODAY - 90 * DAY,
            "decision": "full",
            "decided_on": TODAY,
        },
        expected_version=procedure.version,
    )
    actions = list(
        CaseEvent.objects.filter(kind=EventKind.RECOGNITION, object_id=str(procedure.pk))
        .order_by("pk")
        .values_list("details__action", flat=True)
    )
    assert actions == ["created", "decided"]


def test_the_participant_page_shows_chart_table_and_courses_in_constant_queries(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[[], Any]
) -> None:
    person = mohammed(demo)
    client = login("cm_a")
    url = reverse("participants:detail", args=[person.pk])
    client.get(url)  # warm the caches (sessions, memberships)
    with count_queries() as few:
        page = client.get(url)
    html = page.content.decode()
    assert 'id="pathways-heading"' in html and 'role="img"' in html
    assert "<polyline" in html and "German level assessments" not in html  # German UI
    for level in ("A1", "A2", "B1"):  # the demo's pathway, in the table
        assert f'<td class="kern-table__cell">{level}' in html
    for days in range(1, 7):
        _record(demo, ["A2", "B1", "B2"][days % 3], TODAY - days * DAY)
        services.recognition_create(
            actor=demo.users["cm_a"],
            case=_case(demo),
            data={"qualification": f"Abschluss {days}", "country": "SY", "authority": "IHK FOSA"},
        )
    with count_queries() as many:
        more = client.get(url)
    assert (
        more.content.decode().count('class="level-chart__point"')
        == LanguageAssessment.objects.filter(participant=person).count()
    )
    assert len(many) == len(few), (len(few), len(many))


def test_the_section_is_read_audited(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    assessment = _record(demo, "B1")
    login("cm_a").get(reverse("participants:detail", args=[mohammed(demo).pk]))
    assert reads_of("offers.languageassessment", assessment.pk)


def test_without_an_open_case_the_section_offers_no_recording(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    html = login("cm_a").get(reverse("participants:detail", args=[case.participant_id])).content.decode()
    assert reverse("offers:language_create", args=[case.pk]) not in html
    assert 'id="pathways-heading"' in html


def test_the_chart_puts_a1_at_the_bottom_c2_at_the_top_and_time_left_to_right() -> None:
    assert level_chart([]) is None
    chart = level_chart([(TODAY, "C2"), (TODAY - 100 * DAY, "A1"), (TODAY - 50 * DAY, "B1")])
    assert chart is not None
    first, middle, last = chart.points
    assert (first.level, middle.level, last.level) == ("A1", "B1", "C2")
    assert first.x == chart.left and last.x == chart.right_edge
    assert first.y == chart.bottom_edge and last.y < middle.y < first.y
    single = level_chart([(TODAY, "B2")])
    assert single is not None and chart.left < single.points[0].x < chart.right_edge


def test_figures_count_levels_per_period_and_procedures_per_decision(demo: DemoNetwork) -> None:
    """Aggregated in SQL: run on SQLite and PostgreSQL (DATABASE_URL)."""
    LanguageAssessment.objects.all().delete()
    RecognitionProcedure.objects.all().delete()
    person = mohammed(demo)
    march = datetime.date(2025, 3, 5)
    _record(demo, "A2", march)
    _record(demo, "A2", march + 10 * DAY)  # the same person and level twice: counted once
    _record(demo, "B1", datetime.date(2025, 5, 20))
    partner_a = [demo.partners["A"].pk]
    monthly = figures.levels_reached(partner_a, None, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert list(monthly) == [datetime.date(2025, 3, 1), datetime.date(2025, 5, 1)]
    assert monthly[datetime.date(2025, 3, 1)]["A2"] == 1
    assert monthly[datetime.date(2025, 5, 1)] == {"A1": 0, "A2": 0, "B1": 1, "B2": 0, "C1": 0, "C2": 0}
    quarterly = figures.levels_reached(
        partner_a, None, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), period="quarter"
    )
    assert list(quarterly) == [datetime.date(2025, 1, 1), datetime.date(2025, 4, 1)]
    assert figures.levels_reached([demo.partners["B"].pk], None, march, march) == {}
    for decision, decided in (("full", march), ("partial", march), ("none", march), ("pending", None)):
        services.recognition_create(
            actor=demo.users["cm_a"],
            case=_case(demo),
            data={
                "qualification": f"Abschluss {decision}",
                "country": "SY",
                "authority": "IHK FOSA",
                "applied_on": march - 30 * DAY,
                "decision": decision,
                "decided_on": decided,
            },
        )
    counts = figures.recognition_by_decision(partner_a, None, datetime.date(2025, 1, 1), march)
    assert counts == {"pending": 1, "full": 1, "partial": 1, "none": 1}
    assert figures.recognition_by_decision(partner_a, demo.teams["Greifswald"].pk, march, march)["full"] == 0
    assert person.pk  # the records are Mohammed's
