"""Generic write helpers used by the app services: validate, save, audit, one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import models, transaction

from bruecke.core.audit import audit_record
from bruecke.core.locking import VersionedModel, check_version
from bruecke.core.models import AuditAction

if TYPE_CHECKING:
    from bruecke.accounts.models import User

M = TypeVar("M", bound=models.Model)


def _field_names(instance: models.Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if not f.primary_key]


@transaction.atomic
def model_create(*, actor: User | None, instance: M) -> M:
    """Validates (including unique constraints), saves and audits a new record."""
    instance.full_clean()
    instance.save()
    written = [n for n in _field_names(instance) if getattr(instance, n) not in (None, "")]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=instance, changed_fields=written)
    return instance


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
