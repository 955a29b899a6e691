"""Admin pages for widget partners: list, create, edit, enable or disable, and approve or
decline the key requests sites send from /partners (CSRF on every form)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields import ColorField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from directory.admin import blueprint
from directory.admin.paging import paged
from directory.extensions import db
from directory.mail import send_mail
from directory.models import KeyRequest, Partner
from directory.models.partner import DEFAULT_THEME, PENDING
from directory.operations.partners import (
    KeyRequestDecided,
    PartnerError,
    PartnerValues,
    approve_key_request,
    create_partner,
    decline_key_request,
    update_partner,
)
from directory.search.presets import check_presets
from directory.web.forms import ActionForm
from directory.web.i18n import LANGUAGES, translated
from directory.widget.forms import PresetForm, preset_form_data
from directory.widget.partners_page import snippet_text


class PartnerForm(PresetForm):
    """A partner's name, where it may show the widget, its presets and its look."""

    class Meta:
        csrf = True

    name = StringField(_l("Name"), [Length(max=200)])
    allowed_origins = TextAreaField(
        _l("Allowed sites (origins)"),
        description=_l("One per line, like https://health.example.org: scheme and host only"),
    )
    theme_color = ColorField(
        _l("Theme colour"),
        default=DEFAULT_THEME,
        description=_l("Text on it is black or white, whichever reads better"),
    )
    default_language = SelectField(
        _l("Default language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
        validate_choice=False,
    )
    enabled = BooleanField(_l("Enabled: the widget shows on the allowed sites"), default=True)

    def values(self) -> PartnerValues:
        return PartnerValues(
            name=self.name.data or "",
            allowed_origins=(self.allowed_origins.data or "").split(),
            presets=self.presets(),
            theme_color=self.theme_color.data or "",
            default_language=self.default_language.data or "",
            enabled=bool(self.enabled.data),
        )


def partner_form_data(partner: Partner) -> dict:
    return {
        **preset_form_data(partner.presets),
        "name": partner.name,
        "allowed_origins": "\n".join(partner.allowed_origins),
        "theme_color": partner.theme_color,
        "default_language": partner.default_language,
        "enabled": partner.enabled,
    }


@blueprint.get("/partners")
def partners():
    pager = paged(select(Partner).order_by(Partner.name, Partner.id))
    waiting = db.session.scalars(
        select(KeyRequest).where(KeyRequest.status == PENDING).order_by(KeyRequest.id)
    ).all()
    return render_template(
        "admin/partners.html",
        partners=pager.items,
        pager=pager,
        requests=waiting,
        form=ActionForm(),
    )


@blueprint.route("/partners/new", methods=["GET", "POST"])
def new_partner():
    form = PartnerForm()
    if form.validate_on_submit():
        saved = _saved(form, lambda: create_partner(db.session, form.values(), check_presets))
        if saved:
            flash(_("Partner %(name)s created.", name=saved.name))
            return redirect(url_for("admin.edit_partner", partner_id=saved.id))
    return _form_page(form, None)


@blueprint.route("/partners/<int:partner_id>", methods=["GET", "POST"])
def edit_partner(partner_id: int):
    partner = db.get_or_404(Partner, partner_id)
    form = PartnerForm(data=partner_form_data(partner))
    if form.validate_on_submit() and _saved(
        form, lambda: update_partner(partner, form.values(), check_presets)
    ):
        flash(_("Partner %(name)s saved.", name=partner.name))
        return redirect(url_for("admin.edit_partner", partner_id=partner.id))
    return _form_page(form, partner)


def _saved(form: PartnerForm, save) -> Partner | None:
    """Run ``save`` and commit it, or put each refusal on its field and save nothing."""
    try:
        partner = save()
    except PartnerError as error:
        db.session.rollback()
        form.show_errors(error.errors)
        return None
    db.session.commit()
    return partner


def _form_page(form: PartnerForm, partner: Partner | None):
    status = 400 if form.errors else 200
    return render_template("admin/partners_form.html", form=form, partner=partner), status


@blueprint.post("/partners/<int:partner_id>/<any(enable, disable):action>")
def set_partner_state(partner_id: int, action: str):
    partner = db.get_or_404(Partner, partner_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    partner.enabled = action == "enable"
    db.session.commit()
    flash(_("Partner enabled.") if partner.enabled else _("Partner disabled."))
    return redirect(url_for("admin.partners"))


@blueprint.post("/partners/requests/<int:request_id>/<any(approve, decline):decision>")
def answer_key_request(request_id: int, decision: str):
    """Approve a key request into a partner (its key mailed to the person), or decline it."""
    key_request = db.get_or_404(KeyRequest, request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if decision == "decline":
            decline_key_request(key_request)
        else:
            partner = approve_key_request(db.session, key_request, check_presets)
    except (KeyRequestDecided, PartnerError) as error:
        db.session.rollback()
        flash(
            translated(error) if isinstance(error, KeyRequestDecided) else _refusals(error), "error"
        )
        return redirect(url_for("admin.partners"))
    if decision == "decline":
        db.session.commit()
        flash(_("Request from %(name)s declined.", name=key_request.organisation))
        return redirect(url_for("admin.partners"))
    _mail_key(key_request, partner)  # queued with the new partner, sent after the response
    db.session.commit()
    flash(_("Partner %(name)s created; its key was mailed to %(email)s.",
            name=partner.name, email=key_request.email))  # fmt: skip
    return redirect(url_for("admin.edit_partner", partner_id=partner.id))


def _refusals(error: PartnerError) -> str:
    return "; ".join(translated(refusal) for refusal in error.errors.values())


def _mail_key(key_request: KeyRequest, partner: Partner) -> None:
    """The key and the line to paste, in the language the person asked in."""
    with force_locale(key_request.language):
        site = current_app.config["SITE_URL"].rstrip("/")
        page = url_for("widget.partners", partner=partner.public_key, lang=key_request.language)
        body = _(
            "Your widget key for %(sites)s is ready:\n\n%(key)s\n\nPaste this line where the "
            "search should appear:\n\n%(snippet)s\n\nTo choose presets and see a preview: %(page)s",
            sites=", ".join(partner.allowed_origins),
            key=partner.public_key,
            snippet=snippet_text(partner.public_key, {}),
            page=site + page,
        )
        send_mail(key_request.email, _("Your widget key for the Treatment Directory"), body)
