"""Writes of the rules app: the organisation's authority notes (validation + audit, atomic)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from bruecke.accounts.models import User
from bruecke.core.services import model_create, model_update
from bruecke.network.models import Organisation
from bruecke.rules.models import AuthorityNote


@transaction.atomic
def authority_note_save(
    *,
    actor: User,
    organisation: Organisation,
    step: str,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> AuthorityNote:
    """Creates the organisation's note on `step` or updates it; the view checked the actor's
    scope (access.authority_note_organisations)."""
    note = AuthorityNote.objects.filter(organisation=organisation, step=step).first()
    if note is None:
        return model_create(actor=actor, instance=AuthorityNote(organisation=organisation, step=step, **data))
    updated, _changed = model_update(actor=actor, instance=note, data=data, expected_version=expected_version)
    return updated
