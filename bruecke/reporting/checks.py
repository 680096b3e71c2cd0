"""Deployment check of the reporting settings (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_pseudonym_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Without its own key the funder file's pseudonyms hang on SECRET_KEY: rotating that
    key would give every participant a new pseudonym in the next delivery."""
    if getattr(settings, "REPORTING_PSEUDONYM_KEY", ""):
        return []
    return [
        checks.Warning(
            "REPORTING_PSEUDONYM_KEY is not set: the funder file's pseudonyms are derived from SECRET_KEY.",
            hint="Set REPORTING_PSEUDONYM_KEY to a long random value and keep it unchanged "
            "(operator guide, 'Funder file').",
            id="bruecke.W050",
        )
    ]
