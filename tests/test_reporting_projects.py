"""Projects and targets: pages, bad input, audit, query counts, and the forecast's properties."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Organisation
from bruecke.offers.models import AwarenessEvent, AwarenessKind
from bruecke.projects.models import Project
from bruecke.reporting.demo.targets import CUSTOM_TARGET, DEMO_PROJECT, PARTICIPANTS_TARGET, seed_targets
from bruecke.reporting.forecast import AT_RISK, ON_TRACK, REACHED, forecast, forecast_date, target_progress
from bruecke.reporting.models import ProjectTarget, TargetKind, TargetProgress
from bruecke.reporting.registry import build_report

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _project(demo: DemoNetwork) -> Project:
    return Project.objects.get(network=demo.network, name=DEMO_PROJECT)


def _other_project(demo: DemoNetwork) -> Project:
    return Project.objects.filter(network=demo.second_network).earliest("pk")


def _custom(demo: DemoNetwork) -> ProjectTarget:
    return ProjectTarget.objects.get(project=_project(demo), label=CUSTOM_TARGET)


def _german(text: str) -> str:
    return f"{text}"


# --- forecast: pure ---------------------------------------------------------------------


def test_forecast_of_an_example() -> None:
    # 312 of 840; 60 in the last 180 days: 528 remaining at 1/3 a day = 1584 days.
    result = forecast(value=840, achieved=312, recent=60, span_days=180, as_of=TODAY, due=TODAY + 2000 * DAY)
    assert result.reached_on == TODAY + 1584 * DAY
    assert result.status == ON_TRACK
    assert result.percent == 37
    late = forecast(value=840, achieved=312, recent=60, span_days=180, as_of=TODAY, due=TODAY + 1583 * DAY)
    assert late.status == AT_RISK


def test_no_rate_is_at_risk_and_reached_is_not() -> None:
    assert forecast(value=10, achieved=3, recent=0, span_days=180, as_of=TODAY, due=None).status == AT_RISK
    reached = forecast(value=10, achieved=12, recent=0, span_days=180, as_of=TODAY, due=TODAY - DAY)
    assert (reached.status, reached.reached_on, reached.percent) == (REACHED, None, 100)


@given(
    remaining=st.integers(1, 10_000_000),
    recent=st.integers(1, 100_000),
    more=st.integers(0, 100_000),
    span=st.integers(1, 36 * 31),
)
def test_a_higher_rate_never_gives_a_later_date(remaining: int, recent: int, more: int, span: int) -> None:
    slow = forecast_date(remaining=remaining, recent=recent, span_days=span, as_of=TODAY)
    fast = forecast_date(remaining=remaining, recent=recent + more, span_days=span, as_of=TODAY)
    if slow is not None:
        assert fast is not None and fast <= slow
    if fast is not None:
        assert fast > TODAY


@given(
    value=st.integers(1, 10_000_000),
    extra=st.integers(0, 1000),
    recent=st.integers(0, 1000),
    due_in=st.integers(-1000, 1000),
)
def test_a_reached_target_is_never_at_risk(value: int, extra: int, recent: int, due_in: int) -> None:
    result = forecast(
        value=value,
        achieved=value + extra,
        recent=recent,
        span_days=180,
        as_of=TODAY,
        due=TODAY + due_in * DAY,
    )
    assert result.status == REACHED


@given(
    value=st.integers(2, 10_000),
    achieved=st.integers(0, 10_000),
    recent=st.integers(0, 1000),
    due_in=st.integers(-100, 5000),
)
def test_status_is_at_risk_exactly_when_the_date_is_late_or_missing(
    value: int, achieved: int, recent: int, due_in: int
) -> None:
    due = TODAY + due_in * DAY
    result = forecast(value=value, achieved=achieved, recent=recent, span_days=90, as_of=TODAY, due=due)
    if achieved >= value:
        assert result.status == REACHED
    else:
        late = result.reached_on is None or result.reached_on > due
        assert (result.status == AT_RISK) == late


# --- progress counted from the records --------------------------------------------------


def test_demo_targets_show_progress_and_one_is_at_risk(demo: DemoNetwork) -> None:
    project = _project(demo)
    rows = {
        row.target.label: row.forecast for row in target_progress(project, list(project.targets.all()), TODAY)
    }
    assert rows[CUSTOM_TARGET].achieved == 6
    assert rows[CUSTOM_TARGET].status == ON_TRACK
    assert rows[PARTICIPANTS_TARGET].achieved == project.participants.count() > 0
    assert rows[PARTICIPANTS_TARGET].status == AT_RISK


def test_events_count_towards_their_target_only_in_the_projects_partners(demo: DemoNetwork) -> None:
    project = _project(demo)
    target = ProjectTarget.objects.create(project=project, kind=TargetKind.EVENTS, label="Events", value=5)
    before = target_progress(project, [target], TODAY)[0].forecast.achieved
    AwarenessEvent.objects.create(
        organisation=demo.partners["A"],
        title="Oase",
        kind=AwarenessKind.choices[0][0],
        held_on=TODAY,
        audience=30,
    )
    assert target_progress(project, [target], TODAY)[0].forecast.achieved == before + 1
    project.partners.set([demo.partners["B"]])  # partner A no longer carries the project
    assert target_progress(project, [target], TODAY)[0].forecast.achieved < before + 1


def test_seed_targets_is_idempotent(demo: DemoNetwork) -> None:
    counts = (ProjectTarget.objects.count(), TargetProgress.objects.count())
    seed_targets(demo)
    assert (ProjectTarget.objects.count(), TargetProgress.objects.count()) == counts


# --- pages ------------------------------------------------------------------------------


def test_project_page_shows_progress_forecast_and_status_in_words(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response = login("coordinator").get(reverse("reporting:project_detail", args=[_project(demo).pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "6 von 12 (50 %)" in html
    assert "gefährdet" in html and "im Plan" in html
    assert '<progress aria-labelledby="target-label-' in html


def test_team_lead_reads_but_cannot_manage(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("team_lead")
    project = _project(demo)
    html = client.get(reverse("reporting:project_detail", args=[project.pk])).content.decode()
    assert reverse("reporting:project_edit", args=[project.pk]) not in html
    assert (
        client.post(reverse("reporting:target_create", args=[project.pk]), {"label": "x"}).status_code == 404
    )


def test_another_networks_project_is_404(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("coordinator")
    other = _other_project(demo)
    target = ProjectTarget.objects.create(project=other, kind=TargetKind.CUSTOM, label="Fremd", value=3)
    for url in [
        reverse("reporting:project_detail", args=[other.pk]),
        reverse("reporting:project_edit", args=[other.pk]),
        reverse("reporting:target_create", args=[other.pk]),
        reverse("reporting:target_edit", args=[target.pk]),
        reverse("reporting:target_delete", args=[target.pk]),
        reverse("reporting:target_progress", args=[target.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"label": "x", "value": "1"}).status_code == 404, url
    assert ProjectTarget.objects.filter(pk=target.pk).exists()


def _target_data(**changes: str) -> dict[str, str]:
    return {
        "label": "Vermittlungen in Arbeit 2026",
        "kind": "placements",
        "placement_kind": "employment",
        "value": "50",
        **changes,
    }


def test_a_target_is_created_with_an_audit_event(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    project = _project(demo)
    response = login("coordinator").post(
        reverse("reporting:target_create", args=[project.pk]), _target_data()
    )
    assert response.status_code == 302
    target = ProjectTarget.objects.get(project=project, label="Vermittlungen in Arbeit 2026")
    assert (target.value, target.placement_kind, target.due_date) == (50, "employment", project.ends_on)
    event = AuditEvent.objects.get(object_type="reporting.projecttarget", object_id=str(target.pk))
    assert event.action == AuditAction.CREATE and event.actor == demo.users["coordinator"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "-5"}, "value"),
        ({"value": "0"}, "value"),
        ({"value": "viele"}, "value"),
        ({"value": "10000001"}, "value"),
        ({"value": "99999999999999999999999"}, "value"),
        ({"value": ""}, "value"),
        ({"label": ""}, "label"),
        ({"kind": "unknown"}, "kind"),
        ({"kind": "trainings"}, "placement_kind"),
        ({"due_on": "31.12.2020"}, "due_on"),
        ({"due_on": "morgen"}, "due_on"),
    ],
)
def test_bad_targets_are_refused_beside_the_field(
    login: Callable[[str], Client], demo: DemoNetwork, changes: dict[str, str], field: str
) -> None:
    project = _project(demo)
    count = ProjectTarget.objects.count()
    response = login("coordinator").post(
        reverse("reporting:target_create", args=[project.pk]), _target_data(**changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert ProjectTarget.objects.count() == count


def test_a_target_is_changed_and_deleted_with_its_progress(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("coordinator")
    target = _custom(demo)
    data = {"label": target.label, "kind": "custom", "value": "20", "version": str(target.version)}
    assert client.post(reverse("reporting:target_edit", args=[target.pk]), data).status_code == 302
    target.refresh_from_db()
    assert target.value == 20
    progress_ids = list(target.progress.values_list("pk", flat=True))
    confirm = client.get(reverse("reporting:target_delete", args=[target.pk]))
    assert confirm.status_code == 200
    assert client.post(reverse("reporting:target_delete", args=[target.pk])).status_code == 302
    assert not ProjectTarget.objects.filter(pk=target.pk).exists()
    assert not TargetProgress.objects.filter(pk__in=progress_ids).exists()
    deleted = AuditEvent.objects.filter(action=AuditAction.DELETE)
    assert deleted.filter(object_type="reporting.projecttarget", object_id=str(target.pk)).exists()
    assert deleted.filter(object_type="reporting.targetprogress").count() == len(progress_ids)


def test_progress_is_entered_for_custom_targets_only(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("coordinator")
    target = _custom(demo)
    url = reverse("reporting:target_progress", args=[target.pk])
    for bad in [
        {"date": TODAY.strftime("%d.%m.%Y"), "value": "-1"},
        {"date": (TODAY + DAY).strftime("%d.%m.%Y"), "value": "1"},
    ]:
        assert client.post(url, bad).status_code == 400
    assert client.post(url, {"date": TODAY.strftime("%d.%m.%Y"), "value": "2"}).status_code == 302
    assert target.progress.filter(date=TODAY, value=2).exists()
    counted = ProjectTarget.objects.get(project=target.project, label=PARTICIPANTS_TARGET)
    response = client.get(reverse("reporting:target_progress", args=[counted.pk]))
    assert response.status_code == 302
    assert not counted.progress.exists()


def _project_data(project: Project, **changes: Any) -> dict[str, Any]:
    return {
        "programme": project.programme,
        "esf_variant": project.esf_variant,
        "starts_on": project.starts_on.strftime("%d.%m.%Y"),
        "ends_on": project.ends_on.strftime("%d.%m.%Y") if project.ends_on else "",
        "ltu_rule": project.ltu_rule,
        "partial_birth_date_rule": project.partial_birth_date_rule,
        "result_base": project.result_base,
        "forecast_months": str(project.forecast_months),
        "version": str(project.version),
        **changes,
    }


def test_the_project_is_changed_with_partners_and_audited(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    project = _project(demo)
    data = _project_data(
        project, partners=[demo.partners["A"].pk], forecast_months="12", result_base="transition"
    )
    response = login("coordinator").post(reverse("reporting:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert list(project.partners.all()) == [demo.partners["A"]]
    assert (project.forecast_months, project.result_base, project.version) == (12, "transition", 2)
    fields = set()
    for event in AuditEvent.objects.filter(
        object_type="projects.project", object_id=str(project.pk), action=AuditAction.UPDATE
    ):
        fields |= set(event.changed_fields)
    assert {"partners", "forecast_months", "result_base"} <= fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "01.01.2023"}, "ends_on"),
        ({"forecast_months": "0"}, "forecast_months"),
        ({"forecast_months": "37"}, "forecast_months"),
        ({"forecast_months": "sechs"}, "forecast_months"),
        ({"ends_on": ""}, "ends_on"),
        ({"esf_variant": "esf_1990"}, "esf_variant"),
    ],
)
def test_bad_project_settings_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork, changes: dict[str, str], field: str
) -> None:
    project = _project(demo)
    response = login("coordinator").post(
        reverse("reporting:project_edit", args=[project.pk]), _project_data(project, **changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Project.objects.get(pk=project.pk).version == project.version


def test_a_partner_of_another_network_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    project = _project(demo)
    foreign = Organisation.objects.filter(network=demo.second_network).earliest("pk")
    data = _project_data(project, partners=[demo.partners["A"].pk, foreign.pk])
    response = login("coordinator").post(reverse("reporting:project_edit", args=[project.pk]), data)
    assert response.status_code == 400
    assert "partners" in response.context["form"].errors
    assert not project.partners.exists()


def test_the_period_keeps_every_participants_entry(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    project = _project(demo)
    first = project.participants.order_by("entry_date").first()
    assert first is not None
    later = (first.entry_date + DAY).strftime("%d.%m.%Y")
    response = login("coordinator").post(
        reverse("reporting:project_edit", args=[project.pk]), _project_data(project, starts_on=later)
    )
    assert response.status_code == 400
    assert "starts_on" in response.context["form"].errors


# --- query counts -----------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_project_pages_query_count_does_not_grow_with_the_data(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("coordinator")
    project = _project(demo)
    urls = [reverse("reporting:project_detail", args=[project.pk]), reverse("reporting:project_list")]
    before = [_queries(client, url) for url in urls]
    target = _custom(demo)
    TargetProgress.objects.bulk_create(
        [TargetProgress(target=target, date=TODAY, value=1) for _ in range(30)]
    )
    AwarenessEvent.objects.bulk_create(
        [
            AwarenessEvent(
                organisation=demo.partners["B"],
                title=f"E{i}",
                kind=AwarenessKind.choices[0][0],
                held_on=TODAY,
                audience=i,
            )
            for i in range(30)
        ]
    )
    assert [_queries(client, url) for url in urls] == before


# --- builder ----------------------------------------------------------------------------


def _params(demo: DemoNetwork, **changes: str) -> dict[str, str]:
    project = _project(demo)
    return {
        "project": str(project.pk),
        "start": project.starts_on.isoformat(),
        "end": min(TODAY, project.ends_on or TODAY).isoformat(),
        "scope": f"network-{demo.network.pk}",
        **changes,
    }


def test_targets_builder(persona: Callable[[str], User], demo: DemoNetwork) -> None:
    [table] = build_report("targets", persona("coordinator"), _params(demo))
    labels = [row[0] for row in table.rows]
    assert CUSTOM_TARGET in labels and PARTICIPANTS_TARGET in labels
    with pytest.raises(Http404):
        build_report("targets", persona("coordinator"), _params(demo, project=str(_other_project(demo).pk)))
    with pytest.raises(Http404):
        build_report("targets", persona("cm_a"), _params(demo))
    with pytest.raises(ValidationError):
        build_report("targets", persona("coordinator"), _params(demo, end="2024-01-01", start="2024-06-01"))


def test_the_service_refuses_a_foreign_partner_and_locks_the_version(demo: DemoNetwork) -> None:
    from bruecke.core.locking import EditConflict
    from bruecke.reporting.services import project_update

    project = _project(demo)
    coordinator = demo.users["coordinator"]
    foreign = Organisation.objects.filter(network=demo.second_network).earliest("pk")
    with pytest.raises(ValidationError):
        project_update(
            actor=coordinator, project=project, data={}, partners=[foreign], expected_version=project.version
        )
    with pytest.raises(EditConflict):
        project_update(
            actor=coordinator,
            project=project,
            data={},
            partners=[demo.partners["A"]],
            expected_version=project.version + 5,
        )
    assert not project.partners.exists()
    saved = project_update(
        actor=coordinator,
        project=project,
        data={},
        partners=[demo.partners["A"]],
        expected_version=project.version,
    )
    assert saved.version == project.version + 1 and list(saved.partners.all()) == [demo.partners["A"]]
    event = AuditEvent.objects.filter(object_type="projects.project", object_id=str(project.pk)).latest("pk")
    assert event.changed_fields == ["partners"]
