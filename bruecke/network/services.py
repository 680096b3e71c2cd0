"""Every write to the network goes through these functions (validation + audit, atomic)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from bruecke.accounts import notices
from bruecke.accounts.models import User
from bruecke.accounts.sessions import end_sessions
from bruecke.core import access
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.network.models import ConsultationHour, Membership
from bruecke.network.schedule import overlaps


def _check_no_overlap(hour: ConsultationHour) -> None:
    others = ConsultationHour.objects.filter(team_id=hour.team_id, weekday=hour.weekday).exclude(pk=hour.pk)
    for other in others.select_related("site"):
        if overlaps(hour, other):
            raise ValidationError(
                {
                    "start_time": _(
                        "Team %(team)s already holds a consultation hour at this time (%(site)s, %(when)s)."
                    )
                    % {"team": hour.team, "site": other.site, "when": other}
                }
            )


@transaction.atomic
def consultation_hour_create(*, actor: User, hour: ConsultationHour) -> ConsultationHour:
    hour.full_clean()
    _check_no_overlap(hour)
    return model_create(actor=actor, instance=hour)


@transaction.atomic
def consultation_hour_update(
    *, actor: User, hour: ConsultationHour, data: Mapping[str, Any], expected_version: int | None = None
) -> ConsultationHour:
    candidate = ConsultationHour.objects.get(pk=hour.pk)
    for name, value in data.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    _check_no_overlap(candidate)
    updated, _changed = model_update(actor=actor, instance=hour, data=data, expected_version=expected_version)
    return updated


@transaction.atomic
def consultation_hour_delete(*, actor: User, hour: ConsultationHour) -> None:
    model_delete(actor=actor, instance=hour)


def _check_membership(membership: Membership) -> None:
    if not membership.user.is_active:
        raise ValidationError({"user": _("This account is deactivated; reactivate it before adding roles.")})


def _check_grant(actor: User, membership: Membership) -> None:
    """Who may grant what (docs/decisions/0019): a sensitive role only by an administrator
    of that organisation, and never to oneself."""
    sensitive = membership.role in access.SENSITIVE_ROLES
    if sensitive and membership.user_id == actor.pk:
        raise ValidationError({"role": _("You cannot give yourself a role with access to personal data.")})
    if not access.may_grant_role(actor, organisation=membership.organisation, role=membership.role):
        raise ValidationError(
            {
                "organisation": _("Only an administrator of %(organisation)s can give this role.")
                % {"organisation": membership.organisation}
            }
        )


def _require_account_authority(actor: User, user: User) -> None:
    if not access.may_manage_account(actor, user):
        raise ValidationError(
            _(
                "This person works with personal data of another organisation. Only an "
                "administrator of that organisation can change their account."
            )
        )


@transaction.atomic
def membership_create(*, actor: User | None, membership: Membership) -> Membership:
    """Grants a role (`actor` None: the operator's bootstrap command). Every sensitive grant
    is e-mailed to the organisation's administrators and data-protection officers."""
    _check_membership(membership)
    if actor is not None:
        _check_grant(actor, membership)
    created = model_create(actor=actor, instance=membership)
    if created.role in access.SENSITIVE_ROLES:
        notices.notify_role_granted(created, actor)
    return created


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, on: datetime.date | None = None) -> Membership:
    """Ends a role; the user loses its access at once (on their next request)."""
    if not access.may_grant_role(actor, organisation=membership.organisation, role=membership.role):
        raise ValidationError(
            _("Only an administrator of %(organisation)s can end this role.")
            % {"organisation": membership.organisation}
        )
    ended, _changed = model_update(
        actor=actor, instance=membership, data={"ended_on": on or datetime.date.today()}
    )
    return ended


@transaction.atomic
def staff_update(
    *, actor: User, user: User, data: Mapping[str, Any], expected_version: int | None = None
) -> User:
    """Name, user name, e-mail and language of a staff account."""
    _require_account_authority(actor, user)
    updated, _changed = model_update(actor=actor, instance=user, data=data, expected_version=expected_version)
    return updated


@transaction.atomic
def staff_create(*, actor: User, user: User, membership: Membership, send_invitation: bool = True) -> User:
    """Creates a staff account with its first role and no password; the person sets one
    from an e-mail link. Every account belongs to a network from the start."""
    user.set_unusable_password()
    model_create(actor=actor, instance=user)
    membership.user = user
    membership_create(actor=actor, membership=membership)
    if send_invitation and user.email:
        user_pk = user.pk
        transaction.on_commit(lambda: send_password_setup(user_pk))
    return user


@transaction.atomic
def staff_invite(*, actor: User, user: User) -> None:
    """Sends a fresh password link (first invitation expired, or a forgotten password)."""
    if not user.is_active or not user.email:
        raise ValidationError(_("Only active accounts with an e-mail address can be invited."))
    _require_account_authority(actor, user)
    audit_record(actor=actor, action=AuditAction.INVITATION, obj=user)
    user_pk = user.pk
    transaction.on_commit(lambda: send_password_setup(user_pk))


def send_password_setup(user_pk: int) -> None:
    user = User.objects.get(pk=user_pk)
    context = {
        "user": user,
        "link": settings.SITE_URL.rstrip("/")
        + reverse(
            "accounts:password_set",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
    }
    with translation.override(user.language):
        subject = render_to_string("accounts/password_setup_subject.txt", context).strip()
        body = render_to_string("accounts/password_setup_email.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def staff_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivating also deletes every stored session of the person: a kept cookie must not
    open the account again once it is reactivated (an inactive account's session is
    refused on every request anyway, see SessionLifetimeMiddleware)."""
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    _require_account_authority(actor, user)
    updated, changed = model_update(actor=actor, instance=user, data={"is_active": active})
    if changed and not active:
        end_sessions(user.pk)
        audit_record(actor=actor, action=AuditAction.SESSIONS_ENDED, obj=updated)
    return updated
