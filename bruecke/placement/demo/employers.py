"""Demo employers, sites, contacts and opportunities for each team."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork


def seed(demo: DemoNetwork) -> None:
    """Filled in by the employers part."""
