"""Demo catalogue: providers and measures of the demo network (filled by the catalogue area)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork


def seed(demo: DemoNetwork) -> None:
    """Creates the demo providers and measures once."""
