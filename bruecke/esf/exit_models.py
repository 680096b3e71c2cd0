"""ESF evidence at and after exit: the exit questionnaire and the 6-month follow-up.

Kept in the esf app, apart from the counselling data, for the same reason as the entry
record: the funder's retention period applies. One exit record per closed case (a person
re-entering gets a new case, and the latest exit is the participation's exit, §11.1).
The result indicators are derived in `bruecke.esf.results`; the exit services store them
on the record for the indicator report (decision 0049).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel
from bruecke.esf import results
from bruecke.participants.models import Participant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ExitReason(models.TextChoices):
    COMPLETED = "completed", _("support completed as planned")
    EARLY_JOB = "early_job", _("left early: took up a job")
    EARLY_TRAINING = "early_training", _("left early: started training or education")
    EARLY_OTHER = "early_other", _("left early: other reason")
    MOVED = "moved", _("moved away")
    DECEASED = "deceased", _("deceased")
    UNKNOWN = "unknown", _("contact lost, reason unknown")


# Exits after which nobody can be asked: the questionnaire's answers are optional.
NO_ANSWERS_EXPECTED = frozenset({ExitReason.DECEASED, ExitReason.UNKNOWN})


class SituationType(models.TextChoices):
    EMPLOYED = results.EMPLOYED, _("employed")
    SELF_EMPLOYED = results.SELF_EMPLOYED, _("self-employed")
    JOB_SEARCHING = results.JOB_SEARCHING, _("looking for work (not registered unemployed)")
    UNEMPLOYED_REGISTERED = results.UNEMPLOYED_REGISTERED, _("registered unemployed")
    EDUCATION_TRAINING = results.EDUCATION_TRAINING, _("in education or training (e.g. course, retraining)")
    APPRENTICESHIP = results.APPRENTICESHIP, _("in-company apprenticeship")
    SCHOOL = results.SCHOOL, _("at school or university")
    INACTIVE = results.INACTIVE, _("neither working nor looking for work")


class FollowUpAnswer(models.TextChoices):
    YES = results.ANSWER_YES, _("yes, in employment (including self-employment)")
    NO = results.ANSWER_NO, _("no, not in employment")
    NO_RESPONSE = results.NO_RESPONSE, _("no response (could not be reached or did not answer)")


class Improvement(models.TextChoices):
    PRECARIOUS_TO_STABLE = "precarious_to_stable", _("from precarious to stable employment")
    UNDER_TO_FULL = "under_to_full", _("from underemployment to full employment")
    HIGHER_SKILLED = "higher_skilled", _("job requiring higher skills or qualifications")
    PROMOTION = "promotion", _("promotion (more responsibility)")


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class ExitRecord(VersionedModel, OrganisationScopedModel):
    """The exit and the ESF exit questionnaire of one closed case."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="esf_exit", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="esf_exits", verbose_name=_("participant")
    )
    exit_date = models.DateField(
        _("exit date"), help_text=_("The last day of support, whether it was completed or not.")
    )
    exit_reason = models.CharField(_("reason for the exit"), max_length=16, choices=ExitReason.choices)
    status_collected_on = models.DateField(
        _("situation collected on"),
        null=True,
        blank=True,
        help_text=_("The day the participant's situation after exit was asked or confirmed."),
    )
    qualification_gained = models.BooleanField(
        _("qualification gained"),
        null=True,
        blank=True,
        help_text=_(
            "A qualification formally assessed against a standard by a competent body (e.g. a "
            "certificate, a recognised language exam), gained from the entry into the project "
            "up to 4 weeks after exit."
        ),
    )
    qualification_on = models.DateField(_("qualification gained on"), null=True, blank=True)
    # The results of this exit (bruecke.esf.results), kept up to date by the exit services in
    # the same transaction as every change of the record, its situations or follow-ups, so
    # the indicator report can count them in SQL (decision 0049). Never edited directly.
    result_labour_market = models.CharField(  # EECR01 / EECR04 / ""
        _("labour-market result upon leaving"), max_length=8, blank=True, editable=False
    )
    result_education = models.BooleanField(  # EECR02
        _("in education or training upon leaving"), default=False, editable=False
    )
    result_qualification = models.BooleanField(  # EECR03
        _("gained a qualification upon leaving"), default=False, editable=False
    )
    result_same_day_conflict = models.BooleanField(_("same-day conflict"), default=False, editable=False)
    # "" = not in the base of the six-month results (no counting answer, or no response).
    follow_up_result = models.CharField(  # "yes" / "no"
        _("in employment six months after leaving"), max_length=12, blank=True, editable=False
    )
    follow_up_improved = models.BooleanField(  # EECR06
        _("improved labour-market situation six months after leaving"), default=False, editable=False
    )

    class Meta:
        # The report finds each participant's final exit by (participant, exit date).
        indexes = [models.Index(fields=["participant", "exit_date"], name="esf_exit_participant_date")]
        verbose_name = _("ESF exit questionnaire")
        verbose_name_plural = _("ESF exit questionnaires")

    def __str__(self) -> str:
        return f"ESF exit #{self.pk}"

    @property
    def answers_expected(self) -> bool:
        return self.exit_reason not in NO_ANSWERS_EXPECTED

    @property
    def situation_required_now(self) -> bool:
        """§11.6: the situation after exit may be collected until the 4-week window ends, so
        it is not forced on the day of closing; once the window is over it is missing."""
        return self.answers_expected and bool(self.exit_date) and timezone.localdate() > self.window_end

    @property
    def window_end(self) -> datetime.date:
        return results.exit_window(self.exit_date)[1]

    @property
    def follow_up_due(self) -> datetime.date:
        return results.follow_up_reference_date(self.exit_date)

    @property
    def collected_late(self) -> bool:
        """§8.2: collected after the 4-week window (accepted, shown as a quality flag)."""
        return bool(
            self.status_collected_on and self.exit_date and self.status_collected_on > self.window_end
        )

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.exit_date:
            errors |= self._exit_date_errors()
            errors |= self._qualification_errors()
            if self.status_collected_on and "exit_date" not in errors:
                errors |= self._collected_errors(self.status_collected_on)
        if self.answers_expected and self.qualification_gained is None:
            errors.setdefault(
                "qualification_gained", _("Required answer at exit: was a qualification gained?")
            )
        if errors:
            raise ValidationError(errors)

    def _exit_date_errors(self) -> dict[str, StrOrPromise]:
        opened_on = self.case.opened_on if self.case_id else None
        entry = self.participant.entry_date if self.participant_id else None
        if self.exit_date > timezone.localdate():
            return {"exit_date": _("The exit date cannot be in the future.")}
        if opened_on and self.exit_date < opened_on:
            return {
                "exit_date": _("The exit date cannot be before the case was opened (%(date)s).")
                % {"date": _date(opened_on)}
            }
        if entry and self.exit_date < entry:
            return {
                "exit_date": _("The exit date cannot be before the entry into the project (%(date)s).")
                % {"date": _date(entry)}
            }
        return {}

    def _collected_errors(self, collected: datetime.date) -> dict[str, StrOrPromise]:
        if collected > timezone.localdate():
            return {"status_collected_on": _("The date cannot be in the future.")}
        if collected < self.exit_date:
            return {"status_collected_on": _("The situation after exit cannot be collected before the exit.")}
        return {}

    def _qualification_errors(self) -> dict[str, StrOrPromise]:
        gained_on = self.qualification_on
        if self.qualification_gained and gained_on is None:
            return {"qualification_on": _("Please enter when the qualification was gained.")}
        if gained_on is None:
            return {}
        if not self.qualification_gained:
            return {"qualification_on": _("Leave empty unless a qualification was gained.")}
        if gained_on > timezone.localdate():
            return {"qualification_on": _("The date cannot be in the future.")}
        entry = self.participant.entry_date if self.participant_id else self.exit_date
        if not results.qualification_counts(entry, self.exit_date, gained_on):
            return {
                "qualification_on": _(
                    "Only a qualification gained from the entry into the project (%(start)s) to "
                    "4 weeks after exit (%(end)s) is recorded here."
                )
                % {"start": _date(entry), "end": _date(self.window_end)}
            }
        return {}


