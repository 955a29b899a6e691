"""Turn search pages and listings into what the templates show, in the visitor's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlencode

import segno
from flask import current_app, request, url_for
from flask_babel import format_date
from markupsafe import Markup
from sqlalchemy import select

from directory.geo.directions import Directions, directions, one_line_address
from directory.listings import availability, provenance
from directory.listings.phones import Phone, call_number, listing_phones
from directory.matching import render_reason
from directory.matching.needs import ANY_OF, CRITERION_TABLE
from directory.models import Listing
from directory.public.maps import MapMarker, locator_map, results_map, tile_map
from directory.search.pages import ListingCard, SearchPage
from directory.search.shapes import provider_url
from directory.search.sites import group_by_site, site_key
from directory.vocabulary import DUAL_DIAGNOSIS, FAMILIES, LISTING_FIELDS, N_
from directory.web.i18n import fast_gettext as _
from directory.web.i18n import fast_ngettext as ngettext
from directory.web.i18n import first_upper, request_translations
from directory.web.listing_source import release_text, source_text

CRITERION_LABELS = {c.name: c.label for c in CRITERION_TABLE} | {"distance": N_("Distance")}
STATUS_WORDS = {"met": N_("Yes"), "unknown": N_("Call to confirm"), "unmet": N_("Not offered")}


def criterion_label(name: str) -> str:
    return _(CRITERION_LABELS.get(name, name))


def status_word(status: str) -> str:
    return _(STATUS_WORDS[status])


def reason_text(reason) -> str:
    return render_reason(reason, request_translations().ugettext)


def call_phone(listing) -> Phone | None:
    """The number the card's Call button dials: intake when usable, else the main number."""
    return call_number(listing.phone, listing.intake_phone, listing.state)


def phones_of(listing) -> list[Phone]:
    """Every number of the listing (intake first), dialable or shown as text."""
    return listing_phones(listing.phone, listing.intake_phone, listing.state)


def street_line(listing) -> str:
    return ", ".join(part for part in (listing.street, listing.street2) if part)


def directions_of(listing) -> Directions | None:
    """Links to the listing in the person's maps app (the street address when there is one)."""
    address = one_line_address(street_line(listing), listing.city, listing.state, listing.zip)
    return directions(address, listing.lat, listing.lon, current_app.config.get("DIRECTIONS_URL"))


def distance_text(miles: float, precision: str | None) -> str:
    """'2.1 miles away', or 'about 2 miles — ZIP area' when the point is only the ZIP's centre."""
    if precision in ("zip", "city"):
        whole = round(miles)
        if precision == "zip":
            if whole < 1:
                return _("under a mile — ZIP area")
            return ngettext(
                "about %(num)d mile — ZIP area", "about %(num)d miles — ZIP area", whole
            )
        if whole < 1:
            return _("under a mile — town centre")
        return ngettext(
            "about %(num)d mile — town centre", "about %(num)d miles — town centre", whole
        )
    return _("%(miles)s miles away", miles=f"{miles:.1f}")


def ago(moment: datetime | None, now: datetime | None = None) -> str | None:
    """'just now', 'today', '3 days ago' in the visitor's language; never rounded up."""
    if moment is None:
        return None
    elapsed = (now or datetime.now(UTC).replace(tzinfo=None)) - moment
    if elapsed < timedelta(hours=1):
        return _("just now")
    days = elapsed // timedelta(days=1)
    if days == 0:
        return _("today")
    return ngettext("%(num)d day ago", "%(num)d days ago", days)


def updated_text(listing: Listing, changed_at: datetime | None) -> str:
    """When a person last changed the listing; an untouched import says where it came from."""
    if changed_at is not None:
        return format_date(changed_at, "medium")
    if listing.source == "samhsa":
        release = release_text(listing.release)
        if release:
            return _("From SAMHSA's %(release)s directory; not changed here since", release=release)
        return _("From SAMHSA's national directory; not changed here since")
    return format_date(listing.created_at, "medium")


# Who set an availability, in role terms (directory.listings.availability.SOURCES).
SET_BY = {
    "provider": N_("by the provider"),
    "verification_link": N_("by the provider"),
    "admin": N_("by directory staff"),
    "demo": N_("demo data"),
}


def availability_text(listing: Listing | ListingCard) -> tuple[str, str, str]:
    """(css class, sentence, when and by whom) about whether the provider takes new clients.

    A status past its expiry says when it was last confirmed and asks the person to call.
    """
    now = availability.current(listing)
    when = ""
    if now.updated_at is not None and not now.expired:
        set_by = SET_BY.get(now.source)
        when = _("updated %(ago)s", ago=ago(now.updated_at))
        when = when + " " + _(set_by) if set_by else when
    if now.expired:
        days = now.days_since_update() or 0
        return (
            "unknown",
            ngettext(
                "Last confirmed %(num)d day ago — call to confirm",
                "Last confirmed %(num)d days ago — call to confirm",
                days,
            ),
            when,
        )
    return (*_status_text(now.status, now.wait_days), when)


