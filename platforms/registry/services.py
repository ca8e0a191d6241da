"""Writes to the employer registry: companies, and the invitations that make representatives.

Every function checks that the actor keeps the registry (NotFound otherwise: the pages do not
exist for them) and refuses bad data with ActionRefused naming the field."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused, NotFound
from casework.core.outbound import send_on_commit
from casework.organisation.sms import send_sms
from platforms.choices import CompanyKind
from platforms.models import Company, Invitation, Representative
from platforms.registry.access import may_manage_registry

INVITATION_VALID_FOR = timedelta(days=7)
COMPANY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "industry",
    "credit_code",
    "legal_representative",
    "parent",
    "response_working_days",
)


def _require_keeper(actor) -> None:
    if not may_manage_registry(actor):
        raise NotFound


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_company(company: Company) -> None:
    code = company.credit_code
    holder = code and Company.objects.filter(credit_code=code).exclude(pk=company.pk).first()
    if holder:
        raise ActionRefused(
            _("%(company)s is already registered with this credit code.") % {"company": holder},
            field="credit_code",
        )
    parent = company.parent
    if parent is None:
        return
    if company.kind == CompanyKind.PLATFORM:
        raise ActionRefused(
            _("A platform company is the top of its chain: it contracts for nobody."),
            field="parent",
        )
    seen = set()
    while parent is not None and parent.pk not in seen:
        if company.pk is not None and parent.pk == company.pk:
            raise ActionRefused(
                _("A company cannot contract for itself or for a company below it."),
                field="parent",
            )
        seen.add(parent.pk)
        parent = parent.parent


def company_save(*, actor, company_id=None, data: dict) -> Company:
    """Register a company (no `company_id`) or change one. The credit code is kept in capitals;
    a code another company holds and a chain that would loop are refused."""
    _require_keeper(actor)
    with transaction.atomic():
        if company_id is None:
            company = Company()
        else:
            try:
                company = Company.objects.select_for_update().get(pk=company_id)
            except (Company.DoesNotExist, ValueError, TypeError) as exc:
                raise NotFound from exc
        for field in COMPANY_FIELDS:
            setattr(company, field, data[field])
        company.credit_code = (company.credit_code or "").strip().upper() or None
        _check_company(company)
        company._history_user = actor
        try:
            with transaction.atomic():
                company.save()
        except IntegrityError as exc:  # a concurrent registration took the code first
            raise ActionRefused(
                _("Another company was just registered with this credit code."),
                field="credit_code",
            ) from exc
    return company


def invitation_create(
    *, actor, company_id, name: str, mobile: str, link_for: Callable[[str], str]
) -> tuple[Invitation, str]:
    """Invite someone to represent a company: a one-time link, valid for seven days, shown to
    the actor and texted to `mobile`. Returns the invitation and the link."""
    _require_keeper(actor)
    try:
        company = Company.objects.get(pk=company_id)
    except (Company.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        company=company,
        name=name,
        mobile=mobile,
        token_hash=token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    invitation._history_user = actor
    invitation.save()
    link = link_for(token)
    body = _(
        "[Anxin] %(name)s, the labour bureau invites you to answer workers' complaints for "
        "%(company)s. Open %(link)s within 7 days to set your password."
    ) % {"name": name, "company": company.name, "link": link}
    send_on_commit(
        lambda: send_sms(to=mobile, body=body),
        kind="sms",
        description=f"invitation to represent company {company.pk}",
        payload={"to": mobile, "body": body},
    )
    return invitation, link


def invitation_revoke(*, actor, invitation_id) -> Invitation:
    _require_keeper(actor)
    with transaction.atomic():
        try:
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        except (Invitation.DoesNotExist, ValueError, TypeError) as exc:
            raise NotFound from exc
        if invitation.accepted_at or invitation.revoked_at:
            raise ActionRefused(_("This invitation was already used or withdrawn."))
        invitation.revoked_at = timezone.now()
        invitation._history_user = actor
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The open invitation behind a link; NotFound for an unknown, used, withdrawn or expired
    one (they all read the same to whoever holds the link)."""
    invitation = (
        Invitation.objects.select_related("company")
        .filter(token_hash=token_hash(token or ""), accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        raise NotFound
    return invitation


def invitation_accept(*, token: str, username: str, password: str):
    """Make an account for the invitee and a representative of the company. One use: two
    people opening the same link at once get one account; the second is told the link is used."""
    User = get_user_model()
    username = username.strip()
    with transaction.atomic():
        invitation = invitation_for_token(token)
        # Locked and re-read: of two people opening one link at once, the second waits and is
        # then told the link was used (not a bare 404).
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.revoked_at:
            raise ActionRefused(_("This invitation link has already been used."))
        if User.objects.filter(username__iexact=username).exists():
            raise ActionRefused(_("This username is taken: choose another."), field="username")
        candidate = User(username=username, display_name=invitation.name)
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise ActionRefused(" ".join(exc.messages), field="password1") from exc
        candidate.set_password(password)
        candidate.save()
        Representative.objects.create(user=candidate, company=invitation.company)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = candidate
        invitation._history_user = candidate
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return candidate
