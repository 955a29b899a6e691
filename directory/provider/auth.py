"""Account views: register, verify the e-mail address, sign in and out, reset the password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from directory.errors import DirectoryError
from directory.extensions import db, limiter
from directory.operations.accounts import (
    AccountPolicy,
    create_account,
    end_sessions,
    find_account,
    sign_in,
    verify_email,
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
from directory.web import sessions
from directory.web.forms import ActionForm
from directory.web.i18n import translated


def policy() -> AccountPolicy:
    return AccountPolicy.from_config(current_app.config)


def sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@blueprint.route("/register", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            account = create_account(db.session, form.email.data, form.password.data, policy())
        except DirectoryError as error:
            form.email.errors.append(translated(error))
        else:
            db.session.commit()
            notifications.send_verification(account)
            _start_session(account)
            flash(
                _(
                    "Account created. We sent a link to %(email)s: open it to confirm the address.",
                    email=account.email,
                )
            )
            return redirect(url_for("provider.dashboard"))
    return render_template("provider/register.html", form=form)


@blueprint.get("/verify/<token>")
def verify(token: str):
    try:
        verify_email(db.session, token, policy())
    except DirectoryError as error:
        return render_template(
            "provider/message.html", title=_("Link not valid"), message=translated(error)
        ), 400
    db.session.commit()
    flash(_("Thank you: your e-mail address is confirmed."))
    return redirect(
        url_for("provider.dashboard" if current_user.is_authenticated else "provider.login")
    )


@blueprint.post("/verify/resend")
def resend_verification():
    if ActionForm().validate_on_submit() and not current_user.is_verified:
        notifications.send_verification(current_user)
        flash(_("We sent the link again to %(email)s.", email=current_user.email))
    return redirect(url_for("provider.dashboard"))


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def login():
    form = SignInForm()
    target = safe_next(request.args.get("next"), url_for("provider.dashboard"))
    if form.validate_on_submit():
        try:
            account = sign_in(db.session, form.email.data, form.password.data, policy())
        except DirectoryError as error:
            db.session.commit()  # keep the failure count
            form.password.errors.append(translated(error))
        else:
            db.session.commit()
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
        account = find_account(db.session, form.email.data)
        if account is not None and account.is_active:
            notifications.send_password_reset(account)
        # The same answer either way, so the form does not tell who has an account.
        return render_template(
            "provider/message.html",
            title=_("Check your e-mail"),
            message=_(
                "If an account uses that address, we sent it a link to choose a new password."
            ),
        )
    return render_template("provider/forgot.html", form=form)


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_account_password(db.session, token, form.password.data, policy())
        except DirectoryError as error:
            form.password.errors.append(translated(error))
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your password is changed. Sign in with the new one."))
            return redirect(url_for("provider.login"))
    return render_template("provider/reset.html", form=form)
