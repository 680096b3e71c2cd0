"""The data-protection information sheet handed to participants before they consent.

Its text lives in the translation catalogues (locale/<lang>/LC_MESSAGES/django.po), so the
German, English, Arabic, Farsi/Dari and Ukrainian versions are maintained like the rest of
the interface. Change INFO_SHEET_VERSION whenever the text changes: every consent records
the version and language it was given on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop

if TYPE_CHECKING:
    from bruecke.network.models import Organisation

RTL_LANGUAGES = frozenset({"ar", "fa"})

TITLE = gettext_noop("Information on data protection")
_SECTIONS_2026_11 = [
    (
        gettext_noop("Who processes your data"),
        gettext_noop(
            "The organisation that counsels you stores your data in Brücke to accompany you "
            "into work, training or school. Only its staff can see them."
        ),
    ),
    (
        gettext_noop("For which purposes"),
        gettext_noop(
            "You decide separately for each purpose: counselling and documentation; reporting "
            "to the European Social Fund, which finances the project; sharing with partner "
            "organisations that you name; contact after you leave the project."
        ),
    ),
    (
        gettext_noop("Sensitive information"),
        gettext_noop(
            "Information about your health is only recorded if you agree. It is stored "
            "encrypted and only your counsellors can read it."
        ),
    ),
    (
        gettext_noop("Your rights"),
        gettext_noop(
            "You can see your data, have it corrected and ask for it to be deleted unless the "
            "law requires us to keep it. You can withdraw your consent at any time; this "
            "takes effect immediately and does not affect earlier processing."
        ),
    ),
    (
        gettext_noop("Voluntary"),
        gettext_noop("Your consent is voluntary. If you do not agree, you will still receive counselling."),
    ),
]


# 2026-12: the purposes name the transfer of the case to another partner organisation.
_PURPOSES_2026_12 = (
    gettext_noop("For which purposes"),
    gettext_noop(
        "You decide separately for each purpose: counselling and documentation; reporting "
        "to the European Social Fund, which finances the project; sharing with partner "
        "organisations that you name; handing your case over to a partner organisation that "
        "you name, for example when you move; contact after you leave the project."
    ),
)
_SECTIONS_2026_12 = [_PURPOSES_2026_12 if i == 1 else section for i, section in enumerate(_SECTIONS_2026_11)]

# Every version stays readable: a consent records the version it was given on.
# 2027-01: the sheet names the controller, its data-protection officer, the supervisory
# authority and the retention period (Art. 13 GDPR), from the organisation's settings.
VERSIONS = {"2026-11": _SECTIONS_2026_11, "2026-12": _SECTIONS_2026_12, "2027-01": _SECTIONS_2026_12}
INFO_SHEET_VERSION = "2027-01"
SECTIONS = VERSIONS[INFO_SHEET_VERSION]
WITH_ORGANISATION_DETAILS = frozenset({"2027-01"})

CONTROLLER = gettext_noop("Who is responsible (controller)")
PRIVACY_OFFICER = gettext_noop("Data-protection officer")
AUTHORITY = gettext_noop("Where you can complain")
AUTHORITY_TEXT = gettext_noop("You can complain to the data-protection supervisory authority:")
RETENTION = gettext_noop("How long your data are kept")
RETENTION_TEXT = gettext_noop(
    "When your counselling has ended, your data are kept for the retention period that the "
    "law and the project's funding require, and are then deleted. Retention period in years: "
    "%(years)s."
)

# The organisation's settings the sheet needs, with the label the refusal names.
REQUIRED_DETAILS: list[tuple[str, Promise]] = [
    ("street", gettext_lazy("street and number")),
    ("postcode", gettext_lazy("postcode")),
    ("privacy_officer", gettext_lazy("data-protection officer")),
    ("supervisory_authority", gettext_lazy("supervisory authority")),
    ("retention_years", gettext_lazy("retention period (years)")),
]


def missing_details(organisation: Organisation) -> list[str]:
    """Labels of the organisation's settings the sheet needs but that are empty."""
    return [str(label) for name, label in REQUIRED_DETAILS if getattr(organisation, name) in (None, "")]


def organisation_texts(organisation: Organisation, language: str) -> list[tuple[str, str]]:
    """The sections naming the controller, in `language`; the recorded values as entered."""
    from django.utils import translation

    with translation.override(language):
        return [
            (gettext(CONTROLLER), f"{organisation.name}, {organisation.address_line}"),
            (gettext(PRIVACY_OFFICER), organisation.privacy_officer),
            (gettext(AUTHORITY), f"{gettext(AUTHORITY_TEXT)} {organisation.supervisory_authority}"),
            (gettext(RETENTION), gettext(RETENTION_TEXT) % {"years": organisation.retention_years}),
        ]


def render_texts(language: str, version: str = "") -> tuple[str, list[tuple[str, str]]]:
    """The title and sections of `version` (default: the current one) in `language`
    (German, English, Arabic, Farsi/Dari, Ukrainian)."""
    from django.utils import translation

    sections = VERSIONS[version or INFO_SHEET_VERSION]
    with translation.override(language):
        return gettext(TITLE), [(gettext(heading), gettext(text)) for heading, text in sections]
