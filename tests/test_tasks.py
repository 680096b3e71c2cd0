"""Tasks and reminders: visibility, the add form, done/reopen, "My tasks" and "My day"."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseEvent, CaseStatus, EventKind, Task
from bruecke.cases.selectors.tasks import tasks_visible_to
from bruecke.cases.services.tasks import task_update
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role
from bruecke.participants.models import Participant
from tests.clients import verified_client
from tests.expectations_cases import _case
from tests.expectations_tasks import demo_task

TODAY = timezone.localdate()


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def _task(case: Case | None, assignee: User, *, days: int = 0, **extra: Any) -> Task:
    membership = Membership.objects.filter(user=assignee).select_related("organisation").first()
    assert membership is not None
    organisation = case.organisation if case else membership.organisation
    return Task.objects.create(
        case=case,
        organisation=organisation,
        assignee=assignee,
        title=extra.pop("title", "Rückruf Jobcenter"),
        due_on=TODAY + datetime.timedelta(days=days),
        **extra,
    )


def _colleague(demo: DemoNetwork, team: str, role: str = Role.CASE_MANAGER, name: str = "kai.ost") -> User:
    """A partner-A colleague of another team (or none): sees only that team's cases."""
    user = User.objects.create_user(username=name, first_name="Kai", last_name="Ost")
    Membership.objects.create(
        user=user, organisation=demo.partners["A"], team=demo.teams[team] if team else None, role=role
    )
    return user


def _form(**overrides: Any) -> dict[str, Any]:
    return {"title": "Anerkennungsstelle anrufen", "due_on": _day(1), **overrides}


# --- adding a task ------------------------------------------------------------------------


