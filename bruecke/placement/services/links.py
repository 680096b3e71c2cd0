"""Links for employers to submit an opportunity without an account (decision 0039).

The link carries a token signed with Django's signing (own salt, with its time); only the
token's SHA-256 hash is stored. A link is valid until `expires_at` (PLACEMENT_LINK_DAYS)
and works once: the draft opportunity and `used_at` are written in one transaction, and
the link is marked used by a conditional UPDATE, so two parallel submissions cannot both
succeed. Revoking sets `expires_at` to now.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts import throttle
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create, model_update
from bruecke.placement.models import (
    Employer,
    EmployerContact,
    Opportunity,
    OpportunitySource,
    OpportunityStatus,
    SubmissionLink,
)

if TYPE_CHECKING:
    from bruecke.accounts.models import User

SALT = "bruecke.placement.submission-link"


class LinkInvalid(Exception):
    """Expired, used, revoked, unknown or tampered: the page never says which."""


@dataclass(frozen=True)
class NewLink:
    link: SubmissionLink
    token: str  # shown once; only its hash is stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_days() -> int:
    return int(getattr(settings, "PLACEMENT_LINK_DAYS", 14))


@transaction.atomic
def link_create(*, actor: User, employer: Employer, contact: EmployerContact | None = None) -> NewLink:
    if contact is not None and contact.employer_id != employer.pk:
        raise ValidationError({"contact": _("Please choose a contact person of this employer.")})
    token = signing.dumps(secrets.token_urlsafe(24), salt=SALT)
    link = SubmissionLink(
        employer=employer,
        contact=contact,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=link_days()),
        created_by=actor,
    )
    model_create(actor=actor, instance=link)
    return NewLink(link=link, token=token)


@transaction.atomic
def link_revoke(*, actor: User, link: SubmissionLink) -> bool:
    """Ends a link that is still valid; False when it was already used or expired."""
    current = SubmissionLink.objects.select_for_update().get(pk=link.pk)
    now = timezone.now()
    if current.used_at is not None or current.expires_at <= now:
        return False
    model_update(actor=actor, instance=current, data={"expires_at": now})
    return True


def _valid_hash(token: str) -> str | None:
    """The stored hash for a token whose signature and age are right, else None."""
    try:
        signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=link_days()))
    except signing.BadSignature:  # also SignatureExpired
        return None
    return token_hash(token)


def link_for_token(token: str) -> SubmissionLink:
    """The link a valid token belongs to; LinkInvalid for anything else."""
    digest = _valid_hash(token)
    link = (
        SubmissionLink.objects.select_related("employer", "employer__organisation", "contact")
        .filter(token_hash=digest)
        .first()
        if digest
        else None
    )
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        raise LinkInvalid
    return link


def rate_limit(*, address: str | None, link: SubmissionLink | None = None) -> bool:
    """Takes one request from the client address's allowance (and, for a submission, one
    from the link's); False when one of them is used up."""
    if address and not throttle.take(f"plink-addr:{address}", settings.PLACEMENT_LINK_LIMIT_PER_ADDRESS):
        return False
    if link is None:
        return True
    return throttle.take(f"plink:{link.token_hash[:32]}", settings.PLACEMENT_LINK_LIMIT_PER_LINK)


def _description(data: dict[str, Any]) -> str:
    """The employer's words in the opportunity's description, each under a label."""
    lines = [data.get("description", "").strip()]
    facts = [
        (_("Occupation in the employer's words"), data.get("occupation_words", "")),
        (_("Place of work"), data.get("town", "")),
        (_("Contact person"), data.get("contact_name", "")),
        (_("Phone"), data.get("contact_phone", "")),
        (_("E-mail"), data.get("contact_email", "")),
    ]
    lines += [f"{label}: {value}" for label, value in facts if value]
    return "\n".join(line for line in lines if line)


@transaction.atomic
def submit_opportunity(*, token: str, data: dict[str, Any]) -> Opportunity:
    """Creates the draft opportunity from the public form and uses up the link, in one
    transaction. Raises LinkInvalid (nothing saved) when the link is no longer valid, and
    ValidationError (nothing saved) for values the opportunity refuses."""
    digest = _valid_hash(token)
    link = SubmissionLink.objects.select_for_update().filter(token_hash=digest).first() if digest else None
    now = timezone.now()
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise LinkInvalid
    employer = Employer.objects.select_related("organisation").get(pk=link.employer_id)
    opportunity = Opportunity(
        organisation=employer.organisation,
        network_id=employer.organisation.network_id,
        employer=employer,
        contact_id=link.contact_id,
        title=data["title"],
        kind=data["kind"],
        internship_kind=data.get("internship_kind", ""),
        working_time=data["working_time"],
        hours_per_week=data.get("hours_per_week"),
        shifts=bool(data.get("shifts")),
        german_level=data.get("german_level", ""),
        start_date=data["start_date"],
        places=data["places"],
        description=_description(data),
        status=OpportunityStatus.DRAFT,
        source=OpportunitySource.EMPLOYER_LINK,
        shared_with_network=employer.shared_with_network,
        created_by_id=link.created_by_id,
    )
    model_create(actor=None, instance=opportunity)
    used = SubmissionLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=now, opportunity=opportunity, updated_at=now
    )
    if used != 1:
        raise LinkInvalid  # used in parallel: the transaction is rolled back
    link.used_at, link.opportunity = now, opportunity
    audit_record(actor=None, action=AuditAction.UPDATE, obj=link, changed_fields=["used_at", "opportunity"])
    return opportunity


@transaction.atomic
def draft_publish(
    *, actor: User, opportunity: Opportunity, data: dict[str, Any], expected_version: int | None
) -> Opportunity:
    """Publishes an employer's draft: validated as every open opportunity (with its KldB
    code), the coordinates taken from the chosen site."""
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if current.status != OpportunityStatus.DRAFT:
        raise ValidationError(_("This draft has already been published or closed."))
    site = data.get("site")
    changes = {**data, "status": OpportunityStatus.OPEN}
    if site is not None:
        changes["latitude"], changes["longitude"] = float(site.latitude), float(site.longitude)
    published, _changed = model_update(
        actor=actor, instance=current, data=changes, expected_version=expected_version
    )
    return published
