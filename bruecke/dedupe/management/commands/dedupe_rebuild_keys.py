"""`manage.py dedupe_rebuild_keys [--organisation ID]`: the blocking keys of existing data.

Run once after upgrading to duplicate detection (registrations saved before have no
keys, so the intake warning cannot find them), and after a change of the blocking rules.
Idempotent; works in batches, each in its own transaction, so it can be interrupted and
run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bruecke.dedupe.keys import BATCH, rebuild_blocking_keys
from bruecke.network.models import Organisation


class Command(BaseCommand):
    help = "Rebuilds the duplicate-detection blocking keys of all registrations (or one organisation's)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", type=int, help="only this organisation (id)")
        parser.add_argument("--batch", type=int, default=BATCH, help="registrations per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_id = options["organisation"]
        if organisation_id is not None and not Organisation.objects.filter(pk=organisation_id).exists():
            raise CommandError(f"--organisation: no organisation with id {organisation_id}.")
        if options["batch"] < 1:
            raise CommandError("--batch: must be at least 1.")
        done = 0
        for done in rebuild_blocking_keys(organisation_id=organisation_id, batch=options["batch"]):
            if options["verbosity"] >= 2:
                self.stdout.write(f"{done} registrations")
        self.stdout.write(f"Blocking keys rebuilt for {done} registrations.")
