"""``/partners/request-key``: a site asks the directory's team for a widget key.

Like the public problem report, the page sets no cookie: the form carries a signed,
timestamped token instead of the session-bound CSRF token, plus a honeypot and a rate limit.
The request is kept for the admins, who approve it into a partner from /admin/partners
(the key is then mailed to the person), and each active admin is told by mail (through SMTP,
or the outbox the admin area lists). With no admin to read it, the page says so and keeps
what was typed instead of thanking the person for a request nobody will see.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from directory.errors import DirectoryError
from directory.extensions import csrf, db, limiter
from directory.mail import send_mail
from directory.models import Account
from directory.models.account import ADMIN
from directory.operations.accounts import MAX_EMAIL, is_valid_email
from directory.operations.partners import normalize_origins, record_key_request
from directory.web.i18n import translated
from directory.widget import blueprint

TOKEN_MAX_AGE = 24 * 3600
FORM_SALT = "partner-key-request"


class KeyRequestForm(FlaskForm):
    class Meta:
        csrf = False  # replaced by the signed ``form_token`` (no session on public pages)

    organisation = StringField(
        _l("Your organisation"),
        [InputRequired(_l("Name your organisation.")), Length(max=200)],
    )
    email = EmailField(
        _l("Your e-mail"),
        [
            InputRequired(_l("Enter an e-mail address like name@example.org.")),
            Length(max=MAX_EMAIL),
        ],
        description=_l("The directory's team answers here, with the key."),
    )
    origins = TextAreaField(
        _l("The sites that will show the widget"),
        [InputRequired(_l("Name at least one site, for example https://health.example.org."))],
        description=_l(
            "One address per line, for example https://health.example.org "
            "(and https://www.health.example.org if both are used)."
        ),
    )
    note = TextAreaField(_l("Anything the team should know (optional)"), [Length(max=2000)])
    # A field people never see; software that fills in every field fills this one too.
    website = StringField(_l("Leave this empty"))
    form_token = HiddenField()

    def validate_email(self, field) -> None:
        field.data = (field.data or "").strip()
        if not is_valid_email(field.data):
            raise ValidationError(_("Enter an e-mail address like name@example.org."))

    def validate_origins(self, field) -> None:
        try:
            self.checked_origins = normalize_origins((field.data or "").splitlines())
        except DirectoryError as error:
            raise ValidationError(translated(error)) from None


def key_request_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


@blueprint.route("/partners/request-key", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(key_request_limit, methods=["POST"])
def request_key():
    form = KeyRequestForm()
    if form.is_submitted() and not _token_ok(form.form_token.data):
        form.form_errors.append(_("This form was open for a long time. Please send it again."))
        return _page(form, status=400)
    if form.validate_on_submit():
        if form.website.data:  # a honeypot hit is thanked but not sent
            return _page(None, sent=True)
        admins = _admin_addresses()
        if not admins:
            form.form_errors.append(
                _("The directory has no team to read requests yet. Please try again later.")
            )
            return _page(form, status=503)
        record_key_request(db.session, form.organisation.data.strip(), form.email.data,
                           form.checked_origins, (form.note.data or "").strip(),
                           str(get_locale() or "en"))  # fmt: skip
        with force_locale("en"):  # for the team, in the directory's working language
            subject, body = _("A partner asks for a widget key"), _request_text(form)
        for address in admins:
            send_mail(address, subject, body)  # queued with the request, sent after the page
        db.session.commit()
        return _page(None, sent=True)
    return _page(form, status=400 if form.is_submitted() else 200)


def _page(form: KeyRequestForm | None, sent: bool = False, status: int = 200):
    if form is not None:
        form.form_token.data = _serializer().dumps(FORM_SALT)
    return render_template("widget/key_request.html", form=form, sent=sent), status


def _admin_addresses() -> list[str]:
    admins = db.session.scalars(select(Account).where(Account.role == ADMIN))
    return [admin.email for admin in admins if admin.is_active]


def _request_text(form: KeyRequestForm) -> str:
    return _(
        "%(organisation)s asks for a widget key.\n\nReply to: %(email)s\nSites:\n%(origins)s"
        "\n\nNote: %(note)s\n\nApprove it (the key is then mailed to them) or decline it at "
        "%(queue)s",
        organisation=form.organisation.data.strip(),
        email=form.email.data,
        origins="\n".join(form.checked_origins),
        note=(form.note.data or "").strip() or "-",
        queue=current_app.config["SITE_URL"].rstrip("/") + url_for("admin.partners"),
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=FORM_SALT)


def _token_ok(token: str) -> bool:
    try:
        return _serializer().loads(token or "", max_age=TOKEN_MAX_AGE) == FORM_SALT
    except BadSignature:
        return False
