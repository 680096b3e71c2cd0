"""Writing the catalogue: providers, measures and their start dates.

Every write is validated, saved and audited in one transaction (core.services). A new or
renamed entry that looks like one the network already has is refused with the existing
entry named (`DuplicateEntry`) unless the user confirms that it is a different one
(decision 0044). A measure that has referrals is deactivated, never deleted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.offers.models import (
    LANGUAGE_MEASURE_KINDS,
    Measure,
    MeasureKind,
    MeasureStart,
    Provider,
    ProviderKind,
)
from bruecke.placement.kldb import fold


class DuplicateEntry(ValidationError):
    """A catalogue entry that the network seems to have already; `existing` are the
    entries it looks like (to be linked on the form)."""

    def __init__(self, field: str, message: str, existing: Sequence[Model]) -> None:
        super().__init__({field: [message]}, code="duplicate")
        self.existing = list(existing)


# Cheap near-duplicates: common abbreviations are written out and legal forms dropped, so
# "VHS Rostock" and "Volkshochschule Rostock e.V." are the same name (decision 0044).
ABBREVIATIONS = {
    "vhs": "volkshochschule",
    "ihk": "industrie und handelskammer",
    "hwk": "handwerkskammer",
    "ba": "bundesagentur fur arbeit",
    "bamf": "bundesamt fur migration und fluchtlinge",
    "psz": "psychosoziales zentrum",
}
LEGAL_FORMS = frozenset({"ev", "e v", "ggmbh", "gmbh", "ug", "ag", "kg", "gbr", "eg"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def near_key(name: str) -> str:
    """The provider name as compared for duplicates: folded, punctuation removed,
    abbreviations written out, legal forms dropped."""
    words = _NOT_WORD.sub(" ", fold(name).replace(".", "")).split()
    expanded = " ".join(ABBREVIATIONS.get(word, word) for word in words if word not in LEGAL_FORMS)
    return expanded.replace("-", " ")


def provider_duplicates(provider: Provider) -> list[Provider]:
    """Providers of the same network in the same town whose name is the same or nearly so."""
    network_id = provider.organisation.network_id
    candidates = (
        Provider.objects.filter(organisation__network_id=network_id, town__iexact=provider.town.strip())
        .exclude(pk=provider.pk)
        .select_related("organisation")
        .order_by("name", "id")
    )
    key = near_key(provider.name)
    return [
        other for other in candidates if other.name_key == fold(provider.name) or near_key(other.name) == key
    ]


def measure_duplicates(measure: Measure) -> list[Measure]:
    """Measures of the same provider and kind with the same folded title."""
    return list(
        Measure.objects.filter(
            provider_id=measure.provider_id, kind=measure.kind, title_key=fold(measure.title)
        )
        .exclude(pk=measure.pk)
        .select_related("provider", "organisation")
        .order_by("id")
    )


def _check_provider(provider: Provider, *, confirmed_different: bool) -> None:
    errors: dict[str, list[str]] = {}
    if provider.partner_id is not None and provider.partner is not None:
        if provider.partner.network_id != provider.organisation.network_id:
            errors["partner"] = [_("Please choose an organisation of your own network.")]
    elif provider.kind == ProviderKind.NETWORK_PARTNER:
        errors["partner"] = [_("Please choose which organisation of the network this partner is.")]
    if errors:
        raise ValidationError(errors)
    if confirmed_different:
        return
    existing = provider_duplicates(provider)
    if existing:
        raise DuplicateEntry(
            "name",
            _(
                "The catalogue already has %(name)s in %(town)s (recorded by %(owner)s). Please use that "
                "entry, or confirm below that this is a different provider."
            )
            % {"name": existing[0].name, "town": existing[0].town, "owner": existing[0].organisation.name},
            existing,
        )


def _check_measure(measure: Measure, *, confirmed_different: bool) -> None:
    errors: dict[str, list[str]] = {}
    if measure.provider.organisation.network_id != measure.organisation.network_id:
        errors["provider"] = [_("Please choose a provider of your own network.")]
    if measure.kind == MeasureKind.JOB_LANGUAGE_COURSE and not measure.target_level:
        errors["target_level"] = [_("A job-related language course needs the level it leads to.")]
    elif measure.target_level and measure.kind not in LANGUAGE_MEASURE_KINDS:
        errors["target_level"] = [_("Only language courses have a target level. Please leave it empty.")]
    if errors:
        raise ValidationError(errors)
    if confirmed_different:
        return
    existing = measure_duplicates(measure)
    if existing:
        raise DuplicateEntry(
            "title",
            _(
                "%(provider)s already offers “%(title)s” of this type (recorded by %(owner)s). Please use "
                "that entry, or confirm below that this is a different measure."
            )
            % {
                "provider": existing[0].provider.name,
                "title": existing[0].title,
                "owner": existing[0].organisation.name,
            },
            existing,
        )


@transaction.atomic
def provider_create(*, actor: User, provider: Provider, confirmed_different: bool = False) -> Provider:
    _check_provider(provider, confirmed_different=confirmed_different)
    return model_create(actor=actor, instance=provider)


@transaction.atomic
def provider_update(
    *,
    actor: User,
    provider: Provider,
    data: Mapping[str, Any],
    expected_version: int | None,
    confirmed_different: bool = False,
) -> Provider:
    probe = Provider(pk=provider.pk, organisation=provider.organisation)
    for name in ("kind", "name", "town", "partner"):
        setattr(probe, name, data.get(name, getattr(provider, name)))
    renamed = fold(probe.name) != provider.name_key or fold(probe.town) != fold(provider.town)
    _check_provider(probe, confirmed_different=confirmed_different or not renamed)
    return model_update(actor=actor, instance=provider, data=data, expected_version=expected_version)[0]


@transaction.atomic
def measure_create(*, actor: User, measure: Measure, confirmed_different: bool = False) -> Measure:
    _check_measure(measure, confirmed_different=confirmed_different)
    return model_create(actor=actor, instance=measure)


@transaction.atomic
def measure_update(
    *,
    actor: User,
    measure: Measure,
    data: Mapping[str, Any],
    expected_version: int | None,
    confirmed_different: bool = False,
) -> Measure:
    probe = Measure(pk=measure.pk, organisation=measure.organisation)
    for name in ("provider", "kind", "title", "target_level"):
        setattr(probe, name, data.get(name, getattr(measure, name)))
    same_entry = (
        probe.provider_id == measure.provider_id
        and probe.kind == measure.kind
        and fold(probe.title) == measure.title_key
    )
    _check_measure(probe, confirmed_different=confirmed_different or same_entry)
    return model_update(actor=actor, instance=measure, data=data, expected_version=expected_version)[0]


@transaction.atomic
def measure_remove(*, actor: User, measure: Measure) -> bool:
    """Deletes a measure nobody was referred to; one with referrals (or start dates in its
    history) is deactivated instead, so the referrals keep it. True if it was deleted."""
    if measure.referrals.exists():
        model_update(actor=actor, instance=measure, data={"is_active": False})
        return False
    for start in measure.starts.all():
        model_delete(actor=actor, instance=start)
    model_delete(actor=actor, instance=measure)
    return True


@transaction.atomic
def start_create(*, actor: User, start: MeasureStart) -> MeasureStart:
    if start.ends_on is not None and start.starts_on is not None and start.ends_on < start.starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    if MeasureStart.objects.filter(measure_id=start.measure_id, starts_on=start.starts_on).exists():
        raise ValidationError({"starts_on": _("This start date is already recorded.")})
    return model_create(actor=actor, instance=start)
