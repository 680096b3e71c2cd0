"""Temporary: a page for URL names the navigation needs before their area is built."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bruecke.core.access import Perm, require


@login_required
def placeholder(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VIEW_OFFERS)
    return render(request, "offers/placeholder.html")