def _status_text(status: str, wait_days: int | None) -> tuple[str, str]:
    """(css class, sentence) of a live availability status."""
    if status == availability.NOT_ACCEPTING:
        return "not-accepting", _("Not accepting new clients")
    if status == availability.ASSESSMENT_REQUIRED:
        return "accepting", _("Accepting new clients after an assessment")
    if status == availability.WAITLIST:
        text = _("Waitlist")
        if wait_days:
            text += " · " + _wait(wait_days)
        return "waitlist", text
    if status == availability.ACCEPTING:
        text = _("Accepting new clients")
        if wait_days:
            text += " · " + _wait(wait_days)
        return "accepting", text
    return "unknown", _("Availability not reported — call to ask")


def care_level_availability(listing: Listing | ListingCard) -> list[tuple[str, str, str]]:
    """(care level, css class, sentence) of each care level the provider gave its own status,
    while the listing's availability counts (once it expires, all of it asks to call)."""
    now = availability.current(listing)
    if now.expired:
        return []
    family = FAMILIES["care_level"]
    return [
        (
            first_upper(_(family.label_of(level.care_level))),
            *_status_text(level.status, level.wait_days),
        )
        for level in now.by_care_level
    ]


def _wait(days: int) -> str:
    return ngettext("about %(num)d day wait", "about %(num)d days wait", days)


def verified_text(listing: Listing | ListingCard) -> str:
    if listing.last_verified_on:
        return _("Last verified %(date)s", date=format_date(listing.last_verified_on, "medium"))
    if listing.source == "samhsa":
        return _("From SAMHSA's national directory; not yet verified by the provider")
    return _("Not yet verified")


def page_url(**changes) -> str:
    """This search with some parameters changed (page, sort), keeping everything else."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        args[name] = [str(value)]
    return url_for(request.endpoint, **args)


def share_url() -> str:
    """This search's full address without the empty fields a form sends (``care_level=&…``):
    short enough to paste into a message. An empty ``require`` stays when it is the only one,
    since it means "no must-haves"; page 1 is the default."""
    kept = []
    for name, value in request.args.items(multi=True):
        if value.strip() and not (name == "page" and value.strip() == "1"):
            kept.append((name, value))
    if "require" in request.args and not any(name == "require" for name, _value in kept):
        kept.append(("require", ""))
    query = urlencode(kept)
    site = current_app.config["SITE_URL"].rstrip("/")
    path = url_for(request.endpoint, **(request.view_args or {}))
    return site + path + (f"?{query}" if query else "")


def codes_text(codes: list[str] | None, family: str) -> str:
    """A listing's codes of one family in words ("Outpatient; Detox"), or that none is known."""
    if codes is None:
        return _("Not reported — call to ask")
    if not codes:
        return _("None listed")
    terms = FAMILIES[family]
    return "; ".join(first_upper(_(terms.label_of(code))) for code in terms.order(codes))


def list_place() -> str:
    """This search's place as query parameters, for the distances on a referral list."""
    from directory.public.referral_list import place_args

    return urlencode(place_args(request.args))


def qr_code(link: str, label: str) -> Markup:
    """A QR code of a link as inline SVG, drawn here (segno): no image service is asked. A link
    too long for any QR code (a hand-made URL) has none: the printed link is still there."""
    try:
        svg = _qr_svg(link)
    except segno.encoder.DataOverflowError:
        return Markup("")
    opening = Markup('<svg role="img" aria-label="{}" ').format(label)  # the label escaped
    return opening + Markup(svg[len("<svg ") :])  # noqa: S704  (segno's own SVG)


@lru_cache(maxsize=256)
def _qr_svg(link: str) -> str:
    code = segno.make(link, error="m", micro=False)
    return code.svg_inline(scale=1, omitsize=True, svgclass="qr-code", lineclass=None)


def result_groups(page: SearchPage, results, first_rank: int | None = None):
    """The results as cards, one per site: [(rank, result, listing, [(rank, result, listing)])].

    Ranks stay per listing; a site's card stands where its best-ranked program was.
    """

    def key(entry):
        listing = entry[2]
        return site_key(listing.name, listing.phone, listing.zip, listing.street)

    start = page.request.offset + 1 if first_rank is None else first_rank
    entries = [
        (rank, result, page.listings[result.provider_id])
        for rank, result in enumerate(results, start=start)
    ]
    return [(*group.first, group.others) for group in group_by_site(entries, key)]


def map_view(page: SearchPage):
    markers = []
    rank0 = page.request.offset
    for number, result in enumerate(page.outcome.results, start=rank0 + 1):
        listing = page.listings[result.provider_id]
        if listing.lat is not None:
            markers.append(
                MapMarker(
                    listing.id,
                    listing.lat,
                    listing.lon,
                    listing.name,
                    number,
                    provider_url(listing.id),
                )
            )
    origin = (page.origin.lat, page.origin.lon)
    return results_map(markers, origin, page.request.needs.radius_miles, place=page.origin.label)


def asked_summary(page: SearchPage) -> list[str]:
    """The needs of the search in words ('Outpatient (must have)', 'Medicaid')."""
    needs = page.request.needs
    parts = []
    for criterion in needs.criteria():
        words = _criterion_words(criterion, needs)
        if criterion in needs.required:
            words = _("%(need)s (must have)", need=words)
        parts.append(words)
    return parts


