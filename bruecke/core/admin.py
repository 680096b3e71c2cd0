"""Django admin for operators (superusers): audited like every other write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction, AuditEvent


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Admin saves run in the admin's transaction; the audit event joins it."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        super().save_model(request, obj, form, change)
        action = AuditAction.UPDATE if change else AuditAction.CREATE
        audit_record(actor=request.user, action=action, obj=obj, changed_fields=form.changed_data)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit_record(actor=request.user, action=AuditAction.DELETE, obj=obj)
        super().delete_model(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # records are deactivated, not deleted


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Records written only by the application (audit, run records): operators read them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "request_id"]
    list_filter = ["action", "object_type"]
