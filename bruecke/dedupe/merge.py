"""Merging two registrations of one person, and undoing it (decision 0062).

Every row of every model that points to the merged registration moves to the kept one.
The relations are found from the model registry, so a model added later is moved too;
only derived rows (search keys, blocking keys, duplicate detection's own tables) are left
out and rebuilt. What moved is recorded in `Merge.moved` so that an undo moves back
exactly those rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create, model_delete
from bruecke.dedupe.models import BlockingKey, DuplicatePair, Merge, PairStatus
from bruecke.dedupe.services import registration_changed
from bruecke.participants import names
from bruecke.participants.models import NameVariant, Participant

# Rebuilt from the registration itself, never moved.
DERIVED_MODELS = frozenset({"participants.namekey"})
# The prefix of `Merge.moved` keys listing rows the merge created (the other spellings).
ADDED_PREFIX = "added:"
ADDED_VARIANTS = f"{ADDED_PREFIX}participants.namevariant"


@dataclass(frozen=True)
class Relation:
    """A foreign key to Participant on another model: `model.field`."""

    model: type[models.Model]
    field: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"

    def rows(self, participant: Participant) -> models.QuerySet[models.Model]:
        # The base manager: a model's default manager may hide rows (e.g. closed ones).
        return self.model._base_manager.filter(**{self.field: participant})


def relations() -> Iterator[Relation]:
    """Every foreign key and one-to-one field pointing to Participant, except derived
    rows and duplicate detection's own tables (pairs, merges, encodings)."""
    for rel in Participant._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        model = rel.related_model
        if not isinstance(model, type) or not issubclass(model, models.Model):
            continue
        if model._meta.app_label == "dedupe" or model._meta.label_lower in DERIVED_MODELS:
            continue
        yield Relation(model, rel.field.name)  # type: ignore[union-attr]


def undo_days() -> int:
    return int(settings.BRUECKE_MERGE_UNDO_DAYS)


# --- Refusals -----------------------------------------------------------------------


def _refuse_basic(kept: Participant, merged: Participant) -> None:
    if kept.pk == merged.pk:
        raise ValidationError(_("A registration cannot be merged with itself."))
    if kept.organisation_id != merged.organisation_id:
        raise ValidationError(
            _(
                "Only registrations of the same organisation can be merged. For a person "
                "registered at another partner, use the consent to share or a transfer."
            )
        )
    if kept.merged_into_id is not None or merged.merged_into_id is not None:
        raise ValidationError(_("One of the two registrations has already been merged into another one."))


def _refuse_two_open_cases(kept: Participant, merged: Participant) -> None:
    from bruecke.cases.models import Case, CaseStatus

    open_cases = Case.objects.filter(participant__in=[kept, merged]).exclude(status=CaseStatus.CLOSED)
    by_organisation: dict[int, set[int]] = {}
    for participant_id, organisation_id in open_cases.values_list("participant_id", "organisation_id"):
        by_organisation.setdefault(organisation_id, set()).add(participant_id)
    if any(len(holders) > 1 for holders in by_organisation.values()):
        raise ValidationError(
            _(
                "Both registrations have an open case here, and a person has only one open "
                "case per organisation. Close the case that was opened by mistake (after "
                "recording its contacts in the other case), then merge."
            )
        )


def _refuse_two_esf_entries(kept: Participant, merged: Participant) -> None:
    from bruecke.esf.models import EntryRecord

    if EntryRecord.objects.filter(participant__in=[kept, merged]).count() > 1:
        raise ValidationError(
            _(
                "Both registrations have an ESF entry questionnaire, so the person would be "
                "counted as two participants. The ESF rules count one participation per "
                "person and project, with the answers of the earliest entry. Complete the "
                "questionnaire of the earlier entry if needed, delete the other one, then merge."
            )
        )


