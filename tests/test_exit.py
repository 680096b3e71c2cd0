"""Exit: closing a case with the ESF exit questionnaire, corrections, the 6-month follow-up."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Plan,
    Task,
    TaskSource,
)
from bruecke.cases.selectors.exit import open_steps, open_tasks
from bruecke.cases.services import cases as case_services
from bruecke.cases.services import exit as services
from bruecke.core.audit import object_type_of
from bruecke.core.locking import EditConflict
from bruecke.core.models import AuditEvent
from bruecke.esf.exit_models import ExitRecord, ExitSituation, FollowUp
from bruecke.esf.exit_services import SituationInput
from bruecke.esf.models import EntryRecord
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.expectations_exit import closed_case, open_case

TODAY = datetime.date.today()


def _d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def _situations(
    rows: list[tuple[str, str]], *, pks: list[Any] | None = None, extra: int = 1
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "situation-TOTAL_FORMS": str(len(rows) + extra),
        "situation-INITIAL_FORMS": "0",
        "situation-MIN_NUM_FORMS": "0",
        "situation-MAX_NUM_FORMS": "20",
    }
    for index, (date, kind) in enumerate([*rows, *[("", "")] * extra]):
        data[f"situation-{index}-date"] = date
        data[f"situation-{index}-kind"] = kind
        data[f"situation-{index}-pk"] = (pks or [])[index] if pks and index < len(pks) else ""
    return data


def _exit(case: Case, **overrides: Any) -> dict[str, Any]:
    """A valid close: job searching from the exit date, a job 5 days later."""
    exit_date = max(case.opened_on, _ago(10))
    job = min(exit_date + datetime.timedelta(days=5), TODAY)
    data: dict[str, Any] = {
        "exit_date": _d(exit_date),
        "exit_reason": "completed",
        "status_collected_on": _d(TODAY),
        "qualification_gained": "false",
        "qualification_on": "",
        **_situations([(_d(exit_date), "job_searching"), (_d(job), "employed")]),
        **_decide_open_items(case),
    }
    return {**data, **overrides}


def _decide_open_items(case: Case, action: str = "done") -> dict[str, Any]:
    """The exit form's decision for every open task and plan step of the case."""
    data: dict[str, Any] = {}
    for task in open_tasks(case):
        data |= {f"task_{task.pk}": action, f"task_{task.pk}_version": str(task.version)}
    for step in open_steps(case):
        data[f"step_{step.pk}"] = action
    if data and Plan.objects.filter(case=case).exists():
        data["plan_version"] = str(Plan.objects.get(case=case).version)
    return data


def _counts() -> tuple[int, ...]:
    return (
        ExitRecord.objects.count(),
        ExitSituation.objects.count(),
        Task.objects.count(),
        CaseEvent.objects.count(),
        AuditEvent.objects.count(),
        Case.objects.filter(status=CaseStatus.CLOSED).count(),
    )


def _close_url(case: Case) -> str:
    return reverse("cases:close", args=[case.pk])


def _task_of(record: ExitRecord) -> Task:
    return Task.objects.get(source_type=object_type_of(record), source_id=str(record.pk))


