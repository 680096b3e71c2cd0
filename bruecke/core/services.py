"""Generic write helpers used by the app services: validate, save, audit, one transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from bruecke.core.audit import audit_event, audit_record
from bruecke.core.locking import VersionedModel, check_version
from bruecke.core.models import AuditAction

if TYPE_CHECKING:
    from bruecke.accounts.models import User

M = TypeVar("M", bound=models.Model)


def _field_names(instance: models.Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if not f.primary_key]


def _loaded(instance: models.Model, name: str) -> bool:
    """Whether the object of the foreign key `name` is loaded on the instance (and is the
    one its id names)."""
    field = instance._meta.get_field(name)
    if not (isinstance(field, models.ForeignKey) and field.is_cached(instance)):
        return False
    related = field.get_cached_value(instance)
    return related is not None and related.pk is not None and related.pk == getattr(instance, field.attname)


def full_clean_known(instance: models.Model, known_relations: Collection[str] = ()) -> None:
    """`instance.full_clean()`, except that the foreign keys named in `known_relations`
    whose object is loaded on the instance are not looked up again (one EXISTS query
    each): the caller read those objects in this transaction (an import resolves a
    chunk's projects and teams once), and the database's foreign key still refuses a
    missing one. Every other check is the same: null, blank, validators, `clean()`, unique
    fields and constraints. Opt-in, not the default: a caller holding an object from an
    earlier request would get a database error instead of a message next to the field."""
    skip = {name for name in known_relations if _loaded(instance, name)}
    if not skip:
        instance.full_clean()
        return
    errors: dict[str, Any] = {}
    try:
        instance.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for name in sorted(skip):
        field = instance._meta.get_field(name)
        assert isinstance(field, models.ForeignKey)
        raw = getattr(instance, field.attname)
        try:
            models.Field.validate(field, raw, instance)  # what ForeignKey.validate checks before its query
            field.run_validators(raw)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.error_list)
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    for check in (instance.validate_unique, instance.validate_constraints):
        try:
            check(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _written(instance: models.Model) -> list[str]:
    return [n for n in _field_names(instance) if getattr(instance, n) not in (None, "")]


@transaction.atomic
def model_create(*, actor: User | None, instance: M, known_relations: Collection[str] = ()) -> M:
    """Validates (including unique constraints), saves and audits a new record.
    `known_relations`: see `full_clean_known`."""
    full_clean_known(instance, known_relations)
    instance.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=instance, changed_fields=_written(instance))
    return instance


@transaction.atomic
def model_create_many(
    *, actor: User | None, instances: Sequence[M], known_relations: Collection[str] = ()
) -> list[M]:
    """`model_create` for many new records of one model at once (an import's chunk): each
    validated as there (a ValidationError names no record: the caller checks them one by
    one to find it), then one INSERT for the records and one for their audit events, one
    CREATE event per record as `model_create` writes it. Only for models without their
    own `save()` or save signals (bulk_create calls neither)."""
    if not instances:
        return []
    for instance in instances:
        full_clean_known(instance, known_relations)
    model = type(instances[0])
    created = model._default_manager.bulk_create(instances)
    events = [
        audit_event(actor=actor, action=AuditAction.CREATE, obj=instance, changed_fields=_written(instance))
        for instance in created
    ]
    type(events[0])._default_manager.bulk_create(events)
    return created


@transaction.atomic
def model_update(
    *, actor: User | None, instance: M, data: Mapping[str, Any], expected_version: int | None = None
) -> tuple[M, list[str]]:
    """Applies `data` to a fresh, locked copy of `instance`; audits the changed field names.

    The row is re-read under a lock, so changes are compared with what is stored now,
    not with what the caller's (possibly modified) object holds. For a `VersionedModel`,
    `expected_version` is the version the user loaded: an outdated one raises EditConflict
    and nothing is saved; a save increments the version.
    """
    # _meta.model, not type(): request.user is a lazy proxy.
    current = cast(M, instance._meta.model._default_manager.select_for_update().get(pk=instance.pk))
    if isinstance(current, VersionedModel):
        check_version(current, expected_version)
    changed = []
    for name, value in data.items():
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if not changed:
        return current, []
    current.full_clean()
    stamp = _auto_now_fields(current)
    if isinstance(current, VersionedModel):
        current.version += 1
        stamp.append("version")
    current.save(update_fields=[*changed, *stamp])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, changed_fields=changed)
    return current, changed


def _auto_now_fields(instance: models.Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]


@transaction.atomic
def model_delete(*, actor: User | None, instance: models.Model) -> None:
    audit_record(actor=actor, action=AuditAction.DELETE, obj=instance)
    instance.delete()
