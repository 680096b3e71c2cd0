"""Translated texts for the engine's codes (the engine itself returns codes only)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bruecke.rules.types import Activity, Authority, DecisionType, Ground, Outcome

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from bruecke.rules.priority import PriorityRule

ACTIVITIES: dict[str, StrOrPromise] = {
    Activity.EMPLOYMENT: _("Employment (a job)"),  # neutral: the answer says whether the BA approves
    Activity.DUAL_TRAINING: _("Dual vocational training (in a company)"),
    Activity.SCHOOL_TRAINING: _("School-based vocational training"),
    Activity.INTERNSHIP_MANDATORY: _("Mandatory internship (school, training or study rules)"),
    Activity.INTERNSHIP_ORIENTATION: _("Orientation internship of up to 3 months"),
    Activity.INTERNSHIP_ACCOMPANYING: _("Training-accompanying internship of up to 3 months"),
    Activity.INTERNSHIP_PREPARATION: _("Einstiegsqualifizierung / vocational preparation"),
    Activity.INTERNSHIP_OTHER: _("Other internship"),
    Activity.VOLUNTEER_SERVICE: _("Federal volunteer service / voluntary social year (BFD/FSJ)"),
    Activity.SELF_EMPLOYMENT: _("Self-employment"),
    Activity.JOB_SHADOWING: _("Job shadowing (Hospitation)"),
    Activity.VOLUNTEERING: _("Unpaid volunteering (Ehrenamt)"),
}

OUTCOMES: dict[str, StrOrPromise] = {
    Outcome.ALLOWED: _("Allowed by law"),
    Outcome.NEEDS_PERMISSION: _("Needs permission"),
    Outcome.NOT_YET: _("Not yet"),
    Outcome.BANNED: _("Banned"),
}

DECISIONS: dict[str, StrOrPromise] = {
    DecisionType.BY_LAW: _("by law"),
    DecisionType.ENTITLEMENT: _("entitlement (Anspruch)"),
    DecisionType.REGULAR: _("regular entitlement (Soll)"),
    DecisionType.DISCRETION: _("discretion (Kann)"),
    DecisionType.BAN: _("ban"),
}

AUTHORITIES: dict[str, StrOrPromise] = {
    Authority.NONE: _("no authority"),
    Authority.ABH: _("Ausländerbehörde"),
    Authority.CENTRAL_ABH: _("central Ausländerbehörde"),
}

SAFE_LISTS: dict[str, StrOrPromise] = {
    "national": _("national list (Anlage II § 29a AsylG)"),
    "ordinance": _("ordinance list (§ 29b AsylG)"),
    "eu": _("EU list (Reg. 2024/1348)"),
}

WAITS: dict[str, StrOrPromise] = {
    "eae_asylum": _("Waiting period in the reception centre from the asylum application"),
    "eae_registration": _("Waiting period from the registration of the asylum application"),
    "eae_registration_dublin": _(
        "Waiting period from registration (Dublin case or protection in another state)"
    ),
    "stay": _("Waiting period of permitted, tolerated or gestattet stay"),
    "eae_duldung": _("Waiting period of Duldung in the reception centre"),
    "eae_duldung_short": _("Shorter waiting period of Duldung (passport or vocational training)"),
    "four_years": _("Four years of stay: after that no job needs BA approval"),
    "priority_free": _("Stay after which the BA makes no priority check"),
    "reception_obligation": _("Longest possible obligation to live in a reception centre (§ 47 AsylG)"),
}

PRIORITY_STATES: dict[str, StrOrPromise] = {
    "required": _("yes: the BA checks whether a preferred worker is available"),
    "none": _("no"),
    "open": _("depends on the employment agency district of the workplace"),
}

GROUNDS: dict[str, StrOrPromise] = {
    "priority_abolished": _("The BA makes no priority check for Gestattung and Duldung (since 6 Aug 2019)."),
    "priority_after_stay": _("No priority check after this many months of stay"),
    "priority_required": _("The BA's approval includes a priority check (Vorrangprüfung)."),
    "priority_district_free": _("No priority check: the workplace is in a district listed in the annex."),
    "priority_district_checked": _("Priority check: the workplace is in a district not listed in the annex"),
    "priority_district_unknown": _(
        "Whether the BA makes a priority check depends on the employment agency district of the"
        " workplace: enter it in the facts."
    ),
    "priority_exception": _("No priority check for this kind of job (your answer)."),
    "not_employment": _("This activity is not employment: no permission is needed."),
    "title_by_law": _("The residence title allows any gainful activity by law."),
    "title_purpose": _("The title was issued for this activity; it is allowed by law."),
    "title_other_purpose": _("The title is tied to another purpose: this activity needs a permission."),
    "status_ban": _("This status bans any gainful activity."),
    "no_self_employment": _(
        "Without a residence title only employment can be permitted, never self-employment."
    ),
    "judged_ban": _("Your answer to a judgement question means a ban applies."),
    "waiting": _("A waiting period has not ended yet."),
    "permission_needed": _("The Ausländerbehörde must permit the concrete job."),
    "special_duldung_60c": _("The permission for the training is granted with the Ausbildungsduldung."),
    "special_duldung_60d": _("The Beschäftigungsduldung rests on the current job."),
    "special_training_duldung_old": _(
        "Ausbildungsduldung under the old § 60a(2) S. 4 AufenthG (before § 60c, until 31 Dec 2019)."
    ),
    "safe_country_asylum": _(
        "Ban for nationals of safe countries of origin who applied for asylum after 31 Aug 2015."
    ),
    "safe_country_duldung": _("Ban for nationals of safe countries of origin (§ 60a(6) Nr. 3 AufenthG)."),
    "manifestly_unfounded": _("Ban: the application was rejected as manifestly unfounded or inadmissible."),
    "accelerated_procedure": _("No permission while the accelerated procedure is applied."),
    "decision_by_law": _("Decision type: by law."),
    "decision_entitlement": _("Decision type: entitlement – the permission is to be granted."),
    "decision_regular": _("Decision type: regular entitlement – granted unless the case is atypical."),
    "decision_discretion": _("Decision type: discretion of the authority."),
    "decision_ban": _("Decision type: ban."),
    "authority_none": _("No authority has to decide."),
    "authority_abh": _("The local Ausländerbehörde decides."),
    "authority_central_abh": _(
        "The central Ausländerbehörde decides while the person must live in the reception centre."
    ),
    "ba_none": _("No BA approval."),
    "ba_required": _("BA approval needed (deemed given if the BA does not answer within 2 weeks)."),
    "ba_free_status": _("No BA approval for this status."),
    "ba_four_years": _("No BA approval after four years of stay."),
    "ba_exempt_activity": _("This activity needs no BA approval."),
    "exception_applied": _("Exception examined: it applies"),
    "exception_not_met": _("Exception examined: not met"),
    "exception_open": _("Exception examined: depends on your answer to the question below"),
    # Training begun during the asylum procedure, reception-centre durations, notes.
    "training_60c_eae_assumed": _(
        "In the reception centre: the answer assumes that the entitlement to continue the training"
        " prevails over the waiting time of the Duldung (see the judgement question)."
    ),
    "training_permitted_in_procedure_eae": _(
        "In the reception centre: employment (the training) was permitted during the asylum"
        " procedure, so there is no waiting time (since 12 Jun 2026)."
    ),
    "special_training_begun_in_procedure": _(
        "The training began with permission during the asylum procedure: with the Ausbildungsduldung"
        " the permission to continue it is to be granted, without a waiting time in the Duldung."
    ),
    "special_training_begun_in_procedure_16g": _(
        "The training began with permission during the asylum procedure: with the Ausbildungsduldung"
        " the permission to continue it is to be granted, without a waiting time in the Duldung. A"
        " residence permit for the training (§ 16g) is the other route, on the same conditions."
    ),
    "reception_obligation_ended": _(
        "Whether the person must live in a reception centre is not recorded: the obligation can"
        " have lasted at most until this day, so the answer assumes it has ended"
    ),
    "abh_checks_conditions": _(
        "No BA approval: the Ausländerbehörde checks the working conditions (pay, hours) itself."
    ),
    "identity_steps_60b": _(
        "Once the person has taken the required and reasonable steps to obtain a passport (or the"
        " identity is clarified), the Ausländerbehörde issues a Duldung without this addition; then"
        " employment can be permitted. The authority checks the steps itself."
    ),
    # Fiktionsbescheinigung and visa-free stay (bruecke/rules/fiktion.py)
    "fiktion_continued": _(
        "Fiktionsbescheinigung: the previous title continues with its rules on employment. The answer"
        " is that of the previous title:"
    ),
    "fiktion_not_title": _(
        "A Duldung or Gestattung is not a residence title, so no Fiktion continues it. The answer"
        " follows the status held before:"
    ),
    "fiktion_previous_unknown": _(
        "Fiktionsbescheinigung: the previous title continues, but no earlier title is recorded. Enter"
        " it as an earlier status to get its answer; until then what the Fiktionsbescheinigung says"
        " about employment applies."
    ),
    "decision_previous_title": _("Decision type: that of the previous title (not recorded)."),
    "ba_previous_title": _("BA approval: as for the previous title (not recorded)."),
    "fiktion_future_title": _(
        "The activity of the training or work title applied for counts as permitted (your answer)."
    ),
    "visa_free_not_employment": _(
        "This short activity does not count as employment during a visa-free stay (your answer)."
    ),
    "visa_free_apply": _(
        "Next step: apply for a residence title at the Ausländerbehörde (Ukrainian nationals: temporary"
        " protection under § 24 AufenthG). The stay is then deemed permitted; what the"
        " Fiktionsbescheinigung allows depends on the title applied for."
    ),
}

# The exceptions to a ban that the engine examines (ground detail "name@cut-off day").
EXCEPTIONS: dict[str, StrOrPromise] = {
    "applied_before": _("asylum application lodged on or before %(date)s"),
    "withdrawn_after_legal_information": _(
        "application withdrawn after the legal information of the Federal Office"
    ),
    "other_state_protection": _("international protection granted in another EU member state"),
    "minor_child_interest": _(
        "unaccompanied minor: application withdrawn or not filed in the child's interest"
    ),
    "old_version": _("employment permitted before %(date)s (old version of § 60a(6) AufenthG)"),
    "grandfathered_applied_by": _("asylum application lodged on or before %(date)s"),
    "grandfathered_tolerated_without_application": _(
        "geduldet on %(date)s without having applied for asylum"
    ),
    "grandfathered_tolerated_on": _("geduldet on %(date)s"),
    "grandfathered_work_permission_on": _("holding a work permission on %(date)s"),
}

# The yes / no facts as plain questions (alternatives on the answer page).
FACT_QUESTIONS: dict[str, StrOrPromise] = {
    "reception_centre": _("Must the person live in a reception centre?"),
    "dublin_or_other_state_protection": _(
        "Was a Dublin request made, or has another EU state granted protection?"
    ),
    "accelerated_procedure": _("Is the asylum application handled in the accelerated procedure?"),
    "rejected_manifestly_unfounded": _(
        "Was the asylum application rejected as manifestly unfounded or inadmissible?"
    ),
    "permitted_during_procedure": _("Was employment permitted during the asylum procedure?"),
    "identity_by_passport": _("Is the identity clarified by a valid passport?"),
    "protected_in_other_state": _(
        "Is the person recognised as a refugee or as subsidiary protected in another state?"
    ),
    "withdrawn_after_legal_information": _(
        "Was the asylum application withdrawn after the BAMF's legal information (§ 12b AsylG)?"
    ),
    "unaccompanied_minor": _("Is the person an unaccompanied minor?"),
    "training_started_during_procedure": _(
        "Did the vocational training begin with permission while the asylum application was pending?"
    ),
    "with_minor_children": _("Does the person live with minor children?"),
}

QUESTIONS: dict[str, StrOrPromise] = {
    "imminent_measures": _(
        "Are concrete measures to end the stay imminent (fitness-to-travel exam ordered, return funding "
        "applied for, transport booked, Dublin procedure started)?"
    ),
    "benefits_entry": _("Did the person enter Germany to obtain benefits under the AsylbLG?"),
    "own_fault": _(
        "Can removal not be carried out for reasons the person is responsible for (e.g. identity deception)?"
    ),
    "non_cooperation": _(
        "Has the person seriously and repeatedly breached cooperation duties without excuse?"
    ),
    "safe_country_accelerated": _(
        "Is the accelerated procedure applied (safe country of origin, Art. 42(1)(e))?"
    ),
    "exclusions_outside_eae": _(
        "Does the authority apply the exclusions for non-cooperation and the accelerated procedure "
        "outside the reception centre too (the wording is not clear)?"
    ),
    "geas_interpretation": _(
        "New GEAS rules: is there practice guidance of the Land or the BMI on this point?"
    ),
    "eae_authority": _("Land practice: is the central or the local Ausländerbehörde competent?"),
    "wait_start": _(
        "Does the authority count the waiting period from the Ankunftsnachweis or from the formal "
        "application?"
    ),
    "discretion_practice": _(
        "Land practice: is there a decree on how to use the discretion (e.g. after 6 months)?"
    ),
    "transitional_104c": _(
        "No new § 104c permits since 2026: will the permit be extended as § 25a or § 25b?"
    ),
    "old_24_wording": _(
        "Before 1 Jun 2022: check the permission on the document (old § 24(6) not verified)."
    ),
    "law_2013": _(
        "1 Jul 2013 to 5 Nov 2014: the rules of that time (one year, from 6 Sep 2013 nine months"
        " for asylum seekers; one year for Duldung) come from secondary sources. Check the"
        " permission the authority actually issued."
    ),
    "title_permission_old": _(
        "Before 1 Mar 2020: does the title's supplementary provision already permit this"
        " activity (e.g. 'Beschäftigung gestattet')? Self-employment needed a"
        " permission under § 21(6) AufenthG (old version)."
    ),
    "tied_to_job": _("Is this the job the Beschäftigungsduldung was granted for?"),
    "other_ba_exemption": _(
        "Does another BA exemption apply (highly qualified job, employer is a close relative)?"
    ),
    "precheck_60c": _("Would an Ausbildungsduldung (§ 60c) or § 16g permit be possible? See the pre-checks."),
    "school_training_paid": _(
        "Is there a training contract with pay (then it counts as in-company training)?"
    ),
    "internship_character": _("Is it really an internship (learning, not productive work)?"),
    "three_months": _("Does the internship last at most 3 months?"),
    "same_provider": _("Was there an earlier such internship with the same provider?"),
    "mandatory_land_practice": _(
        "Land practice: some Länder need no permission for pupils' mandatory internships."
    ),
    "shadowing_character": _("Is it only observation, unpaid and short, without being part of the work?"),
    "volunteering_character": _(
        "Is it unpaid (at most an expense allowance) and not part of the employer's operations?"
    ),
    "ban_not_employment": _(
        "A work ban applies: make sure the activity is really not employment (confirm with the ABH in "
        "writing)."
    ),
    "eu_list_uncertain": _(
        "EU list of safe countries: the date and scope of the July 2026 amendment are not verified."
    ),
    "old_version_104_16": _("Was employment permitted before 1 Jan 2020 (then the old § 60a(6) applies)?"),
    "minor_child_interest": _(
        "Unaccompanied minor: was the application withdrawn / not filed in the child's interest?"
    ),
    "registration_date_missing": _(
        "The registration date of the asylum application is missing: the application date was used."
    ),
    "purpose_of_title": _("Does the title's condition cover this concrete activity?"),
    "nov_2014_dates": _(
        "November 2014: the exact days the changes came into force (law about 6 Nov, BeschV about "
        "11 Nov 2014) are not verified. Check the Federal Law Gazette for this date."
    ),
    "priority_exceptions": _(
        "Is the job one without priority check: skilled work at Blue Card level (§ 2(2) BeschV),"
        " a shortage occupation of the BA's positive list (§ 6) or work after a recognised"
        " vocational qualification (§ 8)?"
    ),
    "agency_work_old": _(
        "Is it temporary agency work (Leiharbeit)? Until 5 Aug 2019 the BA could not approve it"
        " (§ 40(1) no. 2 AufenthG); from 6 Aug 2016 except where no priority check applied."
        " Check with the BA."
    ),
    "training_duldung_2015": _(
        "Ausbildungsduldung 2015/2016: discretionary, only if the training began before the age of 21 "
        "(details of the 2015 rule not verified). Does the authority grant it?"
    ),
    "training_duldung_2016": _(
        "Ausbildungsduldung 3+2 (6 Aug 2016 to 31 Dec 2019): entitlement to the Duldung for a qualified "
        "training. Do exclusions apply (§ 60a(6), imminent removal measures), and does the document "
        "permit the training?"
    ),
    "transitional_105": _(
        "Was the person already in training or employment on 21 Aug 2019? Then § 60b may not apply "
        "yet (transitional rule § 105 AufenthG)."
    ),
    "eae_safe_country": _(
        "Nationals of safe countries of origin who applied after 31 Aug 2015 must live in the "
        "reception centre until the procedure ends: is the reception-centre obligation recorded "
        "correctly?"
    ),
    "fiktion_previous_title": _(
        "Which title does the Fiktionsbescheinigung continue? Enter it as an earlier status: the answer"
        " then follows that title."
    ),
    "fiktion_stay_permission": _(
        "Stay deemed permitted while the application is decided: can the Ausländerbehörde permit"
        " employment before it decides on the title? The law research does not settle this; ask the"
        " authority and check the Fiktionsbescheinigung."
    ),
    "fiktion_future_title": _(
        "Was a training or work title applied for (e.g. § 16a, § 18a/§ 18b AufenthG) that describes"
        " this activity, with the BA's approval given or not needed? Then the activity counts as"
        " permitted."
    ),
    "fiktion_24_document": _(
        "What does the Fiktionsbescheinigung say about employment? It should read 'Erwerbstätigkeit"
        " erlaubt'; if it does not, ask the Ausländerbehörde to add it."
    ),
    "visa_free_30_beschv": _(
        "Is it a short activity that the Employment Ordinance does not count as employment during a"
        " visa-free stay (e.g. business meetings)? Check the conditions with the Ausländerbehörde."
    ),
    "duldung_eae_old": _(
        "Before 21 Aug 2019 the work ban during the reception-centre obligation is read to cover "
        "Geduldete too (not verified): check the Land practice."
    ),
}
QUESTIONS["training_60c_eae"] = _(
    "While the person must live in the reception centre: does the Ausländerbehörde grant the"
    " permission for the training without the six-month wait of § 61(1) AsylG? The answer assumes"
    " so (the entitlement of § 60c prevails); the research does not settle it."
)
QUESTIONS["eae_extension"] = _(
    "Has the Land extended the obligation to live in the reception centre (up to 24 months), or"
    " was it extended because cooperation duties were breached?"
)
QUESTIONS["eae_extension_2026"] = _(
    "Has the Land extended the obligation to live in the reception centre (up to 24 months), or"
    " must the person live in a centre for secondary migration?"
)
QUESTIONS["benefits_entry_old"] = QUESTIONS["benefits_entry"]  # § 33 BeschV a.F., same question
QUESTIONS["own_fault_old"] = QUESTIONS["own_fault"]
QUESTIONS["school_training_paid_old"] = QUESTIONS["school_training_paid"]


def priority_rule_text(rule: PriorityRule | None) -> str:
    """The priority-check rule of a regime in words (for the rule overview)."""
    if rule is None:
        return ""
    if rule.abolished:
        return str(_("No priority check by the BA."))
    parts = [
        str(
            _("Priority check on jobs the BA approves, until %(n)s months of stay")
            % {"n": rule.free_after_months}
        )
    ]
    if rule.exceptions:
        parts.append(str(_("not for jobs under §§ 2(2), 6, 8 BeschV")))
    if rule.districts:
        parts.append(str(_("not in the districts listed in the annex to § 32 BeschV")))
    return "; ".join(parts) + "."


def ground_text(ground: Ground) -> StrOrPromise:
    return GROUNDS.get(ground.code, ground.code)


def exception_detail(detail: str) -> str:
    """An examined exception in words, with its cut-off day in the local date format."""
    name, _sep, day = detail.partition("@")
    text = str(EXCEPTIONS.get(name, name))
    if not day:
        return text
    return text % {"date": date_format(datetime.date.fromisoformat(day), "SHORT_DATE_FORMAT")}


def ground_detail(ground: Ground) -> str:
    """The detail in words: safe-country list names are translated."""
    if ground.topic == "exception":
        return exception_detail(ground.detail)
    if ground.code.startswith("safe_country"):
        return ", ".join(str(SAFE_LISTS.get(name, name)) for name in ground.detail.split(",") if name)
    if ground.code in ("fiktion_continued", "fiktion_not_title"):
        return str(_status_label(ground.detail))
    return ground.detail


def _status_label(code: str) -> StrOrPromise:
    # Imported here: the engine's texts load without the participants app's models.
    from bruecke.participants.models import ResidenceStatusType

    return dict(ResidenceStatusType.choices).get(code, code)


PRECHECKS: dict[str, StrOrPromise] = {
    "60c": _("Ausbildungsduldung (§ 60c AufenthG)"),
    "16g": _("Residence permit for vocational training (§ 16g AufenthG)"),
    "60d": _("Beschäftigungsduldung (§ 60d AufenthG)"),
    "25a": _("Residence permit for well-integrated young people (§ 25a AufenthG)"),
    "25b": _("Residence permit for sustainable integration (§ 25b AufenthG)"),
}

PRECHECK_STATES: dict[str, StrOrPromise] = {
    "met": _("met"),
    "missing": _("missing"),
    "unknown": _("not recorded"),
    "judgement": _("needs judgement"),
}

PRECHECK_ITEMS: dict[str, StrOrPromise] = {
    "status_duldung_or_training_started": _("Duldung, or the training began during the asylum procedure"),
    "qualified_training": _(
        "Qualified training of at least 2 years, or assistant training leading into a shortage occupation "
        "with a promised training place"
    ),
    "duldung_3_months": _(
        "3 months of Duldung before the application (if the training starts as Geduldeter)"
    ),
    "no_work_ban": _("No work ban (§ 60a(6), § 60b)"),
    "identity_deadline": _(
        "Identity clarified in time (entry by 2016: by the application; later: by the deadlines of the "
        "norm) or all reasonable steps taken"
    ),
    "no_convictions": _("No relevant convictions, no extremism, no expulsion"),
    "no_imminent_measures": _("No concrete measures to end the stay imminent"),
    "passport": _("Passport (general requirements of § 5 AufenthG)"),
    "livelihood_training": _("Livelihood secured during the training (including training allowances)"),
    "status_duldung": _("Holds a Duldung"),
    "entry_by": _("Entered Germany by the cut-off date"),
    "duldung_12_months": _("At least 12 months of Duldung"),
    "employed": _("Months of employment subject to social insurance"),
    "hours": _("Hours per week of the current job"),
    "german_a2": _("Oral German at level A2"),
    "livelihood": _("Livelihood secured for the last 12 months and ongoing"),
    "children_school": _("School-age children attend school"),
    "status_duldung_or_104c": _("Holds a Duldung or a § 104c permit"),
    "age_14_27": _("Aged 14 to under 27"),
    "stay_3_years": _("3 years of uninterrupted stay"),
    "school_3_years": _(
        "3 years of successful school attendance or a German school or vocational qualification"
    ),
    "integration_prognosis": _("Good integration prognosis"),
    "stay_6_years": _("6 years of stay (4 with a minor child)"),
    "self_supporting": _("Livelihood mainly secured by own work"),
}

# ---- Pre-checks that decide: results, consequences, notes, new items. ----
PRECHECKS["104c"] = _("Chancen-Aufenthaltsrecht (§ 104c AufenthG)")
PRECHECK_STATES["not_applicable"] = _("does not apply (other route)")
PRECHECK_ITEMS |= {
    "training_route": _(
        "Holds a Duldung (training begun as Geduldete:r), or the training began during the asylum "
        "procedure (Duldung after the rejection)"
    ),
    "stay_5_years_2022": _("On 31 Oct 2022: 5 years of uninterrupted tolerated, gestattet or permitted stay"),
    "application_period": _("Application by 31 Dec 2025 (no new grants from 1 Jan 2026)"),
    "constitution_commitment": _("Commitment to the free democratic basic order"),
    "no_identity_deception": _(
        "No repeated false statements or deception about identity that prevented removal"
    ),
}

PRECHECK_RESULTS: dict[str, StrOrPromise] = {
    "eligible": _("Prerequisites met"),
    "eligible_from": _("Prerequisites met from %(date)s"),
    "not_eligible": _("Prerequisites not met"),
    "open": _("Open: questions remain"),
}

PRECHECK_CONSEQUENCES: dict[str, StrOrPromise] = {
    "duldung_for_training": _(
        "Duldung for the duration of the training; the work permission for it must be granted"
    ),
    "permit_for_training": _("Residence permit for the duration of the training"),
    "duldung_30_months": _("Duldung for 30 months"),
    "permit_25a": _("Residence permit; any employment is allowed"),
    "permit_25b": _("Residence permit; any employment is allowed"),
    "permit_18_months": _("Residence permit for 18 months; any employment is allowed"),
}

PRECHECK_NOTES: dict[str, StrOrPromise] = {
    "follow_on_19d": _("After a successful training: residence permit under § 19d AufenthG for employment."),
    "follow_on_25b6": _("After the 30 months: residence permit under § 25b Abs. 6 AufenthG."),
    "no_extension_104c": _(
        "The § 104c permit cannot be extended; afterwards only a permit under § 25a or § 25b AufenthG "
        "follows."
    ),
    "end_of_application_104c": _("New grants only on applications up to 31 Dec 2025."),
    "application_ended_104c": _(
        "No new grants since 1 Jan 2026: permits already granted run until they expire, then § 25a or § 25b."
    ),
}


# --- The answer page: either/or judgement questions (flags whose answer makes the activity
# another one, flags.toml "as:"). Asked as two named options; the POST values stay yes/no.
EITHER_OR: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "school_training_paid": (
        _("Training contract with pay (counts as in-company training)"),
        _("School-based training without a paid training contract"),
    ),
    "internship_character": (
        _("An internship: learning comes first"),
        _("Productive work (counts as employment)"),
    ),
    "three_months": (_("At most 3 months"), _("Longer than 3 months (counts as another internship)")),
    "same_provider": (
        _("There was an earlier such internship with the same provider (counts as another internship)"),
        _("The first such internship with this provider"),
    ),
    "shadowing_character": (
        _("Job shadowing: observation only, unpaid and short"),
        _("Part of the work (counts as employment)"),
    ),
    "volunteering_character": (
        _("Volunteering: unpaid and outside the employer's operations"),
        _("Paid or part of the operations (counts as employment)"),
    ),
}
EITHER_OR["school_training_paid_old"] = EITHER_OR["school_training_paid"]


def fact_question(fact: str) -> StrOrPromise:
    """The question for an unknown fact (Answer.alternatives). FACT_QUESTIONS is defined
    with the tri-state facts; until it is, the field name is shown."""
    questions: dict[str, StrOrPromise] = globals().get("FACT_QUESTIONS", {})
    return questions.get(fact, fact)


OPEN_QUESTION: StrOrPromise = _("not known yet")
YES: StrOrPromise = _("yes")
