"""The case timeline shows when things were recorded (time of day), links each entry to
its record on the case page, and shows tasks from the moment they are written."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.cases.models import CaseEvent, EventKind, Task
from bruecke.network.demo import DemoNetwork
from tests.expectations_cases import _case


def _timeline(page: str) -> str:
    start = page.index('id="timeline-heading"')
    return page[start : page.index("</ol>", start)]


def test_a_new_task_is_on_the_timeline_with_its_title_time_and_link(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    client = login("cm_a")
    due = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    response = client.post(
        reverse("cases:case_task_create", args=[case.pk]),
        {"title": "Anerkennungsstelle anrufen", "due_on": due, "assignee": demo.users["cm_a"].pk},
    )
    assert response.status_code == 302
    task = Task.objects.get(title="Anerkennungsstelle anrufen")
    event = CaseEvent.objects.get(case=case, kind=EventKind.TASK, object_id=str(task.pk))
    assert event.details == {"source": "manual", "created": True}  # the title is not stored
    timeline = _timeline(
        client.get(reverse("cases:detail", args=[case.pk]) + "?section=history").content.decode()
    )
    assert "angelegt" in timeline and "Anerkennungsstelle anrufen" in timeline
    assert f'href="{reverse("cases:detail", args=[case.pk])}?section=tasks#tasks-heading"' in timeline
    local = timezone.localtime(event.created_at)
    assert f'<time datetime="{local.isoformat()}">{local:%H:%M}</time>' in timeline


def test_a_backdated_entry_says_when_it_was_recorded(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    CaseEvent.objects.filter(case=case).update(occurred_on=last_week)
    page = login("cm_a").get(reverse("cases:timeline", args=[case.pk])).content.decode()
    assert "(erfasst am " in page
    assert re.search(
        r'href="/cases/\d+/\?section=(contacts|plan|barriers|documents|profile)#\1-heading"', page
    )
