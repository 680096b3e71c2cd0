"""The integration plan: versions, validation, locking, tasks, timeline, print and PDF."""

from __future__ import annotations

import datetime
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases import plan_print
from bruecke.cases.models import (
    Case,
    CaseEvent,
    EventKind,
    Goal,
    Plan,
    PlanVersion,
    Responsible,
    Step,
    StepStatus,
    Task,
    TaskSource,
)
from bruecke.cases.services import cases as case_services
from bruecke.core import pdf as pdf_module
from bruecke.core.models import AppendOnlyError, AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.expectations_plan import _case

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _d(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def _step(description: str = "Bewerbung schreiben", **overrides: Any) -> dict[str, Any]:
    return {
        "step_id": "",
        "description": description,
        "responsible": "participant",
        "responsible_name": "",
        "due_on": _d(TODAY + 7 * DAY),
        "status": "open",
        **overrides,
    }


def _goal(
    title: str = "Deutsch B1", steps: list[dict[str, Any]] | None = None, **overrides: Any
) -> dict[str, Any]:
    return {
        "goal_id": "",
        "title": title,
        "target_on": "",
        "status": "open",
        "steps": steps or [],
        **overrides,
    }


def _form_data(version: int, goals: list[dict[str, Any]], agreed_on: datetime.date = TODAY) -> dict[str, Any]:
    """The POST of the edit page, with the management forms Django formsets expect."""
    data: dict[str, Any] = {
        "agreed_on": _d(agreed_on),
        "version": str(version),
        "goal-TOTAL_FORMS": str(len(goals)),
        "goal-INITIAL_FORMS": "0",
        "goal-MIN_NUM_FORMS": "0",
        "goal-MAX_NUM_FORMS": "1000",
        "save": "1",
    }
    for i, goal in enumerate(goals):
        steps = goal["steps"]
        for key in ("goal_id", "title", "target_on", "status"):
            data[f"goal-{i}-{key}"] = goal[key]
        if goal.get("DELETE"):
            data[f"goal-{i}-DELETE"] = "on"
        prefix = f"goal-{i}-step"
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(steps)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for j, step in enumerate(steps):
            for key, value in step.items():
                if key == "DELETE":
                    if value:
                        data[f"{prefix}-{j}-DELETE"] = "on"
                else:
                    data[f"{prefix}-{j}-{key}"] = value
    return data


def _current_goals(case: Case) -> list[dict[str, Any]]:
    """The stored plan as edit-page input, to change one thing and post it back."""
    plan = Plan.objects.get(case=case)
    return [
        _goal(
            goal.title,
            goal_id=str(goal.pk),
            status=goal.status,
            target_on=_d(goal.target_on) if goal.target_on else "",
            steps=[
                _step(
                    step.description,
                    step_id=str(step.pk),
                    responsible=step.responsible,
                    responsible_name=step.responsible_name,
                    due_on=_d(step.due_on),
                    status=step.status,
                )
                for step in goal.steps.all()
            ],
        )
        for goal in plan.goals.all()
    ]


def _post(client: Client, case: Case, data: dict[str, Any]) -> Any:
    return client.post(reverse("cases:plan_edit", args=[case.pk]), data)


@pytest.fixture
def fresh_case(demo: DemoNetwork) -> Case:
    """A case of partner A without a plan, opened ten days ago."""
    amina = Participant.objects.get(organisation=demo.partners["A"], family_name="Rahimi")
    return case_services.case_open(
        actor=demo.users["cm_a"],
        case=Case(
            participant=amina,
            team=amina.team,
            case_manager=demo.users["cm_a"],
            opened_on=max(amina.entry_date, TODAY - 10 * DAY),
        ),
    )


def _plan_task(step: Step) -> Task | None:
    return Task.objects.filter(source_type="cases.step", source_id=str(step.pk)).first()


# --- the demo plan and the case page ---------------------------------------------------------


def test_demo_plan_is_on_the_case_page(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    page = login("po_a").get(reverse("cases:detail", args=[case.pk]) + "?section=plan").content.decode()
    assert "Deutsch B1" in page
    assert "Kostenübernahme klären" in page
    assert "Jobcenter" in page
    # Steps due 14 and 21 days after the case was opened (over a month ago) are overdue.
    assert '<span class="kern-label">überfällig</span>' in page
    assert "Als erledigt markieren" not in page  # placement officers do not edit the plan


def test_demo_plan_made_tasks_for_the_counsellor_steps(demo: DemoNetwork) -> None:
    case = _case(demo)
    steps = Step.objects.filter(goal__plan__case=case)
    counsellor = [s for s in steps if s.responsible == Responsible.COUNSELLOR]
    assert len(counsellor) == 2
    for step in steps:
        task = _plan_task(step)
        if step.responsible == Responsible.COUNSELLOR:
            assert task is not None
            assert (task.source, task.assignee, task.title, task.due_on, task.case) == (
                TaskSource.PLAN_STEP,
                case.case_manager,
                step.description,
                step.due_on,
                case,
            )
        else:
            assert task is None


def test_case_page_query_count_does_not_grow_with_goals_and_steps(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = _case(demo)
    plan = Plan.objects.get(case=case)
    client = login("cm_a")
    counts = []
    for batch in (2, 40):
        goals = Goal.objects.bulk_create(
            Goal(plan=plan, title=f"Ziel {i}", position=10 + i) for i in range(batch)
        )
        Step.objects.bulk_create(
            Step(goal=goal, description=f"Schritt {j}", due_on=TODAY + j * DAY)
            for goal in goals
            for j in range(5)
        )
        with count_queries() as ctx:
            response = client.get(reverse("cases:detail", args=[case.pk]) + "?section=plan")
        assert response.status_code == 200
        counts.append(ctx.count)
    assert "Ziel 39" in response.content.decode()
    assert counts[0] == counts[1]


# --- saving versions -------------------------------------------------------------------------


def test_first_save_creates_plan_version_tasks_and_timeline(
    login: Callable[[str], Client], fresh_case: Case
) -> None:
    client = login("cm_a")
    assert client.get(reverse("cases:plan_edit", args=[fresh_case.pk])).status_code == 200
    assert not Plan.objects.filter(case=fresh_case).exists()  # created when first saved
    goals = [
        _goal(
            "Anerkennung des Pflegediploms",
            target_on=_d(TODAY + 200 * DAY),
            steps=[
                _step("Unterlagen übersetzen lassen"),
                _step("Antrag bei der Anerkennungsstelle", responsible="counsellor"),
                _step("Termin Jobcenter", responsible="other", responsible_name="Jobcenter"),
            ],
        ),
        _goal("Deutsch B1", steps=[_step("Kurs suchen", responsible="counsellor", status="done")]),
        _goal("", steps=[_step("", due_on="")]),  # a blank row is skipped
    ]
    response = _post(client, fresh_case, _form_data(0, goals))
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get(case=fresh_case)
    assert (plan.version, plan.made_on, plan.agreed_on) == (1, TODAY, TODAY)
    assert [g.title for g in plan.goals.all()] == ["Anerkennung des Pflegediploms", "Deutsch B1"]
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1
    assert version.snapshot["goals"][0]["steps"][2] == {
        "description": "Termin Jobcenter",
        "responsible": "other",
        "responsible_name": "Jobcenter",
        "due_on": (TODAY + 7 * DAY).isoformat(),
        "status": "open",
    }
    tasks = Task.objects.filter(case=fresh_case, source=TaskSource.PLAN_STEP)
    assert sorted((t.title, t.done_on) for t in tasks) == [
        ("Antrag bei der Anerkennungsstelle", None),
        ("Kurs suchen", TODAY),
    ]
    event = CaseEvent.objects.get(case=fresh_case, kind=EventKind.PLAN)
    assert event.details == {"version": 1, "goals": 2, "steps": 4}
    timeline = client.get(reverse("cases:timeline", args=[fresh_case.pk])).content.decode()
    assert "Version 1: 2 Ziele, 4 Schritte" in timeline


def test_a_second_save_keeps_the_first_version_unchanged(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    plan = Plan.objects.get(case=case)
    first = PlanVersion.objects.get(plan=plan, number=1)
    before = first.snapshot
    goals = _current_goals(case)
    goals[0]["title"] = "Deutsch B2"
    goals[1]["DELETE"] = True
    response = _post(login("cm_a"), case, _form_data(plan.version, goals))
    assert response.status_code == 302
    assert PlanVersion.objects.get(plan=plan, number=1).snapshot == before
    second = PlanVersion.objects.get(plan=plan, number=2)
    assert [g["title"] for g in second.snapshot["goals"]] == ["Deutsch B2"]
    assert before["goals"][0]["title"] == "Deutsch B1"
    # The removed goal's counsellor steps took their tasks with them.
    assert not Task.objects.filter(case=case, source=TaskSource.PLAN_STEP).exists()
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    page = login("po_a").get(reverse("cases:plan_version", args=[case.pk, 1])).content.decode()
    assert "Deutsch B1" in page
    assert "Ausbildung als Elektroniker/in" in page


def test_counsellor_step_tasks_follow_changes_and_removal(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    client = login("cm_a")
    goals = _current_goals(case)
    first, second = goals[1]["steps"]
    first_step = Step.objects.get(pk=first["step_id"])
    second_step = Step.objects.get(pk=second["step_id"])
    first["description"] = "Zeugnisse anerkennen lassen"
    first["due_on"] = _d(TODAY + 3 * DAY)
    second["responsible"] = "participant"  # no longer the counsellor's: no task
    response = _post(client, case, _form_data(Plan.objects.get(case=case).version, goals))
    assert response.status_code == 302
    task = _plan_task(first_step)
    assert task is not None
    assert (task.title, task.due_on, task.done_on) == ("Zeugnisse anerkennen lassen", TODAY + 3 * DAY, None)
    assert _plan_task(second_step) is None

    goals = _current_goals(case)
    goals[1]["steps"][0]["status"] = "dropped"
    assert _post(client, case, _form_data(Plan.objects.get(case=case).version, goals)).status_code == 302
    task = _plan_task(first_step)
    assert task is not None
    assert task.done_on == TODAY  # a dropped step needs no more work

    goals = _current_goals(case)
    goals[1]["steps"][0]["DELETE"] = True
    assert _post(client, case, _form_data(Plan.objects.get(case=case).version, goals)).status_code == 302
    assert not Step.objects.filter(pk=first_step.pk).exists()
    assert _plan_task(first_step) is None
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="cases.task", object_id=str(task.pk)
    ).exists()


# --- bad input: a clear message next to the field, nothing saved -----------------------------


BAD_STEPS: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "due before the plan",
        {"due_on": "DAY_BEFORE_PLAN"},
        "due_on",
        "Schritte können nicht vor der Erstellung des Plans",
    ),
    ("due too far ahead", {"due_on": _d(TODAY + 6 * 366 * DAY)}, "due_on", "mehr als fünf Jahre"),
    (
        "other without name",
        {"responsible": "other"},
        "responsible_name",
        "Bitte nennen Sie die zuständige Stelle",
    ),
    ("control character", {"description": "Termin\x07"}, "description", "Steuerzeichen"),
    ("over-long text", {"description": "x" * 301}, "description", "höchstens 300 Zeichen"),
    ("no due date", {"due_on": ""}, "due_on", "Bitte geben Sie an, wann der Schritt fällig ist."),
    ("wrong responsible", {"responsible": "boss"}, "responsible", "gültige Auswahl"),
]


@pytest.mark.parametrize(("label", "change", "field", "message"), BAD_STEPS, ids=[b[0] for b in BAD_STEPS])
def test_bad_steps_are_refused_next_to_the_field(
    label: str,
    change: dict[str, Any],
    field: str,
    message: str,
    login: Callable[[str], Client],
    demo: DemoNetwork,
) -> None:
    case = _case(demo)
    plan = Plan.objects.get(case=case)
    goals = _current_goals(case)
    if change.get("due_on") == "DAY_BEFORE_PLAN":
        change = {"due_on": _d(plan.made_on - DAY)}
    goals[0]["steps"].append({**_step("Neuer Schritt"), **change})
    before = (plan.version, Step.objects.filter(goal__plan=plan).count(), PlanVersion.objects.count())
    response = _post(login("cm_a"), case, _form_data(plan.version, goals))
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(
        rf'<div class="kern-error" id="id_goal-0-step-2-{field}-errors">(.*?)</div>', html, re.S
    )
    assert errors is not None, html[:200]
    assert message in errors.group(1)
    plan.refresh_from_db()
    assert (plan.version, Step.objects.filter(goal__plan=plan).count(), PlanVersion.objects.count()) == before


def test_goal_without_title_and_bad_agreement_dates(login: Callable[[str], Client], fresh_case: Case) -> None:
    client = login("cm_a")
    response = _post(client, fresh_case, _form_data(0, [_goal("  ", steps=[_step()])]))
    assert response.status_code == 400
    assert "Bitte geben Sie dem Ziel einen Titel." in response.content.decode()
    response = _post(client, fresh_case, _form_data(0, [_goal(steps=[_step()])], agreed_on=TODAY + DAY))
    assert "Der Plan kann nicht in der Zukunft vereinbart werden." in response.content.decode()
    before_opening = fresh_case.opened_on - DAY
    response = _post(client, fresh_case, _form_data(0, [_goal(steps=[_step()])], agreed_on=before_opening))
    assert "vor der Eröffnung des Falls" in response.content.decode()
    response = _post(client, fresh_case, _form_data(0, [_goal("<b>" + "x" * 200 + "</b>")]))
    assert "höchstens 200 Zeichen" in response.content.decode()
    response = _post(client, fresh_case, _form_data(0, []))
    assert "Bitte geben Sie mindestens ein Ziel ein." in response.content.decode()
    assert not Plan.objects.filter(case=fresh_case).exists()
    assert not Task.objects.filter(case=fresh_case).exists()


def test_too_many_goals_or_steps_are_refused(login: Callable[[str], Client], fresh_case: Case) -> None:
    client = login("cm_a")
    response = _post(
        client, fresh_case, _form_data(0, [_goal(f"Ziel {i}", steps=[_step()]) for i in range(45)])
    )
    assert response.status_code == 400
    assert "höchstens 40" in response.content.decode()
    response = _post(
        client, fresh_case, _form_data(0, [_goal(steps=[_step(f"Schritt {i}") for i in range(45)])])
    )
    assert response.status_code == 400
    assert "höchstens 40" in response.content.decode()
    assert not Plan.objects.filter(case=fresh_case).exists()


def test_html_in_text_is_shown_as_text(login: Callable[[str], Client], fresh_case: Case) -> None:
    client = login("cm_a")
    response = _post(client, fresh_case, _form_data(0, [_goal("<script>x</script>", steps=[_step()])]))
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[fresh_case.pk]) + "?section=plan").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page


