"""Creates the first administrator of a network (operators only, once per network)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bruecke.accounts.models import User
from bruecke.core.services import model_create
from bruecke.network.models import Membership, Network, Organisation, Role
from bruecke.network.services import membership_create, send_password_setup


class Command(BaseCommand):
    help = "Creates a network's first organisation and administrator, and e-mails a password link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--network", required=True, help="network name (created if missing)")
        parser.add_argument("--organisation", required=True, help="organisation (created if missing)")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--town", default="", help="the organisation's town, if it is created")

    @transaction.atomic
    def handle(self, *args: Any, **o: Any) -> None:
        network = Network.objects.filter(name=o["network"]).first() or model_create(
            actor=None, instance=Network(name=o["network"])
        )
        organisation = Organisation.objects.filter(network=network, name=o["organisation"]).first()
        if organisation is None:
            organisation = model_create(
                actor=None,
                instance=Organisation(network=network, name=o["organisation"], town=o["town"] or "-"),
            )
        if User.objects.filter(username=o["username"]).exists():
            raise CommandError(f"User {o['username']} exists already.")
        user = User(
            username=o["username"], email=o["email"], first_name=o["first_name"], last_name=o["last_name"]
        )
        user.set_unusable_password()
        model_create(actor=None, instance=user)
        membership_create(
            actor=None,
            membership=Membership(user=user, organisation=organisation, role=Role.ADMINISTRATOR),
        )
        user_pk = user.pk
        transaction.on_commit(lambda: send_password_setup(user_pk))
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} created; password link sent."))
