"""`manage.py load_kldb FILE`: loads the Bundesagentur's KldB 2010 file into the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bruecke.placement.services.catalogue import KldbFileError, load_kldb


class Command(BaseCommand):
    help = (
        "Loads the KldB 2010 'Systematisches Verzeichnis' (XLSX or CSV as the Bundesagentur publishes "
        "it) into the occupation catalogue: all or nothing; adds codes, updates titles, deletes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the XLSX or CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = load_kldb(path)
        except KldbFileError as error:
            raise CommandError("Nothing was loaded.\n" + "\n".join(error.messages)) from error
        self.stdout.write(
            f"KldB 2010: {result.added} added, {result.updated} updated, {result.unchanged} unchanged."
        )
