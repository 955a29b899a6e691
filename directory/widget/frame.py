"""What the framed widget page needs: which partner, which language, which parent origin,
and the search built from the partner's presets under the visitor's own choices."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.models.partner import DEFAULT_THEME
from directory.operations.partners import InvalidPartner, find_partner, normalize_origin
from directory.search.presets import merge_presets
from directory.search.request import SearchRequest, parse_search
from directory.web.i18n import LANGUAGES

PREVIEW_KEY = "preview"
PER_PAGE = 10
# Fields the widget's form shows: once it is submitted, these are the visitor's to decide
# (even when left empty), and a partner preset never overrides them.
FORM_FIELDS = frozenset(
    {
        "location",
        "radius",
        "service_type",
        "care_level",
        "co_occurring",
        "medication",
        "payment",
        "telehealth",
    }
)
# Parameters of the frame itself, not of the search.
FRAME_PARAMETERS = ("partner", "origin", "sent", "lang")


@dataclass
class PreviewPartner:
    """The /partners page's live preview: not a stored partner, framable by this site only."""

    name: str = "Preview"
    public_key: str = PREVIEW_KEY
    presets: dict = field(default_factory=dict)
    allowed_origins: list = field(default_factory=list)
    theme_color: str = DEFAULT_THEME
    default_language: str = "en"
    enabled: bool = True
    frame_ancestors: str = "'self'"


def widget_partner(key: str | None):
    """The partner named by ``key`` (or the preview), or None when there is none."""
    if key == PREVIEW_KEY:
        return PreviewPartner()
    return find_partner(db.session, key)


def is_preview(partner) -> bool:
    return isinstance(partner, PreviewPartner)


def widget_language(partner) -> str:
    """``?lang=`` when it names a language we have, else the partner's default."""
    chosen = request.args.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    return partner.default_language if partner.default_language in LANGUAGES else "en"


def own_origin() -> str:
    parts = urlsplit(request.host_url)
    return f"{parts.scheme}://{parts.netloc}"


def parent_origin(partner) -> str | None:
    """The embedding page's origin (``?origin=``) when the partner allows it, else None.

    The frame sends its height only to this origin, never to ``*``.
    """
    try:
        origin = normalize_origin(request.args.get("origin", ""))
    except InvalidPartner:
        return None
    allowed = [own_origin()] if is_preview(partner) else partner.allowed_origins
    return origin if origin in allowed else None


def search_args(partner) -> MultiDict:
    """The visitor's parameters with the partner's presets filling what they left out."""
    submitted = request.args.get("sent") == "1"
    return merge_presets(partner.presets, request.args, FORM_FIELDS if submitted else ())


def wants_search(args: MultiDict) -> bool:
    """Search on a submitted form, or at once when a place is already known."""
    return request.args.get("sent") == "1" or any(
        (args.get(name) or "").strip() for name in ("location", "lat", "lon")
    )


def widget_search(args: MultiDict) -> SearchRequest:
    """Parse like the API, with the widget's shorter pages (raises ``BadSearch``)."""
    return dataclasses.replace(parse_search(args, strict=False), per_page=PER_PAGE)


def provider_link(partner, listing_id: str, language: str) -> str:
    """The full provider page, naming the partner (and nothing about the visitor)."""
    ref = None if is_preview(partner) else partner.public_key
    return url_for("public.provider", listing_id=listing_id, ref=ref, lang=language)


def full_search_link(args: MultiDict, partner, language: str) -> str:
    """The same search on the full site."""
    values = {k: v for k, v in args.to_dict(flat=False).items() if k not in FRAME_PARAMETERS}
    ref = None if is_preview(partner) else partner.public_key
    return url_for("public.search", **values, ref=ref, lang=language)
