"""Optimistic locking: a later save based on an outdated version is refused, not merged.

Records that two staff may edit at once inherit `VersionedModel`. Forms carry the version
they were loaded with (`VersionedFormMixin`); `core.services.model_update` compares it with
the stored row under a lock and raises `EditConflict`, which forms show with a reload link.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CONFLICT_CODE = "conflict"


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """Someone else saved the record after the user loaded it; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else has changed this record since you opened it. Your changes have "
                "not been saved. Please reload the page to see the current version."
            ),
            code=CONFLICT_CODE,
        )


def check_version(current: VersionedModel, expected: int | None) -> None:
    """Raises EditConflict when the stored version is not the one the user started from.

    `expected` None means the caller does not lock (e.g. a background job)."""
    if expected is not None and current.version != expected:
        raise EditConflict()


def is_conflict(error: ValidationError) -> bool:
    return any(getattr(e, "code", None) == CONFLICT_CODE for e in error.error_list)


class VersionedFormMixin:
    """Adds the hidden `version` the form was loaded with; views pass it to the service.

    The version is the instance's, or the one the view passes (0: "there was no record
    yet", for pages that create or update). A form for a new record gets no version field:
    there is nothing another save could have changed.
    """

    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.conflict = False
        existing = instance is not None and instance.pk is not None
        loaded = version if version is not None else getattr(instance, "version", None) if existing else None
        if loaded is None:
            return
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
        self.initial["version"] = loaded

    @property
    def loaded_version(self) -> int | None:
        cleaned: dict[str, Any] = getattr(self, "cleaned_data", {})
        value = cleaned.get("version")
        return int(value) if value is not None else None
