"""The demo and the quick start: what `make run` serves and what the demo shows."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from bruecke.network.demo import DemoNetwork
from bruecke.participants.demo import FIXED
from bruecke.participants.models import Participant
from bruecke.projects.demo import NAF_TARGET_GROUPS, seed_projects
from bruecke.projects.models import Project

ROOT = Path(__file__).resolve().parent.parent

# What a counsellor expects of the demo participants in "NAF MV plus" (decision 0026):
# only Giorgi Beridze, tolerated under § 60b (unclear identity, absolute work ban), is out.
EXPECTED_ELIGIBILITY = {
    "Mohammed Al-Hassan": "eligible",  # recognised refugee, § 25 (2)
    "Amina Rahimi": "eligible",
    "Olena Schewtschenko": "eligible",  # temporary protection, § 24
    "Abdulrahman Hussein": "eligible",
    "Yonas Tesfay": "eligible",  # subsidiary protection
    "Muhammad Alhasan": "eligible",
    "Fatima Yusuf": "eligible",
    "Giorgi Beridze": "not_eligible",
    "Zahra Ahmadi": "eligible",  # § 25a
}


def test_every_demo_participant_has_the_expected_eligibility(demo: DemoNetwork) -> None:
    assert set(EXPECTED_ELIGIBILITY) == {f"{given} {family}" for given, family, *_rest in FIXED}
    stored = {p.full_name: p.eligibility for p in Participant.objects.filter(project__name="NAF MV plus")}
    assert {name: stored[name] for name in EXPECTED_ELIGIBILITY} == EXPECTED_ELIGIBILITY


def test_seeding_again_brings_an_older_demo_database_up_to_date(demo: DemoNetwork) -> None:
    project = Project.objects.get(name="NAF MV plus")
    older = [g for g in NAF_TARGET_GROUPS if g["key"] != "protection_granted"]
    Project.objects.filter(pk=project.pk).update(target_groups=older)
    mohammed = Participant.objects.get(family_name="Al-Hassan")
    Participant.objects.filter(pk=mohammed.pk).update(eligibility="not_eligible")
    seed_projects(demo.network, Project.objects.get(name="ABS-OPR").network)
    project.refresh_from_db()
    assert project.target_groups == NAF_TARGET_GROUPS
    mohammed.refresh_from_db()
    assert mohammed.eligibility == "eligible"


@override_settings(SITE_URL="http://127.0.0.1:8001")
def test_seed_demo_says_where_to_sign_in_and_that_codes_work_once(demo: DemoNetwork) -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "Sign in at http://127.0.0.1:8001/accounts/login/" in text
    assert "each code works once" in text


def _make_run(*args: str, env: dict[str, str] | None = None) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(  # noqa: S603 - fixed arguments, dry run (-n) only
        [make, "-n", "-C", str(ROOT), "run", *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )
    return result.stdout


def test_make_run_serves_on_the_chosen_port_and_links_follow() -> None:
    default = _make_run()
    assert "run_dev 127.0.0.1:8000" in default
    assert "SITE_URL=http://127.0.0.1:8000" in default
    other = _make_run("PORT=8001")
    assert "run_dev 127.0.0.1:8001" in other
    assert "SITE_URL=http://127.0.0.1:8001 " in other
    assert "8000" not in other
    # An address set in the environment (a proxy, a tunnel) wins.
    proxied = _make_run("PORT=8001", env={"SITE_URL": "https://demo.example"})
    assert "SITE_URL=https://demo.example " in proxied


def test_readme_says_where_to_sign_in() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8000/accounts/login/" in readme
    assert "make run PORT=8001" in readme
    assert "works once" in readme
