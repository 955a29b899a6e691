"""The e-mails the directory sends to providers (plain text: typed markup stays text)."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _

from directory.mail import send_mail
from directory.operations.accounts import AccountPolicy, reset_token


def site_link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, on the configured ``SITE_URL`` — never on the Host
    header of the request, which a visitor controls (a poisoned reset link would hand them
    the token)."""
    return current_app.config["SITE_URL"].rstrip("/") + url_for(endpoint, **values)


def _policy() -> AccountPolicy:
    return AccountPolicy.from_config(current_app.config)


def send_registration(account) -> None:
    """The one mail of a registration, whether the address was free or not (the register
    page says "check your e-mail" either way, so only the mailbox's holder learns whether an
    account exists): an account waiting for its address to be confirmed, new or not, gets
    the link to choose its password; a confirmed one's holder is told someone tried."""
    if not account.is_verified:
        send_choose_password(account)
        return
    text = _(
        "Someone tried to create a Treatment Directory account with this e-mail address, "
        "which already has one. Nothing was changed.\n\n"
        "If it was you, sign in:\n%(sign_in)s\n\n"
        "Forgot your password? Choose a new one here:\n%(forgot)s\n\n"
        "If it was not you, ignore this message: your account stays as it is.",
        sign_in=site_link("provider.login"),
        forgot=site_link("provider.forgot_password"),
    )
    send_mail(account.email, _("You already have an account"), text)


def send_choose_password(account) -> None:
    """The password is chosen by whoever holds the mailbox, never by whoever registered the
    address: the link confirms the address and sets the password (a reset link: single use,
    2 hours)."""
    token = reset_token(account, _policy())
    text = _(
        "Someone, perhaps you, asked to create a Treatment Directory account with this "
        "e-mail address.\n\n"
        "If it was you, confirm the address and choose your password within 2 hours with "
        "this link:\n%(link)s\n\n"
        "If it was not you, ignore this message: nobody can sign in with this address until "
        "its password is chosen with this link.",
        link=site_link("provider.reset_password", token=token),
    )
    send_mail(account.email, _("Confirm your e-mail address"), text)


def send_password_reset(account) -> None:
    token = reset_token(account, _policy())
    text = _(
        "Someone asked to reset the password of your Treatment Directory account.\n\n"
        "Choose a new password within 2 hours with this link:\n%(link)s\n\n"
        "If it was not you, ignore this message: your password stays as it is.",
        link=site_link("provider.reset_password", token=token),
    )
    send_mail(account.email, _("Reset your password"), text)


def send_claim_decision(claim) -> None:
    if claim.status == "approved":
        body = _(
            "You can now manage the listing %(name)s. Sign in to update it:\n%(link)s",
            name=claim.listing.name,
            link=site_link("provider.dashboard"),
        )
    else:
        body = _(
            "Your request to manage the listing %(name)s was declined.\n\nReason: %(reason)s",
            name=claim.listing.name,
            reason=claim.reason,
        )
    send_mail(claim.account.email, _("Your request to manage a listing"), body)


def send_edit_decision(edit) -> None:
    link = site_link("provider.edit_status", edit_id=edit.id)
    if edit.status == "approved":
        body = _(
            "Your changes to %(name)s were approved and are now public.\n%(link)s",
            name=edit.title,
            link=link,
        )
    else:
        body = _(
            "Your changes to %(name)s were not published.\n\nReason: %(reason)s\n\n%(link)s",
            name=edit.title,
            reason=edit.reason,
            link=link,
        )
    send_mail(edit.account.email, _("Your listing changes were reviewed"), body)


def send_verification_request(
    request, link_days: int, claimed: bool = True, every_days: int = 180
) -> None:
    """The mail asking a provider to look at their listing: three single-purpose links.

    ``claimed=False``: nobody manages the listing and the mail goes to the intake address the
    directory's operator has for it, so it says why they get it and how to claim it."""
    from directory.provider.check import link_token

    listing = request.listing

    def link(purpose: str) -> str:
        return site_link(f"provider.check_{purpose}", token=link_token(request.id, purpose))

    if claimed:
        why = ""
        manage = _(
            "To change anything else, sign in:\n%(sign_in)s", sign_in=site_link("provider.login")
        )
    else:
        why = _(
            "You get this mail because this is the address the Treatment Directory has for "
            "%(name)s, and nobody manages its listing yet. We ask at most once every %(every)d "
            "days.\n\n",
            name=listing.name,
            every=every_days,
        )
        manage = _(
            "To correct anything else, ask to manage the listing (free):\n%(claim)s",
            claim=site_link("provider.landing", listing=listing.id),
        )
    body = (
        why
        + _(
            "Is the listing of %(name)s in the Treatment Directory still right? People looking "
            "for treatment rely on it.\n\n"
            "If everything is still correct, say so in one click:\n%(confirm)s\n\n"
            "To say whether you can take new clients now (public at once):\n%(availability)s\n\n"
            "If you have closed or moved, tell us here:\n%(closed)s\n\n"
            "No password is needed. Each link does only what it says, works once, and expires "
            "in %(days)d days.",
            name=listing.name,
            confirm=link("confirm"),
            availability=link("availability"),
            closed=link("closed"),
            days=link_days,
        )
        + " "
        + manage
    )
    send_mail(request.sent_to, _("Is your listing still right? %(name)s", name=listing.name), body)
