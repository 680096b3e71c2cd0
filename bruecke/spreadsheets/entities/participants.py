"""Participants: the people of an old participant list, checked by the intake form's own
rules and written through `participant_create` / `participant_update` (name keys, Latin
name, current status and eligibility maintained as for a form entry)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms import BaseForm
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.views_helpers import model_data
from bruecke.network.models import Team
from bruecke.participants import services
from bruecke.participants.forms import ParticipantForm
from bruecke.participants.models import (
    LANGUAGE_CHOICES,
    CefrLevel,
    Gender,
    Messenger,
    Participant,
    SchoolingStatus,
)
from bruecke.projects.models import Project
from bruecke.spreadsheets.base import Column, ImportContext, RowInvalid, Saved, StrOrPromise, Value
from bruecke.spreadsheets.convert import word
from bruecke.spreadsheets.entities.participant_refs import may_edit, with_aliases
from bruecke.spreadsheets.formbacked import FormEntity, mapped_columns
from bruecke.spreadsheets.registry import register

GENDER_WORDS = [
    ("female", "w"),
    ("female", "weiblich"),
    ("female", "f"),
    ("female", "frau"),
    ("male", "m"),
    ("male", "männlich"),
    ("male", "mann"),
    ("diverse", "d"),
    ("diverse", "divers"),
    ("diverse", "x"),
    ("not_stated", "k. a."),
    ("not_stated", "keine angabe"),
]
# German language names, whatever the language of the user interface.
LANGUAGE_WORDS = [
    ("ar", "Arabisch"),
    ("fa", "Farsi"),
    ("fa", "Dari"),
    ("fa", "Persisch"),
    ("ps", "Paschtu"),
    ("ps", "Paschto"),
    ("ku", "Kurdisch"),
    ("tr", "Türkisch"),
    ("uk", "Ukrainisch"),
    ("ru", "Russisch"),
    ("ti", "Tigrinya"),
    ("so", "Somali"),
    ("ka", "Georgisch"),
    ("en", "Englisch"),
    ("fr", "Französisch"),
    ("de", "Deutsch"),
]
# Nationalities as German lists often write them (adjectives).
NATIONALITY_WORDS = {
    "syrisch": "SY",
    "afghanisch": "AF",
    "irakisch": "IQ",
    "iranisch": "IR",
    "eritreisch": "ER",
    "somalisch": "SO",
    "ukrainisch": "UA",
    "russisch": "RU",
    "türkisch": "TR",
    "georgisch": "GE",
    "nigerianisch": "NG",
    "äthiopisch": "ET",
    "sudanesisch": "SD",
    "pakistanisch": "PK",
    "guineisch": "GN",
    "albanisch": "AL",
    "kosovarisch": "XK",
    "serbisch": "RS",
    "libanesisch": "LB",
    "palästinensisch": "PS",
    "jemenitisch": "YE",
    "deutsch": "DE",
    "unbekannt": "XU",
}
_COUNTRY_CHOICES: dict[str, list[tuple[str, StrOrPromise]]] = {}


def country_choices() -> list[tuple[str, StrOrPromise]]:
    """Country codes named in the user's language and in German, and the usual German
    adjectives ("syrisch"); built once per language."""
    language = translation.get_language() or "de"
    if language not in _COUNTRY_CHOICES:
        named: list[tuple[str, StrOrPromise]] = [(c.code, c.name) for c in countries if c.code]
        with translation.override("de"):
            named += [(c.code, str(c.name)) for c in countries if c.code]
        named += [(code, adjective) for adjective, code in NATIONALITY_WORDS.items()]
        _COUNTRY_CHOICES[language] = named
    return _COUNTRY_CHOICES[language]


def _text(key: str, label: StrOrPromise, max_length: int, *aliases: str) -> Column:
    return Column(key, label, max_length=max_length, aliases=aliases)


COLUMNS = (
    _text("given_names", gettext_lazy("given names"), 150, "Vorname", "Vornamen", "first name"),
    _text("family_name", gettext_lazy("family name"), 150, "Nachname", "Familienname", "Name", "last name"),
    _text("given_names_own_script", gettext_lazy("given names in their own script"), 150),
    _text("family_name_own_script", gettext_lazy("family name in its own script"), 150),
    Column(
        "other_spellings",
        gettext_lazy("other known spellings"),
        max_length=2000,
        aliases=("andere Schreibweisen", "Schreibweisen", "weitere Schreibweisen", "Aliasnamen"),
        help=gettext_lazy("Several separated by “;” or line breaks."),
    ),
    Column(
        "birth_date",
        gettext_lazy("date of birth"),
        kind="partial_date",
        required=True,
        aliases=("Geburtsdatum", "geb.", "geboren", "Geburtsjahr"),
        help=gettext_lazy("DD.MM.YYYY, MM.YYYY or YYYY; unknown parts as 00 (00.00.1994)."),
    ),
    Column(
        "birth_date_is_placeholder",
        gettext_lazy("day and month of birth are a placeholder"),
        kind="boolean",
    ),
    Column(
        "gender",
        gettext_lazy("gender"),
        kind="choice",
        required=True,
        choices=with_aliases(lambda: Gender.choices, GENDER_WORDS),
        aliases=("Geschlecht",),
    ),
    Column(
        "nationality",
        gettext_lazy("nationality"),
        kind="choice",
        choices=country_choices,
        aliases=("Staatsangehörigkeit", "Nationalität", "Staatsangehoerigkeit"),
    ),
    Column(
        "country_of_birth",
        gettext_lazy("country of birth"),
        kind="choice",
        choices=country_choices,
        aliases=("Geburtsland", "Herkunftsland"),
    ),
    _text("phone", gettext_lazy("phone"), 40, "Telefon", "Telefonnummer", "Handy", "Mobil"),
    _text("email", gettext_lazy("e-mail"), 254, "E-Mail", "Email", "Mail"),
    Column(
        "messenger",
        gettext_lazy("preferred messenger"),
        kind="choice",
        choices=lambda: Messenger.choices,
        aliases=("Messenger",),
    ),
    _text("street", gettext_lazy("street and number"), 200, "Straße", "Strasse", "Adresse", "Anschrift"),
    _text("postcode", gettext_lazy("postcode"), 10, "PLZ", "Postleitzahl"),
    _text("town", gettext_lazy("town"), 100, "Ort", "Wohnort", "Stadt"),
    _text("district", gettext_lazy("district (Landkreis)"), 100, "Landkreis", "Kreis"),
    Column(
        "arrival_date",
        gettext_lazy("arrival in Germany"),
        kind="date",
        aliases=("Einreise", "Einreisedatum", "Ankunft"),
    ),
    Column(
        "entry_date",
        gettext_lazy("entry into the project"),
        kind="date",
        required=True,
        aliases=("Eintritt", "Eintrittsdatum", "Projekteintritt", "Eintritt ins Projekt"),
    ),
    Column(
        "first_language",
        gettext_lazy("first language"),
        kind="choice",
        choices=with_aliases(lambda: LANGUAGE_CHOICES, LANGUAGE_WORDS),
        aliases=("Erstsprache", "Muttersprache"),
    ),
    Column(
        "other_languages",
        gettext_lazy("other languages"),
        kind="choices",
        choices=with_aliases(lambda: LANGUAGE_CHOICES, LANGUAGE_WORDS),
        aliases=("weitere Sprachen", "Sprachen", "Fremdsprachen"),
        help=gettext_lazy("Several separated by “;” or “,”."),
    ),
    Column(
        "german_level",
        gettext_lazy("German (CEFR level)"),
        kind="choice",
        choices=with_aliases(lambda: CefrLevel.choices, [("none", "keine")]),
        aliases=("Deutschkenntnisse", "Deutsch", "Sprachniveau"),
    ),
    _text(
        "children",
        gettext_lazy("children in the household (years of birth)"),
        100,
        "Kinder",
        "Geburtsjahre Kinder",
    ),
    Column("single_parent", gettext_lazy("single parent"), kind="boolean", aliases=("alleinerziehend",)),
    Column(
        "schooling_status",
        gettext_lazy("schooling (for school-age participants)"),
        kind="choice",
        choices=lambda: SchoolingStatus.choices,
        aliases=("Schulbesuch", "Schule"),
    ),
    Column(
        "project",
        gettext_lazy("project"),
        max_length=200,
        aliases=("Projekt", "Maßnahme", "Massnahme"),
        help=gettext_lazy(
            "The name of a project in which your organisation takes part. "
            "May stay empty if it takes part in only one."
        ),
    ),
    Column(
        "team",
        gettext_lazy("team"),
        max_length=200,
        aliases=("Team", "Regionalteam"),
        help=gettext_lazy("Only for new records; may stay empty if you work in one team only."),
    ),
)


class _KnownProjectField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The project field of the form, answered from the projects read once per file."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Project.objects.none(), **kwargs)
        self.known: dict[str, Project] = {}

    def to_python(self, value: Any) -> Project | None:
        if value in self.empty_values:
            return None
        try:
            return self.known[str(value)]
        except KeyError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


_COUNTRY_CODES: list[frozenset[str]] = []


class _CountryCodeField(forms.CharField):
    """A country code the form's country list offers (the import has turned names into
    codes already); checked against a set instead of the sorted, translated list that the
    page's select field builds for every form."""

    def to_python(self, value: Any) -> str:
        code = str(super().to_python(value)).upper()
        if not _COUNTRY_CODES:
            _COUNTRY_CODES.append(frozenset(c.code for c in countries if c.code))
        if code and code not in _COUNTRY_CODES[0]:
            raise ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": code},
            )
        return code


