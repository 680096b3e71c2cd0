from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bruecke.dedupe.training import MIN_TRAINING_RECORDS, model_train
from bruecke.network.models import Network


class Command(BaseCommand):
    help = (
        "Trains the duplicate detection model of a network (or of every network) on its "
        "registrations and makes it the active one."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--network", type=int, help="id of the network (default: every network)")

    def handle(self, *args: Any, **options: Any) -> None:
        networks = Network.objects.order_by("pk")
        if options["network"] is not None:
            networks = networks.filter(pk=options["network"])
            if not networks.exists():
                raise CommandError(f"No network with the id {options['network']}.")
        for network in networks:
            row = model_train(network, None)
            if row is None:
                self.stdout.write(
                    f"Network {network.pk}: fewer than {MIN_TRAINING_RECORDS} registrations, "
                    "the built-in model stays in use."
                )
                continue
            self.stdout.write(
                f"Network {network.pk}: trained on {row.trained_on_records} registrations, "
                f"threshold weight {row.threshold_weight:.2f} (model {row.pk})."
            )
