"""`make run` shows a placement officer a full day: seed_demo opens cases with profiles and
pipeline entries for the demo's other participants (the tests' fixed demo stays small)."""

from __future__ import annotations

from bruecke.cases.models import Case
from bruecke.network.demo import DemoNetwork
from bruecke.placement.demo.day import seed_day
from bruecke.placement.models import Application, MatchProfile


def test_every_team_with_staff_gets_cases_with_profiles_and_pipeline_entries(demo: DemoNetwork) -> None:
    cases_before = Case.objects.count()
    applications_before = Application.objects.count()
    seed_day(demo)
    new_cases = Case.objects.count() - cases_before
    assert new_cases >= 4
    teams = set(Application.objects.values_list("team__name", flat=True))
    assert {"Regionalteam Rostock", "Regionalteam Schwerin", "Regionalteam Greifswald"} <= teams
    assert Application.objects.count() - applications_before >= 4
    # Matching reads them: each new case has its row with occupations from the profile.
    newest = Case.objects.order_by("-pk")[:new_cases]
    assert all(MatchProfile.objects.get(case=case).wish_1 for case in newest)
    # Idempotent.
    seed_day(demo)
    assert Case.objects.count() == cases_before + new_cases
