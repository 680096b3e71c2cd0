from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.core.admin import AuditedModelAdmin
from bruecke.core.views_helpers import local_next


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin has no sign-in of its own: its password form would skip throttling, the
    audit log and the second factor. Operators sign in like everyone else and come back."""
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(local_next(request, reverse("admin:index")))
        raise PermissionDenied  # signed in, but not an operator (no loop back to sign-in)
    return redirect_to_login(local_next(request, reverse("admin:index")), reverse("accounts:login"))


admin.site.login = admin_login  # type: ignore[method-assign]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Brücke", {"fields": ("language",)}))  # type: ignore[misc]
