"""Probable duplicates among the new participant rows of a file: the intake warning's model
and threshold (`bruecke.dedupe.intake`), applied to a whole file in chunks.

A new row (its external id is not known yet) is compared with the registrations the
importing user may see (`participants_visible_to`, the intake's scope) and with the earlier
rows of the same file. Candidates are found by the blocking keys, as at intake: per chunk
of rows one query for the external ids, one for the candidates (at most MAX_SCORED
registrations per key, ranked in the database), one for their compared fields and, with a
trained model, one for the term frequencies; the model itself is read once per file.

Warnings are not errors. They are kept with the run (`ImportDuplicate`: row numbers, the
registration's number, weight and evidence as level ids, never names) and shown after the
dry run; the import then needs the user's confirmation that they were checked."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.core.views_helpers import COUNT_LIMIT, CappedPaginator
from bruecke.dedupe.active import ActiveModel, active_model
from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.comparisons import COMPARISON_BY_NAME
from bruecke.dedupe.intake import MAX_SCORED, Evidence, evidence_of
from bruecke.dedupe.models import BlockingKey
from bruecke.dedupe.records import SOURCE_FIELDS, Record, record_from_row, records_from_rows
from bruecke.dedupe.scoring import FieldEvidence, Score, TermFrequencies, probability, score
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participants_visible_to
from bruecke.spreadsheets.base import EXTERNAL_ID, ImportContext, Value
from bruecke.spreadsheets.convert import Plan, convert_row, is_empty
from bruecke.spreadsheets.models import ExternalKey, ImportDuplicate, ImportRun

if TYPE_CHECKING:
    from bruecke.spreadsheets.reading import SourceTable

ENTITY = "participants"
# Rows checked together: one candidate query per chunk.
CHUNK_ROWS = 500
# Warnings per row at most (the strongest), as the intake shows at most five candidates.
PER_ROW = 5
# The checkbox of the import step and the ValidationError code when it is missing.
CONFIRM_FIELD = "duplicates_checked"
UNCHECKED = "duplicates_unchecked"
CONFIRM_LABEL = gettext_lazy("I have checked the possible duplicates")
PER_PAGE = 20
PAGE_PARAM = "duplicates_page"

Row = tuple[int, dict[str, Value]]


@dataclass
class DuplicateWarning:
    """Row `row_number` is probably the same person as row `other_row` of the file or as
    the registration `participant_id` (one the importing user may see)."""

    row_number: int
    weight: float
    evidence: list[FieldEvidence]
    other_row: int | None = None
    participant_id: int | None = None
    # Filled for display (`with_registrations`), only when the user may see it.
    participant: Participant | None = field(default=None, compare=False)

    @property
    def probability(self) -> float:
        return probability(self.weight)

    @property
    def percent(self) -> float:
        """In percent, one decimal, never rounded up to 100 (as at intake)."""
        return min(int(self.probability * 1000) / 10, 99.9)

    @property
    def evidence_words(self) -> list[Evidence]:
        words = []
        for item in self.evidence:
            levels = {level.id: level for level in COMPARISON_BY_NAME[item.comparison].levels}
            is_null = item.level in levels and levels[item.level].is_null
            words.append(evidence_of(item, is_null=is_null))
        return words

    def evidence_text(self) -> str:
        """The evidence in one line, for the operator command."""
        return "; ".join(f"{e.label}: {e.level_label} ({e.direction_label})" for e in self.evidence_words)


# -- the rows of a file ----------------------------------------------------------------------


def file_rows(plan: Plan, table: SourceTable) -> Iterator[Row]:
    """The converted non-empty rows of the file (streamed); rows with a cell that cannot
    be converted are left out (they are errors of the dry run anyway)."""
    index = plan.index(table)
    for number, cells in table.rows():
        if is_empty(cells):
            continue
        values, errors = convert_row(plan, index, cells)
        if not errors:
            yield number, values


def _record(values: dict[str, Value]) -> Record:
    """The comparable form of a row (as of a registration with these values)."""
    birth = values.get("birth_date")
    row: dict[str, Any] = {
        name: values.get(name)
        for name in SOURCE_FIELDS
        if name not in ("pk", "organisation_id", "birth_year", "birth_month", "birth_day")
    }
    row["birth_year"] = getattr(birth, "year", None)
    row["birth_month"] = getattr(birth, "month", None)
    row["birth_day"] = getattr(birth, "day", None)
    return record_from_row(row)


def _variants(record: Record, values: dict[str, Value]) -> list[Record]:
    """The row under its name and under each of its other spellings (as at intake)."""
    spellings = str(values.get("other_spellings") or "").replace(";", "\n").splitlines()
    variants = [record]
    for spelling in (s.strip() for s in spellings):
        if spelling:
            *given, family = spelling.split()
            other = record_from_row({"given_names": " ".join(given), "family_name": family})
            variants.append(
                replace(
                    record,
                    given_key=other.given_key,
                    family_key=other.family_key,
                    given_latin=other.given_latin,
                    family_latin=other.family_latin,
                )
            )
    return variants


# -- the check -------------------------------------------------------------------------------


@dataclass
class _NewRow:
    number: int
    variants: list[Record]
    keys: set[str]


@dataclass
class _FileIndex:
    """The new rows seen so far: their records and, per blocking key, at most MAX_SCORED
    row numbers (the first ones), for the comparison within the file."""

    records: dict[int, Record] = field(default_factory=dict)
    rows_by_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def candidates(self, keys: set[str]) -> list[int]:
        shared = Counter(number for key in keys for number in self.rows_by_key.get(key, ()))
        return [number for number, _n in sorted(shared.items(), key=lambda i: (-i[1], -i[0]))[:MAX_SCORED]]

    def add(self, row: _NewRow) -> None:
        self.records[row.number] = row.variants[0]
        for key in row.keys:
            numbers = self.rows_by_key[key]
            if len(numbers) < MAX_SCORED:
                numbers.append(row.number)


def _context(run_or_ctx: ImportRun | ImportContext) -> ImportContext:
    if isinstance(run_or_ctx, ImportContext):
        return run_or_ctx
    assert run_or_ctx.created_by is not None
    return ImportContext(
        actor=run_or_ctx.created_by, organisation=run_or_ctx.organisation, entity=run_or_ctx.entity
    )


def probable_duplicates(
    run_or_ctx: ImportRun | ImportContext, rows: Iterable[Row], *, chunk_rows: int = CHUNK_ROWS
) -> list[DuplicateWarning]:
    """The warnings for the new participant rows of `rows` ((row number, converted values),
    e.g. `file_rows`), in row order; empty for any other data type."""
    ctx = _context(run_or_ctx)
    if ctx.entity != ENTITY:
        return []
    model = active_model(ctx.organisation.network_id)
    visible = participants_visible_to(ctx.actor)
    index = _FileIndex()
    warnings: list[DuplicateWarning] = []
    iterator = iter(rows)
    while chunk := list(islice(iterator, chunk_rows)):
        warnings.extend(_check_chunk(ctx, model, visible, index, chunk))
    return warnings


def _new_rows(ctx: ImportContext, chunk: Sequence[Row]) -> list[_NewRow]:
    """The rows whose external id is not known yet (one query)."""
    ids = {str(values.get(EXTERNAL_ID) or "") for _number, values in chunk} - {""}
    known = set(
        ExternalKey.objects.filter(
            organisation=ctx.organisation, entity=ENTITY, external_id__in=sorted(ids)
        ).values_list("external_id", flat=True)
    )
    new = []
    for number, values in chunk:
        external_id = str(values.get(EXTERNAL_ID) or "")
        if not external_id or external_id in known:
            continue
        variants = _variants(_record(values), values)
        keys = set().union(*(blocking_keys(v) for v in variants))
        if keys:
            new.append(_NewRow(number, variants, keys))
    return new


def _registrations_by_key(visible: QuerySet[Participant], keys: set[str]) -> dict[str, list[int]]:
    """Per key, the visible registrations that have it: at most MAX_SCORED per key, the
    newest, ranked and cut in the database (one query for the whole chunk)."""
    ranked = (
        BlockingKey.objects.filter(key__in=sorted(keys), participant__in=visible)
        .annotate(rank=Window(RowNumber(), partition_by=[F("key")], order_by=F("participant_id").desc()))
        .filter(rank__lte=MAX_SCORED)
        .values_list("key", "participant_id")
    )
    found: dict[str, list[int]] = defaultdict(list)
    for key, participant_id in ranked:
        found[key].append(participant_id)
    return found


def _check_chunk(
    ctx: ImportContext,
    model: ActiveModel,
    visible: QuerySet[Participant],
    index: _FileIndex,
    chunk: Sequence[Row],
) -> list[DuplicateWarning]:
    new = _new_rows(ctx, chunk)
    if not new:
        return []
    by_key = _registrations_by_key(visible, set().union(*(row.keys for row in new)))
    candidates: dict[int, list[int]] = {}
    for row in new:
        shared = Counter(pk for key in row.keys for pk in by_key.get(key, ()))
        ranked = sorted(shared.items(), key=lambda item: (-item[1], -item[0]))[:MAX_SCORED]
        candidates[row.number] = [pk for pk, _n in ranked]
    wanted = sorted({pk for pks in candidates.values() for pk in pks})
    registrations = {
        r.pk: r for r in records_from_rows(Participant.objects.filter(pk__in=wanted).values(*SOURCE_FIELDS))
    }
    variants = [v for row in new for v in row.variants]
    tf = model.term_frequencies([*variants, *registrations.values()])
    warnings: list[DuplicateWarning] = []
    for row in new:
        found: list[DuplicateWarning] = []
        for pk in candidates[row.number]:
            if (s := _best(model, row.variants, registrations.get(pk), tf)) is not None:
                found.append(DuplicateWarning(row.number, s.weight, s.evidence, participant_id=pk))
        for number in index.candidates(row.keys):
            if (s := _best(model, row.variants, index.records[number], tf)) is not None:
                found.append(DuplicateWarning(row.number, s.weight, s.evidence, other_row=number))
        found.sort(key=lambda w: (-w.weight, w.other_row or 0, w.participant_id or 0))
        warnings.extend(found[:PER_ROW])
        index.add(row)
    return warnings


def _best(
    model: ActiveModel, variants: list[Record], other: Record | None, tf: TermFrequencies
) -> Score | None:
    """The strongest score over the row's spellings at or above the model's threshold,
    leaving out vetoed pairs (as at intake)."""
    if other is None:
        return None
    scores = [s for v in variants if not (s := score(model.parameters, v, other, tf)).vetoed]
    best = max(scores, key=lambda s: s.weight, default=None)
    return best if best is not None and best.weight >= model.threshold_weight else None


# -- kept with the run, shown, confirmed -----------------------------------------------------


def record(run: ImportRun, warnings: Iterable[DuplicateWarning], *, batch: int = 1000) -> None:
    """Replaces the run's warnings (of its previous dry run) with `warnings`."""
    ImportDuplicate.objects.filter(run=run).delete()
    objects = (
        ImportDuplicate(
            run=run,
            row_number=w.row_number,
            other_row_number=w.other_row,
            participant_number=w.participant_id,
            weight=w.weight,
            evidence=[e.to_json() for e in w.evidence],
        )
        for w in warnings
    )
    while chunk := list(islice(objects, batch)):
        ImportDuplicate.objects.bulk_create(chunk)


