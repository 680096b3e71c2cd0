"""The demo's occupation catalogue (an extract of KldB 2010) and places."""

from __future__ import annotations

import csv
from pathlib import Path

from bruecke.placement.kldb import fold
from bruecke.placement.models import Occupation

DATA = Path(__file__).resolve().parent.parent / "data"


def seed_occupations() -> None:
    """Idempotent: adds the extract's codes that are missing (an official file loaded by
    `load_kldb` is never overwritten)."""
    with (DATA / "kldb_demo.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    Occupation.objects.bulk_create(
        [Occupation(code=r["code"], title=r["title"], search_title=fold(r["title"])) for r in rows],
        ignore_conflicts=True,
    )


def seed_places() -> None:
    """The places come with a data migration (Mecklenburg-Vorpommern); the demo cases'
    match profiles are computed here, once their profiles and places exist."""
    from bruecke.placement.services.match_profiles import rebuild_all

    rebuild_all()