class ParticipantImportForm(ParticipantForm):
    """The edit and intake form's rules, built for many rows: the project chosen among the
    projects read once per file, countries checked against a set of codes."""

    project = _KnownProjectField(label=gettext_lazy("project"), required=True)
    nationality = _CountryCodeField(label=gettext_lazy("nationality"), required=False)
    country_of_birth = _CountryCodeField(label=gettext_lazy("country of birth"), required=False)

    def __init__(self, *args: Any, projects: dict[str, Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, _KnownProjectField)
        field.known = projects

    def limit_projects(self, network_ids: set[int]) -> None:
        """The projects come from the file's context (`projects`), not from a query."""

    def _get_validation_exclusions(self) -> set[str]:
        # Checked by the fields above against the same countries and the file's projects.
        inherited: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return {*inherited, "nationality", "country_of_birth", "project"}


def _projects(ctx: ImportContext) -> dict[str, Project]:
    """The projects the organisation takes part in, by number (read once per file)."""
    if "participants:projects" not in ctx.cache:
        organisation = ctx.organisation
        found = (
            Project.objects.filter(network_id=organisation.network_id)
            .filter(Q(partners=None) | Q(partners=organisation))
            .distinct()
        )
        ctx.cache["participants:projects"] = {str(p.pk): p for p in found}
    projects: dict[str, Project] = ctx.cache["participants:projects"]
    return projects


def project_number(ctx: ImportContext, text: str | None) -> str | None:
    """The number of the project a cell names (by name or number); the only project when
    the cell is empty; raises RowInvalid for a project the organisation has no part in."""
    projects = _projects(ctx)
    if not text:
        return next(iter(projects)) if len(projects) == 1 else None
    for number, project in projects.items():
        if text == number or word(text) == word(project.name):
            return number
    raise RowInvalid([("project", _("No project of this name in which your organisation takes part."))])


def team_for(ctx: ImportContext, text: str | None) -> Team | None:
    """The team a new participant joins: the named one among the importing user's teams
    in the organisation, else the team of the user's only membership there."""
    memberships = [
        m
        for m in access.memberships_with(ctx.actor, Perm.EDIT_PARTICIPANTS)
        if m.organisation_id == ctx.organisation.pk
    ]
    if not memberships:
        raise RowInvalid([(None, _("You may not register participants in this organisation."))])
    if text:
        for membership in memberships:
            if membership.team is not None and word(membership.team.name) == word(text):
                return membership.team
        raise RowInvalid([("team", _("None of your teams in this organisation has this name."))])
    teams = {m.team_id: m.team for m in memberships}
    if len(teams) > 1:
        raise RowInvalid([("team", _("You work in several teams: please name the team."))])
    return next(iter(teams.values()))


class Participants(FormEntity):
    key = "participants"
    label = gettext_lazy("participants")
    model = Participant
    permission = Perm.EDIT_PARTICIPANTS
    order = 10
    description = gettext_lazy("People with their names, date of birth, contact data, project and team.")
    columns = COLUMNS

    def form_class(self, existing: models.Model | None) -> type[BaseForm]:
        return ParticipantImportForm

    def form_kwargs(self, ctx: ImportContext, existing: models.Model | None) -> dict[str, Any]:
        return {"projects": _projects(ctx)}

    def initial_data(
        self, ctx: ImportContext, existing: models.Model | None, form: type[BaseForm]
    ) -> dict[str, Any]:
        data = super().initial_data(ctx, existing, form)
        if isinstance(existing, Participant):
            data["birth_date"] = (
                f"01.01.{existing.birth_year}"
                if existing.birth_date_is_placeholder
                else existing.birth_date_display
            )
            data["children"] = ", ".join(str(year) for year in existing.children_birth_years)
            data["other_spellings"] = "\n".join(v.name for v in existing.name_variants.all())
            data["nationality"] = str(existing.nationality or "")
            data["country_of_birth"] = str(existing.country_of_birth or "")
        return data

    def form_data(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> dict[str, Any]:
        data = super().form_data(ctx, values, existing)
        spellings = data.get("other_spellings") or ""
        data["other_spellings"] = "\n".join(
            s.strip() for s in spellings.replace(";", "\n").splitlines() if s.strip()
        )
        project = values.get("project")
        if existing is None or "project" in mapped_columns(ctx):
            data["project"] = project_number(ctx, project) or ""
        return data

    def prepare(  # type: ignore[override]
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> tuple[BaseForm, Team | None]:
        if isinstance(existing, Participant) and not may_edit(ctx, existing):
            raise RowInvalid([(None, _("You may not change this participant's record (another team)."))])
        team = team_for(ctx, values.get("team")) if existing is None else None
        return super().prepare(ctx, values, existing), team

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        form, team = prepared
        assert isinstance(form, ParticipantImportForm)
        if existing is None:
            participant = form.instance
            participant.organisation = ctx.organisation
            participant.team = team
            created = services.participant_create(
                actor=ctx.actor, participant=participant, variants=form.spellings()
            )
            return Saved(created, True)
        return self._update(ctx, form, existing)

    saves_chunks = True

    def save_chunk(self, ctx: ImportContext, rows: Sequence[tuple[Any, models.Model | None]]) -> list[Saved]:
        """New participants through `participants_create` together (one query for many
        where `participant_create` makes one each), changed ones one by one."""
        saved: list[Saved | None] = []
        new: list[tuple[Participant, list[str]]] = []
        for (form, team), existing in rows:
            assert isinstance(form, ParticipantImportForm)
            if existing is None:
                participant = form.instance
                participant.organisation = ctx.organisation
                participant.team = team
                new.append((participant, form.spellings()))
                saved.append(None)
            else:
                saved.append(self._update(ctx, form, existing))
        created = iter(
            services.participants_create(actor=ctx.actor, registrations=new, known_relations=KNOWN_RELATIONS)
        )
        return [done if done is not None else Saved(next(created), True) for done in saved]

    def _update(self, ctx: ImportContext, form: ParticipantImportForm, existing: models.Model) -> Saved:
        assert isinstance(existing, Participant)
        version = existing.version
        variants_before = list(existing.name_variants.values_list("name", flat=True))
        updated = services.participant_update(
            actor=ctx.actor,
            participant=existing,
            data={**model_data(form), **form.birth_data(), **form.children_data()},
            variants=form.spellings(),
            expected_version=None,
        )
        variants_after = list(updated.name_variants.values_list("name", flat=True))
        return Saved(updated, updated.version != version or variants_before != variants_after)


# Read by the import in the file's transaction (the organisation and its projects, the
# importing user and their team): not looked up again for every participant.
KNOWN_RELATIONS = ("organisation", "team", "project", "created_by")

register(Participants())