def test_a_free_task_belongs_to_the_organisation_and_is_audited(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    anna = demo.users["cm_a"]
    response = login("cm_a").post(reverse("cases:task_create"), _form(assignee=anna.pk, case=""))
    assert response.status_code == 302 and response["Location"] == reverse("cases:task_list")
    task = Task.objects.get(title="Anerkennungsstelle anrufen")
    assert (task.case, task.organisation, task.created_by, task.source) == (
        None,
        demo.partners["A"],
        anna,
        "manual",
    )
    assert AuditEvent.objects.filter(
        action="create", object_type="cases.task", object_id=str(task.pk)
    ).exists()


def test_a_task_on_the_case_page_goes_to_a_colleague_who_sees_the_case(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    url = reverse("cases:case_task_create", args=[case.pk])
    form = login("cm_a").get(url).context["form"]
    assert "case" not in form.fields
    choices = set(form.fields["assignee"].queryset)
    assert {demo.users["cm_a"], demo.users["po_a"], demo.users["team_lead"]} <= choices
    assert demo.users["cm_b"] not in choices and demo.users["coordinator"] not in choices
    response = login("cm_a").post(url, _form(assignee=demo.users["po_a"].pk))
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "?section=tasks"
    task = Task.objects.get(title="Anerkennungsstelle anrufen")
    assert (task.case, task.assignee, task.organisation) == (case, demo.users["po_a"], case.organisation)


def _other_partners_case(demo: DemoNetwork) -> Case:
    # A partner-B participant without an open case (the demo gives some of them one).
    person = (
        Participant.objects.filter(organisation=demo.partners["B"])
        .exclude(cases__status__in=["active", "paused"])
        .first()
    )
    assert person is not None
    return Case.objects.create(
        participant=person, organisation=demo.partners["B"], case_manager=demo.users["cm_b"]
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_on": _day(-1)}, "due_on"),
        ({"due_on": "31.02.2030"}, "due_on"),
        ({"due_on": ""}, "due_on"),
        ({"title": ""}, "title"),
        ({"title": "Anruf\x00"}, "title"),
        ({"title": "Zeile\nzwei"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"assignee": "cm_b"}, "assignee"),  # another partner
        ({"assignee": "coordinator"}, "assignee"),  # same partner, no personal-data role
        ({"assignee": "ruppin.berater"}, "assignee"),  # another network
        ({"case": "other_partner"}, "case"),
    ],
)
def test_bad_task_input_saves_nothing(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    persona: Callable[[str], User],
    overrides: dict[str, Any],
    field: str,
) -> None:
    data = {**_form(assignee=demo.users["cm_a"].pk, case=_case(demo).pk), **overrides}
    if isinstance(overrides.get("assignee"), str):
        data["assignee"] = persona(overrides["assignee"]).pk
    if overrides.get("case") == "other_partner":
        data["case"] = _other_partners_case(demo).pk
    before = Task.objects.count(), AuditEvent.objects.count()
    response = login("cm_a").post(reverse("cases:task_create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (Task.objects.count(), AuditEvent.objects.count()) == before


def test_case_choices_are_the_open_cases_the_user_may_edit(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    assert case in login("cm_a").get(reverse("cases:task_create")).context["form"].fields["case"].queryset
    # The case's placement officer puts tasks on it (decision 0037) ...
    assert case in login("po_a").get(reverse("cases:task_create")).context["form"].fields["case"].queryset
    # ... one of the team who is not assigned to it only reads it: only free tasks.
    Case.objects.filter(pk=case.pk).update(placement_officer=None)
    po_form = login("po_a").get(reverse("cases:task_create")).context["form"]
    assert not po_form.fields["case"].queryset.exists()
    response = login("po_a").post(
        reverse("cases:task_create"), _form(assignee=demo.users["po_a"].pk, case=case.pk)
    )
    assert response.status_code == 400 and "case" in response.context["form"].errors
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    assert case not in login("cm_a").get(reverse("cases:task_create")).context["form"].fields["case"].queryset
    closed = login("cm_a").post(
        reverse("cases:case_task_create", args=[case.pk]), _form(assignee=demo.users["cm_a"].pk)
    )
    assert closed.status_code == 400 and not Task.objects.filter(title="Anerkennungsstelle anrufen").exists()


def test_a_colleague_of_another_team_cannot_be_given_a_task_of_the_case(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    kai = _colleague(demo, "Greifswald")
    data = _form(assignee=kai.pk, case=_case(demo).pk)
    response = login("cm_a").post(reverse("cases:task_create"), data)
    assert response.status_code == 400
    assert "assignee" in response.context["form"].errors
    # A free task for the same colleague is fine: the whole organisation is the scope.
    assert login("cm_a").post(reverse("cases:task_create"), {**data, "case": ""}).status_code == 302


# --- who sees and who acts ----------------------------------------------------------------


def _done(client: Client, task: Task, next_url: str = "") -> Any:
    return client.post(reverse("cases:task_done", args=[task.pk]), {"next": next_url})


def test_free_tasks_are_seen_by_assignee_and_creator_only(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    anna, jonas = demo.users["cm_a"], demo.users["po_a"]
    task = _task(None, jonas, created_by=anna, title="Zeugnisse abholen")
    assert task in tasks_visible_to(anna) and task in tasks_visible_to(jonas)
    for key in ("team_lead", "cm_b", "user_c", "coordinator", "dpo", "admin", "ruppin.admin"):
        assert task not in tasks_visible_to(persona(key)), key
        assert _done(login(key), task).status_code == 404, key
        assert "Zeugnisse abholen" not in login(key).get(reverse("core:dashboard")).content.decode()
    # The creator sees the task but leaves closing it to the assignee.
    assert _done(login("cm_a"), task).status_code == 404
    assert _done(login("po_a"), task).status_code == 302
    task.refresh_from_db()
    assert task.done_by == jonas


def test_case_tasks_follow_the_case_scope(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    case = _case(demo)
    task = demo_task(demo)
    kai = _colleague(demo, "Greifswald")
    for key in ("cm_a", "po_a", "team_lead"):
        assert task in tasks_visible_to(persona(key))
    for user in (kai, persona("cm_b"), persona("user_c"), persona("coordinator"), persona("ruppin.admin")):
        assert task not in tasks_visible_to(user)
    client = verified_client(kai)
    assert _done(client, task).status_code == 404
    assert client.post(reverse("cases:task_reopen", args=[task.pk])).status_code == 404
    # A placement officer of the team who is not assigned to the case reads its tasks but
    # does not close the case manager's (the assigned one may, decision 0037).
    Case.objects.filter(pk=case.pk).update(placement_officer=None)
    assert _done(login("po_a"), task).status_code == 404
    page = login("po_a").get(reverse("cases:detail", args=[case.pk]) + "?section=tasks")
    assert task in page.context["case_tasks"]
    assert reverse("cases:task_done", args=[task.pk]) not in page.content.decode()
    # An editor of the case (the team lead) may.
    assert _done(login("team_lead"), task).status_code == 302
    task.refresh_from_db()
    assert task.done_by == demo.users["team_lead"]


def test_an_assignee_outside_the_cases_team_sees_the_task_but_not_the_name(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """A generated task may go to someone who cannot open the case (e.g. after a transfer):
    the assignee sees and closes it, the participant's name stays hidden."""
    kai = _colleague(demo, "Greifswald")
    task = _task(_case(demo), kai, days=-1)
    client = verified_client(kai)
    page = client.get(reverse("cases:task_list")).content.decode()
    assert "Rückruf Jobcenter" in page and "Al-Hassan" not in page
    assert _done(client, task).status_code == 302


# --- done and reopen ----------------------------------------------------------------------


def test_done_and_reopen_are_audited_and_done_is_on_the_timeline(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    task = demo_task(demo)
    case_url = reverse("cases:detail", args=[task.case_id])
    client = login("cm_a")
    response = _done(client, task, case_url)
    assert response["Location"] == case_url
    task.refresh_from_db()
    assert (task.done_on, task.done_by) == (TODAY, demo.users["cm_a"])
    event = AuditEvent.objects.filter(
        action="update", object_type="cases.task", object_id=str(task.pk)
    ).latest("id")
    assert set(event.changed_fields) == {"done_on", "done_by"}
    timeline = CaseEvent.objects.exclude(details__has_key="created").get(
        kind=EventKind.TASK, object_id=str(task.pk)
    )
    assert timeline.details == {"source": "manual"}
    assert "erledigt" in client.get(case_url).content.decode()
    # Done twice: refused with a message, no second timeline entry.
    _done(client, task)
    assert (
        CaseEvent.objects.filter(kind=EventKind.TASK, object_id=str(task.pk))
        .exclude(details__has_key="created")
        .count()
        == 1
    )

    before = AuditEvent.objects.count()
    assert (
        client.post(reverse("cases:task_reopen", args=[task.pk]), {"next": case_url})["Location"] == case_url
    )
    task.refresh_from_db()
    assert task.done_on is None and task.done_by is None
    assert AuditEvent.objects.count() == before + 1
    reopened = CaseEvent.objects.filter(kind=EventKind.TASK, object_id=str(task.pk)).latest("id")
    assert reopened.details == {"source": "manual", "reopened": True}
    timeline_url = reverse("cases:timeline", args=[task.case_id])
    client.get(timeline_url)  # shows (and so clears) the flash message "… wieder geöffnet"
    assert "wieder geöffnet" in client.get(timeline_url).content.decode()


def test_free_tasks_leave_no_timeline_entry_and_foreign_next_is_ignored(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    task = _task(None, demo.users["cm_a"])
    events = CaseEvent.objects.count()
    response = _done(login("cm_a"), task, "https://evil.example/")
    assert response["Location"] == reverse("cases:task_list")
    assert CaseEvent.objects.count() == events


def test_html_in_a_title_is_shown_as_text(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    data = _form(title="<b>Termin</b> <script>x()</script>", assignee=demo.users["cm_a"].pk, case="")
    assert login("cm_a").post(reverse("cases:task_create"), data).status_code == 302
    page = login("cm_a").get(reverse("cases:task_list")).content.decode()
    assert "&lt;b&gt;Termin&lt;/b&gt;" in page and "<script>x()" not in page


def test_done_and_reopen_only_by_post(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    task = demo_task(demo)
    client = login("cm_a")
    assert client.get(reverse("cases:task_done", args=[task.pk])).status_code == 405
    assert client.get(reverse("cases:task_reopen", args=[task.pk])).status_code == 405
    task.refresh_from_db()
    assert task.done_on is None


# --- lists --------------------------------------------------------------------------------


def test_my_tasks_are_grouped_by_due_date(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    anna = demo.users["cm_a"]
    Task.objects.filter(assignee=anna).delete()
    for days, title in [(-3, "alt"), (0, "heute"), (5, "bald"), (30, "später")]:
        _task(None, anna, days=days, title=title)
    _task(None, anna, days=1, title="erledigt", done_on=TODAY)
    _task(None, demo.users["po_a"], days=0, title="fremd", created_by=demo.users["po_a"])
    response = login("cm_a").get(reverse("cases:task_list"))
    groups = {g.key: [t.title for t in g.tasks] for g in response.context["groups"]}
    assert groups == {"overdue": ["alt"], "today": ["heute"], "soon": ["bald"], "later": ["später"]}
    done = login("cm_a").get(reverse("cases:task_list") + "?done=1")
    assert [t.title for t in done.context["page"]] == ["erledigt"]


def test_all_tasks_of_a_case_for_those_who_see_it(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    others = _task(case, demo.users["po_a"], days=40, title="Praktikumsbetrieb besuchen")
    url = reverse("cases:task_list") + f"?case={case.pk}"
    response = login("cm_a").get(url)
    titles = [t.title for g in response.context["groups"] for t in g.tasks]
    # Every open task of the case (the demo's, the plan's counsellor steps and this one), by due date.
    expected = Task.objects.filter(case=case, done_on__isnull=True).order_by("due_on", "id")
    assert titles == list(expected.values_list("title", flat=True))
    assert {
        "Bewerbungsunterlagen durchsehen",
        "Sprachkursträger wegen B1-Platz anrufen",
        others.title,
    } <= set(titles)
    assert AuditEvent.objects.filter(action="read", object_type="cases.case", object_id=str(case.pk)).exists()
    # The case's placement officer closes any of them (decision 0037) ...
    assert reverse("cases:task_done", args=[demo_task(demo).pk]) in login("po_a").get(url).content.decode()
    # ... one of the team who is not assigned to it sees them all, but closes only their own.
    Case.objects.filter(pk=case.pk).update(placement_officer=None)
    page = login("po_a").get(url).content.decode()
    assert reverse("cases:task_done", args=[others.pk]) in page
    assert reverse("cases:task_done", args=[demo_task(demo).pk]) not in page
    for key in ("cm_b", "user_c", "coordinator"):
        assert login(key).get(url).status_code == 404, key
    assert login("cm_a").get(reverse("cases:task_list") + "?case=abc").status_code == 404


def test_my_tasks_query_count_does_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    anna, case = demo.users["cm_a"], _case(demo)
    client = login("cm_a")
    counts = []
    for batch in (3, 120):
        Task.objects.bulk_create(
            Task(
                case=case if i % 2 else None,
                organisation=case.organisation,
                assignee=anna,
                title=f"Aufgabe {i}",
                due_on=TODAY + datetime.timedelta(days=i % 20 - 5),
            )
            for i in range(batch)
        )
        urls = ["", "?done=1", f"?case={case.pk}", f"?case={case.pk}&done=1"]
        for url in (reverse("cases:task_list") + query for query in urls):
            with count_queries() as ctx:
                assert client.get(url).status_code == 200
            counts.append(ctx.count)
    assert counts[:4] == counts[4:]


def test_dashboard_my_day_is_limited_and_its_query_count_constant(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    anna, case = demo.users["cm_a"], _case(demo)
    client = login("cm_a")
    counts = []
    for batch in (2, 150):
        Task.objects.bulk_create(
            Task(
                case=case,
                organisation=case.organisation,
                assignee=anna,
                title=f"Aufgabe {i}",
                due_on=TODAY + datetime.timedelta(days=i % 10 - 4),
            )
            for i in range(batch)
        )
        with count_queries() as ctx:
            response = client.get(reverse("core:dashboard"))
        counts.append(ctx.count)
    assert counts[0] == counts[1]
    my_day = response.context["my_day"]
    assert len(my_day) == 20
    assert all(t.due_on <= TODAY + datetime.timedelta(days=3) for t in my_day)
    assert [t.due_on for t in my_day] == sorted(t.due_on for t in my_day)
    assert reverse("cases:task_list") in response.content.decode()


def test_case_page_query_count_does_not_grow_with_tasks(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = _case(demo)
    client = login("cm_a")
    counts = []
    open_before = Task.objects.filter(case=case, done_on__isnull=True).count()
    for batch in (2, 80):
        Task.objects.bulk_create(
            Task(
                case=case,
                organisation=case.organisation,
                assignee=demo.users["po_a"],
                title="t",
                due_on=TODAY,
            )
            for _ in range(batch)
        )
        with count_queries() as ctx:
            response = client.get(reverse("cases:detail", args=[case.pk]) + "?section=tasks")
        counts.append(ctx.count)
    assert counts[0] == counts[1]
    assert (
        len(response.context["case_tasks"]) == 20 and response.context["case_task_count"] == open_before + 82
    )


def test_demo_my_day_and_nav_entry(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    page = login("cm_a").get(reverse("core:dashboard")).content.decode()
    assert "Bewerbungsunterlagen durchsehen" in page and "Sprachkursträger wegen B1-Platz anrufen" in page
    assert reverse("cases:task_list") in page
    coordinator = login("coordinator").get(reverse("core:dashboard"))
    assert "my_day" not in coordinator.context
    assert f'href="{reverse("cases:task_list")}"' not in coordinator.content.decode()


def test_done_from_an_outdated_copy_is_refused(demo: DemoNetwork) -> None:
    """Two clicks on "done" (two windows): the second sees the stored row and is refused."""
    from django.core.exceptions import ValidationError

    from bruecke.cases.services.tasks import task_complete

    task = demo_task(demo)
    outdated = Task.objects.get(pk=task.pk)
    task_complete(actor=demo.users["cm_a"], task=task)
    with pytest.raises(ValidationError):
        task_complete(actor=demo.users["team_lead"], task=outdated)
    task.refresh_from_db()
    assert task.done_by == demo.users["cm_a"]
    assert (
        CaseEvent.objects.filter(kind=EventKind.TASK, object_id=str(task.pk))
        .exclude(details__has_key="created")
        .count()
        == 1
    )


# --- changing a task ------------------------------------------------------------------


def _edit(client: Client, task: Task, **overrides: Any) -> Any:
    data = {
        "title": task.title,
        "due_on": task.due_on.strftime("%d.%m.%Y"),
        "assignee": task.assignee_id,
        "version": task.version,
        **overrides,
    }
    return client.post(reverse("cases:task_edit", args=[task.pk]) + "?next=/cases/tasks/", data)


def test_an_open_task_can_be_changed_and_is_audited(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    task = demo_task(demo)
    lead = demo.users["team_lead"]
    response = _edit(login("cm_a"), task, title="Lebenslauf prüfen", due_on=_day(3), assignee=lead.pk)
    assert response.status_code == 302 and response["Location"] == "/cases/tasks/"
    task.refresh_from_db()
    assert (task.title, task.due_on, task.assignee, task.version) == (
        "Lebenslauf prüfen",
        TODAY + datetime.timedelta(days=3),
        lead,
        2,
    )
    event = AuditEvent.objects.filter(action="update", object_type="cases.task").latest("id")
    assert set(event.changed_fields) == {"title", "due_on", "assignee"}
    assert "Lebenslauf" not in str(event.changed_fields)


def test_a_stale_form_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    task = demo_task(demo)
    loaded = task.version
    assert _edit(login("team_lead"), task, title="Erst").status_code == 302
    response = _edit(login("cm_a"), task, title="Zweit", version=loaded)
    assert response.status_code == 400 and "neu laden" in response.content.decode().lower()
    task.refresh_from_db()
    assert task.title == "Erst"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"due_on": "31.02.2026"}, "due_on"),
        ({"due_on": _day(-1)}, "due_on"),
        ({"assignee": "999999"}, "assignee"),
    ],
)
def test_bad_changes_save_nothing(
    overrides: dict[str, Any], field: str, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    task = demo_task(demo)
    before = (task.title, task.due_on, task.assignee_id, task.version)
    response = _edit(login("cm_a"), task, **overrides)
    assert response.status_code == 400 and f'id="id_{field}-errors"' in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.due_on, task.assignee_id, task.version) == before


def test_an_overdue_date_may_stay_when_only_the_title_changes(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    task = demo_task(demo)
    assert task.due_on < TODAY  # the demo task is overdue
    assert _edit(login("cm_a"), task, title="Unterlagen durchsehen").status_code == 302


def test_a_colleague_who_cannot_see_the_case_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    task = demo_task(demo)
    kai = _colleague(demo, "Schwerin")
    response = _edit(login("cm_a"), task, assignee=kai.pk)
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.assignee == demo.users["cm_a"]


def test_done_and_generated_tasks_are_not_changed(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    task = demo_task(demo)
    client = login("cm_a")
    _done(client, task)
    task.refresh_from_db()
    assert _edit(client, task, title="Neu").status_code == 400
    generated = _task(
        task.case,
        demo.users["cm_a"],
        source="document_expiry",
        source_type="cases.casedocument",
        source_id="1",
    )
    response = _edit(client, generated, title="Neu")
    assert response.status_code == 400 and "Quelle" in response.content.decode()
    generated.refresh_from_db()
    assert generated.title == "Rückruf Jobcenter"
    list_page = client.get(reverse("cases:task_list")).content.decode()
    assert reverse("cases:task_edit", args=[generated.pk]) not in list_page


def test_html_in_a_changed_title_is_text(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    task = demo_task(demo)
    client = login("cm_a")
    _edit(client, task, title="<script>alert(1)</script>")
    assert "<script>alert(1)" not in client.get(reverse("cases:task_list")).content.decode()


def test_tasks_of_a_closed_case_stay(demo: DemoNetwork) -> None:
    task = demo_task(demo)
    Case.objects.filter(tasks=task).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    with pytest.raises(ValidationError):
        task_update(actor=demo.users["cm_a"], task=task, data={"title": "Neu"}, expected_version=task.version)
    task.refresh_from_db()
    assert task.title != "Neu"
