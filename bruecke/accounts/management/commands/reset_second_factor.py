from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bruecke.accounts import mfa
from bruecke.accounts.models import User


class Command(BaseCommand):
    help = (
        "Resets a staff member's second factor (lost phone) when no administrator of their "
        "network can: deletes the authenticator and recovery codes and ends their sessions."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--identity-checked",
            action="store_true",
            help="confirms that you have checked the person's identity (required)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No staff member with the user name {options['username']!r}.")
        try:
            mfa.reset(actor=None, user=user, identity_checked=options["identity_checked"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"The second factor of {user.username} is reset; they set it up at the next sign-in."
        )
