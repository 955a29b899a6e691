"""Limits that are not per client alone: account mail per e-mail address, and failed sign-ins
per address *and* client, so nobody can lock an account's owner out from elsewhere, under a
generous cap per address across all clients (``SIGN_IN_ACCOUNT_LIMIT``), so a guesser spread
over many addresses is slowed too. Whoever sets the cap off cannot keep the owner out: a
password reset by mail clears it, and the reset mails reach only the owner.

The counters live where the rate limiter keeps its own (``RATELIMIT_STORAGE_URI``: Redis when
several servers share the load), so they hold across workers and servers. The key never
depends on whether the address has an account: the answers cannot tell.
"""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse, parse_many

from directory.extensions import limiter
from directory.operations.accounts import normalize_email


def _enabled() -> bool:
    return current_app.config.get("RATELIMIT_ENABLED", True)


def account_mail_allowed(kind: str, email: str) -> bool:
    """Count one ``kind`` of account mail to ``email``; False once the address had its share
    (the page says the same either way; no mail is sent)."""
    if not _enabled():
        return True
    items = parse_many(current_app.config["ACCOUNT_MAIL_RATE_LIMIT"])
    address = normalize_email(email)
    return all([limiter.limiter.hit(item, "account-mail", kind, address) for item in items])


def _failures():
    config = current_app.config
    return parse(f"{config['SIGN_IN_MAX_FAILURES']} per {config['SIGN_IN_LOCK_MINUTES']} minutes")


def _pair(email: str) -> tuple[str, str, str]:
    return "sign-in-failures", normalize_email(email), get_remote_address() or ""


def _account_cap():
    return parse_many(current_app.config["SIGN_IN_ACCOUNT_LIMIT"])


def _address(email: str) -> tuple[str, str]:
    return "sign-in-failures-all", normalize_email(email)


def address_held_back(email: str) -> bool:
    """Whether this address failed to sign in too often lately, from all clients together."""
    return _enabled() and not all(
        limiter.limiter.test(item, *_address(email)) for item in _account_cap()
    )


def forget_address_failures(email: str) -> None:
    """After a password reset by mail: the owner may sign in again from anywhere."""
    if _enabled():
        for item in _account_cap():
            limiter.limiter.clear(item, *_address(email))
        limiter.limiter.clear(_failures(), *_pair(email))


def sign_in_held_back(email: str) -> bool:
    """Whether this client failed to sign in to this address too often lately."""
    return _enabled() and not limiter.limiter.test(_failures(), *_pair(email))


def count_failed_sign_in(email: str) -> None:
    if _enabled():
        limiter.limiter.hit(_failures(), *_pair(email))
        for item in _account_cap():
            limiter.limiter.hit(item, *_address(email))


def forget_failed_sign_ins(email: str) -> None:
    if _enabled():
        limiter.limiter.clear(_failures(), *_pair(email))
