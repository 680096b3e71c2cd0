"""Demo ESF questionnaires (entry, exit with situations, six-month follow-ups)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork


def seed_esf(demo: DemoNetwork) -> None:
    """Idempotent: a second run adds nothing."""
