"""Country and language names come from Unicode CLDR (via Babel) in the user's language,
and every optional country field starts empty, then offers the frequent countries."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from babel import Locale
from django.apps import apps
from django.forms import modelform_factory
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from django_countries.fields import CountryField

from bruecke.core.forms import ModelForm
from bruecke.participants.models import LANGUAGE_CHOICES


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_country_is_named_by_cldr(language: str) -> None:
    cldr = Locale.parse(language).territories
    with translation.override(language):
        names = {code: str(name) for code, name in countries if code not in ("", "XX", "XU")}
    assert names == {code: cldr[code] for code in names}
    assert "XK" in names


def test_german_country_names_known_to_be_wrong_before() -> None:
    with translation.override("de"):
        assert countries.name("KI") == "Kiribati"  # not "Kirivati"
        assert countries.name("GD") == "Grenada"  # not "Granada"
        assert countries.name("SZ") == "Eswatini"  # not "Swasiland"
        assert countries.name("XX") == "staatenlos"


def test_language_names_come_from_cldr() -> None:
    cldr = Locale.parse("de").languages
    with translation.override("de"):
        labels = {code: str(label) for code, label in LANGUAGE_CHOICES if code not in ("fa", "other")}
    assert labels == {code: cldr[code] for code in labels}


def _country_fields() -> list[tuple[type, str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, CountryField) and field.blank
    ]


@pytest.mark.parametrize(("model", "name"), _country_fields())
def test_every_optional_country_field_starts_empty(model: type, name: str) -> None:
    form_class = modelform_factory(model, form=ModelForm, fields=[name])
    with translation.override("de"):  # the group labels are lazy: compared in German
        choices = list(form_class().fields[name].choices)  # type: ignore[attr-defined]
        assert choices[0] == ("", "–")
        frequent, other = choices[1:]
        assert frequent[0] == "Häufig in der Beratung" and frequent[1][0][0] == "SY"
        assert other[0] == "Weitere Länder" and "" not in [value for value, _label in other[1]]


def test_the_intake_page_has_no_country_preselected(login: Callable[[str], Client]) -> None:
    body = login("cm_a").get(reverse("participants:create")).content.decode()
    select = re.search(r'<select name="nationality".*?</select>', body, re.S)
    assert select is not None
    first = re.search(r"<option[^>]*>", select[0])
    assert first is not None and 'value=""' in first[0]
    assert re.findall(r'<option value="([^"]*)" selected>', select[0]) == [""]
    assert '<optgroup label="Häufig in der Beratung">' in select[0]