def test_closing_writes_case_record_event_and_follow_up_task(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    response = login("cm_a").post(_close_url(case), _exit(case))
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    record = ExitRecord.objects.get(case=case)
    assert case.status == CaseStatus.CLOSED and case.closed_on == record.exit_date
    assert [s.kind for s in record.situations.all()] == ["job_searching", "employed"]
    event = CaseEvent.objects.get(case=case, kind=EventKind.CLOSED)
    assert event.details == {"reason": "completed"} and event.occurred_on == record.exit_date
    task = _task_of(record)
    assert task.source == TaskSource.FOLLOW_UP and task.assignee == case.case_manager and task.done_on is None
    assert task.due_on == record.follow_up_due and task.case == case
    # The case page shows the derived results read-only, for editors and readers alike.
    for key in ("cm_a", "po_a"):
        page = login(key).get(reverse("cases:detail", args=[case.pk]) + "?section=exit")
        summary = page.context["exit_summary"]
        assert summary.immediate.codes == {"EECR04"}
        assert b"EECR04" in page.content
    assert (
        reverse("cases:exit_edit", args=[case.pk]).encode()
        not in login("po_a").get(reverse("cases:detail", args=[case.pk]) + "?section=exit").content
    )


def _future(case: Case) -> dict[str, Any]:
    return {"exit_date": _d(TODAY + datetime.timedelta(days=1))}


def _before_opening(case: Case) -> dict[str, Any]:
    return {"exit_date": _d(case.opened_on - datetime.timedelta(days=1))}


def _situation_before_exit(case: Case) -> dict[str, Any]:
    exit_date = case.opened_on + datetime.timedelta(days=1)
    return {
        "exit_date": _d(exit_date),
        **_situations([(_d(case.opened_on), "employed")]),
    }


def _situation_day_29(case: Case) -> dict[str, Any]:
    exit_date = case.opened_on
    return {
        "exit_date": _d(exit_date),
        **_situations([(_d(exit_date + datetime.timedelta(days=29)), "employed")]),
    }


def _situation_in_future(case: Case) -> dict[str, Any]:
    return {"exit_date": _d(TODAY), **_situations([(_d(TODAY + datetime.timedelta(days=2)), "employed")])}


def _situation_after_collection(case: Case) -> dict[str, Any]:
    return {
        "exit_date": _d(_ago(10)),
        "status_collected_on": _d(_ago(9)),
        **_situations([(_d(_ago(5)), "employed")]),
    }


def _no_situation(case: Case) -> dict[str, Any]:
    # Missing only once the 4-week window is over (before, it may be recorded later).
    return {"exit_date": _d(_ago(40)), **_situations([])}


def _half_row(case: Case) -> dict[str, Any]:
    return _situations([(_d(_ago(5)), "")])


def _no_collection_date(case: Case) -> dict[str, Any]:
    return {"status_collected_on": ""}


def _collected_before_exit(case: Case) -> dict[str, Any]:
    return {"status_collected_on": _d(_ago(20))}


def _no_reason(case: Case) -> dict[str, Any]:
    return {"exit_reason": ""}


def _no_qualification_answer(case: Case) -> dict[str, Any]:
    return {"qualification_gained": ""}


def _qualification_without_date(case: Case) -> dict[str, Any]:
    return {"qualification_gained": "true"}


def _qualification_before_entry(case: Case) -> dict[str, Any]:
    entry = case.participant.entry_date
    return {"qualification_gained": "true", "qualification_on": _d(entry - datetime.timedelta(days=1))}


def _qualification_date_without_yes(case: Case) -> dict[str, Any]:
    return {"qualification_on": _d(_ago(3))}


def _control_chars(case: Case) -> dict[str, Any]:
    return {"exit_date": "01.\x0001.2026"}


def _html_in_kind(case: Case) -> dict[str, Any]:
    return _situations([(_d(_ago(5)), "<b>employed</b>")])


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (_future, "exit_date"),
        (_before_opening, "exit_date"),
        (_situation_before_exit, "situation-date"),
        (_situation_day_29, "situation-date"),
        (_situation_in_future, "situation-date"),
        (_situation_after_collection, "situation-date"),
        (_no_situation, "__all__"),
        (_half_row, "situation-kind"),
        (_no_collection_date, "status_collected_on"),
        (_collected_before_exit, "status_collected_on"),
        (_no_reason, "exit_reason"),
        (_no_qualification_answer, "qualification_gained"),
        (_qualification_without_date, "qualification_on"),
        (_qualification_before_entry, "qualification_on"),
        (_qualification_date_without_yes, "qualification_on"),
        (_control_chars, "exit_date"),
        (_html_in_kind, "situation-kind"),
    ],
)
def test_bad_exit_input_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, bad: Callable[[Case], dict[str, Any]], field: str
) -> None:
    case = open_case(demo)
    # Room before today for the windows of the table.
    Case.objects.filter(pk=case.pk).update(opened_on=_ago(60))
    Participant.objects.filter(pk=case.participant_id).update(entry_date=_ago(60))
    case.refresh_from_db()
    case.participant.refresh_from_db()
    before = _counts()
    response = login("cm_a").post(_close_url(case), _exit(case, **bad(case)))
    assert response.status_code == 400
    form = response.context["form"]
    if field.startswith("situation-"):
        assert any(field.removeprefix("situation-") in row.errors for row in form.situations.forms)
    else:
        assert field in form.errors, form.errors
    assert _counts() == before
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_exit_before_the_entry_into_the_project_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    Case.objects.filter(pk=case.pk).update(opened_on=_ago(60))
    Participant.objects.filter(pk=case.participant_id).update(entry_date=_ago(30))
    case.refresh_from_db()
    response = login("cm_a").post(_close_url(case), _exit(case, exit_date=_d(_ago(40))))
    assert response.status_code == 400
    assert "exit_date" in response.context["form"].errors


