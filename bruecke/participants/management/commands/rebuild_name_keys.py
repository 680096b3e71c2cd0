"""Rebuilds every registration's name search keys and duplicate-detection blocking keys:
`manage.py rebuild_name_keys [--batch-size N]`.

Needed after an upgrade that changes name normalisation (`participants.names`, see
docs/names.md): stored keys made by the old rules would no longer meet the keys of new
queries and registrations. Works in batches of registrations by primary key, one
transaction per batch, so memory stays flat and a stopped run can simply be repeated.
Derived data only, so nothing is audited (as when a registration's name changes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.models import BlockingKey
from bruecke.dedupe.records import record_of
from bruecke.participants import names
from bruecke.participants.models import NameKey, Participant

BATCH_SIZE = 500


def _name_keys(participant: Participant) -> set[str]:
    # The same spellings as services.rebuild_name_keys (a test keeps them equal).
    spellings = [
        participant.given_names,
        participant.family_name,
        participant.given_names_own_script,
        participant.family_name_own_script,
        *(variant.name for variant in participant.name_variants.all()),
    ]
    return set().union(*(names.name_keys(s) for s in spellings if s))


def _rebuild_batch(batch: list[Participant]) -> None:
    with transaction.atomic():
        NameKey.objects.filter(participant__in=batch).delete()
        NameKey.objects.bulk_create(
            NameKey(participant=p, key=key[:64]) for p in batch for key in sorted(_name_keys(p))
        )
        BlockingKey.objects.filter(participant__in=batch).delete()
        BlockingKey.objects.bulk_create(
            BlockingKey(participant=p, organisation_id=p.organisation_id, key=key)
            for p in batch
            for key in sorted(blocking_keys(record_of(p)))
        )


def rebuild_all(*, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> int:
    """Rebuilds the keys of every registration (merged ones too); returns their number."""
    done, last_pk = 0, 0
    while True:
        batch = list(
            Participant.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .prefetch_related("name_variants")[:batch_size]
        )
        if not batch:
            return done
        _rebuild_batch(batch)
        done, last_pk = done + len(batch), batch[-1].pk
        if progress:
            progress(done)


class Command(BaseCommand):
    help = "Rebuilds the name search keys and blocking keys of all registrations (in batches)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        count = rebuild_all(batch_size=batch_size, progress=lambda n: self.stdout.write(f"{n} …"))
        self.stdout.write(self.style.SUCCESS(f"Name keys of {count} registrations rebuilt."))
