"""Model fields that keep their values encrypted in the database."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Combinable, Expression

from bruecke.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as AES-GCM ciphertext; plaintext only in Python.

    Cannot be filtered or sorted by value in SQL; that is the point. Empty values stay
    empty so "not recorded" remains visible without a key.
    """

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(str(value), context=self.context())

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value, context=self.context())

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"Encrypted field {self.name} cannot be searched by value.")
        return super().get_lookup(lookup_name)


class EncryptedIntegerField(EncryptedTextField):
    """A small integer (a severity, a code) kept as ciphertext; an int in Python.

    The column is text: the database holds only the encrypted decimal digits.
    """

    # For django-stubs: the Python types of this field are int, not str.
    _pyi_private_set_type: int | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: int  # type: ignore[assignment]

    def to_python(self, value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid", params={"value": value}
            ) from None

    def get_prep_value(self, value: Any) -> Any:
        if value in (None, ""):
            return value
        return super().get_prep_value(str(int(value)))

    def from_db_value(  # type: ignore[override]
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> int | None:
        text = super().from_db_value(value, expression, connection)
        return int(text) if text else None


def encrypt_plain_values(
    connection: BaseDatabaseWrapper,
    *,
    table: str,
    label: str,
    columns: list[str],
    reverse: bool = False,
) -> None:
    """Data migration: encrypts the clear values already in `columns` of `table` (or, with
    `reverse`, decrypts them again). Raw SQL, because the field classes of a migration's
    historical model already expect ciphertext. `label` is the model's `app.model`, the
    associated data the field uses."""
    quote = connection.ops.quote_name
    pk = quote("id")
    with connection.cursor() as cursor:
        for column in columns:
            context = f"{label}.{column}"
            # Identifiers come from the migration's own constants; values are parameters.
            cursor.execute(f"SELECT {pk}, {quote(column)} FROM {quote(table)}")  # noqa: S608
            rows = cursor.fetchall()
            for row_pk, value in rows:
                if value in (None, ""):
                    continue
                text = str(value)
                is_token = crypto.is_token(text)
                if reverse and is_token:
                    new = crypto.decrypt(text, context=context)
                elif not reverse and not is_token:
                    new = crypto.encrypt(text, context=context)
                else:
                    continue
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {pk} = %s",  # noqa: S608
                    [new, row_pk],
                )


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
