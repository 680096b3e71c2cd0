"""The spreadsheets app's background jobs (found by bruecke.jobs at start-up)."""

from bruecke.spreadsheets.exporting import job as list_export_job

__all__ = ["list_export_job"]