def _unique_field_sets(model: type[models.Model], field: str) -> Iterator[tuple[list[str], Q | None]]:
    """The unique constraints of `model` that include `field`: the other fields, and the
    constraint's condition (None: always)."""
    meta = model._meta
    if meta.get_field(field).unique:  # type: ignore[union-attr]
        yield [], None
    for together in meta.unique_together:
        if field in together:
            yield [f for f in together if f != field], None
    for constraint in meta.constraints:
        fields = list(getattr(constraint, "fields", ()) or ())
        if isinstance(constraint, models.UniqueConstraint) and field in fields:
            yield [f for f in fields if f != field], constraint.condition


def _refuse_unique_conflicts(kept: Participant, merged: Participant) -> None:
    """A record that may exist once per person (e.g. one enrolment per group offer), held
    by both registrations, cannot be moved without breaking its rule."""
    for relation in relations():
        for others, condition in _unique_field_sets(relation.model, relation.field):
            kept_rows, merged_rows = relation.rows(kept), relation.rows(merged)
            if condition is not None:
                kept_rows, merged_rows = kept_rows.filter(condition), merged_rows.filter(condition)
            if _tuples(relation.model, kept_rows, others) & _tuples(relation.model, merged_rows, others):
                raise ValidationError(
                    _(
                        "Both registrations have a record that may exist only once per person "
                        "(%(record)s). Remove the one recorded by mistake, then merge."
                    )
                    % {"record": relation.model._meta.verbose_name}
                )


def _tuples(
    model: type[models.Model], rows: models.QuerySet[models.Model], others: list[str]
) -> set[tuple[object, ...]]:
    """The values of a constraint's other fields in `rows` ({()} for a field unique alone)."""
    if not others:
        return {()} if rows.exists() else set()
    columns = [f"{name}_id" if model._meta.get_field(name).is_relation else name for name in others]
    return set(rows.values_list(*columns))


def merge_refusal(kept: Participant, merged: Participant) -> ValidationError | None:
    """Why these two registrations cannot be merged, or None."""
    try:
        _refuse_basic(kept, merged)
        _refuse_two_open_cases(kept, merged)
        _refuse_two_esf_entries(kept, merged)
        _refuse_unique_conflicts(kept, merged)
    except ValidationError as error:
        return error
    return None


# --- Merge --------------------------------------------------------------------------


