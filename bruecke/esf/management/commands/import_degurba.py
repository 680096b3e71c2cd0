"""Loads municipalities with their degree of urbanisation from a CSV file (Eurostat's
LAU–DEGURBA list: columns LAU_CODE, LAU_NAME, DGURBA). All or nothing; re-runs update."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.esf.models import Municipality, municipality_key

REQUIRED = ("LAU_CODE", "LAU_NAME", "DGURBA")


def parse(text: str) -> list[tuple[str, str, int]]:
    """Rows of (code, name, degree); raises CommandError naming the first bad row."""
    text = text.lstrip("\ufeff")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise CommandError(f"Missing columns: {', '.join(missing)}")
    rows = []
    for number, row in enumerate(reader, start=2):
        code, name, degree = (row[c].strip() for c in REQUIRED)
        if not code or not name or degree not in ("1", "2", "3"):
            raise CommandError(f"Row {number}: needs a code, a name and DGURBA 1, 2 or 3.")
        rows.append((code, name, int(degree)))
    if not rows:
        raise CommandError("The file has no rows.")
    return rows


class Command(BaseCommand):
    help = "Imports municipalities and their degree of urbanisation (Eurostat LAU–DEGURBA CSV)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        rows = parse(text)
        with transaction.atomic():
            for code, name, degree in rows:
                Municipality.objects.update_or_create(
                    lau_code=code,
                    defaults={"name": name, "name_key": municipality_key(name), "degurba": degree},
                )
            audit_record(actor=None, action=AuditAction.UPDATE, object_type="esf.municipality")
        self.stdout.write(self.style.SUCCESS(f"{len(rows)} municipalities imported."))
