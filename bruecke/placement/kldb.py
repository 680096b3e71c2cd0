"""What a KldB 2010 code says by itself (Klassifikation der Berufe 2010, Bundesagentur).

A full code has five digits: area, main group, group, subgroup, and as the fifth digit the
requirement level (Anforderungsniveau). Similarity of two occupations can be read from the
shared prefix; whether a qualification meets a requirement, from the fifth digits.
"""

from __future__ import annotations

import re

from anyascii import anyascii
from django.db import models
from django.utils.translation import gettext_lazy as _

FULL_CODE = re.compile(r"^\d{5}\Z")


class RequirementLevel(models.IntegerChoices):
    HELPER = 1, _("Helper (Helfer- und Anlerntätigkeiten)")
    SKILLED = 2, _("Skilled worker (Fachkraft)")
    SPECIALIST = 3, _("Specialist (Spezialist)")
    EXPERT = 4, _("Expert (Experte)")


def is_full_code(code: str) -> bool:
    return bool(FULL_CODE.match(code or ""))


def requirement_level(code: str) -> int | None:
    """The requirement level (1–4) of a full code; None for a group code or a bad digit."""
    if not is_full_code(code):
        return None
    level = int(code[4])
    return level if 1 <= level <= 4 else None


def shared_prefix(a: str, b: str) -> int:
    """How many leading digits two full codes share (5 = the same Berufsgattung)."""
    n = 0
    for x, y in zip(a[:5], b[:5], strict=False):
        if x != y:
            break
        n += 1
    return n


def group_codes(code: str) -> list[str]:
    """The code and its parents, longest first: 43412 → 43412, 4341, 434, 43, 4."""
    return [code[:n] for n in range(len(code), 0, -1)]


def fold(text: str) -> str:
    """Lower case without diacritics and single spaces, for searching titles and towns
    ("Köchin" and "kochin" match)."""
    return " ".join(anyascii(text).lower().split())
