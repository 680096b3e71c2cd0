from typing import Any

from django.core.management.base import BaseCommand

from bruecke.core.crypto import generate_key


class Command(BaseCommand):
    help = "Prints a new random key for FIELD_ENCRYPTION_KEYS (as 'id:key')."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("key_id", help="a short name for the key, e.g. 2026a")

    def handle(self, *args: Any, key_id: str, **options: Any) -> None:
        self.stdout.write(f"{key_id}:{generate_key()}")
