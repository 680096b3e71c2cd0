"""The answers kept encrypted (disability, minority: special-category data, decision 0023)
cannot be counted in SQL. They are decrypted in one streamed pass over the entry records
of the period's complete participations: one query whatever the number of participants,
O(n) decryptions in Python (measured in decision 0049). Nothing derived from them is ever
stored, so the database keeps no plaintext trace of a special-category answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

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


@dataclass(frozen=True)
class SensitiveRow:
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
        refused = any(getattr(self, name) == Answer.REFUSED for name in SENSITIVE_FIELDS)
        return refused and self.asked_on is None


def answer_of(field: str) -> Callable[[SensitiveRow], str]:
    def answer(row: SensitiveRow) -> str:
        return str(getattr(row, field) or "")

    return answer


def rows(participants: QuerySet[Participant]) -> Iterator[SensitiveRow]:
    """The entry records of `participants`, decrypted, streamed in chunks (one query)."""
    records = EntryRecord.objects.filter(participant__in=participants.values("pk")).values_list(*ROW_FIELDS)
    for values in records.iterator(chunk_size=2000):
        yield SensitiveRow(*values)
