"""What every template can use: localized links, the language switch, vocabulary labels."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _

from directory.matching.restrictions import RESTRICTIONS
from directory.vocabulary import FAMILIES, SOURCES
from directory.web.i18n import (
    LANGUAGES,
    first_upper,
    install_fast_gettext,
    localized_url,
    switch_language_url,
)

CRISIS_LINES = {
    "lifeline_call": "tel:988",
    "lifeline_text": "sms:988",
    "helpline": "tel:+18006624357",
}


def label(family: str, code: str) -> str:
    """The translated label of a vocabulary code, as it stands alone."""
    return first_upper(_(FAMILIES[family].label_of(code)))


# The presenters every template may call, by their own names.
PRESENTERS = (
    "criterion_label",
    "lacks_text",
    "status_word",
    "reason_text",
    "call_phone",
    "phones_of",
    "directions_of",
    "distance_text",
    "street_line",
    "updated_text",
    "result_groups",
    "ago",
    "availability_text",
    "care_level_availability",
    "verified_text",
    "provenance_rows",
    "page_url",
    "share_url",
    "list_place",
    "codes_text",
    "qr_code",
    "map_view",
    "asked_summary",
    "provider_map",
    "family_groups",
)

# Hours and access (directory.public.hours_text).
HOURS_TEXT = ("open_now_text", "week_rows", "zone_label", "access_notes")

# How records read in the provider and admin areas.
RECORD_TEXT = ("field_label", "show_value", "status_label", "action_label")


def register(app: Flask) -> None:
    from directory.public import hours_text, presenters
    from directory.web import listing_source, record_text

    app.jinja_env.globals.update(
        {name: getattr(record_text, name) for name in RECORD_TEXT},
    )
    app.jinja_env.globals.update(
        {name: getattr(presenters, name) for name in PRESENTERS},
        **{name: getattr(hours_text, name) for name in HOURS_TEXT},
        source_text=listing_source.source_text,
        source_label=listing_source.source_label,
        release_text=listing_source.release_text,
        withdrawn_text=listing_source.withdrawn_text,
        url=localized_url,
        switch_language_url=switch_language_url,
        languages=LANGUAGES,
        restriction_labels=RESTRICTIONS,
        current_language=lambda: str(get_locale() or "en"),
        label=label,
        families=FAMILIES,
        sources=SOURCES,
        crisis=CRISIS_LINES,
        today=lambda: datetime.now(UTC).date(),
    )
    from directory.public.reached import reached_at, reached_token

    app.jinja_env.globals.update(reached_at=reached_at, reached_token=reached_token)
    install_fast_gettext(app)
    app.jinja_env.filters["first_upper"] = first_upper
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
