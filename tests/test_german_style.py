"""One gender-inclusive style in the German interface: the colon ("Casemanager:in",
"Berater:innen"), which the catalogue uses throughout; neutral words ("Beratungsperson")
are fine. Slash, asterisk, underscore, capital I, brackets and paired forms ("Beraterinnen
und Berater") are not: mixing styles reads as carelessness and screen readers speak each
one differently ([decision 0027](../docs/decisions/0027-german-names-and-inclusive-style.md)).
"""

from __future__ import annotations

import re

import pytest

from tests.test_translations import forms, load_catalog

OTHER_STYLES = re.compile(
    r"\w(?:/-?|\*|_|\()in(?:nen)?\b"  # Elektroniker/in, Berater*innen, Lehrer_in, Kolleg(in)
    r"|[a-zäöüß]In(?:nen)?\b"  # BeraterInnen
    r"|\b(\w{3,})(?:in|innen)\s+(?:und|oder|bzw\.)\s+(?:\w+\s+)?\1\b"  # Beraterin oder Ihrem Berater
)


def outliers(text: str) -> list[str]:
    return [m.group(0) for m in OTHER_STYLES.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Ausbildung als Elektroniker/in",
        "Elektroniker/-in",
        "alle Berater*innen",
        "Lehrer_innen",
        "Kolleg(in)",
        "BeraterInnen",
        "nur Ihre Beraterinnen und Berater",
        "Eine Administratorin oder ein Administrator",
        "mit Ihrer Beraterin oder Ihrem Berater",
    ],
)
def test_the_check_finds_other_styles(text: str) -> None:
    assert outliers(text)


@pytest.mark.parametrize(
    "text",
    ["Casemanager:in", "Berater:innen", "Ein:e Administrator:in", "Innenhof", "Berlin oder Berlin-Mitte"],
)
def test_the_check_accepts_the_colon_and_ordinary_words(text: str) -> None:
    assert not outliers(text)


def test_the_german_catalogue_uses_one_inclusive_style() -> None:
    found = {
        forms(message.id)[0]: hits
        for message in load_catalog()
        if message.id
        for hits in [outliers(" ".join(forms(message.string)))]
        if hits
    }
    assert not found
