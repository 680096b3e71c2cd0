"""The run records for operators, read-only: what each daily run did, and which notices
went out (record types and ids only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bruecke.reminders.models import Notice, ScheduleRun


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ["run_on", "started_at", "finished_at", "outcome"]
    list_filter = ["outcome"]
    readonly_fields = ["run_on", "started_at", "finished_at", "outcome", "steps"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "object_type", "object_id", "occasion", "recipients"]
    list_filter = ["kind"]
