"""Admin views: thin wrappers over the moderation operations, one commit per request."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from directory.admin import blueprint
from directory.admin.forms import (
    AdminListingForm,
    ApproveForm,
    PhoneCheckForm,
    ReasonForm,
    ResolveForm,
    admin_listing_form_data,
    admin_proposed_values,
)
from directory.admin.paging import paged, paged_list, queue
from directory.errors import DirectoryError
from directory.extensions import db
from directory.mail import outbox_names, read_outbox
from directory.models import Account, Claim, Listing, ListingEdit, OutgoingMail, ProblemReport
from directory.models import claim as claims
from directory.models import listing_edit as edits
from directory.models import problem_report as reports
from directory.models.listing import utcnow
from directory.operations import phone_check
from directory.operations.accounts import set_disabled
from directory.operations.hours import ADMIN as ADMIN_SET
from directory.operations.hours import update_hours
from directory.operations.moderation import (
    Conflict,
    admin_update_listing,
    approve_claim,
    approve_edit,
    decline_claim,
    history,
    reject_edit,
    resolve_report,
)
from directory.operations.outgoing_mail import queue_state
from directory.operations.phone_check import record_phone_check
from directory.provider import notifications
from directory.provider.hours_form import HoursForm, hours_form_data
from directory.vocabulary import N_
from directory.web.forms import ActionForm, show_refusal
from directory.web.geocoder import configured_geocoder
from directory.web.i18n import translated
from directory.web.listing_form import (
    Attempt,
    form_page,
    save_versioned,
)

PAGE = 100
STALE_AFTER = timedelta(days=365)


def _count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def _stale_query():
    cutoff = (utcnow() - STALE_AFTER).date()
    return select(Listing).where(
        or_(Listing.last_verified_on.is_(None), Listing.last_verified_on < cutoff)
    )


@blueprint.get("/")
def dashboard():
    counts = {
        "claims": _count(select(Claim).where(Claim.status == claims.PENDING)),
        "edits": _count(
            select(ListingEdit).where(
                ListingEdit.status == edits.PENDING, ListingEdit.kind == edits.CHANGE
            )
        ),
        "new": _count(
            select(ListingEdit).where(
                ListingEdit.status == edits.PENDING, ListingEdit.kind == edits.NEW_LISTING
            )
        ),
        "reports": _count(select(ProblemReport).where(ProblemReport.status == reports.OPEN)),
        "stale": _count(_stale_query()),
    }
    return render_template("admin/dashboard.html", counts=counts)


# --- claims -----------------------------------------------------------------------------


@blueprint.get("/claims")
def claim_queue():
    pager = queue(Claim, claims.PENDING, Claim.created_at)
    return render_template("admin/claims.html", claims=pager.items, pager=pager,
                           approve_form=ActionForm(), reason_form=ReasonForm())  # fmt: skip


@blueprint.post("/claims/<int:claim_id>/approve")
def approve_claim_view(claim_id: int):
    claim = db.get_or_404(Claim, claim_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _decided(
        lambda: approve_claim(db.session, claim, current_user),
        notifications.send_claim_decision,
        "admin.claim_queue",
    )


@blueprint.post("/claims/<int:claim_id>/decline")
def decline_claim_view(claim_id: int):
    claim = db.get_or_404(Claim, claim_id)
    decline = partial(decline_claim, db.session, claim, current_user)
    return _refused(decline, notifications.send_claim_decision, "admin.claim_queue")


def _refused(refuse, notify, endpoint: str, *, back=None, **values):
    """A decline or a rejection: ``refuse(reason)`` needs the admin's reason, which the provider
    will see; without a valid one nothing is decided and the admin goes ``back`` (by default
    to ``endpoint``)."""
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason (at most 2000 characters): the provider will see it."), "error")
        return redirect(back or url_for(endpoint, **values))
    return _decided(lambda: refuse(form.reason.data), notify, endpoint, **values)


def _decided(operation, notify, endpoint: str, **values):
    """Run a decision, commit, tell the provider; show a refusal as a message instead."""
    try:
        decided = operation()
    except DirectoryError as error:
        db.session.rollback()
        flash(translated(error), "error")
        return redirect(url_for(endpoint, **values))
    notify(decided)  # the mail is queued with the decision, sent after the response
    db.session.commit()
    flash(_("Done. The provider has been told."))
    return redirect(url_for(endpoint, **values))


# --- edits and new listings -------------------------------------------------------------


@blueprint.get("/edits")
def edit_queue():
    kind = edits.NEW_LISTING if request.args.get("kind") == "new" else edits.CHANGE
    order = (ListingEdit.created_at, ListingEdit.id)
    pager = queue(ListingEdit, edits.PENDING, *order, where=[ListingEdit.kind == kind])
    return render_template("admin/edits.html", edits=pager.items, kind=kind, pager=pager)


@blueprint.get("/edits/<int:edit_id>")
def review_edit(edit_id: int):
    edit = db.get_or_404(ListingEdit, edit_id)
    version = edit.listing.version if edit.listing else 0
    return _review_page(edit, ApproveForm(data={"version": version}), None)


def _review_page(edit, approve_form, conflict, status: int = 200):
    return render_template(
        "admin/review_edit.html",
        edit=edit,
        approve_form=approve_form,
        reason_form=ReasonForm(),
        conflict=conflict,
    ), status


@blueprint.post("/edits/<int:edit_id>/approve")
def approve_edit_view(edit_id: int):
    edit = db.get_or_404(ListingEdit, edit_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        approve_edit(db.session, edit, current_user, form.version.data, configured_geocoder())
    except Conflict as conflict:
        db.session.rollback()
        fresh = ApproveForm(formdata=None, data={"version": edit.listing.version})
        return _review_page(edit, fresh, conflict, 409)
    except DirectoryError as error:
        db.session.rollback()
        flash(translated(error), "error")
        return redirect(url_for("admin.review_edit", edit_id=edit.id))
    notifications.send_edit_decision(edit)
    db.session.commit()
    flash(_("Approved and published. The provider has been told."))
    return redirect(url_for("admin.edit_queue", kind=edit.kind))


@blueprint.post("/edits/<int:edit_id>/reject")
def reject_edit_view(edit_id: int):
    edit = db.get_or_404(ListingEdit, edit_id)
    reject = partial(reject_edit, db.session, edit, current_user)
    back = url_for("admin.review_edit", edit_id=edit.id)
    return _refused(
        reject, notifications.send_edit_decision, "admin.edit_queue", back=back, kind=edit.kind
    )


# --- listings ---------------------------------------------------------------------------


@blueprint.get("/listings/<listing_id>")
def listing_history(listing_id: str):
    listing = db.get_or_404(Listing, listing_id)
    return _listing_page(listing, PhoneCheckForm(formdata=None))


def _listing_page(listing: Listing, phone_form: PhoneCheckForm):
    pager = paged_list(history(db.session, listing.id))
    return render_template(
        "admin/listing.html",
        listing=listing,
        entries=pager.items,
        pager=pager,
        action_form=ActionForm(),
        phone_form=phone_form,
    )


@blueprint.route("/listings/<listing_id>/edit", methods=["GET", "POST"])
def edit_listing(listing_id: str):
    listing = db.get_or_404(Listing, listing_id)
    form = AdminListingForm(data=admin_listing_form_data(listing))
    attempt = None
    if form.validate_on_submit():
        proposed, version = admin_proposed_values(form, listing), form.version.data

        def publish():
            geocoder = configured_geocoder()
            return admin_update_listing(
                db.session, listing, current_user, proposed, version, geocoder
            )

        attempt = save_versioned(form, listing, admin_listing_form_data, publish)
        if attempt.saved:
            flash(_("Saved and published."))
            return redirect(url_for("admin.listing_history", listing_id=listing.id))
    elif request.method == "POST":
        attempt = Attempt(False, status=400)  # the form again, as typed, with what to fix
    return form_page("admin/edit_listing.html", attempt, form=form, listing=listing)


@blueprint.route("/listings/<listing_id>/hours", methods=["GET", "POST"])
def listing_hours(listing_id: str):
    """An admin sets the hours and walk-in admission (after a phone call, say): published at
    once and audited as the admin's, like the provider's own change."""
    listing = db.get_or_404(Listing, listing_id)
    form = HoursForm(data=hours_form_data(listing))
    attempt = None
    if form.validate_on_submit():

        def publish():
            access = (form.walk_in_value, form.intake_24h_value, form.version.data)
            return update_hours(
                db.session, listing, current_user, form.intervals(), *access, source=ADMIN_SET
            )

        attempt = save_versioned(form, listing, hours_form_data, publish)
        if attempt.saved:
            flash(_("Hours and walk-in updated. They are public now."))
            return redirect(url_for("admin.listing_history", listing_id=listing.id))
    return form_page("admin/hours.html", attempt, form=form, listing=listing)


@blueprint.post("/listings/<listing_id>/verify")
def verify_listing(listing_id: str):
    """A phone check in two clicks: the outcome (and a note), then the one button."""
    listing = db.get_or_404(Listing, listing_id)
    form = PhoneCheckForm()
    if form.validate_on_submit():
        try:
            record_phone_check(db.session, listing, current_user, form.outcome.data, form.note.data)
        except DirectoryError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_(PHONE_CHECK_DONE[form.outcome.data]))
            if form.outcome.data == phone_check.CHANGED:
                return redirect(url_for("admin.edit_listing", listing_id=listing.id))
            return redirect(url_for("admin.listing_history", listing_id=listing.id))
    if form.csrf_token.errors:
        abort(400)
    return _listing_page(listing, form), 400


PHONE_CHECK_DONE = {
    phone_check.CONFIRMED: N_("Call recorded: the listing is confirmed today."),
    phone_check.CHANGED: N_("Call recorded. Correct the details that changed here."),
    phone_check.NUMBER_FAILED: N_(
        "Call recorded: the listing is in the queue of listings nobody can reach."
    ),
    phone_check.NO_ANSWER: N_("Call recorded. Nothing else was changed."),
}


@blueprint.get("/stale")
def stale_listings():
    state = (request.args.get("state") or "").strip().upper()[:2]
    query = _stale_query()
    if state:
        query = query.where(Listing.state == state)
    total = _count(query)
    page = _page_number(total)
    listings = db.session.scalars(
        query.order_by(
            Listing.last_verified_on.is_not(None),
            Listing.last_verified_on,
            Listing.name,
            Listing.id,
        )
        .offset((page - 1) * PAGE)
        .limit(PAGE)
    ).all()
    pages = max(1, -(-total // PAGE))
    return render_template(
        "admin/stale.html", listings=listings, total=total, page=page, pages=pages, state=state
    )


def _page_number(total: int) -> int:
    """The ``page`` asked for, kept within the pages there are (bad input: the first page)."""
    text = request.args.get("page", "1")
    page = int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 1
    return min(max(page, 1), max(1, -(-total // PAGE)))


# --- problem reports --------------------------------------------------------------------


@blueprint.get("/reports")
def report_queue():
    pager = queue(ProblemReport, reports.OPEN, ProblemReport.created_at, ProblemReport.id)
    return render_template(
        "admin/reports.html", reports=pager.items, pager=pager, form=ResolveForm()
    )


@blueprint.post("/reports/<int:report_id>/resolve")
def resolve_report_view(report_id: int):
    report = db.get_or_404(ProblemReport, report_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(_("Keep the note under 2000 characters."), "error")
        return redirect(url_for("admin.report_queue"))
    try:
        resolve_report(db.session, report, current_user, form.resolution.data, form.dismiss.data)
    except DirectoryError as error:
        flash(translated(error), "error")
        return redirect(url_for("admin.report_queue"))
    db.session.commit()
    flash(_("Report closed."))
    if form.open_edit.data and not form.dismiss.data:
        return redirect(url_for("admin.edit_listing", listing_id=report.listing_id))
    return redirect(url_for("admin.report_queue"))


# --- accounts and mail ------------------------------------------------------------------


@blueprint.get("/accounts")
def accounts():
    pager = paged(select(Account).order_by(Account.created_at.desc(), Account.id.desc()))
    return render_template(
        "admin/accounts.html", accounts=pager.items, pager=pager, form=ActionForm()
    )


@blueprint.post("/accounts/<int:account_id>/<any(disable, enable):action>")
def set_account_state(account_id: int, action: str):
    account = db.get_or_404(Account, account_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if account.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("admin.accounts"))
    set_disabled(account, action == "disable")
    db.session.commit()
    flash(_("Account disabled.") if action == "disable" else _("Account enabled."))
    return redirect(url_for("admin.accounts"))


@blueprint.get("/outbox")
def outbox():
    pager = paged_list(outbox_names())  # only this page's messages are read
    messages = [read_outbox(name) for name in pager.items]
    return render_template(
        "admin/outbox.html", messages=messages, pager=pager, unsent=queue_state(db.session)
    )


@blueprint.get("/outbox/waiting")
def mail_waiting():
    """Mail not sent yet (waiting for a retry, or given up), oldest first: who and why, never
    the body (it may hold a secret link)."""
    unsent = select(OutgoingMail).where(OutgoingMail.sent_at.is_(None)).order_by(OutgoingMail.id)
    pager = paged(unsent)
    return render_template("admin/mail_waiting.html", mails=pager.items, pager=pager)


@blueprint.get("/outbox/<name>")
def outbox_message(name: str):
    message = read_outbox(name)
    if message is None:
        abort(404)
    body, hidden = redact_secret_links(message.body)
    return render_template(
        "admin/outbox_message.html", message=replace(message, body=body), hidden=hidden
    )


# Links whose token is a key to an account or a listing: an admin reading the outbox must not
# get them.
SECRET_LINKS = (
    "provider.verify",
    "provider.reset_password",
    "provider.check_confirm",
    "provider.check_availability",
    "provider.check_closed",
)


def redact_secret_links(body: str) -> tuple[str, int]:
    """The body with each secret link's token cut off, and how many were cut."""
    hidden = 0
    for endpoint in SECRET_LINKS:
        prefix = url_for(endpoint, **{"token": "T"})[:-1]  # e.g. "/provider/reset/"
        body, count = re.subn(re.escape(prefix) + r"[^\s<>\"']+", prefix + "…", body)
        hidden += count
    return body, hidden


# --- data quality -----------------------------------------------------------------------


@blueprint.get("/quality")
def quality():
    from directory.operations.quality import WINDOWS, measure

    return render_template("admin/quality.html", quality=measure(db.session), windows=WINDOWS)


@blueprint.get("/quality.csv")
def quality_csv():
    import csv
    import io

    from flask import Response

    from directory.operations.quality import csv_rows, measure

    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_rows(measure(db.session)))
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=directory-freshness.csv"},
    )
