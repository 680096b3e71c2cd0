"""Demo targets of the demo projects."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork


def seed_targets(demo: DemoNetwork) -> None:
    """Idempotent: a second run adds nothing."""
