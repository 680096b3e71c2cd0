"""Counselling contacts: checked by the case page's contact form and recorded by the contact
service, so the note and the special-category topics are stored encrypted exactly as a
contact entered on the page. A recorded contact is not changed afterwards (there is no
edit service): a changed row of an imported contact is an error."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from bruecke.cases.forms.contacts import ContactForm
from bruecke.cases.models import CaseStatus, Channel, Contact, ContactTopic
from bruecke.cases.services.contacts import contact_record
from bruecke.core.access import Perm
from bruecke.network.models import MobileSite
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved, Value, form_errors
from bruecke.spreadsheets.entities.casework import CASE, case_column, case_of_row, participant_column
from bruecke.spreadsheets.registry import register

TOPICS = "topics"
_CHANNEL_WORDS = {
    "persönlich": Channel.OFFICE,
    "vor ort": Channel.OFFICE,
    "büro": Channel.OFFICE,
    "beratungsstelle": Channel.OFFICE,
    "mobil": Channel.MOBILE,
    "mobile sprechstunde": Channel.MOBILE,
    "telefon": Channel.PHONE,
    "telefonisch": Channel.PHONE,
    "tel.": Channel.PHONE,
    "video": Channel.VIDEO,
    "videoberatung": Channel.VIDEO,
    "messenger": Channel.MESSENGER,
    "whatsapp": Channel.MESSENGER,
    "e-mail": Channel.MESSENGER,
    "hausbesuch": Channel.HOME_VISIT,
    "begleitung": Channel.ACCOMPANIMENT,
    "behördenbegleitung": Channel.ACCOMPANIMENT,
}


# The topic catalogue as the conversion of every cell reads it: loaded at most once a
# minute (a file's rows would otherwise load it once per topic word). Changes in the admin
# reach the import within that minute; `prepare` checks the topics against the database.
TOPIC_CACHE_SECONDS = 60.0
_topic_cache: dict[str, tuple[float, list[tuple[str, str, str]]]] = {}


def _topic_rows() -> list[tuple[str, str, str]]:
    loaded = _topic_cache.get("rows")
    if loaded is None or time.monotonic() - loaded[0] > TOPIC_CACHE_SECONDS:
        rows = list(ContactTopic.objects.filter(is_active=True).values_list("key", "label_de", "label_en"))
        loaded = (time.monotonic(), rows)
        _topic_cache["rows"] = loaded
    return loaded[1]


def _topic_choices() -> list[tuple[str, str]]:
    english = (get_language() or "de").startswith("en")
    return [(key, english_label if english else german) for key, german, english_label in _topic_rows()]


def _topic_words() -> dict[str, str]:
    """Both languages' labels of every topic, whatever language the importing user reads."""
    words: dict[str, str] = {}
    for key, german, english in _topic_rows():
        words[german] = key
        words[english] = key
    return words


@dataclass(frozen=True)
class Prepared:
    form: ContactForm
    topics: list[ContactTopic]


class Contacts(Entity):
    key = "contacts"
    label = gettext_lazy("counselling contacts")
    model = Contact
    permission = Perm.RECORD_CASE_WORK
    order = 35
    description = gettext_lazy(
        "Counselling contacts of a case (or of the participant's open case); notes are stored encrypted."
    )
    columns = (
        case_column(required=False),
        participant_column(required=False),
        Column(
            "date", gettext_lazy("date"), kind="date", required=True, aliases=("Datum", "Kontaktdatum", "am")
        ),
        Column(
            "channel",
            gettext_lazy("channel"),
            kind="choice",
            choices=lambda: Channel.choices,
            synonyms=lambda: _CHANNEL_WORDS,
            aliases=("Art", "Kontaktart", "Kanal", "Form"),
        ),
        Column(
            "duration_minutes",
            gettext_lazy("duration (minutes)"),
            kind="integer",
            required=True,
            aliases=("Dauer", "Minuten", "Dauer (Min.)", "Dauer in Minuten"),
        ),
        Column(
            "site",
            gettext_lazy("site"),
            max_length=200,
            aliases=("Ort", "Standort der Sprechstunde"),
            help=gettext_lazy("For a mobile consultation hour: the site's name."),
        ),
        Column(
            TOPICS,
            gettext_lazy("topics"),
            kind="choices",
            choices=_topic_choices,
            synonyms=_topic_words,
            aliases=("Themen", "Thema", "Beratungsthemen"),
            help=gettext_lazy("Several topics separated by commas."),
        ),
        Column(
            "note",
            gettext_lazy("note"),
            max_length=10_000,
            aliases=("Notiz", "Vermerk", "Gesprächsnotiz", "Inhalt", "Bemerkung"),
        ),
        Column("confidential", gettext_lazy("confidential"), kind="boolean", aliases=("vertraulich",)),
    )

    def existing(self, ctx: ImportContext, object_id: int) -> models.Model | None:
        return Contact.objects.filter(pk=object_id, case__organisation=ctx.organisation).first()

    def prepare(
        self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None
    ) -> Prepared:
        if existing is not None:
            raise RowInvalid(
                [
                    (
                        None,
                        _(
                            "This contact was imported before and has changed; "
                            "a recorded contact cannot be changed."
                        ),
                    )
                ]
            )
        case = case_of_row(ctx, values, perm=Perm.RECORD_CASE_WORK, open_only=True)
        if case.status == CaseStatus.CLOSED:
            raise RowInvalid([(CASE, _("Contacts cannot be added to a closed case."))])
        topics = self._topics(ctx, values.get(TOPICS) or [])
        data = {
            "date": values["date"],
            "duration_minutes": values["duration_minutes"],
            "channel": values.get("channel") or Channel.OFFICE,
            "site": self._site(ctx, case.organisation.network_id, values.get("site")),
            "topics": [topic.pk for topic in topics],
            "note": values.get("note") or "",
            "confidential": "on" if values.get("confidential") else "",
        }
        form = ContactForm(data=data, case=case)
        if not form.is_valid():
            raise form_errors(form)
        return Prepared(form, topics)

    def _topics(self, ctx: ImportContext, keys: list[str]) -> list[ContactTopic]:
        if "contacts:topics" not in ctx.cache:
            ctx.cache["contacts:topics"] = {t.key: t for t in ContactTopic.objects.filter(is_active=True)}
        known: dict[str, ContactTopic] = ctx.cache["contacts:topics"]
        if any(key not in known for key in keys):
            raise RowInvalid([(TOPICS, _("Please choose from the listed topics."))])
        return [known[key] for key in keys]

    def _site(self, ctx: ImportContext, network_id: int, name: Any) -> int | str:
        if not name:
            return ""
        if "contacts:sites" not in ctx.cache:
            sites = MobileSite.objects.filter(network_id=network_id, is_active=True).values_list("pk", "name")
            ctx.cache["contacts:sites"] = {site_name.casefold(): pk for pk, site_name in sites}
        found = ctx.cache["contacts:sites"].get(str(name).strip().casefold())
        if found is None:
            raise RowInvalid([("site", _("Your network has no active site of this name."))])
        return int(found)

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        assert isinstance(prepared, Prepared)
        contact = contact_record(actor=ctx.actor, contact=prepared.form.instance, topics=prepared.topics)
        return Saved(contact, True)


register(Contacts())
