"""`manage.py dedupe_find_pairs --organisation ID`: the search for probable duplicates of
one organisation (the same as the review page's button, without a job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bruecke.dedupe.review.services import pairs_refresh
from bruecke.network.models import Organisation


class Command(BaseCommand):
    help = "Finds probable duplicates among an organisation's registrations for the review."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", type=int, required=True, help="id of the organisation")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with id {options['organisation']}.")
        result = pairs_refresh(organisation)
        self.stdout.write(
            f"Compared {result.compared} registrations: {result.proposed} probable duplicates to review "
            f"({result.new} new, {result.dropped} no longer proposed)."
        )
