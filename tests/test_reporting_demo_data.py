"""The demo ESF questionnaires: every ESF Plus indicator of the default report is non-zero,
and the demo has the cases the quality checks are about."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bruecke.esf.models import EntryRecord, ExitRecord
from bruecke.network.demo import DemoNetwork
from bruecke.projects.models import Project
from bruecke.reporting.demo.esf import seed_esf
from bruecke.reporting.indicators import IndicatorReport, ReportRequest, compute_report
from bruecke.reporting.scope import ReportScope

pytestmark = pytest.mark.django_db

OUTPUTS = [f"EECO{n:02d}" for n in range(1, 18)]
RESULTS = ["EECR01", "EECR02", "EECR03", "EECR04", "EECR05"]


def _default_report(project: Project) -> IndicatorReport:
    """The default choice: whole network, project start to today."""
    network = project.network
    scope = ReportScope(network_id=network.pk, key=f"network-{network.pk}", label=network.name)
    return compute_report(ReportRequest(project, project.starts_on, timezone.localdate(), scope))


def test_every_esf_plus_indicator_is_non_zero_for_the_demo_project(demo: DemoNetwork) -> None:
    report = _default_report(Project.objects.get(network=demo.network, name="NAF MV plus"))
    values = {code: indicator.values.total for code, indicator in report.by_code().items()}
    assert {code for code in OUTPUTS + RESULTS if not values.get(code)} == set(), values
    # Alhasan (no ISCED), Haidari (no status); Al-Hassan and Karimi have no questionnaire.
    assert report.incomplete_count == 4


def test_demo_has_the_cases_the_checks_are_about(demo: DemoNetwork) -> None:
    records = EntryRecord.objects.filter(organisation__network=demo.network)
    dual = records.get(participant__family_name="Schewtschenko")
    assert dual.citizenships == "UA PL" and dual.third_country_national_at_entry is False
    refused = [r for r in records if r.disability == "refused"]
    assert refused and all(r.sensitive_asked_on for r in refused)
    exits = ExitRecord.objects.filter(organisation__network=demo.network)
    assert exits.filter(result_same_day_conflict=True).count() == 1
    assert set(exits.values_list("follow_up_result", flat=True)) >= {"yes", "no"}
    assert exits.filter(follow_ups__employed="no_response").exists()


def test_abs_opr_has_data(demo: DemoNetwork) -> None:
    project = Project.objects.get(network=demo.second_network, name="ABS-OPR")
    report = _default_report(project)
    values = {code: indicator.values.total for code, indicator in report.by_code().items()}
    assert values["EECO01"] == 2 and values["EECR04"] == 1


def test_seeding_again_adds_nothing(demo: DemoNetwork) -> None:
    before = (EntryRecord.objects.count(), ExitRecord.objects.count())
    seed_esf(demo)
    assert (EntryRecord.objects.count(), ExitRecord.objects.count()) == before


def test_dates_are_relative_to_today(demo: DemoNetwork) -> None:
    today = timezone.localdate()
    latest = max(ExitRecord.objects.values_list("exit_date", flat=True))
    assert today - datetime.timedelta(days=200) < latest <= today
