"""Account operations: register, verify e-mail, sign in, reset, disable.

Operations flush but never commit; the view (or CLI command) commits once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

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
    links, and whether hashing may be cheap (the test suite)."""

    secret_key: str
    cheap_hashing: bool = False

    @classmethod
    def from_config(cls, config: Mapping) -> AccountPolicy:
        return cls(secret_key=config["SECRET_KEY"], cheap_hashing=bool(config.get("TESTING")))


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


class AddressTaken(DirectoryError):
    """The address already has an account (never shown: the page says "check your e-mail"
    either way, and the account's holder is told by mail instead)."""


def create_account(
    session: Session, email: str, password: str, policy: AccountPolicy, role: str = PROVIDER
) -> Account:
    """A new account; DirectoryError for a bad e-mail or password, AddressTaken for an
    address in use (after the same hashing work, so the time taken does not tell)."""
    email = normalize_email(email)
    if not is_valid_email(email):
        message = N_("%(email)s is not a valid e-mail address.")
        raise DirectoryError(message, field="email", email=repr(email))
    check_password(password)
    password_hash = hash_password(password, policy)
    if find_account(session, email) is not None:
        message = N_("An account for %(email)s already exists.")
        raise AddressTaken(message, field="email", email=email)
    account = Account(email=email, password_hash=password_hash, role=role)
    if role == ADMIN:
        account.email_verified_at = utcnow()
    session.add(account)
    session.flush()
    return account


def register_account(session: Session, email: str, policy: AccountPolicy) -> Account:
    """A provider account for an address, with no password anybody knows: the password is
    chosen through the link mailed to the address, by whoever holds the mailbox. Whoever
    registers an address (perhaps not its holder) never sets a password that the account
    keeps. DirectoryError for a bad address, AddressTaken for one in use, after the same
    hashing work either way, so the time taken does not tell."""
    return create_account(session, email, secrets.token_urlsafe(32), policy)


# Also the answer for the right password of an address not confirmed yet: otherwise anyone
# could register an address with a password of their own and try it, and learn from the
# sign-in whether the address had been free.
WRONG_CREDENTIALS = N_(
    "The e-mail address or password is not right. A new account works once its address is "
    "confirmed: open the link we mailed you."
)


def sign_in(session: Session, email: str, password: str, policy: AccountPolicy) -> Account:
    """The account for these credentials, if its address is confirmed; SignInRefused, with
    the same answer whether the address is free, the password wrong or the address not
    confirmed, otherwise. Too many failures are held back per address and client by the
    caller (``directory.web.throttling``), never by a lock on the account that anyone could
    set off."""
    account = find_account(session, email)
    if account is None:
        hasher(policy).hash(password)  # same work as a real check, so timing does not tell
        raise SignInRefused(WRONG_CREDENTIALS, field="password")
    if not password_matches(account, password, policy) or not account.is_verified:
        raise SignInRefused(WRONG_CREDENTIALS, field="password")
    if not account.is_active:
        raise SignInRefused(
            N_("This account is disabled. Contact the directory team."), field="password"
        )
    account.last_sign_in_at = utcnow()
    return account


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
    """An address-confirmation link's token, as registration mailed them before (no mail
    carries one now; kept so the links already mailed, and their tests, still resolve)."""
    return _serializer("verify", policy).dumps({"id": account.id, "email": account.email})


def account_from_verification_link(session: Session, token: str, policy: AccountPolicy) -> Account:
    """The account an address-confirmation link names (links of that kind were mailed on
    registration before the password was chosen through the mail; they confirm nothing by
    themselves any more, so a password set by whoever registered the address never becomes
    the account's)."""
    invalid = N_("This verification link is not valid or has expired.")
    return _account_from_link(session, "verify", token, VERIFY_MAX_AGE, invalid, policy)


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


RESET_INVALID = N_("This reset link is not valid or has expired.")


def account_from_reset_link(session: Session, token: str, policy: AccountPolicy) -> Account:
    """The account a password link names, if the link is genuine, fresh and unused."""
    return _account_from_link(session, "reset", token, RESET_MAX_AGE, RESET_INVALID, policy)


def reset_password(session: Session, token: str, password: str, policy: AccountPolicy) -> Account:
    """Set the password through a mailed link: the link came to the address, so this also
    confirms the address of an account that is waiting (its first password)."""
    account = account_from_reset_link(session, token, policy)
    check_password(password)
    account.password_hash = hash_password(password, policy)
    account.session_token = new_session_token()
    account.failed_sign_ins, account.locked_until = 0, None
    if account.email_verified_at is None:  # the link came to the address: it is confirmed
        account.email_verified_at = utcnow()
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
