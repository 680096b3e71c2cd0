"""Demo data of the placement capability (called at the end of the cases demo).

Each part keeps its own module; the order matters: the catalogue first, then employers and
opportunities, then pipelines and placements that use them.
"""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork


def seed_placement(demo: DemoNetwork) -> None:
    from bruecke.placement.demo import catalogue, employers, pipeline

    catalogue.seed_occupations()
    catalogue.seed_places()
    employers.seed(demo)
    pipeline.seed(demo)
