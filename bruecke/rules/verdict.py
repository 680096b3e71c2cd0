"""The verdict of an answer in one plain line ("Ja, mit Erlaubnis der Ausländerbehörde –
Anspruch"), shown first on the answer page, in the compact opportunity panel and in the
printable summary. One function, so all three say the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bruecke.rules.types import Answer, Authority, DecisionType, Outcome

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The KERN colour of the verdict. An answer that hangs on unknown facts is a warning.
KINDS: dict[str, str] = {
    Outcome.ALLOWED: "success",
    Outcome.NEEDS_PERMISSION: "info",
    Outcome.NOT_YET: "warning",
    Outcome.BANNED: "danger",
}
OPEN_KIND = "warning"


@dataclass(frozen=True)
class Verdict:
    headline: str  # the plain answer, e.g. "Ja, ohne Erlaubnis (gesetzlich erlaubt)"
    kind: str  # KERN colour: success | info | warning | danger
    caveat: str = ""  # open judgement questions that may still change the answer


def _decision_word(decision: DecisionType) -> StrOrPromise:
    words: dict[str, StrOrPromise] = {
        DecisionType.ENTITLEMENT: _("entitlement"),
        DecisionType.REGULAR: _("as a rule (Soll)"),
        DecisionType.DISCRETION: _("at the authority's discretion"),
    }
    return words.get(decision, "")


def _with_permission(answer: Answer) -> str:
    if answer.authority == Authority.CENTRAL_ABH:
        text = _("Yes, with permission of the central Ausländerbehörde")
    elif answer.authority == Authority.ABH:
        text = _("Yes, with permission of the Ausländerbehörde")
    else:
        text = _("Yes, with permission")
    word = _decision_word(answer.decision)
    return f"{text} – {word}" if word else str(text)


def _headline(answer: Answer) -> str:
    if answer.outcome == Outcome.ALLOWED:
        return str(_("Yes, without permission (allowed by law)"))
    if answer.outcome == Outcome.NEEDS_PERMISSION:
        return _with_permission(answer)
    if answer.outcome == Outcome.NOT_YET:
        if answer.earliest is None:
            return str(_("Not yet"))
        return str(
            _("Not yet – from %(date)s at the earliest")
            % {"date": date_format(answer.earliest, "SHORT_DATE_FORMAT")}
        )
    return str(_("No – ban on employment"))


def verdict(answer: Answer) -> Verdict:
    """The verdict of `answer`. Unknown facts that change the answer (alternatives) make it
    open; open judgement questions leave it standing with a caveat."""
    if answer.alternatives:
        n = len(answer.alternatives)
        headline = ngettext("Open – depends on %(n)s question", "Open – depends on %(n)s questions", n) % {
            "n": n
        }
        return Verdict(headline=headline, kind=OPEN_KIND)
    caveat = ""
    if answer.open_questions:
        n = len(answer.open_questions)
        caveat = ngettext(
            "Subject to %(n)s open question below", "Subject to %(n)s open questions below", n
        ) % {"n": n}
    return Verdict(headline=_headline(answer), kind=KINDS[answer.outcome], caveat=caveat)
