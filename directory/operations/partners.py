"""Partners of the embeddable widget: checking their origins, presets and theme, and the
operations that create and change them (they flush; the request or command commits)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.errors import DirectoryError
from directory.matching import CRITERIA
from directory.models import KeyRequest, Partner
from directory.models.listing import utcnow
from directory.models.partner import APPROVED, DECLINED, PENDING
from directory.settings import LANGUAGES
from directory.vocabulary import N_

# Checks presets as the search would read them (``search.presets.check_presets``); raises a
# ``DirectoryError`` naming the parameter. Passed in, so operations do not depend on search.
PresetCheck = Callable[[dict[str, list[str]]], None]

MAX_ORIGINS = 20
MAX_NAME = 200
# The search parameters a partner (or a snippet's data-* attributes) may preset.
PRESET_PARAMETERS = ("location", "radius", *CRITERIA, "require")
HOST = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
DEFAULT_PORTS = {"http": 80, "https": 443}
THEME = re.compile(r"^#[0-9a-f]{6}$")


class InvalidPartner(DirectoryError):
    """A partner value that cannot be saved; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str, **values):
        super().__init__(message, field=field, **values)


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
        example = "https://health.example.org"
        raise InvalidPartner("allowed_origins", problem, origin=raw[:80], example=example)
    parts = urlsplit(raw.lower())
    port = parts.port
    netloc = (
        parts.hostname
        if port in (None, DEFAULT_PORTS[parts.scheme])
        else f"{parts.hostname}:{port}"
    )
    return f"{parts.scheme}://{netloc}"


def _origin_problem(raw: str) -> str | None:
    """What is wrong with an origin, as a message template (``origin``, ``example``)."""
    if "*" in raw:
        return N_("%(origin)s: wildcards are not allowed; list each site, like %(example)s")
    try:
        parts = urlsplit(raw.lower())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return N_("%(origin)s is not a web origin; write it like %(example)s")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        return N_(
            "%(origin)s: give only the scheme and host (and port), without a path, like %(example)s"
        )
    if not HOST.match(parts.hostname) or port == 0:
        return N_("%(origin)s does not name a valid host")
    return None


def normalize_origins(texts) -> list[str]:
    """Each origin checked and normalized, duplicates removed, at least one."""
    origins = [normalize_origin(text) for text in texts if text and text.strip()]
    if not origins:
        raise InvalidPartner(
            "allowed_origins", N_("Give at least one site origin, like https://health.example.org")
        )
    if len(origins) > MAX_ORIGINS:
        raise InvalidPartner(
            "allowed_origins", N_("Give at most %(count)d origins."), count=MAX_ORIGINS
        )
    return list(dict.fromkeys(origins))


# --- presets ----------------------------------------------------------------------------


def clean_presets(presets: dict, check: PresetCheck) -> dict[str, list[str]]:
    """Presets as parameter -> values, checked as the search reads them (``DirectoryError``)."""
    cleaned: dict[str, list[str]] = {}
    for name, values in (presets or {}).items():
        if name not in PRESET_PARAMETERS:
            allowed = ", ".join(PRESET_PARAMETERS)
            message = N_("%(name)s cannot be preset; use: %(allowed)s")
            raise InvalidPartner(name, message, name=name[:40], allowed=allowed)
        kept = [str(v).strip() for v in _as_list(values) if str(v).strip()]
        if kept:
            cleaned[name] = kept
    try:
        check(cleaned)
    except DirectoryError as error:
        raise InvalidPartner(error.field, error.template, **error.values) from None
    return cleaned


def _as_list(values) -> list:
    return list(values) if isinstance(values, list | tuple) else [values]


# --- theme ------------------------------------------------------------------------------


