"""Who a log-in names, whether its password is right, and how many failures each caller has.

Failed log-ins are counted against the account the name resolves to (whatever spelling,
username or email, was typed), never against the typed string, in three fixed windows:

- per account and address: the owner's own typos and a stranger's guesses from one place;
- per address, across every account: one address spraying many accounts;
- per account, across every address: guessing spread over many addresses. Past this one an
  address that logged into the account successfully before still gets in, so a stranger can
  never lock the owner out of the place they usually log in from.

A name that resolves to no account is counted the same way under the normalised name, so
that the answers (and when a 429 comes) never tell whether an account exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata

from django.conf import settings
from django.core.cache import cache

from glimpse.accounts.models import User
from glimpse.accounts.validators import possible_username
from glimpse.core.errors import RateLimited
from glimpse.core.ratelimit import rate_limit_check, rate_limit_hit, rate_limit_reset

PAIR_SCOPE = "login-fail"
ADDRESS_SCOPE = "login-fail-address"
ACCOUNT_SCOPE = "login-fail-account"


def login_normalize(raw: str) -> str:
    """Return a typed username or email in the form stored names are compared in.

    NFKC folds compatibility forms (the long s is an ``s``, full-width letters are ASCII) and
    case-folding lowers every case, the same on every database.
    """
    return unicodedata.normalize("NFKC", raw).casefold().strip()


def login_account(*, login: str) -> User | None:
    """Return the account a typed username or email names, or None.

    The match is exact on the normalised form, decided here rather than by the database's
    case-insensitive comparison: PostgreSQL's ``UPPER`` makes a dotless i an ``I`` (SQLite's
    does not), so a look-alike would otherwise open the account on one database only.
    """
    name = login_normalize(login)
    if "@" in name:
        if not name.isascii() or len(name) > 254:
            return None
        # The database narrows down (ASCII case-insensitively), then Python decides exactly.
        for user in User.objects.filter(email__iexact=name)[:5]:
            if user.email.isascii() and user.email.lower() == name:
                return user
        return None
    username = possible_username(name)
    if username is None:
        return None
    return User.objects.filter(username=username).first()


def login_check(*, login: str, password: str, address: str) -> User | None:
    """Return the account these credentials open (active or not), None if they do not.

    Raises RateLimited, before the password is looked at, when this caller has had too many
    failures. A failure is counted; a success clears the account's count for this address
    and remembers the address as one the owner logs in from.
    """
    user = login_account(login=login)
    subject = _subject(user, login)
    _refuse_if_exhausted(subject=subject, address=address, known=_is_known(user, address))
    if user is None:
        # Spend the time a real check takes, so timing does not reveal who exists.
        User().set_password(password)
        _count_failure(subject=subject, address=address)
        return None
    if not user.check_password(password):
        _count_failure(subject=subject, address=address)
        return None
    _, window = settings.GLIMPSE_RATE_LOGIN_FAILURES
    rate_limit_reset(scope=PAIR_SCOPE, identity=f"{subject}|{address}", window=window)
    days = settings.GLIMPSE_LOGIN_KNOWN_ADDRESS_DAYS
    cache.set(_known_key(user, address), 1, timeout=days * 24 * 60 * 60)
    return user


def _subject(user: User | None, login: str) -> str:
    if user is not None:
        return f"account:{user.pk}"
    digest = hashlib.sha256(login_normalize(login).encode()).hexdigest()[:32]
    return f"name:{digest}"


def _refuse_if_exhausted(*, subject: str, address: str, known: bool) -> None:
    """Raise RateLimited if any of the caller's failure counts is used up."""
    limit, window = settings.GLIMPSE_RATE_LOGIN_FAILURES_ADDRESS
    rate_limit_check(scope=ADDRESS_SCOPE, identity=address, limit=limit, window=window)
    limit, window = settings.GLIMPSE_RATE_LOGIN_FAILURES
    rate_limit_check(scope=PAIR_SCOPE, identity=f"{subject}|{address}", limit=limit, window=window)
    if not known:
        limit, window = settings.GLIMPSE_RATE_LOGIN_FAILURES_ACCOUNT
        rate_limit_check(scope=ACCOUNT_SCOPE, identity=subject, limit=limit, window=window)


def _count_failure(*, subject: str, address: str) -> None:
    # This attempt is answered "wrong password" already; the next one is refused up front.
    buckets = (
        (ADDRESS_SCOPE, address, settings.GLIMPSE_RATE_LOGIN_FAILURES_ADDRESS),
        (PAIR_SCOPE, f"{subject}|{address}", settings.GLIMPSE_RATE_LOGIN_FAILURES),
        (ACCOUNT_SCOPE, subject, settings.GLIMPSE_RATE_LOGIN_FAILURES_ACCOUNT),
    )
    for scope, identity, (limit, window) in buckets:
        with contextlib.suppress(RateLimited):
            rate_limit_hit(scope=scope, identity=identity, limit=limit, window=window)


def _is_known(user: User | None, address: str) -> bool:
    return user is not None and cache.get(_known_key(user, address)) is not None


def _known_key(user: User, address: str) -> str:
    return f"login-known:{user.pk}:{address}"
