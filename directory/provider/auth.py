"""Account views: register, verify the e-mail address, sign in and out, reset the password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from directory.errors import DirectoryError
from directory.extensions import db, limiter
from directory.mail import after_response
from directory.operations.accounts import (
    AccountPolicy,
    AddressTaken,
    SignInRefused,
    account_from_reset_link,
    account_from_verification_link,
    end_sessions,
    find_account,
    register_account,
    reset_token,
    sign_in,
)
from directory.operations.accounts import (
    reset_password as reset_account_password,
)
from directory.provider import blueprint, notifications
from directory.provider.access import safe_next
from directory.provider.forms import (
    ForgotPasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
)
from directory.vocabulary import N_
from directory.web import sessions, throttling
from directory.web.forms import ActionForm
from directory.web.i18n import translated


def policy() -> AccountPolicy:
    return AccountPolicy.from_config(current_app.config)


def sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@blueprint.route("/register", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def register():
    """Only the address is asked for: the password is chosen through the mailed link, by
    whoever holds the mailbox, so nobody can register someone else's address with a password
    of their own and wait for its holder to confirm it. The same page, the same hashing work
    and one mail after the response whether or not the address has an account (see
    ``notifications.send_registration``)."""
    form = RegisterForm()
    if form.validate_on_submit():
        email = form.email.data
        try:
            register_account(db.session, email, policy())
        except AddressTaken:
            db.session.rollback()
        except DirectoryError as error:
            form.email.errors.append(translated(error))
            return render_template("provider/register.html", form=form)
        else:
            db.session.commit()
        if throttling.account_mail_allowed("register", email):
            _mail_later(notifications.send_registration, email)
        return _check_your_email(email)
    return render_template("provider/register.html", form=form)


def _mail_later(notify, email: str) -> None:
    """Write the account's mail after the response (``notify(account)``): the page takes the
    same time whether or not a mail goes out, so it cannot tell who has an account."""

    def work() -> None:
        account = find_account(db.session, email)
        if account is not None:
            notify(account)

    after_response(work)


def _check_your_email(email: str):
    return render_template(
        "provider/message.html",
        title=_("Check your e-mail"),
        message=_(
            "We sent a message to %(email)s. Open the link in it to confirm the address and "
            "choose your password. If nothing arrives within a few minutes, look in the spam "
            "folder.",
            email=email.strip().lower(),
        ),
    )


@blueprint.get("/verify/<token>")
def verify(token: str):
    """A confirmation link mailed before the password was chosen through the mail. It
    confirms nothing by itself (that kept whatever password the registrant, perhaps not the
    address's holder, had typed): a waiting account's link leads to choosing its password,
    which confirms the address."""
    try:
        account = account_from_verification_link(db.session, token, policy())
    except DirectoryError as error:
        return render_template(
            "provider/message.html", title=_("Link not valid"), message=translated(error)
        ), 400
    if not account.is_verified:
        return redirect(url_for("provider.reset_password", token=reset_token(account, policy())))
    flash(_("Your e-mail address is already confirmed."))
    return redirect(
        url_for("provider.dashboard" if current_user.is_authenticated else "provider.login")
    )


HELD_BACK = N_(
    "Too many failed sign-ins from here for this address. Wait a few minutes and try again, "
    "or choose a new password."
)
ADDRESS_HELD_BACK = N_(
    "Too many failed sign-ins for this address lately, from several places. To sign in now, "
    "choose a new password: we mail you a link."
)


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def login():
    """Failures are held back per address and client: whoever guesses from elsewhere cannot
    lock the account's owner out, and an address without an account is held back alike. An
    account whose address is not confirmed cannot sign in (the same answer as a wrong
    password), so registering an address and trying its password tells nothing."""
    form = SignInForm()
    target = safe_next(request.args.get("next"), url_for("provider.dashboard"))
    if form.validate_on_submit():
        email = form.email.data
        try:
            if throttling.sign_in_held_back(email):
                raise SignInRefused(HELD_BACK, field="password")
            if throttling.address_held_back(email):
                raise SignInRefused(ADDRESS_HELD_BACK, field="password")
            account = sign_in(db.session, email, form.password.data, policy())
        except DirectoryError as error:
            db.session.rollback()
            if error.template not in (HELD_BACK, ADDRESS_HELD_BACK):
                throttling.count_failed_sign_in(email)
            form.password.errors.append(translated(error))
        else:
            db.session.commit()
            throttling.forget_failed_sign_ins(email)
            _start_session(account)
            if account.is_admin and target == url_for("provider.dashboard"):
                target = url_for("admin.dashboard")
            return redirect(target)
    return render_template("provider/login.html", form=form)


def _start_session(account) -> None:
    """A fresh session on sign-in, so a session fixed before it is worth nothing after."""
    session.clear()
    login_user(account)
    sessions.start(account)


@blueprint.post("/logout")
def logout():
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            end_sessions(current_user)  # a copied cookie stops working too
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."))
        return redirect(url_for("provider.login"))
    return redirect(url_for("provider.dashboard"))


@blueprint.route("/forgot", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if throttling.account_mail_allowed("reset", form.email.data):
            _mail_later(_reset_if_active, form.email.data)
        # The same answer either way, so the form does not tell who has an account.
        return render_template(
            "provider/message.html",
            title=_("Check your e-mail"),
            message=_(
                "If an account uses that address, we sent it a link to choose a new password."
            ),
        )
    return render_template("provider/forgot.html", form=form)


def _reset_if_active(account) -> None:
    if account.is_active:
        notifications.send_password_reset(account)


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """A new password, or the first one of an account whose address is waiting to be
    confirmed (the link came to the address, so choosing it confirms the address)."""
    form = ResetPasswordForm()
    try:
        first = not account_from_reset_link(db.session, token, policy()).is_verified
    except DirectoryError:
        first = False  # the form says why once it is sent
    if form.validate_on_submit():
        try:
            account = reset_account_password(db.session, token, form.password.data, policy())
        except DirectoryError as error:
            form.password.errors.append(translated(error))
        else:
            db.session.commit()
            throttling.forget_address_failures(account.email)
            logout_user()
            session.clear()
            if first:
                flash(_("Your e-mail address is confirmed and your password chosen. Sign in."))
            else:
                flash(_("Your password is changed. Sign in with the new one."))
            return redirect(url_for("provider.login"))
    return render_template("provider/reset.html", form=form, first=first)