def stored(run: ImportRun, user: Any) -> QuerySet[ImportDuplicate]:
    """The run's warnings `user` may read: within the file, or about a registration the
    user may (still) see; others are left out, not counted."""
    visible = participants_visible_to(user).values("pk")
    return ImportDuplicate.objects.filter(run=run).filter(
        Q(participant_number__isnull=True) | Q(participant_number__in=visible)
    )


def as_warnings(user: Any, rows: Iterable[ImportDuplicate]) -> list[DuplicateWarning]:
    """Stored warnings as DuplicateWarning, with the registrations the user may see
    (one query)."""
    items = list(rows)
    ids = [row.participant_number for row in items if row.participant_number is not None]
    shown = participants_visible_to(user).select_related("team", "organisation").in_bulk(ids) if ids else {}
    warnings = []
    for row in items:
        participant = shown.get(row.participant_number) if row.participant_number is not None else None
        if row.participant_number is not None and participant is None:
            continue
        evidence = [FieldEvidence(e["comparison"], e["level"], float(e["weight"])) for e in row.evidence]
        warnings.append(
            DuplicateWarning(
                row.row_number,
                row.weight,
                evidence,
                other_row=row.other_row_number,
                participant_id=row.participant_number,
                participant=participant,
            )
        )
    return warnings


