"""Every write of instance moderation: a moderator silences, suspends or lifts a server.

The row and the cached policy change at once; what follows for the server's accounts (hidden
or shown again, their follows ended) is a job (``domain_block_apply``), queued after commit,
that brings every account of the domain in line with the blocks as they are then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.services import account_suspend, account_suspension_lift
from glimpse.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from glimpse.core.jobs import enqueue_on_commit
from glimpse.core.site import site_url
from glimpse.federation.domain_blocks.models import DomainBlock, Severity
from glimpse.federation.domain_policy import domain_policy_forget, domain_suspended
from glimpse.graph.domain_names import domain_clean
from glimpse.graph.domain_services import (
    domain_follows_end,
    limited_domain_add,
    limited_domain_remove,
)
from glimpse.moderation.roles import is_moderator

COMMENT_MAX = 1000
MISSING_BLOCK = "No domain block with this id."
# The suspension a domain block gives its accounts: no moderator's lasts this long (at most
# a year), so lifting the block ends exactly the suspensions it gave.
SUSPENDED_WITH_DOMAIN = datetime(9999, 12, 31, tzinfo=UTC)


def domain_block_create(
    *,
    moderator: User,
    domain: str,
    severity: str,
    reject_media: bool = False,
    private_comment: str = "",
    public_comment: str = "",
) -> DomainBlock:
    """Silence or suspend a server (and its subdomains); Conflict if it is blocked already."""
    _moderator_check(moderator)
    host = domain_clean(domain)
    private_comment, public_comment = _checked(host, severity, private_comment, public_comment)
    try:
        with transaction.atomic():
            block = DomainBlock.objects.create(
                domain=host,
                severity=severity,
                reject_media=reject_media,
                private_comment=private_comment,
                public_comment=public_comment,
                created_by=moderator,
            )
            _changed(host, severity)
    except IntegrityError as error:
        raise Conflict(
            f"{host} is blocked already: change that block instead.", code="already_blocked"
        ) from error
    return block


def domain_block_update(
    *,
    moderator: User,
    block_id: int,
    severity: str,
    reject_media: bool,
    private_comment: str,
    public_comment: str,
) -> DomainBlock:
    """Change a block's severity, media rule or comments (the domain stays)."""
    _moderator_check(moderator)
    with transaction.atomic():
        block = DomainBlock.objects.select_for_update().filter(pk=block_id).first()
        if block is None:
            raise NotFound(MISSING_BLOCK)
        private_comment, public_comment = _checked(
            block.domain, severity, private_comment, public_comment
        )
        block.severity, block.reject_media = severity, reject_media
        block.private_comment, block.public_comment = private_comment, public_comment
        block.updated_at = timezone.now()
        block.save()
        _changed(block.domain, severity)
    return block


def domain_block_delete(*, moderator: User, block_id: int) -> str:
    """Lift a block: the server's accounts it hid are shown again; return its domain."""
    _moderator_check(moderator)
    with transaction.atomic():
        block = DomainBlock.objects.select_for_update().filter(pk=block_id).first()
        if block is None:
            raise NotFound(MISSING_BLOCK)
        block.delete()
        _changed(block.domain, None)
    return block.domain


def domain_block_apply(*, domain: str) -> tuple[int, int, int]:
    """Bring the accounts of a domain (its subdomains too) in line with the blocks as they
    are now: suspend those of suspended hosts, end their follows, and lift the suspensions
    a block gave where none applies any more. Return (suspended, lifted, follows ended).

    Idempotent: run twice, or after a job killed halfway, it only does what is left.
    """
    accounts = User.objects.filter(Q(domain=domain) | Q(domain__endswith=f".{domain}"))
    suspended = lifted = ended = 0
    for host in sorted(set(accounts.values_list("domain", flat=True))):
        wanted = domain_suspended(host)
        on_host = accounts.filter(domain=host)
        if wanted:
            for user_id in on_host.exclude(suspended_until=SUSPENDED_WITH_DOMAIN).values_list(
                "pk", flat=True
            ):
                suspended += _account_set(user_id, suspend=True)
            ended += domain_follows_end(domain=host)
        else:
            for user_id in on_host.filter(suspended_until=SUSPENDED_WITH_DOMAIN).values_list(
                "pk", flat=True
            ):
                lifted += _account_set(user_id, suspend=False)
    return suspended, lifted, ended


# --- Helpers --------------------------------------------------------------------------------


def _moderator_check(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only moderators can block servers.", code="not_moderator")


def _checked(
    host: str, severity: str, private_comment: str, public_comment: str
) -> tuple[str, str]:
    """Refuse this site's own host, an unknown severity, or comments too long."""
    fields: dict[str, list[str]] = {}
    if host == (urlsplit(site_url()).hostname or "").lower():
        fields["domain"] = ["That is this server's own domain."]
    if severity not in Severity.values:
        fields["severity"] = [f"Choose one of: {', '.join(Severity.values)}."]
    private_comment, public_comment = private_comment.strip(), public_comment.strip()
    for name, text in (("private_comment", private_comment), ("public_comment", public_comment)):
        if len(text) > COMMENT_MAX:
            fields[name] = [f"At most {COMMENT_MAX} characters."]
    if fields:
        raise InvalidInput(fields=fields)
    return private_comment, public_comment


def _changed(host: str, severity: str | None) -> None:
    """Make the policy and the limited servers follow a block's change, and queue the rest."""
    from glimpse.federation.domain_blocks.tasks import federation_domain_block_apply

    domain_policy_forget()
    if severity == Severity.SILENCE:
        limited_domain_add(domain=host)
    else:
        limited_domain_remove(domain=host)
    enqueue_on_commit(federation_domain_block_apply, host)


def _account_set(user_id: int, *, suspend: bool) -> int:
    """Suspend one account with its domain, or lift that suspension; return 1 if it did."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            return 0
        if suspend and user.suspended_until != SUSPENDED_WITH_DOMAIN:
            account_suspend(user=user, until=SUSPENDED_WITH_DOMAIN)
            return 1
        if not suspend and user.suspended_until == SUSPENDED_WITH_DOMAIN:
            account_suspension_lift(user=user)
            return 1
    return 0
