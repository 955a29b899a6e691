"""Partners of the embeddable widget: checking their origins, presets and theme, and the
operations that create and change them (they flush; the request or command commits)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from directory.i18n import LANGUAGES
from directory.matching import CRITERIA
from directory.models import Partner
from directory.queries import BadSearch, parse_search
from directory.search import find_origin

MAX_ORIGINS = 20
MAX_NAME = 200
# The search parameters a partner (or a snippet's data-* attributes) may preset.
PRESET_PARAMETERS = ("location", "radius", *CRITERIA, "require")
HOST = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
DEFAULT_PORTS = {"http": 80, "https": 443}
THEME = re.compile(r"^#[0-9a-f]{6}$")
# Where presets have no location the parser still needs one to check the rest.
_PLACEHOLDER_LOCATION = "80202"


class InvalidPartner(ValueError):
    """A partner value that cannot be saved; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class PartnerValues:
    """What an admin (or the CLI) sets on a partner, before or after checking."""

    name: str
    allowed_origins: list[str]
    presets: dict[str, list[str]] = field(default_factory=dict)
    theme_color: str = "#0b5d52"
    default_language: str = "en"
    enabled: bool = True


# --- origins ----------------------------------------------------------------------------


def normalize_origin(text: str) -> str:
    """``scheme://host[:port]`` in lower case; raises ``InvalidPartner`` for anything else."""
    raw = (text or "").strip()
    problem = _origin_problem(raw)
    if problem:
        raise InvalidPartner("allowed_origins", problem)
    parts = urlsplit(raw.lower())
    port = parts.port
    netloc = (
        parts.hostname
        if port in (None, DEFAULT_PORTS[parts.scheme])
        else f"{parts.hostname}:{port}"
    )
    return f"{parts.scheme}://{netloc}"


def _origin_problem(raw: str) -> str | None:
    example = "https://health.example.org"
    shown = raw[:80]
    if "*" in raw:
        return _("%(origin)s: wildcards are not allowed; list each site, like %(example)s",
                 origin=shown, example=example)  # fmt: skip
    try:
        parts = urlsplit(raw.lower())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return _("%(origin)s is not a web origin; write it like %(example)s",
                 origin=shown, example=example)  # fmt: skip
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        return _("%(origin)s: give only the scheme and host (and port), without a path, "
                 "like %(example)s", origin=shown, example=example)  # fmt: skip
    if not HOST.match(parts.hostname) or port == 0:
        return _("%(origin)s does not name a valid host", origin=shown)
    return None


def normalize_origins(texts) -> list[str]:
    """Each origin checked and normalized, duplicates removed, at least one."""
    origins = [normalize_origin(text) for text in texts if text and text.strip()]
    if not origins:
        raise InvalidPartner(
            "allowed_origins", _("Give at least one site origin, like https://health.example.org")
        )
    if len(origins) > MAX_ORIGINS:
        raise InvalidPartner(
            "allowed_origins", _("Give at most %(count)d origins.", count=MAX_ORIGINS)
        )
    return list(dict.fromkeys(origins))


# --- presets ----------------------------------------------------------------------------


def clean_presets(presets: dict) -> dict[str, list[str]]:
    """Presets as parameter -> values, checked with the search parser (``InvalidPartner``)."""
    cleaned: dict[str, list[str]] = {}
    for name, values in (presets or {}).items():
        if name not in PRESET_PARAMETERS:
            allowed = ", ".join(PRESET_PARAMETERS)
            message = _("%(name)s cannot be preset; use: %(allowed)s", name=name[:40],
                        allowed=allowed)  # fmt: skip
            raise InvalidPartner(name, message)
        kept = [str(v).strip() for v in _as_list(values) if str(v).strip()]
        if kept:
            cleaned[name] = kept
    check_presets(cleaned)
    return cleaned


def _as_list(values) -> list:
    return list(values) if isinstance(values, list | tuple) else [values]


