"""The run records for operators, read-only: what each daily run did, and which notices
went out (record types and ids only)."""

from __future__ import annotations

from django.contrib import admin

from bruecke.core.admin import ReadOnlyAdmin
from bruecke.reminders.models import Notice, ScheduleRun


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ["run_on", "started_at", "finished_at", "outcome"]
    list_filter = ["outcome"]
    readonly_fields = ["run_on", "started_at", "finished_at", "outcome", "steps"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "object_type", "object_id", "occasion", "recipients"]
    list_filter = ["kind"]
