"""Names of countries and languages in the user's language, from Unicode CLDR (via Babel).

django-countries' own German catalogue has errors ("Kirivati", "Granada") and untranslated
entries, and hand-written lists drift. CLDR is the maintained source operating systems and
browsers use; Babel ships it. The names follow the active language, so one list serves
German and English ([decision 0027](../../docs/decisions/0027-german-names-and-inclusive-style.md)).
"""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError
from django.utils.functional import lazy
from django.utils.translation import get_language
from django_countries.data import COUNTRIES

# Used when no language is active (management commands, migrations): the msgid language.
_FALLBACK = "en"


@functools.cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(_FALLBACK)


def _active() -> Locale:
    return _locale(get_language() or _FALLBACK)


def country_name(code: str) -> str:
    """The CLDR name of an ISO 3166 code (or the CLDR user-assigned XK) in the active language."""
    names = _active().territories
    return names.get(code) or _locale(_FALLBACK).territories.get(code) or code


def language_name(code: str) -> str:
    """The CLDR name of an ISO 639 code in the active language."""
    names = _active().languages
    return names.get(code) or _locale(_FALLBACK).languages.get(code) or code


country_name_lazy = lazy(country_name, str)
language_name_lazy = lazy(language_name, str)


def country_overrides() -> dict[str, str]:
    """`COUNTRIES_OVERRIDE` for django-countries: every country it knows, named by CLDR."""
    return {code: country_name_lazy(code) for code in [*COUNTRIES, "XK"]}
