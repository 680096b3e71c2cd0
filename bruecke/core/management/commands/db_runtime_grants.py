"""Prints the SQL that sets up the runtime database role (operator guide, 'Database roles')."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bruecke.core.db_roles import runtime_grants


class Command(BaseCommand):
    help = "Print the GRANT statements for a runtime role that does not own the tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, help="the role the application runs as")
        parser.add_argument("--owner", required=True, help="the role that owns the tables (runs migrate)")
        parser.add_argument("--schema", default="public")

    def handle(self, *args: Any, role: str, owner: str, schema: str, **options: Any) -> None:
        try:
            statements = runtime_grants(role=role, owner=owner, schema=schema)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(f"{statement};" for statement in statements))
