"""Reading a places file (towns with coordinates, for straight-line distances).

Columns `name;postcode;district;latitude;longitude` with a header row, separated by `;` or
`,`, UTF-8 with or without BOM. `parse` checks the whole file and returns every problem
with its row number, so a load is all or nothing. Used by the data migration (the towns
of Mecklenburg-Vorpommern) and by `manage.py load_places` for other regions.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

COLUMNS = ("name", "postcode", "district", "latitude", "longitude")
POSTCODE = re.compile(r"^\d{5}\Z")
DATA_FILE = Path(__file__).resolve().parent / "data" / "places_mv.csv"


@dataclass(frozen=True)
class PlaceRow:
    name: str
    postcode: str
    district: str
    latitude: Decimal
    longitude: Decimal


class PlacesFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _coordinate(value: str, limit: int) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > limit:
        return None
    return number.quantize(Decimal("0.00001"))


def parse(text: str) -> list[PlaceRow]:
    """The rows of a places file; raises PlacesFileError listing every bad row."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise PlacesFileError(["The file is empty."])
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [c.strip().lower() for c in next(reader)]
    if tuple(header) != COLUMNS:
        raise PlacesFileError(
            [f"Row 1: the columns must be {';'.join(COLUMNS)} (found: {';'.join(header)})."]
        )
    rows: list[PlaceRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            problems.append(f"Row {number}: expected {len(COLUMNS)} values, found {len(cells)}.")
            continue
        name, postcode, district, latitude, longitude = (c.strip() for c in cells)
        row_problems = []
        if not name or len(name) > 100:
            row_problems.append("the name is missing or longer than 100 characters")
        if postcode and not POSTCODE.match(postcode):
            row_problems.append(f"the postcode {postcode!r} is not five digits")
        if len(district) > 100:
            row_problems.append("the district is longer than 100 characters")
        lat = _coordinate(latitude, 90)
        lon = _coordinate(longitude, 180)
        if lat is None:
            row_problems.append(f"the latitude {latitude!r} is not a number between -90 and 90")
        if lon is None:
            row_problems.append(f"the longitude {longitude!r} is not a number between -180 and 180")
        key = (name.casefold(), postcode)
        if key in seen:
            row_problems.append(f"{name} {postcode} appears already in row {seen[key]}")
        seen.setdefault(key, number)
        if row_problems:
            problems.append(f"Row {number}: " + "; ".join(row_problems) + ".")
        elif lat is not None and lon is not None:
            rows.append(PlaceRow(name, postcode, district, lat, lon))
    if problems:
        raise PlacesFileError(problems)
    if not rows:
        raise PlacesFileError(["The file has no rows."])
    return rows


def load(rows: list[PlaceRow], place_model: Any) -> tuple[int, int]:
    """Creates or updates the places by name and postcode; (created, updated)."""
    from bruecke.placement.kldb import fold

    created = updated = 0
    for row in rows:
        values = {
            "district": row.district,
            "latitude": row.latitude,
            "longitude": row.longitude,
            "search_name": fold(row.name),
        }
        existing = place_model.objects.filter(name=row.name, postcode=row.postcode).first()
        if existing is None:
            place_model.objects.create(name=row.name, postcode=row.postcode, **values)
            created += 1
        else:
            for field, value in values.items():
                setattr(existing, field, value)
            existing.save()
            updated += 1
    return created, updated