def _lock(*participants: Participant) -> dict[int, Participant]:
    """Both rows locked in id order (no deadlock between two merges of the same pair)."""
    ids = sorted({p.pk for p in participants})
    return {p.pk: p for p in Participant.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _add_spellings(actor: User, kept: Participant, merged: Participant) -> list[int]:
    """The merged registration's names become other spellings of the kept one."""
    seen = {names.normalise(n).casefold() for n in (kept.full_name, kept.own_script_name) if n}
    seen |= {names.normalise(n).casefold() for n in kept.name_variants.values_list("name", flat=True)}
    added = []
    for raw in (merged.full_name, merged.own_script_name):
        spelling = names.normalise(raw)
        if spelling and spelling.casefold() not in seen:
            seen.add(spelling.casefold())
            variant = model_create(actor=actor, instance=NameVariant(participant=kept, name=spelling))
            added.append(variant.pk)
    return added


def _refresh_derived(participant: Participant) -> None:
    """Everything kept on or derived from a registration's own rows (search keys, current
    residence document, eligibility, match profiles, blocking keys)."""
    from bruecke.participants.services import rebuild_name_keys, refresh_current_status, refresh_eligibility
    from bruecke.placement.services.match_profiles import refresh_for_participant

    fresh = Participant.objects.get(pk=participant.pk)
    rebuild_name_keys(fresh)
    refresh_current_status(fresh)
    refresh_eligibility(fresh)
    refresh_for_participant(fresh.pk)
    if fresh.merged_into_id is None:
        registration_changed(fresh)
    else:  # a merged registration is no candidate for anyone
        BlockingKey.objects.filter(participant=fresh).delete()


def _pair_of(kept: Participant, merged: Participant) -> DuplicatePair | None:
    first, second = sorted((kept.pk, merged.pk))
    return DuplicatePair.objects.filter(first_id=first, second_id=second).first()


@transaction.atomic
def participants_merge(
    *, actor: User, kept: Participant, merged: Participant, pair: DuplicatePair | None = None
) -> Merge:
    """Joins `merged` into `kept`; refused with a reason (ValidationError) when the two
    cannot be one person's record. Undoable until `Merge.undo_until`."""
    locked = _lock(kept, merged)
    kept, merged = locked.get(kept.pk, kept), locked.get(merged.pk, merged)
    refusal = merge_refusal(kept, merged)
    if refusal is not None:
        raise refusal
    moved: dict[str, list[int]] = {}
    for relation in relations():
        pks = list(relation.rows(merged).order_by("pk").values_list("pk", flat=True))
        if pks:
            relation.model._base_manager.filter(pk__in=pks).update(**{relation.field: kept})
            moved[relation.key] = pks
    added = _add_spellings(actor, kept, merged)
    if added:
        moved[ADDED_VARIANTS] = added
    Participant.objects.filter(pk=merged.pk).update(merged_into=kept)
    pair = pair or _pair_of(kept, merged)
    if pair is not None:
        DuplicatePair.objects.filter(pk=pair.pk).update(
            status=PairStatus.MERGED, decided_by=actor, decided_at=timezone.now()
        )
    # Saved without full_clean: `moved` may rightly be empty (nothing to move).
    merge = Merge.objects.create(
        organisation_id=kept.organisation_id,
        kept=kept,
        merged=merged,
        pair=pair,
        moved=moved,
        merged_by=actor,
        undo_until=timezone.localdate() + datetime.timedelta(days=undo_days()),
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=merge, changed_fields=["kept", "merged", "moved"]
    )
    # What moved is in the Merge row (its create event above); the participants' events
    # name only their own changed field, so the history shows them in words.
    audit_record(actor=actor, action=AuditAction.MERGE, obj=kept)
    audit_record(actor=actor, action=AuditAction.MERGE, obj=merged, changed_fields=["merged_into"])
    _refresh_derived(kept)
    _refresh_derived(merged)
    return merge


# --- Undo ---------------------------------------------------------------------------


def undo_refusal(merge: Merge, today: datetime.date | None = None) -> str | None:
    """Why `merge` cannot be undone (a translated sentence), or None."""
    today = today or timezone.localdate()
    if merge.undone_at is not None:
        return _("This merge has already been undone.")
    if today > merge.undo_until:
        return _("The merge can no longer be undone: the deadline was %(date)s.") % {
            "date": merge.undo_until.strftime("%d.%m.%Y")
        }
    if merge.kept.merged_into_id is not None:
        return _("The kept registration has since been merged into another one. Undo that merge first.")
    return None


def _move_back(merge: Merge, kept: Participant, merged: Participant) -> None:
    """Moves back exactly the moved rows that still point to the kept registration."""
    for key, pks in merge.moved.items():
        if key.startswith(ADDED_PREFIX):
            continue
        label, field = key.rsplit(".", 1)
        model = apps.get_model(label)
        model._base_manager.filter(pk__in=pks, **{field: kept}).update(**{field: merged})


@transaction.atomic
def merge_undo(*, actor: User, merge: Merge) -> Merge:
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    locked = _lock(merge.kept, merge.merged)
    kept, merged = locked[merge.kept_id], locked[merge.merged_id]
    refusal = undo_refusal(merge)
    if refusal is not None:
        raise ValidationError(refusal)
    _move_back(merge, kept, merged)
    for variant in NameVariant.objects.filter(pk__in=merge.moved.get(ADDED_VARIANTS, []), participant=kept):
        model_delete(actor=actor, instance=variant)
    Participant.objects.filter(pk=merged.pk).update(merged_into=None)
    if merge.pair_id is not None:
        DuplicatePair.objects.filter(pk=merge.pair_id, status=PairStatus.MERGED).update(
            status=PairStatus.OPEN, decided_by=None, decided_at=None
        )
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=merge, changed_fields=["undone_at", "undone_by"])
    audit_record(actor=actor, action=AuditAction.MERGE_UNDONE, obj=kept)
    audit_record(actor=actor, action=AuditAction.MERGE_UNDONE, obj=merged, changed_fields=["merged_into"])
    _refresh_derived(kept)
    _refresh_derived(merged)
    return merge
