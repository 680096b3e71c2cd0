"""The ESF entry questionnaire of a participant, and the list of incomplete entry data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.core.views_helpers import edit_page, model_data, paginate
from bruecke.esf import selectors, services
from bruecke.esf.forms import EntryRecordForm
from bruecke.esf.models import EntryRecord, derived_rural, missing_fields, third_country_national
from bruecke.participants.selectors import participant_get
from bruecke.projects.models import EsfVariant


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    record = selectors.entry_record_of(participant)
    if request.method == "GET":
        audit_read(actor=_user(request), obj=record or participant)
    variant = selectors.variant_of(participant)
    instance = record or EntryRecord(participant=participant, organisation=participant.organisation)
    # Version 0: the page was loaded before anyone filled in the questionnaire.
    version = record.version if record else 0
    form = EntryRecordForm(request.POST or None, instance=instance, variant=variant, version=version)
    detail_url = reverse("participants:detail", args=[participant.pk])
    return edit_page(
        request,
        form=form,
        save=lambda: services.entry_record_save(
            actor=_user(request),
            participant=participant,
            data={**model_data(form), "further_citizenships": form.cleaned_data["further_citizenships"]},
            expected_version=form.loaded_version,
        ),
        success=lambda saved: detail_url,
        title=_("ESF entry questionnaire: %(name)s") % {"name": participant.full_name},
        template="esf/entry.html",
        context={
            "participant": participant,
            "variant_label": EsfVariant(variant).label,
            "third_country_national": (
                instance.third_country_national if record else third_country_national(participant.nationality)
            ),
            "rural_derived": derived_rural(participant.town),
            "missing_labels": selectors.missing_labels(missing_fields(participant, record)),
            "cancel_url": detail_url,
        },
    )


@login_required
def incomplete_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    page = paginate(request, selectors.incomplete_entries(request.user))
    rows = [(p, selectors.missing_labels(selectors.row_missing(p))) for p in page]
    audit_read_all(actor=_user(request), objs=page)
    return render(request, "esf/incomplete.html", {"page": page, "rows": rows})
