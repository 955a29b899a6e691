"""Account operations: register, verify e-mail, sign in with a lock, reset, disable.

Operations flush but never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.models.account import ADMIN, PROVIDER, Account, new_session_token
from directory.models.listing import utcnow
from directory.vocabulary import N_

EMAIL = re.compile(
    r"^[^@\s<>\"'(),;:\\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
MAX_EMAIL = 254
MIN_PASSWORD, MAX_PASSWORD = 10, 128
VERIFY_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 2 * 3600


class SignInRefused(DirectoryError):
    """Wrong e-mail or password, a locked account or a disabled one."""


@dataclass(frozen=True)
class AccountPolicy:
    """What account operations take from the configuration: the key that signs e-mail
    links, the sign-in lock, and whether hashing may be cheap (the test suite)."""

    secret_key: str
    max_failures: int = 5
    lock_minutes: int = 15
    cheap_hashing: bool = False

    @classmethod
    def from_config(cls, config: Mapping) -> AccountPolicy:
        return cls(
            secret_key=config["SECRET_KEY"],
            max_failures=config["SIGN_IN_MAX_FAILURES"],
            lock_minutes=config["SIGN_IN_LOCK_MINUTES"],
            cheap_hashing=bool(config.get("TESTING")),
        )


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def is_valid_email(email: str) -> bool:
    return len(email) <= MAX_EMAIL and bool(EMAIL.match(email))


def check_password(password: str) -> None:
    """Refuse a password that is too short or too long."""
    if len(password) < MIN_PASSWORD:
        raise DirectoryError(N_("Use at least %(n)d characters."), field="password", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise DirectoryError(N_("Use at most %(n)d characters."), field="password", n=MAX_PASSWORD)


def hasher(policy: AccountPolicy) -> PasswordHasher:
    """argon2id; deliberately cheap when testing so the suite stays fast."""
    if policy.cheap_hashing:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hash_password(password: str, policy: AccountPolicy) -> str:
    return hasher(policy).hash(password)


def password_matches(account: Account, password: str, policy: AccountPolicy) -> bool:
    try:
        return hasher(policy).verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_account(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == normalize_email(email)))


def create_account(
    session: Session, email: str, password: str, policy: AccountPolicy, role: str = PROVIDER
) -> Account:
    """A new account; DirectoryError for a bad e-mail or password or a taken address."""
    email = normalize_email(email)
    if not is_valid_email(email):
        message = N_("%(email)s is not a valid e-mail address.")
        raise DirectoryError(message, field="email", email=repr(email))
    check_password(password)
    if find_account(session, email) is not None:
        message = N_("An account for %(email)s already exists.")
        raise DirectoryError(message, field="email", email=email)
    account = Account(email=email, password_hash=hash_password(password, policy), role=role)
    if role == ADMIN:
        account.email_verified_at = utcnow()
    session.add(account)
    session.flush()
    return account


def sign_in(session: Session, email: str, password: str, policy: AccountPolicy) -> Account:
    """The account for these credentials; SignInRefused otherwise (and failures counted)."""
    account = find_account(session, email)
    now = utcnow()
    if account is None:
        hasher(policy).hash(password)  # same work as a real check, so timing does not tell
        raise SignInRefused(N_("The e-mail address or password is not right."), field="password")
    if account.locked_until and account.locked_until > now:
        raise SignInRefused(
            N_(
                "Too many failed sign-ins: this account is locked for a while. "
                "Try again later or reset your password."
            ),
            field="password",
        )
    if not password_matches(account, password, policy):
        _count_failure(account, now, policy)
        raise SignInRefused(N_("The e-mail address or password is not right."), field="password")
    if not account.is_active:
        raise SignInRefused(
            N_("This account is disabled. Contact the directory team."), field="password"
        )
    account.failed_sign_ins, account.locked_until = 0, None
    account.last_sign_in_at = now
    return account


def _count_failure(account: Account, now, policy: AccountPolicy) -> None:
    account.failed_sign_ins = (account.failed_sign_ins or 0) + 1
    if account.failed_sign_ins >= policy.max_failures:
        account.locked_until = now + timedelta(minutes=policy.lock_minutes)
        account.failed_sign_ins = 0


def load_account(session: Session, user_id: str) -> Account | None:
    """The account for a session's id ("<id>.<token>"), if the token is still current."""
    number, _, token = (user_id or "").partition(".")
    if not (number.isascii() and number.isdigit() and len(number) < 10):
        return None
    account = session.get(Account, int(number))
    if account is None or account.session_token != token or not account.is_active:
        return None
    return account


# --- e-mail tokens ----------------------------------------------------------------------


def _serializer(purpose: str, policy: AccountPolicy) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(policy.secret_key, salt=f"account-{purpose}")


def verification_token(account: Account, policy: AccountPolicy) -> str:
    return _serializer("verify", policy).dumps({"id": account.id, "email": account.email})


def verify_email(session: Session, token: str, policy: AccountPolicy) -> Account:
    invalid = N_("This verification link is not valid or has expired.")
    account = _account_from_link(session, "verify", token, VERIFY_MAX_AGE, invalid, policy)
    if account.email_verified_at is None:
        account.email_verified_at = utcnow()
    return account


# What a link's signed payload must still match on the account: a verification link dies
# when the address changes, a reset link when the session token changes (single use).
_LINK_BINDING = {"verify": ("email", "email"), "reset": ("token", "session_token")}


def _account_from_link(
    session: Session, kind: str, token: str, max_age: int, invalid: str, policy: AccountPolicy
) -> Account:
    """The account a signed e-mail link names, if the link is genuine, fresh and still bound."""
    try:
        data = _serializer(kind, policy).loads(token, max_age=max_age)
    except BadSignature:
        raise DirectoryError(invalid) from None
    key, attribute = _LINK_BINDING[kind]
    account = session.get(Account, data.get("id"))
    if account is None or getattr(account, attribute) != data.get(key):
        raise DirectoryError(invalid)
    return account


def reset_token(account: Account, policy: AccountPolicy) -> str:
    """Single use: the account's session token changes when the password is reset."""
    data = {"id": account.id, "token": account.session_token}
    return _serializer("reset", policy).dumps(data)


def reset_password(session: Session, token: str, password: str, policy: AccountPolicy) -> Account:
    invalid = N_("This reset link is not valid or has expired.")
    account = _account_from_link(session, "reset", token, RESET_MAX_AGE, invalid, policy)
    check_password(password)
    account.password_hash = hash_password(password, policy)
    account.session_token = new_session_token()
    account.failed_sign_ins, account.locked_until = 0, None
    return account


def end_sessions(account: Account) -> None:
    """Sign the account out everywhere: every session cookie issued so far stops working."""
    account.session_token = new_session_token()


def set_disabled(account: Account, disabled: bool) -> None:
    """Disable (ending every session) or re-enable an account."""
    account.disabled_at = utcnow() if disabled else None
    account.session_token = new_session_token()


def count_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Account).where(Account.role == ADMIN))
