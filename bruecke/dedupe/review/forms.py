"""The merge decision on a pair page: which registration is kept, and the confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.core.forms import Form
from bruecke.dedupe.models import DuplicatePair
from bruecke.participants.models import Participant


def _choice_label(participant: Participant) -> str:
    team = f", {participant.team.name}" if participant.team_id and participant.team else ""
    return _("%(name)s (born %(born)s%(team)s), no. %(id)s") % {
        "name": participant.full_name,
        "born": participant.birth_date_display,
        "team": team,
        "id": participant.pk,
    }


class MergeForm(Form):
    keep = forms.TypedChoiceField(
        label=_("Which registration is kept?"),
        help_text=_(
            "The other registration's cases, contacts, consents, documents and ESF records move to it."
        ),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the registration that is kept.")},
    )
    confirm = forms.BooleanField(
        label=_("I have checked that both registrations are the same person."),
        error_messages={"required": _("Confirm that both registrations are the same person.")},
    )

    def __init__(self, *args: Any, pair: DuplicatePair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pair = pair
        keep = self.fields["keep"]
        assert isinstance(keep, forms.TypedChoiceField)
        keep.choices = [(p.pk, _choice_label(p)) for p in (pair.first, pair.second)]

    def kept_and_merged(self) -> tuple[Participant, Participant]:
        keep = self.cleaned_data["keep"]
        first, second = self.pair.first, self.pair.second
        return (first, second) if keep == first.pk else (second, first)
