from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from bruecke.dedupe.crosspartner.services import rebuild_encodings


class Command(BaseCommand):
    help = (
        "Re-encodes every registration for the cross-partner comparison (after a change of "
        "BRUECKE_LINKAGE_SECRET or of the encoding) and compares them all. Decided matches "
        "are kept; open ones are found again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--network", type=int, default=None, help="only this network (id)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        encoded, open_matches = rebuild_encodings(network_id=options["network"])
        seconds = time.perf_counter() - started
        self.stdout.write(f"{encoded} registrations encoded, {open_matches} open matches ({seconds:.1f} s).")
