"""How long a sign-in lasts: sessions end when idle too long (admins sooner than providers)
and at an absolute limit however busy, and signing out ends every session of the account on
the server (a copied cookie is worth nothing after it). Signed-in pages are never cached."""

from __future__ import annotations

import time

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from directory.extensions import db
from directory.operations.accounts import load_account

SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"
SEEN_EVERY = 60  # seconds: how often a busy session's cookie is refreshed


def start(account) -> None:
    """Mark a new sign-in in the (fresh) session."""
    now = int(time.time())
    session[SIGNED_IN_AT], session[SEEN_AT] = now, now


def load_session_account(user_id: str):
    """The signed-in account, unless the session is past its idle or absolute limit."""
    account = load_account(db.session, user_id)
    if account is None:
        return None
    now, config = int(time.time()), current_app.config
    idle = config["SESSION_IDLE_ADMIN" if account.is_admin else "SESSION_IDLE_PROVIDER"]
    signed_in, seen = session.get(SIGNED_IN_AT, 0), session.get(SEEN_AT, 0)
    if now - signed_in > config["SESSION_ABSOLUTE"] or now - seen > idle:
        session.clear()
        return None
    if now - seen >= SEEN_EVERY:
        session[SEEN_AT] = now
    return account


# The account areas: even signed out, their forms carry a CSRF token bound to the session.
ACCOUNT_AREAS = ("provider", "admin")


def no_store_when_signed_in(response):
    """Nothing a signed-in person sees, and no page of the account areas, is kept by a
    browser or a shared cache."""
    signed_in = "_user_id" in session and current_user.is_authenticated
    if signed_in or request.blueprint in ACCOUNT_AREAS:
        response.headers["Cache-Control"] = "no-store"
    return response


class SignedCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signer made once per set of keys instead of on
    every request (most requests, every search among them, carry no cookie at all)."""

    def __init__(self) -> None:
        self._signers: dict = {}

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._signers:
            self._signers = {keys: super().get_signing_serializer(app)}
        return self._signers[keys]


def register(app: Flask) -> None:
    app.session_interface = SignedCookies()
    app.after_request(no_store_when_signed_in)
