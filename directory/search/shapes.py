"""Explicit JSON shapes for listings and match results: the API and the widget share them."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from flask import g, url_for

from directory.geo.timezones import zone_name, zone_of
from directory.listings import hours as weekly
from directory.listings.availability import as_json as availability_as_json
from directory.listings.phones import stored_phones
from directory.matching import CriterionResult, MatchResult, render_reason
from directory.models import VOCABULARY_COLUMNS, Listing
from directory.search.pages import ListingCard, SearchPage
from directory.web.listing_source import HSDS_PREFIX


def provider_url(listing_id: str, pattern: str | None = None) -> str:
    """The public page of a listing; the route is looked up once per request, not per result
    (or once per answer: ``pattern`` is ``provider_url_pattern()``)."""
    pattern = pattern or provider_url_pattern()
    return pattern.replace("__ID__", quote(listing_id, safe=""))


def provider_url_pattern() -> str:
    """The public page of the listing ``__ID__``."""
    pattern = g.get("_provider_url")
    if pattern is None:
        pattern = g._provider_url = url_for("public.provider", listing_id="__ID__")
    return pattern


def address_json(listing) -> dict:
    return {
        "street": " ".join(part for part in (listing.street, listing.street2) if part),
        "city": listing.city,
        "state": listing.state,
        "zip": listing.zip,
    }


def _identity_json(listing) -> dict:
    """Who and where, the first fields of every listing shape."""
    return {
        "id": listing.id,
        "name": listing.name,
        "program_name": listing.program_name,
        "address": address_json(listing),
        "lat": listing.lat,
        "lon": listing.lon,
    }


def phones_json(listing) -> list[dict]:
    """The numbers as shown and dialled (DESIGN 5); ``tel`` is null when it cannot be dialled."""
    return [
        {"kind": number.kind, "display": number.display, "tel": number.tel}
        for number in stored_phones(listing.phone, listing.intake_phone, listing.state)
    ]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def availability_json(listing) -> dict:
    """The listing's availability now (see ``listings.availability.as_json``)."""
    return availability_as_json(listing, _iso)


def hours_json(listing) -> dict:
    """Weekly hours (HSDS schedule rows in ``time_zone``; null: not given), whether that has
    the place open now (null: unknown), walk-in admission and a 24-hour intake line."""
    week = weekly.week_of(listing.hours)
    return {
        "schedule": weekly.stored(week),
        "time_zone": zone_name(listing.state, listing.zip),
        "open_now": weekly.open_at(week, zone_of(listing.state, listing.zip)),
        "walk_in": listing.walk_in,
        "intake_24h": listing.intake_24h,
        "updated_at": _iso(getattr(listing, "hours_updated_at", None)),
    }


def match_result_json(
    result: MatchResult,
    listing: ListingCard,
    gettext: Callable[[str], str],
    url_pattern: str | None = None,
) -> dict:
    """One ranked result as DESIGN.md section 5 shows it, plus availability and freshness."""
    card = _card_json(listing, url_pattern or provider_url_pattern())
    body = {
        **card["who"],
        "distance_miles": None
        if result.distance_miles is None
        else round(result.distance_miles, 1),
        "telehealth_match": result.telehealth_match,
        "restrictions": card["restrictions"],
        "operator": card["operator"],
        "score": round(result.score, 2),
        "criteria": [criterion_json(criterion, gettext) for criterion in result.criteria],
        "availability": availability_json(listing),
        "hours": {**card["hours"], "open_now": weekly.open_at(card["week"], card["zone"])},
        **card["tail"],
    }
    if result.lacks:
        body["lacks"] = list(result.lacks)
    return body


def _card_json(listing: ListingCard, url_pattern: str) -> dict:
    """What a result's shape takes from its card alone, made once per card (and link
    pattern): the same in every answer until the listing changes, which makes a new card.
    What depends on the moment (availability, open now) and on the search is added."""
    made = listing.shaped.get(url_pattern)
    if made is None:
        made = listing.shaped[url_pattern] = {
            "who": {
                **_identity_json(listing),
                "phone": listing.phone,
                "intake_phone": listing.intake_phone,
                "phones": phones_json(listing),
            },
            "restrictions": listing.restrictions,
            "operator": operator_code(listing.operators),
            "hours": hours_json(listing),  # its "open_now" is replaced by the moment's
            "week": weekly.week_of(listing.hours),
            "zone": zone_of(listing.state, listing.zip),
            "tail": {
                "last_verified": _iso(listing.last_verified_on),
                "demo": listing.is_demo,
                "url": provider_url(listing.id, url_pattern),
            },
        }
    return made