def test_an_outdated_save_is_a_conflict_and_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    loaded = Plan.objects.get(case=case).version
    anna, lead = login("cm_a"), login("team_lead")
    goals = _current_goals(case)
    goals[0]["title"] = "Deutsch B2"
    assert _post(lead, case, _form_data(loaded, goals)).status_code == 302
    goals[0]["title"] = "Deutsch C1"
    response = _post(anna, case, _form_data(loaded, goals))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Jemand anderes hat diesen Datensatz geändert" in html
    assert "Aktuellen Stand neu laden" in html
    assert Goal.objects.filter(plan__case=case).values_list("title", flat=True).first() == "Deutsch B2"
    assert PlanVersion.objects.filter(plan__case=case).count() == 2


def test_two_first_saves_conflict(login: Callable[[str], Client], fresh_case: Case) -> None:
    client = login("cm_a")
    assert _post(client, fresh_case, _form_data(0, [_goal(steps=[_step()])])).status_code == 302
    response = _post(login("team_lead"), fresh_case, _form_data(0, [_goal("Arbeit", steps=[_step()])]))
    assert response.status_code == 400
    assert "Jemand anderes hat diesen Datensatz geändert" in response.content.decode()
    assert Goal.objects.filter(plan__case=fresh_case).count() == 1


