from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bruecke.network.demo import DEMO_PASSWORD, PERSONAS, seed_network
from bruecke.network.models import Role
from bruecke.participants import demo as participants_demo


class Command(BaseCommand):
    help = "Loads the demo network and its staff (idempotent). Refused in production."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--participants", type=int, default=0, help="also generate N synthetic participants (benchmarks)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates accounts with a known password; not in production.")
        demo = seed_network()
        participants_demo.seed_fixed(demo)
        if options["participants"]:
            made = participants_demo.generate(demo, options["participants"])
            self.stdout.write(f"Generated {made} synthetic participants.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo network ready. Demo logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, _first, _last, partner, team, role in PERSONAS.values():
            where = f"partner {partner}" + (f", team {team}" if team else "")
            self.stdout.write(f"  {username:<16} {Role(role).label} ({where})")
        self.stdout.write("  ruppin.admin     Administrator of the second network (Neuruppin)")
