"""The intake warning: registrations in the user's scope that are probably the same person.

A new registration is looked up by its blocking keys (`bruecke.dedupe.blocking`); the
registrations sharing the most keys are scored with the network's model
(`bruecke.dedupe.active`) and those at or above the model's threshold are returned, best
first. The number of queries is the same whatever the data size: one for the candidates
(ranked and bounded in the database), one for their compared fields, two for the model
and its term frequencies, one for the few registrations that are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bruecke.dedupe.active import active_model
from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.comparisons import COMPARISON_BY_NAME
from bruecke.dedupe.models import BlockingKey
from bruecke.dedupe.records import SOURCE_FIELDS, Record, record_from_row, record_of, records_from_rows
from bruecke.dedupe.scoring import FieldEvidence, Parameters, Score, TermFrequencies, score
from bruecke.network.models import Organisation
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participants_visible_to

# Registrations scored per intake at most. A true duplicate shares many keys (the name
# parts, each with the birth year, the full date) and is ranked first; a key of a common
# name alone ("mohemed hasen") can be shared by thousands, who are not worth scoring.
MAX_SCORED = 200


@dataclass(frozen=True)
class Evidence:
    """One field of a candidate's evidence, in words."""

    comparison: str  # e.g. "birth_date"
    label: str  # the field, e.g. "date of birth"
    level_label: str  # how the two records compare, e.g. "same year, day and month unknown"
    direction: str  # "for", "against", "missing" or "neutral"

    @property
    def direction_label(self) -> Promise:
        return DIRECTION_LABELS[self.direction]


DIRECTION_LABELS: dict[str, Promise] = {
    "for": _("speaks for the same person"),
    "against": _("speaks against the same person"),
    "missing": _("no evidence: missing in one record"),
    "neutral": _("no evidence"),
}


def evidence_of(field: FieldEvidence, *, is_null: bool) -> Evidence:
    if is_null:
        direction = "missing"
    elif field.weight > 0:
        direction = "for"
    elif field.weight < 0:
        direction = "against"
    else:
        direction = "neutral"
    return Evidence(field.comparison, field.label, field.level_label, direction)


@dataclass(frozen=True)
class Candidate:
    participant: Participant
    score: Score

    @property
    def percent(self) -> float:
        """The match probability in percent, one decimal, never rounded up to 100."""
        return min(int(self.score.probability * 1000) / 10, 99.9)

    @property
    def evidence(self) -> list[Evidence]:
        rows = []
        for field in self.score.evidence:
            levels = {level.id: level for level in COMPARISON_BY_NAME[field.comparison].levels}
            rows.append(evidence_of(field, is_null=levels[field.level].is_null))
        return rows


def candidates(
    user: Any,
    subject: Participant | Record,
    *,
    spellings: Sequence[str] = (),
    limit: int = 5,
    network_id: int | None = None,
) -> list[Candidate]:
    """Registrations the user may see that are probably the same person as `subject`
    (a registration, saved or not, or its comparable form), best first.

    `spellings` are further spellings of the whole name ("Muhammad Alhasan"): looked up
    too, and a candidate's score is the best of the spellings'. The network's model
    decides; `network_id` defaults to that of the subject's organisation."""
    record = subject if isinstance(subject, Record) else record_of(subject)
    variants = [record, *(_spelled(record, spelling) for spelling in spellings)]
    keys = sorted(set().union(*(blocking_keys(variant) for variant in variants)))
    if not keys:
        return []
    ids = _ranked_ids(user, keys, exclude=record.pk)
    if not ids:
        return []
    rows = list(Participant.objects.filter(pk__in=ids).values(*SOURCE_FIELDS))
    others = records_from_rows(rows)
    model = active_model(network_id if network_id is not None else _network_of(subject, record))
    tf = model.term_frequencies([*variants, *others])
    scored = [(_best(model.parameters, variants, other, tf), other.pk) for other in others]
    kept = sorted(
        ((s, pk) for s, pk in scored if s is not None and s.weight >= model.threshold_weight),
        key=lambda item: (-item[0].weight, item[1] or 0),
    )[:limit]
    if not kept:
        return []
    shown = Participant.objects.select_related("team", "organisation").in_bulk([pk for _s, pk in kept])
    return [Candidate(shown[pk], s) for s, pk in kept if pk in shown]


def _best(params: Parameters, variants: list[Record], other: Record, tf: TermFrequencies) -> Score | None:
    """The strongest score over the spellings, leaving out vetoed ones (`scoring.vetoed`)."""
    scores = [s for v in variants if not (s := score(params, v, other, tf)).vetoed]
    return max(scores, key=lambda s: s.weight, default=None)


def _spelled(record: Record, spelling: str) -> Record:
    """The record under another spelling of the whole name: the last word taken as the
    family name (a reversed order still meets through the "swapped" level)."""
    *given, family = spelling.split() or [""]
    other = record_from_row({"given_names": " ".join(given), "family_name": family})
    return replace(
        record,
        given_key=other.given_key,
        family_key=other.family_key,
        given_latin=other.given_latin,
        family_latin=other.family_latin,
    )


def _ranked_ids(user: Any, keys: list[str], *, exclude: int | None) -> list[int]:
    """The visible registrations sharing the most keys with the subject (newest first
    among equals), at most MAX_SCORED: ranked and cut in the database."""
    rows = BlockingKey.objects.filter(key__in=keys, participant__in=participants_visible_to(user))
    if exclude is not None:
        rows = rows.exclude(participant_id=exclude)
    ranked = rows.values("participant_id").annotate(shared=Count("id")).order_by("-shared", "-participant_id")
    return [row["participant_id"] for row in ranked[:MAX_SCORED]]


def _network_of(subject: Participant | Record, record: Record) -> int | None:
    if isinstance(subject, Participant) and subject.organisation_id is not None:
        return subject.organisation.network_id
    if record.organisation_id is None:
        return None
    return Organisation.objects.filter(pk=record.organisation_id).values_list("network_id", flat=True).first()
