from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from bruecke.accounts.models import User
from bruecke.core.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Brücke", {"fields": ("language",)}))  # type: ignore[misc]