def lacks_text(criterion: str, needs) -> str:
    """What an alternative lacks, in the words of the search ("detox", "Medicaid")."""
    if criterion == "distance":
        return _("within %(miles)s miles", miles=round(needs.radius_miles))
    return _criterion_words(criterion, needs)


def _criterion_words(criterion: str, needs) -> str:
    if criterion == "co_occurring":
        return _("Care for a mental-health condition too")
    if criterion == "telehealth":
        return _("Open to telehealth")
    if criterion == "open_now":
        return _("Open now")
    if criterion == "walk_in":
        return _("Walk-in or same-day admission")
    family = FAMILIES[criterion]
    codes = family.order(needs.wanted(criterion))
    joiner = _(" or ") if criterion in ANY_OF else _(" and ")
    return joiner.join(_(family.label_of(code)) for code in codes)


def provider_map(listing: Listing, tile_template: str = "", tile_credit: str = ""):
    """The provider's locator map: tiles when a tile server is configured, else the SVG outline."""
    if listing.lat is None:
        return None
    label = f"{listing.name}, {listing.city}, {listing.state}"
    if tile_template:
        return tile_map(
            listing.lat, listing.lon, template=tile_template, label=label, credit=tile_credit
        )
    return locator_map(listing.lat, listing.lon, label)


def family_groups(listing: Listing) -> list[tuple[str, list[tuple[str, list[str] | None]]]]:
    """The listing's attributes grouped as a person reads them: (heading, [(label, values)]).

    ``None`` values mean not reported (unknown); an empty list means none of these.
    """

    def values(family: str):
        codes = getattr(listing, LISTING_FIELDS[family])
        if codes is None:
            return None
        family_terms = FAMILIES[family]
        return [first_upper(_(family_terms.label_of(c))) for c in family_terms.order(codes)]

    dual = listing.dual_diagnosis
    co_occurring = None if dual is None else [first_upper(_(DUAL_DIAGNOSIS.label_of(dual)))]
    telehealth = (
        None
        if listing.telehealth is None
        else [_("Offers telehealth") if listing.telehealth else _("No telehealth")]
    )
    return [
        (
            _("Care"),
            [
                (_("Type of treatment"), values("service_type")),
                (_("Kinds of help"), values("care_level")),
                (_("Detox for"), values("detox_for")),
                (_("Co-occurring mental-health care"), co_occurring),
                (_("Telehealth"), telehealth),
            ],
        ),
        (
            _("Therapies and medications"),
            [
                (_("Therapies"), values("therapy")),
                (_("Medications"), values("medication")),
            ],
        ),
        (_("Payment"), [(_("Payment accepted"), values("payment"))]),
        (
            _("Who they serve"),
            [
                (_("Ages"), values("age_group")),
                (_("Gender"), values("gender")),
                (_("Special programs"), values("population")),
            ],
        ),
        (
            _("Recovery support and practical help"),
            [(_("Support"), values("support"))],
        ),
        (_("Languages"), [(_("Languages"), values("language"))]),
        (_("Who runs it"), [(_("Operator"), values("operator"))]),
        (
            _("Licences and accreditation"),
            [(_("Accreditation"), values("accreditation"))],
        ),
    ]


SECTION_LABELS = {
    "contact": N_("Contact details"),
    "services": N_("Services"),
    "payment": N_("Payment"),
    "availability": N_("Availability"),
    "hours": N_("Hours and walk-in"),
}
CONFIRMED_BY = {
    provenance.PROVIDER: N_("Confirmed by the provider %(ago)s"),
    provenance.ADMIN: N_("Confirmed by directory staff %(ago)s"),
    provenance.ADMIN_CALL: N_("Confirmed by directory staff after a phone call %(ago)s"),
    provenance.CALLER: N_("A caller reached them %(ago)s"),
}


def provenance_rows(listing: Listing) -> list[tuple[str, str, str]]:
    """(section, where it came from, when and by whom last confirmed) for the provider page."""
    from directory.extensions import db
    from directory.models import AuditEntry
    from directory.public.reached import reached_at

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.listing_id == listing.id).order_by(AuditEntry.id)
    ).all()
    rows = []
    for item in provenance.sections(listing, entries, reached_at(listing.id)):
        if item.origin == provenance.IMPORT:
            origin = source_text(listing)  # the source, and its release for SAMHSA
        elif item.origin == provenance.DEMO:
            origin = _("Demo data (fictional)")
        elif item.origin == provenance.NOBODY:
            origin = _("Not reported")
        elif item.origin == provenance.PROVIDER:
            origin = _("The provider, %(ago)s", ago=ago(item.changed_at))
        else:
            origin = _("Directory staff, %(ago)s", ago=ago(item.changed_at))
        if item.confirmed_by is None:
            confirmed = _("Not confirmed since")
        else:
            confirmed = _(CONFIRMED_BY[item.confirmed_by], ago=ago(item.confirmed_at))
        rows.append((_(SECTION_LABELS[item.section]), origin, confirmed))
    return rows
