"""How listing fields, values, statuses and audit actions read as text in the provider and
admin areas; ``web.templating`` makes each a template global."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from directory.models.listing import VOCABULARY_COLUMNS
from directory.vocabulary import DUAL_DIAGNOSIS, FAMILIES
from directory.web.i18n import first_upper

AVAILABILITY_LABELS = {
    "accepting": _l("Accepting new clients"),
    "waitlist": _l("Taking names for a waitlist"),
    "assessment_required": _l("Accepting after an assessment"),
    "not_accepting": _l("Not accepting new clients"),
    "unknown": _l("Not saying"),
}

PHONE_CHECK_LABELS = {
    "confirmed": _l("Reached them: the details are correct"),
    "details_changed": _l("Reached them: some details have changed"),
    "number_failed": _l("The number did not work"),
    "no_answer": _l("No answer"),
}

FIELD_LABELS = {
    "name": _l("Organization name"),
    "program_name": _l("Program or site name"),
    "street": _l("Street address"),
    "street2": _l("Address line 2"),
    "city": _l("City"),
    "state": _l("State"),
    "zip": _l("ZIP code"),
    "phone": _l("Main phone"),
    "intake_phone": _l("Intake phone"),
    "website": _l("Website"),
    "intake_email": _l("Intake e-mail address (private)"),
    "description": _l("Description"),
    "dual_diagnosis": _l("Co-occurring mental-health care"),
    "telehealth": _l("Telehealth"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
    "location_precision": _l("Map precision"),
    "availability_status": _l("Availability"),
    "availability_source": _l("Availability set from"),
    "availability_updated_by": _l("Availability set by"),
    "availability_expires_at": _l("Availability expires"),
    "wait_days": _l("Typical wait (days)"),
    "availability_by_care_level": _l("Availability per kind of help"),
    "availability_updated_at": _l("Availability updated"),
    "last_verified_on": _l("Last verified"),
    "last_verified_by": _l("Verified by"),
    "phone_check": _l("Phone check"),
    "phone_check_note": _l("Note"),
}


def field_label(name: str) -> str:
    if name in VOCABULARY_COLUMNS:
        return _(FAMILIES[VOCABULARY_COLUMNS[name]].label)
    return str(FIELD_LABELS.get(name, name))


def show_value(name: str, value) -> str:
    """A field's value in words; the template escapes it, so markup shows as text."""
    if value is None:
        return _("Not reported")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in VOCABULARY_COLUMNS and isinstance(value, list):
        return _words(VOCABULARY_COLUMNS[name], value) or _("None of these")
    if name == "availability_status" and value in AVAILABILITY_LABELS:
        return str(AVAILABILITY_LABELS[value])
    if name == "availability_by_care_level" and isinstance(value, dict):
        return _levels_in_words(value)
    if name == "phone_check" and value in PHONE_CHECK_LABELS:
        return str(PHONE_CHECK_LABELS[value])
    if name == "dual_diagnosis" and value in FAMILIES["dual_diagnosis"].codes:
        return first_upper(_(DUAL_DIAGNOSIS.label_of(value)))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {' '.join(map(str, codes))}" for key, codes in value.items())
    return str(value) if value != "" else _("(empty)")


def _levels_in_words(value: dict) -> str:
    """Per-care-level statuses as "Detox: Taking names for a waitlist (10 days)", …."""
    family = FAMILIES["care_level"]
    said = []
    for code, level in value.items():
        if not isinstance(level, dict):
            continue
        name = first_upper(_(family.label_of(code))) if code in family.codes else code
        status = level.get("status")
        text = str(AVAILABILITY_LABELS.get(status, status))
        if level.get("wait_days") is not None:
            wait = level["wait_days"]
            text += " (" + ngettext("%(num)d day", "%(num)d days", wait) + ")"
        said.append(f"{name}: {text}")
    return "; ".join(said)


def _words(family_code: str, codes: list) -> str:
    family = FAMILIES[family_code]
    known = [first_upper(_(family.label_of(code))) for code in codes if code in family.codes]
    return ", ".join(known)


STATUS_LABELS = {
    "pending": _l("Waiting for review"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
    "rejected": _l("Not published"),
    "open": _l("Open"),
    "resolved": _l("Resolved"),
    "dismissed": _l("Dismissed"),
}

ACTION_LABELS = {
    "import_create": _l("Imported (new)"),
    "import_update": _l("Imported (update)"),
    "edit_approved": _l("Provider edit approved"),
    "new_listing": _l("New listing approved"),
    "availability": _l("Availability updated"),
    "admin_change": _l("Changed by directory staff"),
    "verified": _l("Verified"),
    "phone_check": _l("Phone check"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
