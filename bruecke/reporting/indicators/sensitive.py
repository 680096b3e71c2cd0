"""The answers kept encrypted (disability, minority: special-category data, decision 0023)
cannot be counted in SQL. They are decrypted in one streamed pass over the entry records
of the period's complete participations: one query whatever the number of participants,
O(n) decryptions in Python (measured in decision 0049). Nothing derived from them is ever
stored, so the database keeps no plaintext trace of a special-category answer.

Speed (a million participants): the rows are read with a raw server-side cursor in big
batches and the two ciphertext columns decrypted with `crypto.decryptor` (the keyring
looked up once), skipping the model-field machinery; about 1.5 µs per value remain, the
cost of one AES-GCM call. An empty value is stored empty (not encrypted), so it needs no
decryption.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from django.db import connections
from django.db.models import QuerySet

from bruecke.core import crypto
from bruecke.esf.models import SENSITIVE_FIELDS, Answer, EntryRecord
from bruecke.participants.models import Participant

ROW_FIELDS = (
    "participant_id",
    "participant__gender",
    "disability",
    "minority",
    "foreign_background",
    "homeless_or_housing_exclusion",
    "third_country_national_at_entry",
    "sensitive_asked_on",
)


BATCH = 10_000


class SensitiveRow(NamedTuple):
    # A tuple, not a dataclass: a million of them are built per report.
    participant_id: int
    gender: str
    disability: str
    minority: str
    foreign_background: str
    homeless_or_housing_exclusion: str
    third_country_national: bool | None
    asked_on: object

    @property
    def refused_without_date(self) -> bool:
        """§11.10: a refusal needs the date the question was asked as evidence."""
        # The date first: it is almost always there, and this runs a million times.
        return self.asked_on is None and any(
            getattr(self, name) == Answer.REFUSED for name in SENSITIVE_FIELDS
        )


def answer_of(field: str) -> Callable[[SensitiveRow], str]:
    def answer(row: SensitiveRow) -> str:
        return str(getattr(row, field) or "")

    return answer


def _decrypt(field: str) -> Callable[[str | None], str]:
    decrypt = crypto.decryptor(context=EntryRecord._meta.get_field(field).context())  # type: ignore[union-attr]

    def value(token: str | None) -> str:
        return decrypt(token) if token else ""

    return value


def rows(participants: QuerySet[Participant]) -> Iterator[SensitiveRow]:
    """The entry records of `participants`, decrypted, streamed in batches (one query)."""
    records = EntryRecord.objects.filter(participant__in=participants.values("pk")).values_list(*ROW_FIELDS)
    sql, params = records.query.sql_with_params()
    disability, minority = _decrypt("disability"), _decrypt("minority")
    # A server-side cursor on PostgreSQL (chunked_cursor): the rows never sit in memory at once.
    with connections[records.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(BATCH):
            for pid, gender, dis, mino, foreign, homeless, third, asked in batch:
                yield SensitiveRow(
                    pid, gender, disability(dis), minority(mino), foreign, homeless, third, asked
                )
