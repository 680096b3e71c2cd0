"""Network administration forms. Choices are limited to the administrator's networks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.models import (
    ConsultationHour,
    Membership,
    MobileSite,
    Network,
    Office,
    Organisation,
    Team,
)


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d.%m.%Y", attrs={"placeholder": "TT.MM.JJJJ"}, **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


class ScopedForm(SubmitOnceMixin, VersionedFormMixin, ModelForm):  # stubs type `initial` differently
    """Limits every network/organisation/team/office/site choice to what `user` manages."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        networks = access.network_ids(user, Perm.MANAGE_NETWORK)
        scoped = {
            "network": Network.objects.filter(pk__in=networks),
            "organisation": Organisation.objects.filter(network_id__in=networks, is_active=True),
            "team": Team.objects.filter(network_id__in=networks, is_active=True),
            "office": Office.objects.filter(organisation__network_id__in=networks, is_active=True),
            "site": MobileSite.objects.filter(network_id__in=networks, is_active=True),
        }
        for name, queryset in scoped.items():
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = queryset
        if "network" in self.fields and len(networks) == 1 and not self.instance.pk:
            self.fields["network"].initial = next(iter(networks))


class OrganisationForm(ScopedForm):
    class Meta:
        model = Organisation
        fields = [
            "network",
            "name",
            "short_name",
            "is_lead_partner",
            "street",
            "postcode",
            "town",
            "privacy_officer",
            "supervisory_authority",
            "retention_years",
            "is_active",
        ]
        widgets = {
            "privacy_officer": forms.Textarea(attrs={"rows": 3, "maxlength": "500"}),
            "supervisory_authority": forms.Textarea(attrs={"rows": 3, "maxlength": "500"}),
        }


class OfficeForm(ScopedForm):
    class Meta:
        model = Office
        fields = ["organisation", "name", "street", "postcode", "town", "latitude", "longitude", "is_active"]


class TeamForm(ScopedForm):
    class Meta:
        model = Team
        fields = ["network", "name", "region", "office", "is_active"]


class MobileSiteForm(ScopedForm):
    class Meta:
        model = MobileSite
        fields = [
            "network",
            "name",
            "kind",
            "street",
            "postcode",
            "town",
            "latitude",
            "longitude",
            "notes",
            "is_active",
        ]


class ConsultationHourForm(ScopedForm):
    class Meta:
        model = ConsultationHour
        fields = [
            "team",
            "weekday",
            "start_time",
            "end_time",
            "recurrence",
            "valid_from",
            "valid_until",
            "note",
        ]
        widgets = {
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
        }

    def __init__(self, *args: Any, site: MobileSite, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.site = site
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = field.queryset.filter(network_id=site.network_id)  # type: ignore[union-attr]


class MembershipForm(ScopedForm):
    class Meta:
        model = Membership
        fields = ["organisation", "team", "role"]
        help_texts = {
            "team": _("Leave empty for a role across the whole organisation."),
        }


class StaffForm(SubmitOnceMixin, VersionedFormMixin, ModelForm):  # stubs type `initial` differently
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The invitation to set a password is sent here.")
