"""Demo targets of the demo project "NAF MV plus": counted ones, and one custom target
with progress entered by hand, so the project page shows progress, a forecast, a target on
track and one at risk."""

from __future__ import annotations

import datetime

from bruecke.core.services import model_create
from bruecke.network.demo import DemoNetwork
from bruecke.placement.models.placements import PlacementKind
from bruecke.projects.models import Project
from bruecke.reporting.models import ProjectTarget, TargetKind, TargetProgress

DEMO_PROJECT = "NAF MV plus"
PARTICIPANTS_TARGET = "Mindestens 840 Teilnehmende"
CUSTOM_TARGET = "Kooperationsvereinbarungen mit Betrieben"

TARGETS: list[tuple[str, str, str, int]] = [
    (PARTICIPANTS_TARGET, TargetKind.PARTICIPANTS, "", 840),
    ("Vermittlungen in Arbeit", TargetKind.PLACEMENTS, PlacementKind.EMPLOYMENT, 120),
    ("Vermittlungen in Ausbildung", TargetKind.PLACEMENTS, PlacementKind.APPRENTICESHIP, 40),
    ("Schulungen für die Verwaltung", TargetKind.TRAININGS, "", 16),
    ("Sensibilisierungsveranstaltungen", TargetKind.EVENTS, "", 12),
    (CUSTOM_TARGET, TargetKind.CUSTOM, "", 12),
]

# Days before today and how many agreements were signed then (the custom target's progress).
CUSTOM_PROGRESS = [(200, 2), (120, 1), (60, 2), (20, 1)]


def seed_targets(demo: DemoNetwork) -> None:
    """Idempotent: a second run adds nothing."""
    project = Project.objects.filter(network=demo.network, name=DEMO_PROJECT).first()
    if project is None:
        return
    for label, kind, placement_kind, value in TARGETS:
        target = ProjectTarget.objects.filter(project=project, label=label).first()
        if target is None:
            target = model_create(
                actor=None,
                instance=ProjectTarget(
                    project=project, label=label, kind=kind, placement_kind=placement_kind, value=value
                ),
            )
        if kind == TargetKind.CUSTOM and not target.progress.exists():
            _seed_progress(target, project)


def _seed_progress(target: ProjectTarget, project: Project) -> None:
    today = datetime.date.today()
    for days, value in CUSTOM_PROGRESS:
        date = max(project.starts_on, today - datetime.timedelta(days=days))
        model_create(
            actor=None,
            instance=TargetProgress(target=target, date=date, value=value, note="Demo"),
        )