def situation_error(
    *, exit_date: datetime.date, collected_on: datetime.date | None, day: datetime.date
) -> StrOrPromise | None:
    """Why a situation's date is refused, or None (§11.6: the 28-day window, both ends included)."""
    if day > timezone.localdate():
        return _("The date cannot be in the future: record the situation once it has begun.")
    start, end = results.exit_window(exit_date)
    if not start <= day <= end:
        return _(
            "Only situations from the exit date (%(start)s) to 4 weeks later (%(end)s) are recorded here."
        ) % {"start": _date(start), "end": _date(end)}
    if collected_on and day > collected_on:
        return _("The situation cannot begin after the date it was collected (%(date)s).") % {
            "date": _date(collected_on)
        }
    return None


class ExitSituation(models.Model):
    """A situation the participant was in after exit, dated (e.g. a job from the 10th)."""

    exit_record = models.ForeignKey(
        ExitRecord, on_delete=models.CASCADE, related_name="situations", verbose_name=_("exit record")
    )
    date = models.DateField(_("since"))
    kind = models.CharField(_("situation"), max_length=24, choices=SituationType.choices)

    class Meta:
        # The id is the recording order: on a same-day conflict the later-recorded row wins.
        ordering = ["date", "id"]
        verbose_name = _("situation after exit")
        verbose_name_plural = _("situations after exit")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.kind}"

    def as_result_input(self) -> results.Situation:
        return results.Situation(date=self.date, kind=self.kind, order=self.pk or 0)