def criterion_json(criterion: CriterionResult, gettext: Callable[[str], str]) -> dict:
    """One criterion of a result, its reason in the language of ``gettext``."""
    try:
        return _criterion_json(criterion, gettext)
    except TypeError:  # a gettext that cannot be hashed (a test's): shaped afresh
        return _criterion_json.__wrapped__(criterion, gettext)


@lru_cache(maxsize=4096)
def _criterion_json(criterion: CriterionResult, gettext: Callable[[str], str]) -> dict:
    # One dict for every result the criterion explains alike, in every answer: results of a
    # page share a few, and the reasons of every search are a few hundred. Never changed.
    return {
        "criterion": criterion.criterion,
        "status": criterion.status,
        "required": criterion.required,
        "reason": render_reason(criterion.reason, gettext),
    }


def operator_code(operators: list | None) -> str | None:
    """Who runs a listing: its one operator code, or None when not reported."""
    return operators[0] if operators else None


def listing_json(
    listing: Listing, latest_release: str | None = None, url_pattern: str | None = None
) -> dict:
    """Everything public about a listing; ``null`` for a family with no data (unknown).
    (``url_pattern``: ``provider_url_pattern()``, when the caller shapes many.)

    ``status`` is ``active``, or ``withdrawn`` when the latest full release of its source
    (``latest_release``) no longer has it; ``release`` is the one that last confirmed it.
    """
    body = {
        **_identity_json(listing),
        "location_precision": listing.location_precision,
        "phone": listing.phone,
        "intake_phone": listing.intake_phone,
        "phones": phones_json(listing),
        "website": listing.website,
        "description": listing.description,
    }
    for column, family in VOCABULARY_COLUMNS.items():
        body[family] = getattr(listing, column)
    body["dual_diagnosis"] = listing.dual_diagnosis
    body["telehealth"] = listing.telehealth
    body["operator"] = operator_code(listing.operators)  # one value (DESIGN.md 3.1)
    body["restrictions"] = listing.restrictions
    body["availability"] = availability_json(listing)
    body["hours"] = hours_json(listing)
    body["last_verified"] = {"on": _iso(listing.last_verified_on), "by": listing.last_verified_by}
    body.update(
        source=listing.source,
        release=listing.release or None,
        status=listing.status,
        demo=listing.is_demo,
        version=listing.version,
        updated_at=_iso(listing.updated_at),
        url=provider_url(listing.id, url_pattern),
    )
    if listing.status == "withdrawn":
        body["withdrawn"] = {
            "latest_release": latest_release,
            "message": _withdrawn(listing, latest_release),
        }
    return body


def _withdrawn(listing: Listing, latest_release: str | None) -> str:
    """Why a withdrawn listing is no longer searched, naming whose data dropped it."""
    if listing.source.startswith(HSDS_PREFIX):
        publisher = listing.source.removeprefix(HSDS_PREFIX)
        return f"Not in the latest Open Referral data from {publisher} ({latest_release})."
    return f"Not in SAMHSA's latest directory ({latest_release})."


def match_json(page: SearchPage, gettext: Callable[[str], str]) -> dict:
    """The ``/api/v1/match`` envelope: where from, how many, the page of results and the
    alternatives, each in ``match_result_json``'s shape."""
    origin, url_pattern = page.origin, provider_url_pattern()

    def shape(result: MatchResult) -> dict:
        return match_result_json(result, page.listings[result.provider_id], gettext, url_pattern)

    return {
        "origin": {
            "lat": round(origin.lat, 5),
            "lon": round(origin.lon, 5),
            "label": origin.label,
            "precision": origin.precision,
            "you_typed": origin.typed or None,
            "or": [{"label": label, "location": location} for label, location in origin.also],
        },
        "total": page.total,
        "total_all_met": page.outcome.total_all_met,
        "page": page.request.page,
        "per_page": page.request.per_page,
        "results": [shape(result) for result in page.outcome.results],
        "alternatives": [shape(result) for result in page.outcome.alternatives],
    }
