"""Map markers for the network page (rendered as JSON data, not code)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.utils.translation import gettext as _

from bruecke.network.models import MobileSite, Office


class MapPoint(TypedDict):
    kind: str
    label: str
    name: str
    address: str
    lat: float
    lon: float


def map_points(offices: Iterable[Office], sites: Iterable[MobileSite]) -> list[MapPoint]:
    points: list[MapPoint] = [
        {
            "kind": "office",
            "label": _("Office"),
            "name": f"{o.name} ({o.organisation})",
            "address": o.address_line,
            "lat": float(o.latitude),
            "lon": float(o.longitude),
        }
        for o in offices
    ]
    points += [
        {
            "kind": "site",
            "label": s.get_kind_display(),
            "name": s.name,
            "address": s.address_line,
            "lat": float(s.latitude),
            "lon": float(s.longitude),
        }
        for s in sites
    ]
    return points
