"""Demo data of the offers capability (called at the end of the cases demo, after
placement). Each area keeps its own module; the catalogue comes first, the referrals and
group offers use it. Every function is idempotent (the demo is seeded again and again).
"""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork


def seed_offers(demo: DemoNetwork) -> None:
    from bruecke.offers.demo import catalogue, groups, network_work, pathways, referrals, school

    catalogue.seed(demo)
    network_work.seed(demo)
    pathways.seed(demo)
    school.seed(demo)
    referrals.seed(demo)
    groups.seed(demo)
