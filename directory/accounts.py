"""Account operations: register, verify e-mail, sign in with a lock, reset, disable.

Operations flush but never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

import re
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.messages import _
from directory.models.account import ADMIN, PROVIDER, Account, new_session_token
from directory.models.listing import utcnow

EMAIL = re.compile(
    r"^[^@\s<>\"'(),;:\\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
MAX_EMAIL = 254
MIN_PASSWORD, MAX_PASSWORD = 10, 128
VERIFY_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 2 * 3600


class AccountError(Exception):
    """An account operation was refused; ``message`` says why, in words for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SignInRefused(AccountError):
    """Wrong e-mail or password, a locked account or a disabled one."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def is_valid_email(email: str) -> bool:
    return len(email) <= MAX_EMAIL and bool(EMAIL.match(email))


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return _("Use at least %(n)d characters.", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("Use at most %(n)d characters.", n=MAX_PASSWORD)
    return None


def hasher() -> PasswordHasher:
    """argon2id; deliberately cheap when testing so the suite stays fast."""
    if current_app.testing:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


def password_matches(account: Account, password: str) -> bool:
    try:
        return hasher().verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_account(session: Session, email: str) -> Account | None:
    return session.scalar(select(Account).where(Account.email == normalize_email(email)))


def create_account(session: Session, email: str, password: str, role: str = PROVIDER) -> Account:
    """A new account; AccountError for a bad e-mail or password or a taken address."""
    email = normalize_email(email)
    if not is_valid_email(email):
        raise AccountError(_("%(email)s is not a valid e-mail address.", email=repr(email)))
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_account(session, email) is not None:
        raise AccountError(_("An account for %(email)s already exists.", email=email))
    account = Account(email=email, password_hash=hash_password(password), role=role)
    if role == ADMIN:
        account.email_verified_at = utcnow()
    session.add(account)
    session.flush()
    return account


def sign_in(session: Session, email: str, password: str) -> Account:
    """The account for these credentials; SignInRefused otherwise (and failures counted)."""
    account = find_account(session, email)
    now = utcnow()
    if account is None:
        hasher().hash(password)  # same work as a real check, so timing does not tell
        raise SignInRefused(_("The e-mail address or password is not right."))
    if account.locked_until and account.locked_until > now:
        raise SignInRefused(
            _(
                "Too many failed sign-ins: this account is locked for a while. "
                "Try again later or reset your password."
            )
        )
    if not password_matches(account, password):
        _count_failure(account, now)
        raise SignInRefused(_("The e-mail address or password is not right."))
    if not account.is_active:
        raise SignInRefused(_("This account is disabled. Contact the directory team."))
    account.failed_sign_ins, account.locked_until = 0, None
    account.last_sign_in_at = now
    return account


def _count_failure(account: Account, now) -> None:
    config = current_app.config
    account.failed_sign_ins = (account.failed_sign_ins or 0) + 1
    if account.failed_sign_ins >= config["SIGN_IN_MAX_FAILURES"]:
        account.locked_until = now + timedelta(minutes=config["SIGN_IN_LOCK_MINUTES"])
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


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"account-{purpose}")


def verification_token(account: Account) -> str:
    return _serializer("verify").dumps({"id": account.id, "email": account.email})


def verify_email(session: Session, token: str) -> Account:
    invalid = _("This verification link is not valid or has expired.")
    account = _account_from_link(session, "verify", token, VERIFY_MAX_AGE, invalid)
    if account.email_verified_at is None:
        account.email_verified_at = utcnow()
    return account


# What a link's signed payload must still match on the account: a verification link dies
# when the address changes, a reset link when the session token changes (single use).
_LINK_BINDING = {"verify": ("email", "email"), "reset": ("token", "session_token")}


def _account_from_link(
    session: Session, kind: str, token: str, max_age: int, invalid: str
) -> Account:
    """The account a signed e-mail link names, if the link is genuine, fresh and still bound."""
    try:
        data = _serializer(kind).loads(token, max_age=max_age)
    except BadSignature:
        raise AccountError(invalid) from None
    key, attribute = _LINK_BINDING[kind]
    account = session.get(Account, data.get("id"))
    if account is None or getattr(account, attribute) != data.get(key):
        raise AccountError(invalid)
    return account


def reset_token(account: Account) -> str:
    """Single use: the account's session token changes when the password is reset."""
    return _serializer("reset").dumps({"id": account.id, "token": account.session_token})


def reset_password(session: Session, token: str, password: str) -> Account:
    invalid = _("This reset link is not valid or has expired.")
    account = _account_from_link(session, "reset", token, RESET_MAX_AGE, invalid)
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    account.password_hash = hash_password(password)
    account.session_token = new_session_token()
    account.failed_sign_ins, account.locked_until = 0, None
    return account


def set_disabled(account: Account, disabled: bool) -> None:
    """Disable (ending every session) or re-enable an account."""
    account.disabled_at = utcnow() if disabled else None
    account.session_token = new_session_token()


def count_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Account).where(Account.role == ADMIN))
