"""The two decisions on a cross-partner notice: the same person, or not the same person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.accounts.models import User
from bruecke.dedupe.crosspartner import selectors, services
from bruecke.dedupe.models import CrossMatchStatus


def _decide(request: HttpRequest, participant: int, match: int, status: str) -> HttpResponse:
    side, found = selectors.match_for_side(request.user, participant, match)
    actor = request.user
    assert isinstance(actor, User)  # login_required
    services.match_decide(actor=actor, match=found, side=side, status=status)
    if status == CrossMatchStatus.CONFIRMED:
        messages.success(request, _("Recorded: the same person. The notice is closed at both partners."))
    else:
        messages.success(request, _("Recorded: not the same person. This notice will not appear again."))
    return redirect(reverse("participants:detail", args=[side.pk]) + "#cross-partner")


@login_required
@require_POST
def match_confirm(request: HttpRequest, participant: int, match: int) -> HttpResponse:
    return _decide(request, participant, match, CrossMatchStatus.CONFIRMED)


@login_required
@require_POST
def match_dismiss(request: HttpRequest, participant: int, match: int) -> HttpResponse:
    return _decide(request, participant, match, CrossMatchStatus.DISMISSED)