def test_add_a_row_without_javascript_saves_nothing(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    plan = Plan.objects.get(case=case)
    goals = _current_goals(case)
    goals[0]["title"] = "Deutsch B2 (noch nicht gespeichert)"
    data = _form_data(plan.version, goals)
    del data["save"]
    response = login("cm_a").post(reverse("cases:plan_edit", args=[case.pk]), {**data, "add_step": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="goal-0-step-TOTAL_FORMS" value="4"' in html  # two steps, a blank one, the added one
    assert "Deutsch B2 (noch nicht gespeichert)" in html
    assert f'name="version" value="{plan.version}"' in html
    response = login("cm_a").post(reverse("cases:plan_edit", args=[case.pk]), {**data, "add_goal": "1"})
    assert 'name="goal-TOTAL_FORMS" value="4"' in response.content.decode()
    plan.refresh_from_db()
    assert Goal.objects.filter(plan=plan).first().title == "Deutsch B1"  # type: ignore[union-attr]


# --- marking a step done ---------------------------------------------------------------------


def test_mark_a_step_done_from_the_case_page(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    plan = Plan.objects.get(case=case)
    step = Step.objects.get(goal__plan=plan, description="Anerkennung der Schulzeugnisse beantragen")
    client = login("cm_a")
    url = reverse("cases:plan_step_done", args=[case.pk, step.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    step.refresh_from_db()
    assert (step.status, step.done_on) == (StepStatus.DONE, TODAY)
    task = _plan_task(step)
    assert task is not None
    assert task.done_on == TODAY
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PLAN_STEP, object_id=str(step.pk)).exists()
    old_version = plan.version
    plan.refresh_from_db()
    assert plan.version == old_version + 1  # an edit page opened before is now outdated
    response = client.post(url, follow=True)
    assert "Dieser Schritt ist nicht mehr offen." in response.content.decode()
    other = _case_of_partner_b(demo)
    assert (
        other is None
        or client.post(reverse("cases:plan_step_done", args=[other.pk, step.pk])).status_code == 404
    )


def _case_of_partner_b(demo: DemoNetwork) -> Case | None:
    return Case.objects.filter(organisation=demo.partners["B"]).first()


# --- print and PDF ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("uk", "ltr"), ("de", "ltr")]
)
def test_print_page_in_the_participants_language(
    language: str, direction: str, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    response = login("cm_a").get(reverse("cases:plan_print", args=[case.pk]), {"lang": language})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    expected = {"ar": "الهدف", "fa": "هدف", "uk": "Мета", "de": "Ziel"}[language]
    assert f"<caption>{expected}:" in html
    assert "Deutsch B1" in html  # the content stays as entered
    assert "Kostenübernahme klären" in html


def test_print_language_defaults_to_the_first_language(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    url = reverse("cases:plan_print", args=[case.pk])
    client = login("cm_a")
    assert '<html lang="de" dir="ltr">' in client.get(url).content.decode()
    Participant.objects.filter(pk=case.participant_id).update(first_language="fa")
    assert '<html lang="fa" dir="rtl">' in client.get(url).content.decode()
    Participant.objects.filter(pk=case.participant_id).update(first_language="ti")  # not printed in Tigrinya
    assert '<html lang="de" dir="ltr">' in client.get(url).content.decode()
    assert client.get(url, {"lang": "xx"}).status_code == 404


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S607
    # pdftotext marks right-to-left runs with bidi controls; the words are what counts.
    return re.sub("[\u202a-\u202e\u200e\u200f\u2066-\u2069]", "", result.stdout.decode())


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("de", ["Integrationsplan", "Ziel", "Vereinbart am", "Fällig am"]),
        ("ar", ["الهدف", "الخطوة", "المسؤول"]),
    ],
)
def test_pdf_of_the_current_version(
    language: str, labels: list[str], login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    version = PlanVersion.objects.get(plan__case=case, number=1)
    response = login("po_a").get(reverse("cases:plan_pdf", args=[case.pk]), {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="integrationsplan-{case.pk}-v1.pdf"'
    assert "Al-Hassan" not in response["Content-Disposition"]
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a download
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for label in labels:
        assert label in text, (label, text[:500])
    assert "Deutsch B1" in text
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="cases.planversion", object_id=str(version.pk)
    ).exists()


def test_pdf_loads_nothing_from_anywhere() -> None:
    fetcher = pdf_module.refusing_fetcher()
    for url in ("https://fonts.example.org/a.woff2", "file:///etc/passwd", "data:text/css,body{}"):
        with pytest.raises(pdf_module.ForbiddenFetch):
            fetcher(url)
    html = (
        '<html lang="de"><head><link rel="stylesheet" href="https://cdn.example.org/x.css"></head>'
        '<body><img src="http://tracker.example.org/p.png" alt=""><p>Inhalt</p></body></html>'
    )
    pdf = pdf_module.render_pdf(html, plan_print.STYLESHEETS)
    assert pdf.startswith(b"%PDF")
    assert "Inhalt" in _pdf_text(pdf)


def test_nothing_to_print_before_the_first_version(login: Callable[[str], Client], fresh_case: Case) -> None:
    client = login("cm_a")
    assert client.get(reverse("cases:plan_print", args=[fresh_case.pk])).status_code == 404
    assert client.get(reverse("cases:plan_pdf", args=[fresh_case.pk])).status_code == 404


def test_completing_a_step_task_in_the_task_list_completes_the_step(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """Otherwise the next plan save would reopen the task of a still open step."""
    case = _case(demo)
    step = Step.objects.get(goal__plan__case=case, description="Anerkennung der Schulzeugnisse beantragen")
    task = _plan_task(step)
    assert task is not None and task.done_on is None
    response = login("cm_a").post(reverse("cases:task_done", args=[task.pk]))
    assert response.status_code == 302
    step = Step.objects.get(pk=step.pk)
    task = Task.objects.get(pk=task.pk)
    assert (step.status, step.done_on, task.done_on) == (StepStatus.DONE, TODAY, TODAY)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PLAN_STEP, object_id=str(step.pk)).exists()