def check_presets(presets: dict[str, list[str]]) -> None:
    """Raise ``InvalidPartner`` on the parameter the search parser rejects."""
    args = MultiDict([(name, value) for name, values in presets.items() for value in values])
    if "location" not in args:
        args.add("location", _PLACEHOLDER_LOCATION)
    try:
        search = parse_search(args)
        if "location" in presets:
            find_origin(search)  # a preset place must be one the search can find
    except BadSearch as error:
        raise InvalidPartner(error.parameter, error.message) from None


def merge_presets(presets: dict[str, list[str]], args: MultiDict, chosen=()) -> MultiDict:
    """The visitor's parameters, with each preset filling a parameter the visitor left out.

    ``chosen`` names parameters the visitor decided on even when empty (the fields of a
    submitted widget form): a preset never comes back after the visitor cleared it.
    """
    merged = MultiDict(args)
    for name, values in presets.items():
        if name in chosen or any(v.strip() for v in args.getlist(name)):
            continue
        merged.setlist(name, list(values))
    return merged


# --- theme ------------------------------------------------------------------------------


def normalize_theme(text: str) -> str:
    colour = (text or "").strip().lower()
    if not THEME.match(colour):
        raise InvalidPartner(
            "theme_color", _("Give the colour as # and six hex digits, like #0b5d52.")
        )
    return colour


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(background: str) -> str:
    """White or black, whichever reads better on ``background`` (always at least 4.5:1)."""
    white, black = "#ffffff", "#000000"
    return (
        white if contrast_ratio(background, white) >= contrast_ratio(background, black) else black
    )


# --- partners ---------------------------------------------------------------------------


def clean_values(values: PartnerValues) -> tuple[PartnerValues, dict[str, str]]:
    """The values normalized, and a message per field that cannot be saved."""
    errors: dict[str, str] = {}
    cleaned = PartnerValues(name=values.name.strip(), allowed_origins=[], enabled=values.enabled)
    checks = {
        "name": lambda: _clean_name(values.name),
        "allowed_origins": lambda: normalize_origins(values.allowed_origins),
        "presets": lambda: clean_presets(values.presets),
        "theme_color": lambda: normalize_theme(values.theme_color),
        "default_language": lambda: _clean_language(values.default_language),
    }
    for name, check in checks.items():
        try:
            setattr(cleaned, name, check())
        except InvalidPartner as error:
            errors.setdefault(error.field, error.message)
    return cleaned, errors


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidPartner("name", _("Give the partner's name."))
    if len(name) > MAX_NAME:
        raise InvalidPartner("name", _("Use at most %(count)d characters.", count=MAX_NAME))
    return name


def _clean_language(code: str) -> str:
    if code not in LANGUAGES:
        message = _("Choose one of: %(allowed)s", allowed=", ".join(LANGUAGES))
        raise InvalidPartner("default_language", message)
    return code


class PartnerError(ValueError):
    """Partner values that cannot be saved: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {text}" for name, text in errors.items()))
        self.errors = errors


def create_partner(session: Session, values: PartnerValues) -> Partner:
    """A new partner with a fresh public key (raises ``PartnerError``)."""
    partner = Partner()
    _apply(partner, values)
    session.add(partner)
    session.flush()
    return partner


def update_partner(partner: Partner, values: PartnerValues) -> Partner:
    """Change a partner's settings; its key stays the same (raises ``PartnerError``)."""
    _apply(partner, values)
    return partner


def _apply(partner: Partner, values: PartnerValues) -> None:
    cleaned, errors = clean_values(values)
    if errors:
        raise PartnerError(errors)
    partner.name = cleaned.name
    partner.allowed_origins = cleaned.allowed_origins
    partner.presets = cleaned.presets
    partner.theme_color = cleaned.theme_color
    partner.default_language = cleaned.default_language
    partner.enabled = cleaned.enabled


def set_enabled(partner: Partner, enabled: bool) -> None:
    partner.enabled = enabled


def find_partner(session: Session, key: str | None) -> Partner | None:
    """The partner with this public key (enabled or not), or None."""
    key = (key or "").strip()
    if not key or len(key) > 43:
        return None
    return session.scalar(select(Partner).where(Partner.public_key == key))
