"""The next step for the counsellor after an answer: what to apply for, where, with which
documents, what the BA checks and how long it usually takes. The organisation's own
notes (AuthorityNote) replace the built-in general texts where configured."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bruecke.rules.models import AuthorityNote, NoteStep
from bruecke.rules.types import Activity, Answer, Authority, Outcome, PriorityCheck

if TYPE_CHECKING:
    from bruecke.network.models import Organisation

FEG_IN_FORCE = datetime.date(2020, 3, 1)  # Fachkräfteeinwanderungsgesetz: § 39 AufenthG new
TRAINING = frozenset({Activity.DUAL_TRAINING, Activity.SCHOOL_TRAINING})


@dataclass(frozen=True)
class NextStep:
    action: str  # what to do, in one sentence
    apply_for: str = ""  # e.g. "Beschäftigungserlaubnis"; empty: nothing to apply for
    where: str = ""  # the authority
    contact: str = ""  # the organisation's note on the authority
    documents: tuple[str, ...] = ()
    ba_checks: tuple[str, ...] = ()
    durations: tuple[str, ...] = ()
    configured: bool = False  # True: the organisation's own note is used


def notes_for(organisation: Organisation | None) -> dict[str, AuthorityNote]:
    if organisation is None:
        return {}
    return {note.step: note for note in AuthorityNote.objects.filter(organisation=organisation)}


def _apply_for(answer: Answer) -> str:
    codes = {g.code for g in answer.grounds}
    if "special_duldung_60c" in codes:
        return str(_("Ausbildungsduldung (§ 60c AufenthG) with the permission for the training"))
    if "special_duldung_60d" in codes:
        return str(_("Beschäftigungsduldung (§ 60d AufenthG)"))
    if answer.activity == Activity.SELF_EMPLOYMENT:
        return str(_("Permission for self-employment"))
    return str(_("Beschäftigungserlaubnis (permission to take up the activity)"))


def _where(answer: Answer) -> str:
    if answer.authority == Authority.CENTRAL_ABH:
        return str(_("The central Ausländerbehörde (while the person must live in the reception centre)"))
    return str(_("The Ausländerbehörde responsible for the person's place of residence"))


def _default_documents(answer: Answer) -> tuple[str, ...]:
    contract = (
        _("the training contract (or the training provider's written offer)")
        if answer.activity in TRAINING
        else _("the employment contract or a binding job offer")
    )
    documents = [
        str(_("the residence document (Duldung, Aufenthaltsgestattung or title) and passport if any")),
        str(contract),
    ]
    if answer.ba_approval:
        documents.append(
            str(_("the BA form “Erklärung zum Beschäftigungsverhältnis”, completed by the employer"))
        )
    return tuple(documents)


def _ba_checks(answer: Answer) -> tuple[str, ...]:
    if not answer.ba_approval:
        return ()
    # § 39 AufenthG was rewritten on 1 Mar 2020; the Absatz of the older version is not
    # verified in the research, so older answers cite the paragraph only.
    norm = "§ 39 Abs. 3 Nr. 1 AufenthG" if answer.on >= FEG_IN_FORCE else "§ 39 AufenthG a.F."
    checks = [
        str(
            _(
                "Working conditions: pay, hours and other conditions no worse than for comparable"
                " German workers (%(norm)s)."
            )
            % {"norm": norm}
        ),
    ]
    if answer.priority_check == PriorityCheck.REQUIRED:
        checks.append(str(_("Priority check: whether a preferred worker is available (see the reasons).")))
    checks.append(
        str(_("The approval is deemed given if the BA does not answer within 2 weeks (§ 36 Abs. 2 BeschV)."))
    )
    return tuple(checks)


def _text(notes: dict[str, AuthorityNote], step: str, attribute: str) -> str:
    note = notes.get(step)
    return getattr(note, attribute, "") if note is not None else ""


def _durations(answer: Answer, notes: dict[str, AuthorityNote], step: str) -> tuple[str, ...]:
    abh = _text(notes, step, "duration") or str(
        _("Ausländerbehörde: usually several weeks; ask there for the current processing time.")
    )
    if not answer.ba_approval:
        return (abh,)
    ba = _text(notes, NoteStep.BA, "duration") or str(
        _("BA: at most 2 weeks, then the approval is deemed given.")
    )
    return (abh, ba)


def _application(answer: Answer, notes: dict[str, AuthorityNote], action: str) -> NextStep:
    step = NoteStep.CENTRAL_ABH if answer.authority == Authority.CENTRAL_ABH else NoteStep.ABH
    configured_documents = _text(notes, step, "documents")
    return NextStep(
        action=action,
        apply_for=_apply_for(answer),
        where=_where(answer),
        contact=_text(notes, step, "contact"),
        documents=(configured_documents,) if configured_documents else _default_documents(answer),
        ba_checks=_ba_checks(answer),
        durations=_durations(answer, notes, step),
        configured=step in notes or NoteStep.BA in notes,
    )


def next_step(answer: Answer, notes: dict[str, AuthorityNote] | None = None) -> NextStep:
    """The next step for `answer`; `notes` are the organisation's notes by step."""
    notes = notes or {}
    if answer.outcome == Outcome.ALLOWED:
        return NextStep(
            action=str(
                _(
                    "Nothing to apply for: the activity may start. Keep a copy of the residence"
                    " document in the file."
                )
            ),
            documents=(str(_("a copy of the residence document for the file")),),
        )
    if answer.outcome == Outcome.BANNED:
        return NextStep(
            action=str(
                _(
                    "Nothing can be applied for now. Check the facts below; a change of status"
                    " changes the answer."
                )
            ),
        )
    if answer.outcome == Outcome.NOT_YET and answer.earliest is not None:
        date = date_format(answer.earliest, "SHORT_DATE_FORMAT")
        action = str(
            _("Prepare the application now so that the activity can start on %(date)s.") % {"date": date}
        )
        return _application(answer, notes, action)
    if answer.outcome == Outcome.NOT_YET:
        return _application(
            answer, notes, str(_("A waiting period has not ended yet. Prepare the application."))
        )
    return _application(
        answer,
        notes,
        str(_("Apply before the activity starts; it must not start before the permission is granted.")),
    )
