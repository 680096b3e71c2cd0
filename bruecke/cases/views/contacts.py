"""Recording a contact from the case page's quick form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.cases.forms.contacts import ContactForm
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.services import contacts as services
from bruecke.cases.views.common import acting_user
from bruecke.cases.views.page import case_page
from bruecke.core.access import Perm
from bruecke.core.forms import add_service_errors
from bruecke.core.submission import save_once
from bruecke.core.views_helpers import replay_redirect


@login_required
@require_POST
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk, Perm.RECORD_CASE_WORK)
    if (replayed := replay_redirect(request)) is not None:
        return replayed
    form = ContactForm(request.POST, case=case)
    if form.is_valid():
        try:
            target = save_once(
                request,
                lambda: services.contact_record(
                    actor=acting_user(request), contact=form.instance, topics=form.cleaned_data["topics"]
                ),
                lambda _contact: reverse("cases:detail", args=[case.pk]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact has been recorded."))
            return redirect(target)
    return case_page(request, case, contact_form=form, status=400)
