"""Demo data for the reports: ESF entry and exit questionnaires with results and
follow-ups for the demo participants, and the demo project's targets, so every indicator
and chart shows something after `make run`."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.reporting.demo.esf import seed_esf
from bruecke.reporting.demo.targets import seed_targets


def seed_reporting(demo: DemoNetwork) -> None:
    seed_esf(demo)
    seed_targets(demo)
