from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from bruecke.accounts import demo as mfa_demo
from bruecke.accounts.models import User
from bruecke.core import bulkload
from bruecke.dedupe.demo import seed_duplicates
from bruecke.network.demo import DEMO_PASSWORD, PERSONAS, seed_network
from bruecke.network.models import Role
from bruecke.offers.demo import seed_offers
from bruecke.participants import demo as participants_demo
from bruecke.placement.demo import day as placement_day
from bruecke.privacy import demo as privacy_demo
from bruecke.reminders import demo as reminders_demo
from bruecke.reporting.demo import seed_reporting

DEMO_USERNAMES = [persona[0] for persona in PERSONAS.values()]


class Command(BaseCommand):
    help = "Loads the demo network and its staff (idempotent). Refused in production."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--participants", type=int, default=0, help="also generate N synthetic participants (benchmarks)"
        )

    def generate_participants(self, demo: Any, count: int) -> None:
        """PostgreSQL: the bulk path with contacts, audit events and casework (decision 0065);
        SQLite (small demo databases): participants with keys and residence documents only."""
        if connection.vendor != "postgresql":
            made = participants_demo.generate(demo, count)
            self.stdout.write(f"Generated {made} synthetic participants.")
            return
        tally = bulkload.load(demo, count, progress=self.stdout.write)
        for table, rows in tally.rows.items():
            self.stdout.write(f"  {table:<32} {rows:>12,}")
        for phase, seconds in tally.seconds.items():
            self.stdout.write(f"  {phase:<52} {seconds:>8.1f} s")
        self.stdout.write(f"Generated {count} synthetic participants.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates accounts with a known password; not in production.")
        demo = seed_network()
        participants_demo.seed_fixed(demo)
        privacy_demo.seed_breach(demo)
        reminders_demo.seed_expiring_document(demo)
        # A fuller placement day than the fixed demo the tests use (cases for every team).
        placement_day.seed_day(demo)
        # Group offers enrol the cases the placement day opened (the demo is idempotent).
        seed_offers(demo)
        seed_reporting(demo)  # ESF questionnaires and targets for the cases opened above
        seed_duplicates(demo)  # second registrations in other spellings, for the duplicate review
        if options["participants"]:
            self.generate_participants(demo, options["participants"])
        users = list(User.objects.filter(username__in=[*DEMO_USERNAMES, "ruppin.admin"]))
        key = mfa_demo.demo_key(users)
        codes = {user.username: mfa_demo.enrol(user, key) for user in users}
        self.stdout.write(
            self.style.SUCCESS(f"Demo network ready. Demo logins (password for all: {DEMO_PASSWORD}):")
        )
        for username, _first, _last, partner, team, role in PERSONAS.values():
            where = f"partner {partner}" + (f", team {team}" if team else "")
            self.stdout.write(f"  {username:<16} {Role(role).label} ({where})")
            self.stdout.write(f"  {'':<16} one-time codes: {', '.join(codes.get(username, []))}")
        self.stdout.write("  ruppin.admin     Administrator of the second network (Neuruppin)")
        self.stdout.write(f"  {'':<16} one-time codes: {', '.join(codes.get('ruppin.admin', []))}")
        spaced = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
        self.stdout.write(
            "Second factor: after the password, enter a current code of an authenticator app set up "
            f"with the demo key {spaced} (time-based, 6 digits), or one of the one-time codes above "
            "(each code works once; new ones at every start)."
        )
        # SITE_URL is the address `make run PORT=…` serves on, so this link matches it.
        self.stdout.write(f"Sign in at {settings.SITE_URL.rstrip('/')}{reverse('accounts:login')}")