def normalize_theme(text: str) -> str:
    colour = (text or "").strip().lower()
    if not THEME.match(colour):
        raise InvalidPartner(
            "theme_color", N_("Give the colour as # and six hex digits, like #0b5d52.")
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


def clean_values(
    values: PartnerValues, check_search: PresetCheck
) -> tuple[PartnerValues, dict[str, DirectoryError]]:
    """The values normalized, and the refusal of each field that cannot be saved."""
    errors: dict[str, DirectoryError] = {}
    cleaned = PartnerValues(name=values.name.strip(), allowed_origins=[], enabled=values.enabled)
    checks = {
        "name": lambda: _clean_name(values.name),
        "allowed_origins": lambda: normalize_origins(values.allowed_origins),
        "presets": lambda: clean_presets(values.presets, check_search),
        "theme_color": lambda: normalize_theme(values.theme_color),
        "default_language": lambda: _clean_language(values.default_language),
    }
    for name, check in checks.items():
        try:
            setattr(cleaned, name, check())
        except DirectoryError as error:
            errors.setdefault(error.field, error)
    return cleaned, errors


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidPartner("name", N_("Give the partner's name."))
    if len(name) > MAX_NAME:
        raise InvalidPartner("name", N_("Use at most %(count)d characters."), count=MAX_NAME)
    return name


def _clean_language(code: str) -> str:
    if code not in LANGUAGES:
        message = N_("Choose one of: %(allowed)s")
        raise InvalidPartner("default_language", message, allowed=", ".join(LANGUAGES))
    return code


class PartnerError(DirectoryError):
    """Partner values that cannot be saved: ``errors`` maps each field to its refusal."""

    def __init__(self, errors: dict[str, DirectoryError]):
        text = "; ".join(f"{name}: {error.message}" for name, error in errors.items())
        super().__init__(text.replace("%", "%%"))
        self.errors = errors


def create_partner(session: Session, values: PartnerValues, check: PresetCheck) -> Partner:
    """A new partner with a fresh public key (raises ``PartnerError``)."""
    partner = Partner()
    _apply(partner, values, check)
    session.add(partner)
    session.flush()
    return partner


def update_partner(partner: Partner, values: PartnerValues, check: PresetCheck) -> Partner:
    """Change a partner's settings; its key stays the same (raises ``PartnerError``)."""
    _apply(partner, values, check)
    return partner


def _apply(partner: Partner, values: PartnerValues, check: PresetCheck) -> None:
    cleaned, errors = clean_values(values, check)
    if errors:
        raise PartnerError(errors)
    partner.name = cleaned.name
    partner.allowed_origins = cleaned.allowed_origins
    partner.presets = cleaned.presets
    partner.theme_color = cleaned.theme_color
    partner.default_language = cleaned.default_language
    partner.enabled = cleaned.enabled


def find_partner(session: Session, key: str | None) -> Partner | None:
    """The partner with this public key (enabled or not), or None."""
    key = (key or "").strip()
    if not key or len(key) > 43:
        return None
    return session.scalar(select(Partner).where(Partner.public_key == key))


# --- key requests -----------------------------------------------------------------------


class KeyRequestDecided(DirectoryError):
    """A key request that an admin has already approved or declined."""

    def __init__(self, request: KeyRequest):
        super().__init__(N_("This request has already been answered."))
        self.request = request


def record_key_request(session: Session, organisation: str, email: str, origins: list[str],
                       note: str, language: str) -> KeyRequest:  # fmt: skip
    """Keep a site's request for a key (its origins already normalized) for the admins."""
    request = KeyRequest(organisation=organisation, email=email, origins=origins, note=note,
                         language=language if language in LANGUAGES else "en")  # fmt: skip
    session.add(request)
    session.flush()
    return request


def approve_key_request(session: Session, request: KeyRequest, check: PresetCheck) -> Partner:
    """A partner named and allowed on the sites as asked (raises ``PartnerError`` when a
    site is no longer valid, ``KeyRequestDecided`` when already decided)."""
    if request.status != PENDING:
        raise KeyRequestDecided(request)
    values = PartnerValues(name=request.organisation, allowed_origins=list(request.origins),
                           default_language=request.language)  # fmt: skip
    partner = create_partner(session, values, check)
    request.status, request.partner_id, request.decided_at = APPROVED, partner.id, utcnow()
    return partner


def decline_key_request(request: KeyRequest) -> None:
    if request.status != PENDING:
        raise KeyRequestDecided(request)
    request.status, request.decided_at = DECLINED, utcnow()