class FollowUp(VersionedModel, OrganisationScopedModel):
    """An answer to the follow-up about six months after exit (§11.8); several may exist."""

    exit_record = models.ForeignKey(
        ExitRecord, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("exit record")
    )
    answered_on = models.DateField(_("answered on"))
    employed = models.CharField(
        _("in employment six months after exit"), max_length=12, choices=FollowUpAnswer.choices
    )
    self_employed = models.BooleanField(_("self-employed"), default=False)
    improvements = models.JSONField(_("improvements since entry"), default=list, blank=True)
    note = EncryptedTextField(
        _("note"), max_length=2000, blank=True, help_text=_("Optional; stored encrypted.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["answered_on", "id"]
        verbose_name = _("follow-up after exit")
        verbose_name_plural = _("follow-ups after exit")

    def __str__(self) -> str:
        return f"Follow-up #{self.pk}"

    @property
    def counts(self) -> bool:
        return results.follow_up_counts(self.exit_record.exit_date, self.answered_on)

    def improvement_labels(self) -> list[str]:
        return [str(Improvement(key).label) for key in self.improvements if key in Improvement.values]

    def as_result_input(self) -> results.FollowUpAnswer:
        return results.FollowUpAnswer(
            answered_on=self.answered_on,
            employed=self.employed,
            improved=bool(self.improvements),
            order=self.pk or 0,
        )

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        exit_date = self.exit_record.exit_date if self.exit_record_id else None
        if self.answered_on and self.answered_on > timezone.localdate():
            errors["answered_on"] = _("The date cannot be in the future.")
        elif self.answered_on and exit_date and self.answered_on < exit_date:
            errors["answered_on"] = _("The follow-up cannot be answered before the exit (%(date)s).") % {
                "date": _date(exit_date)
            }
        unknown = [key for key in self.improvements or [] if key not in Improvement.values]
        if not isinstance(self.improvements, list) or unknown:
            errors["improvements"] = _("Please choose from the listed improvements.")
        elif self.employed != FollowUpAnswer.YES and (self.improvements or self.self_employed):
            errors["employed"] = _(
                "Self-employment and improvements can only be recorded for people in employment."
            )
        if errors:
            raise ValidationError(errors)


INDICATOR_LABELS: dict[str, StrOrPromise] = {
    results.EECR01: _("looking for work upon leaving"),
    results.EECR02: _("in education or training upon leaving"),
    results.EECR03: _("gained a qualification upon leaving"),
    results.EECR04: _("in employment (including self-employment) upon leaving"),
    results.EECR05: _("in employment six months after leaving"),
    results.EECR06: _("improved labour-market situation six months after leaving"),
}
IMMEDIATE_CODES = (results.EECR01, results.EECR02, results.EECR03, results.EECR04)
LONGER_TERM_CODES = (results.EECR05, results.EECR06)
