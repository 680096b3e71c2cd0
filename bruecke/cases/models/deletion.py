"""Why a case was deleted: a fixed list, so the audit log never holds free text."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionReason(models.TextChoices):
    MISTAKE = "mistake", _("opened by mistake")
    DUPLICATE = "duplicate", _("duplicate of another case")
    WRONG_PERSON = "wrong_person", _("recorded for the wrong person")
    ERASURE_REQUEST = "erasure_request", _("the participant asked for erasure")
