"""The harness keeps tests independent of their order (decision 0034).

A transactional test (live server, browser) empties the database at its end. pytest-django
runs those last in a process, but xdist's work stealing can hand ordinary tests to a worker
that has already run them; they must still find the demo data. The outer test runs the two
inner tests in a child pytest, transactional first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bruecke.participants.models import Participant

ROOT = Path(__file__).resolve().parent.parent
INNER = "BRUECKE_HARNESS_INNER"
CHILD_PYTEST = [
    "-m",
    "pytest",
    "-o",
    "addopts=",
    "-p",
    "no:randomly",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:xdist",
]
inner_only = pytest.mark.skipif(
    os.environ.get(INNER) != "1", reason="run by the outer test in a child pytest"
)


@inner_only
def test_inner_transactional_test_sees_the_demo_and_empties_the_database(transactional_db: None) -> None:
    assert Participant.objects.exists()  # the flush comes at its end


@inner_only
def test_inner_ordinary_test_afterwards_still_finds_the_demo_data(db: None) -> None:
    assert Participant.objects.filter(family_name="Al-Hassan").exists()


@pytest.mark.skipif(os.environ.get(INNER) == "1", reason="the outer test itself")
def test_an_ordinary_test_after_a_transactional_one_finds_the_demo_data() -> None:
    # SQLite in memory: a child pytest on PostgreSQL would take the parent's test database name.
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_ADDOPTS")}
    result = subprocess.run(  # noqa: S603 (fixed arguments: pytest on this file)
        [sys.executable, *CHILD_PYTEST, "-p", "tests.reverse_order", "-v", __file__],
        cwd=ROOT,
        env={**environment, INNER: "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if "::test_inner_" in line]
    assert [line.split("::")[1].split()[0] for line in lines] == [
        "test_inner_transactional_test_sees_the_demo_and_empties_the_database",
        "test_inner_ordinary_test_afterwards_still_finds_the_demo_data",
    ], result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
