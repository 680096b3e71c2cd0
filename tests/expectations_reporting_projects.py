"""Persona × URL expectations for the reporting app: projects (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.projects.models import Project
from bruecke.reporting.demo.targets import CUSTOM_TARGET, DEMO_PROJECT
from bruecke.reporting.models import ProjectTarget
from tests.access_expectations_base import Expect
from tests.expectations_reporting_base import PROJECT_MANAGERS, REPORT_READERS


def _project(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": Project.objects.get(network=demo.network, name=DEMO_PROJECT).pk}


def _target(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": ProjectTarget.objects.get(project_id=_project(demo)["pk"], label=CUSTOM_TARGET).pk}


EXPECTATIONS: dict[str, Expect] = {
    "reporting:project_list": Expect(default=404, statuses=REPORT_READERS),
    "reporting:project_detail": Expect(default=404, statuses=REPORT_READERS, kwargs=_project),
    "reporting:project_edit": Expect(default=404, statuses=PROJECT_MANAGERS, kwargs=_project),
    "reporting:target_create": Expect(default=404, statuses=PROJECT_MANAGERS, kwargs=_project),
    "reporting:target_edit": Expect(default=404, statuses=PROJECT_MANAGERS, kwargs=_target),
    # GET asks for confirmation; the POST that deletes is tested in tests/test_reporting_projects.py.
    "reporting:target_delete": Expect(default=404, statuses=PROJECT_MANAGERS, kwargs=_target),
    "reporting:target_progress": Expect(default=404, statuses=PROJECT_MANAGERS, kwargs=_target),
    "reporting:activity": Expect(default=404, statuses=REPORT_READERS),
}
