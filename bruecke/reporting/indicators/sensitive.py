"""The answers kept encrypted (disability, minority: special-category data, decision 0023)
cannot be counted in SQL. They are decrypted in one streamed pass over the entry records
of the period's complete participations: one query whatever the number of participants,
O(n) decryptions in Python (measured in decision 0049). Nothing derived from them is ever
stored, so the database keeps no plaintext trace of a special-category answer.

Speed (a million participants): `combinations` reads the rows with a raw server-side
cursor in big batches, fetched by a second thread while the previous batch is decrypted
with `crypto.decryptor` (the keyring looked up once, no model-field machinery), and counts
them by kind instead of building a row per participant. `rows` gives the same answers row
by row for the lists behind a number. An empty value is stored empty (not encrypted), so
it needs no decryption.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from queue import Empty, Queue
from threading import Event, Thread
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Concat

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


def _decryptor(field: str) -> Callable[[str], str]:
    return crypto.decryptor(context=EntryRecord._meta.get_field(field).context())  # type: ignore[union-attr]


def _decrypt(field: str) -> Callable[[str | None], str]:
    decrypt = _decryptor(field)

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


# Refusals of the answers kept in plain text (the encrypted ones are tested after decryption).
PLAIN_SENSITIVE = tuple(name for name in SENSITIVE_FIELDS if name not in ("disability", "minority"))


def fetched_beside(alias: str, sql: str, params: Any) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `sql` in batches, fetched by a second thread on this connection while
    the caller decrypts the previous batch: the database produces rows while Python
    decrypts, instead of each waiting for the other (measured in decision 0049)."""
    connection = connections[alias]
    batches: Queue[list[tuple[Any, ...]] | BaseException | None] = Queue(maxsize=4)
    stop = Event()

    def fetch() -> None:
        try:
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, params)
                while not stop.is_set() and (batch := cursor.fetchmany(BATCH)):
                    batches.put(batch)
        except BaseException as error:  # handed to the caller, raised there
            batches.put(error)
            return
        batches.put(None)

    # The caller does not use the connection until the fetch has ended (joined below).
    connection.inc_thread_sharing()
    fetcher = Thread(target=fetch, name="report-fetch", daemon=True)
    fetcher.start()
    try:
        while (item := batches.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while fetcher.is_alive():  # unblock a fetcher waiting on a full queue
            with suppress(Empty):
                batches.get(timeout=0.05)
        fetcher.join()
        connection.dec_thread_sharing()


class Combination(NamedTuple):
    """One kind of answer row (no participant id, no date: every answer the indicators
    read) and how many participations gave it: a report has a few dozen kinds."""

    row: SensitiveRow
    refused_without_date: bool
    number: int


def _digit(condition: Q) -> Case:
    return Case(When(condition, then=Value("1")), default=Value("0"), output_field=CharField())


def _kind(no_date: Q, plain_refused: Q) -> Concat:
    """Everything but the two ciphertexts as one short text per row (a few dozen distinct
    values): one column to fetch and hash instead of six."""
    third = Case(
        When(esf_entry__third_country_national_at_entry=True, then=Value("1")),
        When(esf_entry__third_country_national_at_entry=False, then=Value("0")),
        default=Value(""),
        output_field=CharField(),
    )
    parts: list[Any] = [
        F("gender"),
        F("esf_entry__foreign_background"),
        F("esf_entry__homeless_or_housing_exclusion"),
        third,
        _digit(no_date),
        _digit(no_date & plain_refused),
    ]
    separated: list[Any] = []
    for part in parts:
        separated += [part, Value(KIND_SEPARATOR)]
    return Concat(*separated[:-1], output_field=CharField())


KIND_SEPARATOR = "|"
THIRD_COUNTRY = {"1": True, "0": False, "": None}


def combinations(participants: QuerySet[Participant]) -> list[Combination]:
    """The decrypted answers of `participants`, counted by kind: one query, one decryption
    per ciphertext and no object per participant (`rows` gives the same row by row, for
    the lists behind a number)."""
    # Read from the participants' side: their filter already joins the entry record, so
    # the answers come with it (from the entry records' side, both tables were read twice).
    no_date = Q(esf_entry__sensitive_asked_on__isnull=True)
    plain_refused = Q()
    for name in PLAIN_SENSITIVE:
        plain_refused |= Q(**{f"esf_entry__{name}": Answer.REFUSED})
    records = (
        participants.order_by()
        .annotate(report_kind=_kind(no_date, plain_refused))
        .values_list("report_kind", "esf_entry__disability", "esf_entry__minority")
    )
    sql, params = records.query.sql_with_params()
    disability, minority = _decryptor("disability"), _decryptor("minority")
    counts: Counter[tuple[Any, ...]] = Counter()
    for batch in fetched_beside(records.db, sql, params):
        # Inline: a million rows, two values each (an empty answer is stored empty).
        counts.update((kind, disability(d) if d else "", minority(m) if m else "") for kind, d, m in batch)
    return [_combination(kind, dis, mino, number) for (kind, dis, mino), number in counts.items()]


def _combination(kind: str, disability: str, minority: str, number: int) -> Combination:
    gender, foreign, homeless, third, no_date, plain_refused = kind.split(KIND_SEPARATOR)
    return Combination(
        SensitiveRow(0, gender, disability, minority, foreign, homeless, THIRD_COUNTRY[third], None),
        no_date == "1" and (plain_refused == "1" or Answer.REFUSED in (disability, minority)),
        number,
    )
