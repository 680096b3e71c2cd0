"""Opening a case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.cases.forms.cases import CaseForm
from bruecke.cases.services import cases as services
from bruecke.cases.views.common import acting_user
from bruecke.core.access import Perm
from bruecke.core.views_helpers import edit_page
from bruecke.participants.selectors import participant_get


@login_required
def case_open(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = participant_get(request.user, participant_pk, Perm.EDIT_PARTICIPANTS)
    form = CaseForm(request.POST or None, participant=participant, user=acting_user(request))
    return edit_page(
        request,
        form=form,
        save=lambda: services.case_open(actor=acting_user(request), case=form.instance),
        success=lambda case: reverse("cases:detail", args=[case.pk]),
        title=_("Open a case for %(name)s") % {"name": participant.full_name},
        context={"cancel_url": reverse("participants:detail", args=[participant.pk])},
        shows=participant,
    )
