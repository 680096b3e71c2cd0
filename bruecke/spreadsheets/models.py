"""Imports from spreadsheets: saved mappings, one run per uploaded file with its row
results, and the external ids that make a re-import change nothing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.network.models import Organisation


class ImportMapping(models.Model):
    """A named column and value mapping of one organisation for one entity type, saved for
    the next file of the same layout."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    entity = models.CharField(_("data type"), max_length=40)
    name = models.CharField(_("name of the mapping"), max_length=100)
    # Column key of the entity -> header text of the file.
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    # Column key -> {word of the file, case-folded: allowed code}.
    values = models.JSONField(_("value mapping"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entity", "name"], name="import_mapping_unique_name"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RunState(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    CHECKING = "checking", _("dry run running")
    CHECKED = "checked", _("dry run without errors")
    HAS_ERRORS = "has_errors", _("dry run found errors")
    IMPORTING = "importing", _("import running")
    IMPORTED = "imported", _("imported")
    REJECTED = "rejected", _("not imported (errors)")


class ImportRun(models.Model):
    """One uploaded file on its way through mapping, dry run and import. The file itself is
    kept encrypted outside the database until the import is done or the run expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    entity = models.CharField(_("data type"), max_length=40)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("checksum of the file (SHA-256)"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    # Name of the encrypted copy in IMPORT_FILES_DIR; empty once it is deleted.
    stored_name = models.CharField(_("stored copy"), max_length=100, blank=True)
    sheet = models.CharField(_("worksheet"), max_length=100, blank=True)
    # The worksheets of a workbook in their order ([] for a CSV file), for the choice.
    sheets = models.JSONField(_("worksheets"), default=list, blank=True)
    # Data rows of the file (of its sheet) once counted: the total of the progress bar.
    row_count = models.PositiveIntegerField(_("rows of the file"), null=True, blank=True)
    # The distinct words of the value-mapped (choice) columns, for the value mapping:
    # {"sheet": …, "columns": {key: header}, "words": {key: {"words": [[word, count], …],
    # "capped": bool}}}. Only code-like columns; never names or free text.
    value_listing = models.JSONField(_("words of the choice columns"), default=dict, blank=True)
    listing_job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job listing the words"),
    )
    headers = models.JSONField(_("column headers"), default=list, blank=True)
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    values = models.JSONField(_("value mapping"), default=dict, blank=True)
    mapping = models.ForeignKey(
        ImportMapping,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved mapping"),
    )
    # The language of the user at upload: row errors are written in it.
    language = models.CharField(_("language"), max_length=8, default="de")
    state = models.CharField(_("state"), max_length=20, choices=RunState.choices, default=RunState.UPLOADED)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    # rows, created, updated, unchanged, errors (numbers only).
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_run_by_user")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.entity} {self.created_at:%Y-%m-%d %H:%M}"


class RowOutcome(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    UNCHANGED = "unchanged", _("unchanged")
    ERROR = "error", _("error")


class ImportRow(models.Model):
    """The result of one row of the latest dry run or import of a run."""

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    row_number = models.PositiveIntegerField(_("row"))
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    outcome = models.CharField(_("result"), max_length=10, choices=RowOutcome.choices)
    object_id = models.BigIntegerField(_("record number"), null=True, blank=True)
    # [{"column": header of the file or "", "message": text in the run's language}]
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("row of a spreadsheet import")
        verbose_name_plural = _("rows of a spreadsheet import")
        indexes = [models.Index(fields=["run", "outcome", "row_number"], name="import_row_by_outcome")]
        ordering = ["row_number"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.outcome}"


class ExternalKey(models.Model):
    """The id a record had in the old spreadsheet (a row or person number), per
    organisation and entity type, with the hash of the row last imported: the same row
    again changes nothing."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    entity = models.CharField(_("data type"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=200)
    object_id = models.BigIntegerField(_("record number"))
    row_hash = models.CharField(_("checksum of the row"), max_length=64)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("external id of a record")
        verbose_name_plural = _("external ids of records")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entity", "external_id"], name="external_key_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "entity", "object_id"], name="external_key_object")]

    def __str__(self) -> str:
        return f"{self.entity} {self.external_id}"


class ImportDuplicate(models.Model):
    """A probable duplicate the latest dry run of a participant file found: a row of the
    file and another row of it, or a registration (by number only: names and other personal
    data are read when shown, and only if the user may see the registration)."""

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="duplicates", verbose_name=_("import")
    )
    row_number = models.PositiveIntegerField(_("row"))
    other_row_number = models.PositiveIntegerField(_("other row of the file"), null=True, blank=True)
    participant_number = models.BigIntegerField(_("number of the registration"), null=True, blank=True)
    weight = models.FloatField(_("match weight"))
    # Per comparison: level id and weight (never the compared values themselves).
    evidence = models.JSONField(_("evidence"), default=list, blank=True)

    class Meta:
        verbose_name = _("possible duplicate in a spreadsheet import")
        verbose_name_plural = _("possible duplicates in a spreadsheet import")
        ordering = ["row_number", "-weight", "id"]
        indexes = [models.Index(fields=["run", "row_number"], name="import_duplicate_by_row")]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.other_row_number or self.participant_number}"
