"""The organisation's notes on the offices, shown in the next step of every answer
(decision 0060). Edited by the organisation's administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.views_helpers import edit_page
from bruecke.rules import services
from bruecke.rules.models import AuthorityNote, NoteStep
from bruecke.rules.noteforms import AuthorityNoteForm


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def notes(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.MANAGE_NETWORK)
    organisations = list(access.authority_note_organisations(request.user).order_by("name"))
    saved = {
        (n.organisation_id, n.step): n for n in AuthorityNote.objects.filter(organisation__in=organisations)
    }
    rows = [
        {"organisation": o, "step": step, "label": label, "note": saved.get((o.pk, step))}
        for o in organisations
        for step, label in NoteStep.choices
    ]
    return render(request, "rules/notes.html", {"rows": rows})


@login_required
def note_edit(request: HttpRequest, organisation: int, step: str) -> HttpResponse:
    if step not in NoteStep.values:
        raise Http404
    owner = access.get_or_404(access.authority_note_organisations(request.user), pk=organisation)
    note = AuthorityNote.objects.filter(organisation=owner, step=step).first()
    form = AuthorityNoteForm(request.POST or None, note=note)
    return edit_page(
        request,
        form=form,
        save=lambda: services.authority_note_save(
            actor=_user(request),
            organisation=owner,
            step=step,
            data=form.data_for_service(),
            expected_version=form.cleaned_data.get("version"),
        ),
        success=lambda _note: reverse("rules:notes"),
        title=_("Note on %(office)s – %(organisation)s")
        % {"office": NoteStep(step).label, "organisation": owner},
        context={"cancel_url": reverse("rules:notes")},
    )
