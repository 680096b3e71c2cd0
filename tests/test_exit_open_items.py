"""Closing a case settles its open tasks and plan steps: each one done, cancelled or handed
to a colleague, in the exit form, together with the exit or not at all."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, CaseStatus, Step, StepStatus, Task, TaskSource
from bruecke.cases.selectors.exit import open_steps, open_tasks
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from tests.expectations_exit import open_case
from tests.test_exit import _close_url, _counts, _exit


def _tasks(demo: DemoNetwork, case: Case) -> tuple[Task, Task, Task]:
    def make(title: str) -> Task:
        return Task.objects.create(
            case=case,
            organisation=case.organisation,
            assignee=case.case_manager,
            title=title,
            due_on=datetime.date.today(),
            source=TaskSource.MANUAL,
        )

    return make("Zeugnis abholen"), make("Termin absagen"), make("Bewerbung nachfassen")


def test_the_exit_form_asks_for_every_open_task_and_step(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    _tasks(demo, case)
    page = login("cm_a").get(_close_url(case)).content.decode()
    assert "Offene Aufgaben und Planschritte" in page
    for task in open_tasks(case):
        assert f'name="task_{task.pk}"' in page and f'name="task_{task.pk}_to"' in page
    for step in open_steps(case):
        assert f'name="step_{step.pk}"' in page
    assert open_tasks(case).exists() and open_steps(case).exists()


def test_undecided_items_are_errors_next_to_them_and_nothing_is_saved(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    first, *_others = _tasks(demo, case)
    data = _exit(case)
    data[f"task_{first.pk}"] = ""
    data[f"task_{_others[0].pk}"] = "hand_over"  # without a colleague
    before = _counts()
    response = login("cm_a").post(_close_url(case), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert f"task_{first.pk}" in errors and f"task_{_others[0].pk}_to" in errors
    assert _counts() == before
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_done_cancelled_and_handed_over_are_saved_with_the_exit(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    done, cancelled, handed = _tasks(demo, case)
    colleague = demo.users["team_lead"]
    steps = list(open_steps(case))
    data = _exit(case)
    data |= {
        f"task_{done.pk}": "done",
        f"task_{cancelled.pk}": "cancel",
        f"task_{handed.pk}": "hand_over",
        f"task_{handed.pk}_to": str(colleague.pk),
        f"step_{steps[0].pk}": "cancel",
    }
    response = login("cm_a").post(_close_url(case), data)
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    done.refresh_from_db()
    assert done.done_on is not None and done.done_by == demo.users["cm_a"]
    assert not Task.objects.filter(pk=cancelled.pk).exists()
    handed.refresh_from_db()
    assert handed.assignee == colleague and handed.done_on is None
    assert Step.objects.get(pk=steps[0].pk).status == StepStatus.DROPPED
    assert all(s.status == StepStatus.DONE for s in Step.objects.filter(pk__in=[s.pk for s in steps[1:]]))
    # Nothing of the closed case is left in the case manager's open tasks.
    assert not Task.objects.filter(case=case, assignee=case.case_manager, done_on__isnull=True).exclude(
        source=TaskSource.FOLLOW_UP
    )
    audited = AuditEvent.objects.filter(object_type="cases.task")
    assert audited.filter(action=AuditAction.DELETE, object_id=str(cancelled.pk)).exists()
    handed_over = audited.filter(action=AuditAction.UPDATE, object_id=str(handed.pk))
    assert handed_over.filter(changed_fields=["assignee"]).exists()
    assert reverse("cases:detail", args=[case.pk]) in response["Location"]


def test_a_task_added_after_the_form_was_opened_must_be_decided_too(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    data = _exit(case)
    added = _tasks(demo, case)  # meanwhile, by someone else: it asks for a decision too
    before = _counts()
    response = login("cm_a").post(_close_url(case), data)
    assert response.status_code == 400
    assert all(f"task_{task.pk}" in response.context["form"].errors for task in added)
    assert _counts() == before
    assert Step.objects.filter(pk__in=open_steps(case)).exists()  # no step was settled


def test_a_task_changed_after_the_form_was_opened_is_an_edit_conflict(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = open_case(demo)
    task, *_rest = _tasks(demo, case)
    data = _exit(case)
    Task.objects.filter(pk=task.pk).update(version=task.version + 1, title="geändert")
    before, still_open = _counts(), open_tasks(case).count()
    response = login("cm_a").post(_close_url(case), data)
    assert response.status_code == 400 and response.context["form"].conflict
    assert _counts() == before and open_tasks(case).count() == still_open


def test_the_service_refuses_decisions_that_miss_an_open_item(demo: DemoNetwork) -> None:
    """Between the form's check and the service's lock a task may appear: the service
    compares under the lock and saves nothing."""
    from django.core.exceptions import ValidationError

    from bruecke.cases.services.exit import OpenItems, case_close
    from bruecke.esf.exit_models import ExitRecord

    case = open_case(demo)
    _tasks(demo, case)
    before = _counts()
    try:
        case_close(
            actor=demo.users["cm_a"],
            case=case,
            exit_data={"exit_date": datetime.date.today(), "exit_reason": "deceased"},
            situations=[],
            open_items=OpenItems(tasks={}, steps={}),
        )
    except ValidationError as error:
        assert "haben sich geändert" in " ".join(error.messages)
    else:
        raise AssertionError("closed with undecided open items")
    assert _counts() == before and not ExitRecord.objects.filter(case=case).exists()
