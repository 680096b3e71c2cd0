"""Every write of the projects and targets pages: validated, audited in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import formats
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.audit import audit_record
from bruecke.core.locking import check_version
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.network.models import Organisation
from bruecke.participants.models import Participant
from bruecke.projects.models import Project
from bruecke.reporting.models import ProjectTarget, TargetProgress


@transaction.atomic
def project_update(
    *,
    actor: User,
    project: Project,
    data: Mapping[str, Any],
    partners: Iterable[Organisation],
    expected_version: int | None,
) -> Project:
    """Changes the project's settings and partners. The funding period must still hold
    every participant's entry (a shorter period would silently drop them from the reports)."""
    chosen = sorted({o.pk for o in partners})
    if any(o.network_id != project.network_id for o in partners):
        raise ValidationError({"partners": _("Only partners of the project's network can take part.")})
    current = Project.objects.select_for_update().get(pk=project.pk)
    check_version(current, expected_version)
    _check_period(current, data)
    partners_changed = sorted(current.partners.values_list("id", flat=True)) != chosen
    saved, changed = model_update(actor=actor, instance=current, data=data, expected_version=expected_version)
    if partners_changed:
        saved.partners.set(chosen)
        if changed:
            # model_update audited the fields; the partners are one more changed field.
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, changed_fields=["partners"])
        else:
            Project.objects.filter(pk=saved.pk).update(version=saved.version + 1)
            saved.version += 1
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=saved, changed_fields=["partners"])
    return saved


def _check_period(project: Project, data: Mapping[str, Any]) -> None:
    starts_on = data.get("starts_on", project.starts_on)
    ends_on = data.get("ends_on", project.ends_on)
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end must be after the start.")})
    entries = Participant.objects.filter(project=project).aggregate(
        first=Min("entry_date"), last=Max("entry_date")
    )
    if entries["first"] and starts_on and starts_on > entries["first"]:
        raise ValidationError(
            {
                "starts_on": _("Participants entered the project on %(date)s: the start cannot be later.")
                % {"date": formats.date_format(entries["first"], "SHORT_DATE_FORMAT")}
            }
        )
    if entries["last"] and ends_on and ends_on < entries["last"]:
        raise ValidationError(
            {
                "ends_on": _("Participants entered the project on %(date)s: the end cannot be earlier.")
                % {"date": formats.date_format(entries["last"], "SHORT_DATE_FORMAT")}
            }
        )


@transaction.atomic
def target_create(*, actor: User, target: ProjectTarget) -> ProjectTarget:
    return model_create(actor=actor, instance=target)


@transaction.atomic
def target_update(
    *, actor: User, target: ProjectTarget, data: Mapping[str, Any], expected_version: int | None
) -> ProjectTarget:
    return model_update(actor=actor, instance=target, data=data, expected_version=expected_version)[0]


@transaction.atomic
def target_delete(*, actor: User, target: ProjectTarget) -> None:
    """Deletes the target and its hand-entered progress (each row audited as well)."""
    for row in target.progress.all():
        model_delete(actor=actor, instance=row)
    model_delete(actor=actor, instance=target)


@transaction.atomic
def progress_add(*, actor: User, progress: TargetProgress) -> TargetProgress:
    if progress.target.kind != "custom":
        raise ValidationError(_("Progress is entered by hand only for custom targets."))
    return model_create(actor=actor, instance=progress)
