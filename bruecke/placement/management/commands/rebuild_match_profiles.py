"""Recomputes the match profile of every open case (after an upgrade, a bulk load or
loading new places): `manage.py rebuild_match_profiles [--batch-size N]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bruecke.placement.services.match_profiles import BATCH_SIZE, rebuild_all


class Command(BaseCommand):
    help = "Recomputes the match profiles of all open cases (in batches)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        count = rebuild_all(batch_size=batch_size)
        self.stdout.write(self.style.SUCCESS(f"{count} match profiles rebuilt."))
