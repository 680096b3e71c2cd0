"""Loads towns with coordinates for straight-line distances in matching.

    manage.py load_places FILE.csv

Columns name;postcode;district;latitude;longitude (header row; `;` or `,`; UTF-8 with or
without BOM). All or nothing: a bad row stops the load with every problem and its row
number. Re-runs update the places with the same name and postcode. The match profiles use
the places at their next refresh (`manage.py rebuild_match_profiles`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.placement import places
from bruecke.placement.models import Place


class Command(BaseCommand):
    help = "Loads towns with coordinates (name;postcode;district;latitude;longitude) for matching."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            rows = places.parse(text)
        except places.PlacesFileError as error:
            raise CommandError("Nothing was loaded.\n" + "\n".join(error.problems)) from None
        with transaction.atomic():
            created, updated = places.load(rows, Place)
            audit_record(actor=None, action=AuditAction.UPDATE, object_type="placement.place")
        self.stdout.write(self.style.SUCCESS(f"{created} places created, {updated} updated."))