def with_registrations(user: Any, warnings: list[DuplicateWarning]) -> list[DuplicateWarning]:
    """The warnings with the registrations filled in that `user` may see (one query);
    warnings about any other registration are left out."""
    ids = [w.participant_id for w in warnings if w.participant_id is not None]
    shown = participants_visible_to(user).in_bulk(ids) if ids else {}
    out = []
    for warning in warnings:
        if warning.participant_id is None:
            out.append(warning)
        elif warning.participant_id in shown:
            out.append(replace(warning, participant=shown[warning.participant_id]))
    return out


def page_context(request: HttpRequest, user: Any, run: ImportRun, *, error: str = "") -> dict[str, Any]:
    """For the run page: one page of the warnings the user may read (`duplicates_page`
    parameter, so that the rows keep their own pages) and the confirmation checkbox."""
    if run.entity != ENTITY:
        return {}
    paginator = CappedPaginator(stored(run, user), PER_PAGE, COUNT_LIMIT)
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    return {
        "duplicate_warnings": as_warnings(user, page),
        "duplicates_page": page,
        "duplicates_page_param": PAGE_PARAM,
        "duplicates_confirm": has_warnings(run),
        "duplicates_field": CONFIRM_FIELD,
        "duplicates_label": CONFIRM_LABEL,
        "duplicates_error": error,
    }


def has_warnings(run: ImportRun) -> bool:
    return ImportDuplicate.objects.filter(run=run).exists()


def require_checked(run: ImportRun, checked: bool) -> None:
    """Refuses to start the import of a run with warnings unless the user confirmed
    that they checked them; the message belongs next to the checkbox."""
    if not checked and has_warnings(run):
        message = _("Please confirm that you have checked the possible duplicates.")
        raise ValidationError({CONFIRM_FIELD: message}, code=UNCHECKED)


def is_unchecked(error: ValidationError) -> bool:
    """Whether `error` is the missing confirmation of `require_checked`."""
    return hasattr(error, "error_dict") and CONFIRM_FIELD in error.error_dict