def test_missing_answers_are_listed_with_clear_messages(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    Case.objects.filter(pk=case.pk).update(opened_on=_ago(60))
    Participant.objects.filter(pk=case.participant_id).update(entry_date=_ago(60))
    data = _exit(
        case, exit_date=_d(_ago(40)), status_collected_on="", qualification_gained="", **_situations([])
    )
    response = login("cm_a").post(_close_url(case), data)
    text = response.content.decode()
    assert "Pflichtangabe beim Austritt" in text
    assert response.context["form"].errors.keys() >= {
        "__all__",
        "status_collected_on",
        "qualification_gained",
    }


@pytest.mark.parametrize("reason", ["deceased", "unknown"])
def test_no_answers_needed_after_death_or_lost_contact(
    login: Callable[[str], Client], demo: DemoNetwork, reason: str
) -> None:
    case = open_case(demo)
    data = _exit(case, exit_reason=reason, status_collected_on="", qualification_gained="", **_situations([]))
    assert login("cm_a").post(_close_url(case), data).status_code == 302
    record = ExitRecord.objects.get(case=case)
    assert record.situations.count() == 0 and record.qualification_gained is None
    assert _task_of(record).due_on == record.follow_up_due


def _service_close(case: Case, actor: User, situations: list[SituationInput], **data: Any) -> ExitRecord:
    exit_data = {
        "exit_date": case.opened_on,
        "exit_reason": "completed",
        "status_collected_on": TODAY,
        "qualification_gained": False,
        "qualification_on": None,
        **data,
    }
    return services.case_close(actor=actor, case=case, exit_data=exit_data, situations=situations)


def test_a_failure_after_the_first_write_leaves_no_half_closed_case(demo: DemoNetwork) -> None:
    """An invalid situation type is only caught when its row is saved, after the exit
    record: the transaction rolls everything back."""
    case = open_case(demo)
    before = _counts()
    with pytest.raises(ValidationError):
        _service_close(case, demo.users["cm_a"], [SituationInput(date=case.opened_on, kind="astronaut")])
    assert _counts() == before
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.closed_on is None


def test_service_checks_the_window_without_the_form(demo: DemoNetwork) -> None:
    case = open_case(demo)
    late = case.opened_on + datetime.timedelta(days=29)
    with pytest.raises(ValidationError) as error:
        _service_close(case, demo.users["cm_a"], [SituationInput(date=late, kind="employed")])
    assert "situations" in error.value.message_dict
    assert not ExitRecord.objects.filter(case=case).exists()


def test_closing_twice_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = open_case(demo)
    actor = demo.users["cm_a"]
    situations = [SituationInput(date=case.opened_on, kind="employed")]
    _service_close(case, actor, situations)
    before = _counts()
    with pytest.raises(ValidationError):
        _service_close(case, actor, situations)
    assert _counts() == before
    response = login("cm_a").get(_close_url(case))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "?section=exit"
    assert login("cm_a").post(_close_url(case), _exit(case)).status_code == 302
    assert _counts() == before


def test_closing_frees_the_participant_for_a_new_case(demo: DemoNetwork) -> None:
    case = open_case(demo)
    actor = demo.users["cm_a"]
    _service_close(case, actor, [SituationInput(date=case.opened_on, kind="job_searching")])
    again = case_services.case_open(
        actor=actor,
        case=Case(participant=case.participant, team=case.team, case_manager=actor, opened_on=TODAY),
    )
    assert again.pk != case.pk and again.status == CaseStatus.ACTIVE
    assert Case.objects.filter(participant=case.participant).count() == 2


@pytest.mark.parametrize(
    ("exit_date", "due"),
    [
        (datetime.date(2025, 8, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2023, 8, 31), datetime.date(2024, 2, 29)),
        (datetime.date(2025, 5, 15), datetime.date(2025, 11, 15)),
    ],
)
def test_follow_up_task_due_six_months_after_exit_clamped(
    demo: DemoNetwork, exit_date: datetime.date, due: datetime.date
) -> None:
    case = open_case(demo)
    Case.objects.filter(pk=case.pk).update(opened_on=datetime.date(2023, 1, 2))
    Participant.objects.filter(pk=case.participant_id).update(entry_date=datetime.date(2023, 1, 2))
    case.refresh_from_db()
    case.participant.refresh_from_db()
    record = _service_close(
        case,
        demo.users["cm_a"],
        [SituationInput(date=exit_date, kind="employed")],
        exit_date=exit_date,
        status_collected_on=exit_date,
    )
    assert _task_of(record).due_on == due


def _follow_up(**overrides: Any) -> dict[str, Any]:
    data = {
        "answered_on": _d(TODAY),
        "employed": "yes",
        "self_employed": "",
        "improvements": [],
        "note": "Arbeitet in Vollzeit.",
    }
    return {**data, **overrides}


def test_follow_up_marks_the_task_done_and_writes_the_timeline(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    record = _service_close(case, demo.users["cm_a"], [SituationInput(date=case.opened_on, kind="employed")])
    assert _task_of(record).done_on is None
    url = reverse("cases:follow_up_create", args=[case.pk])
    assert login("cm_a").post(url, _follow_up()).status_code == 302
    follow_up = FollowUp.objects.get(exit_record=record)
    task = _task_of(record)
    assert task.done_on == TODAY and task.done_by == demo.users["cm_a"]
    event = CaseEvent.objects.get(case=case, kind=EventKind.FOLLOW_UP)
    assert event.details == {"answer": "yes"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM esf_followup WHERE id = %s", [follow_up.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("v2:") and "Vollzeit" not in raw
    # Answered long before the reference date: saved, but shown as not counting.
    page = login("cm_a").get(reverse("cases:detail", args=[case.pk]) + "?section=exit")
    rows = page.context["exit_summary"].follow_ups
    assert [row.counts for row in rows] == [False]
    assert "außerhalb des Zeitfensters" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"answered_on": _d(TODAY + datetime.timedelta(days=1))}, "answered_on"),
        ({"answered_on": "01.01.2000"}, "answered_on"),
        ({"answered_on": ""}, "answered_on"),
        ({"employed": ""}, "employed"),
        ({"employed": "maybe"}, "employed"),
        ({"employed": "no", "improvements": ["promotion"]}, "employed"),
        ({"employed": "no_response", "self_employed": "on"}, "employed"),
        ({"improvements": ["lottery"]}, "improvements"),
        ({"note": "a\x00b"}, "note"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_follow_up_input_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, Any], field: str
) -> None:
    case = closed_case(demo)
    before = FollowUp.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count()
    response = login("cm_a").post(reverse("cases:follow_up_create", args=[case.pk]), _follow_up(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (FollowUp.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count()) == before


def test_exit_correction_moves_closing_date_and_task_and_keeps_rows(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = closed_case(demo)
    record = ExitRecord.objects.get(case=case)
    first, second = record.situations.all()
    new_exit = record.exit_date - datetime.timedelta(days=1)
    data = _exit(
        case,
        exit_date=_d(new_exit),
        exit_reason="early_job",
        status_collected_on=_d(record.status_collected_on),  # type: ignore[arg-type]
        version=str(record.version),
        **_situations([(_d(second.date), "employed")], pks=[second.pk]),
    )
    response = login("cm_a").post(reverse("cases:exit_edit", args=[case.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    case.refresh_from_db()
    assert record.exit_date == new_exit and case.closed_on == new_exit
    assert list(record.situations.values_list("pk", flat=True)) == [second.pk]  # first row removed
    assert not ExitSituation.objects.filter(pk=first.pk).exists()
    task = _task_of(record)
    assert task.due_on == record.follow_up_due
    assert task.done_on is not None  # the demo follow-up was answered: stays done
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CLOSED, details__correction=True).exists()


def test_exit_correction_from_an_outdated_version_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = closed_case(demo)
    record = ExitRecord.objects.get(case=case)
    rows = [(_d(s.date), s.kind) for s in record.situations.all()]
    pks = list(record.situations.values_list("pk", flat=True))
    common = {
        "exit_date": _d(record.exit_date),
        "exit_reason": record.exit_reason,
        "status_collected_on": _d(record.status_collected_on),  # type: ignore[arg-type]
        "qualification_gained": "false",
        "qualification_on": "",
        "version": str(record.version),
    }
    url = reverse("cases:exit_edit", args=[case.pk])
    first = login("cm_a").post(url, {**common, "exit_reason": "completed", **_situations(rows, pks=pks)})
    assert first.status_code == 302, (
        first.context["form"].errors,
        [r.errors for r in first.context["form"].situations.forms],
    )
    before = _counts(), ExitRecord.objects.get(pk=record.pk).version
    second = login("team_lead").post(
        url, {**common, "exit_reason": "moved", **_situations(rows[:1], pks=pks[:1])}
    )
    assert second.status_code == 400 and second.context["form"].conflict
    record.refresh_from_db()
    assert record.exit_reason == "completed" and record.situations.count() == len(rows)
    assert (_counts(), record.version) == before


def test_changing_only_a_situation_is_a_new_version(demo: DemoNetwork) -> None:
    case = closed_case(demo)
    record = ExitRecord.objects.get(case=case)
    rows = list(record.situations.all())
    data = {
        "exit_date": record.exit_date,
        "exit_reason": record.exit_reason,
        "status_collected_on": record.status_collected_on,
        "qualification_gained": record.qualification_gained,
        "qualification_on": record.qualification_on,
    }
    updated = services.exit_correct(
        actor=demo.users["cm_a"],
        record=record,
        exit_data=data,
        situations=[SituationInput(date=rows[0].date, kind="unemployed_registered", pk=rows[0].pk)],
        expected_version=record.version,
    )
    assert updated.version == record.version + 1
    with pytest.raises(EditConflict):
        services.exit_correct(
            actor=demo.users["cm_a"],
            record=record,
            exit_data=data,
            situations=[],
            expected_version=record.version,
        )


def test_follow_up_correction_with_conflict(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = closed_case(demo)
    follow_up = FollowUp.objects.filter(exit_record__case=case).earliest("id")
    url = reverse("cases:follow_up_edit", args=[case.pk, follow_up.pk])
    version = str(follow_up.version)
    assert login("cm_a").post(url, _follow_up(employed="no", note="", version=version)).status_code == 302
    stale = login("team_lead").post(url, _follow_up(employed="no_response", version=version))
    assert stale.status_code == 400 and stale.context["form"].conflict
    follow_up.refresh_from_db()
    assert follow_up.employed == "no" and follow_up.version == int(version) + 1
    assert (
        CaseEvent.objects.filter(case=case, kind=EventKind.FOLLOW_UP, details__correction=True).count() == 1
    )


def test_follow_up_of_another_case_is_404(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    closed = closed_case(demo)
    follow_up = FollowUp.objects.filter(exit_record__case=closed).earliest("id")
    case = open_case(demo)
    _service_close(case, demo.users["cm_a"], [SituationInput(date=case.opened_on, kind="employed")])
    url = reverse("cases:follow_up_edit", args=[case.pk, follow_up.pk])
    assert login("cm_a").get(url).status_code == 404


def test_case_page_query_count_does_not_grow_with_exit_rows(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = closed_case(demo)
    record = ExitRecord.objects.get(case=case)
    client = login("cm_a")
    counts = []
    for batch in (1, 30):
        ExitSituation.objects.bulk_create(
            ExitSituation(exit_record=record, date=record.exit_date, kind="inactive") for _ in range(batch)
        )
        FollowUp.objects.bulk_create(
            FollowUp(exit_record=record, organisation=record.organisation, answered_on=TODAY, employed="no")
            for _ in range(batch)
        )
        with count_queries() as ctx:
            assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


def test_a_paused_case_can_be_closed_and_the_pause_ends(demo: DemoNetwork) -> None:
    case = open_case(demo)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.PAUSED, pause_reason="Krankenhaus")
    case.refresh_from_db()
    _service_close(case, demo.users["cm_a"], [SituationInput(date=case.opened_on, kind="inactive")])
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.pause_reason == ""


@pytest.mark.parametrize("key", ["po_a", "cm_b", "coordinator"])
def test_only_editors_of_the_case_close_it(
    login: Callable[[str], Client], demo: DemoNetwork, key: str
) -> None:
    case = open_case(demo)
    before = _counts()
    assert login(key).post(_close_url(case), _exit(case)).status_code == 404
    follow_up_url = reverse("cases:follow_up_create", args=[closed_case(demo).pk])
    assert login(key).post(follow_up_url, _follow_up()).status_code == 404
    assert _counts() == before


def test_the_situation_after_exit_can_be_recorded_later_within_its_window(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """Not forced on the day of closing: the window is open until 28 days after exit."""
    case = open_case(demo)
    client = login("cm_a")
    data = _exit(case, exit_date=_d(TODAY), status_collected_on="", **_situations([]))
    response = client.post(_close_url(case), data)
    assert response.status_code == 302, response.context["form"].errors
    record = ExitRecord.objects.get(case=case)
    assert not record.situations.exists() and record.status_collected_on is None
    page = client.get(reverse("cases:detail", args=[case.pk]) + "?section=exit").content.decode()
    window_end = (TODAY + datetime.timedelta(days=28)).strftime("%d.%m.%Y")
    assert f"Sie kann bis zum {window_end} erfasst werden." in page
    later = _exit(
        case,
        exit_date=_d(TODAY),
        status_collected_on=_d(TODAY),
        version=str(record.version),
        **_situations([(_d(TODAY), "employed")]),
    )
    response = client.post(reverse("cases:exit_edit", args=[case.pk]), later)
    assert response.status_code == 302, response.context["form"].errors
    assert [s.kind for s in record.situations.all()] == ["employed"]
    page = client.get(reverse("cases:detail", args=[case.pk]) + "?section=exit").content.decode()
    assert "erfasst werden." not in page


def test_closing_warns_when_the_esf_entry_data_were_never_recorded(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    warning = "Der ESF-Eintrittsfragebogen dieser Person wurde nie erfasst."
    EntryRecord.objects.filter(participant_id=case.participant_id).delete()
    page = login("cm_a").get(_close_url(case)).content.decode()
    assert warning in page
    assert reverse("esf:entry", args=[case.participant_id]) in page
    # A warning, not a refusal: the case closes.
    assert login("cm_a").post(_close_url(case), _exit(case)).status_code == 302


def test_no_entry_warning_when_the_entry_data_exist(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    EntryRecord.objects.create(participant=case.participant, organisation=case.organisation)
    page = login("cm_a").get(_close_url(case)).content.decode()
    assert "wurde nie erfasst" not in page
