"""Writes to the breach register: validated, audited (field names only), locked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.services import model_create, model_update
from bruecke.privacy.models import Breach


@transaction.atomic
def breach_record(*, actor: User, breach: Breach) -> Breach:
    if breach.organisation_id not in access.organisation_ids(actor, Perm.MANAGE_BREACHES):
        raise ValidationError({"organisation": _("You keep no breach register for this organisation.")})
    breach.recorded_by = actor
    return model_create(actor=actor, instance=breach)


@transaction.atomic
def breach_update(
    *, actor: User, breach: Breach, data: Mapping[str, Any], expected_version: int | None
) -> Breach:
    updated, _changed = model_update(
        actor=actor, instance=breach, data=data, expected_version=expected_version
    )
    return updated
