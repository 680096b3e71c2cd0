"""Demo pipelines, placements and check-ins for each team."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork


def seed(demo: DemoNetwork) -> None:
    """Filled in by the pipeline part."""
