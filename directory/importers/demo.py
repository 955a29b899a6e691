"""Fictional demo listings at real US ZIP codes, so a new installation has something to show.

Every demo listing has ``source = "demo"``, a description saying it is fictional and a
555-01xx phone number (reserved for fiction); the pages and the API mark it as demo data.
The same count always produces the same listings.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from directory.geo import gazetteer
from directory.listings import availability
from directory.models import Listing
from directory.models.catalog import bump_revision
from directory.models.listing import utcnow
from directory.vocabulary import FAMILIES, US_STATES

DEMO_DESCRIPTION = (
    "Demo data: this is a fictional listing made up to show how the directory works. "
    "It is not a real treatment provider."
)
METROS = [
    ("New York", "NY"),
    ("Los Angeles", "CA"),
    ("Chicago", "IL"),
    ("Houston", "TX"),
    ("Phoenix", "AZ"),
    ("Philadelphia", "PA"),
    ("San Antonio", "TX"),
    ("San Diego", "CA"),
    ("Dallas", "TX"),
    ("Austin", "TX"),
    ("Jacksonville", "FL"),
    ("Columbus", "OH"),
    ("Charlotte", "NC"),
    ("Indianapolis", "IN"),
    ("Seattle", "WA"),
    ("Denver", "CO"),
    ("Washington", "DC"),
    ("Boston", "MA"),
    ("Nashville", "TN"),
    ("Detroit", "MI"),
    ("Portland", "OR"),
    ("Las Vegas", "NV"),
    ("Memphis", "TN"),
    ("Louisville", "KY"),
    ("Baltimore", "MD"),
    ("Milwaukee", "WI"),
    ("Albuquerque", "NM"),
    ("Atlanta", "GA"),
    ("Miami", "FL"),
    ("Minneapolis", "MN"),
    ("New Orleans", "LA"),
    ("Salt Lake City", "UT"),
]
FIRST = "Cedar Maple Harbor Summit River Bright Pine Willow New Clear Open Oak Sunrise Lakeside"
SECOND = "Ridge Path Haven Point Valley Springs Bridge Hills Meadow Crossing Grove Horizon"
KIND = "Recovery Center|Counseling Services|Behavioral Health|Treatment Center|Wellness Clinic"
STREETS = "Main St|Oak Ave|Elm St|Park Blvd|2nd St|Lincoln Ave|Washington St|Lake Rd|Hill St"


def seed_demo_listings(session: Session, count: int, only_if_empty: bool = False) -> int:
    """Insert ``count`` demo listings; returns how many were created."""
    if only_if_empty and session.scalar(select(func.count()).select_from(Listing)):
        return 0
    rng = random.Random(2022)
    places = _places(rng, count)
    now = utcnow()
    rows = [_listing(rng, number, place, now) for number, place in enumerate(places, start=1)]
    existing = set(session.scalars(select(Listing.id).where(Listing.source == "demo")))
    rows = [row for row in rows if row["id"] not in existing]
    if rows:
        session.execute(insert(Listing.__table__), rows)
        bump_revision(session)
    return len(rows)


def _places(rng: random.Random, count: int) -> list:
    """ZIP points: every state, with a third of the listings in big metro areas."""
    by_state: dict[str, list] = {}
    for point in gazetteer().zips():
        if point.state in US_STATES:
            by_state.setdefault(point.state, []).append(point)
    for points in by_state.values():
        points.sort(key=lambda point: point.zip)
    metro = [
        p for city, st in METROS for p in by_state.get(st, []) if p.label.startswith(city + ",")
    ]
    states = sorted(by_state)
    places = [
        rng.choice(by_state[states[i % len(states)]]) for i in range(min(count, len(states) * 5))
    ]
    while len(places) < count:
        pool = metro if rng.random() < 0.35 else by_state[rng.choice(states)]
        places.append(rng.choice(pool))
    return places[:count]


def _listing(rng: random.Random, number: int, place, now) -> dict:
    kind = rng.choice(KIND.split("|"))
    name = f"{rng.choice(FIRST.split())} {rng.choice(SECOND.split())} {kind}"
    values = {
        "id": f"demo{number:08d}",
        "source": "demo",
        "source_key": None,
        "name": name,
        "program_name": rng.choice(["", "Adult Program", "Youth Program", "Main Clinic"]),
        "street": f"{rng.randint(10, 9999)} {rng.choice(STREETS.split('|'))}",
        "street2": "",
        "city": place.label.split(",")[0],
        "state": place.state,
        "zip": place.zip,
        "lat": place.lat + rng.uniform(-0.02, 0.02),
        "lon": place.lon + rng.uniform(-0.02, 0.02),
        "location_precision": "zip",
        "phone": f"{rng.randint(201, 989)}-555-01{rng.randint(0, 99):02d}",
        "intake_phone": "",
        "website": "",
        "description": DEMO_DESCRIPTION,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    values.update(_services(rng))
    values.update(_availability(rng, now))
    return values


def _pick(rng: random.Random, family: str, chance: float, unknown: float = 0.1) -> list | None:
    if rng.random() < unknown:
        return None
    return [code for code in FAMILIES[family].codes if rng.random() < chance]


def _services(rng: random.Random) -> dict:
    care = [code for code in FAMILIES["care_level"].codes if rng.random() < 0.3] or ["outpatient"]
    medications = _pick(rng, "medication", 0.3, unknown=0.15)
    therapies = _pick(rng, "therapy", 0.5)
    if therapies is not None and medications and "mat" not in therapies:
        therapies.append("mat")
    languages = ["en"] + [c for c in ("es", "asl", "vi", "zh") if rng.random() < 0.25]
    return {
        "service_types": [c for c in ("substance_use", "mental_health") if rng.random() < 0.7]
        or ["substance_use"],
        "care_levels": care,
        "dual_diagnosis": rng.choice(["enhanced", "capable", "capable", "none", None]),
        "therapies": FAMILIES["therapy"].order(therapies) if therapies is not None else None,
        "medications": medications,
        "payments": _pick(rng, "payment", 0.45, unknown=0.15),
        "age_groups": _pick(rng, "age_group", 0.6),
        "genders": rng.choice([["women", "men"], ["women", "men"], ["women"], ["men"], None]),
        "populations": _pick(rng, "population", 0.2, unknown=0.3),
        "languages": languages,
        "accreditations": _pick(rng, "accreditation", 0.25, unknown=0),
        "telehealth": rng.choice([True, True, False, None]),
    }


def _availability(rng: random.Random, now) -> dict:
    """A status set up to 3 weeks ago (so some have expired), or none."""
    status = rng.choice(
        ["accepting", "accepting", "waitlist", "assessment_required", "not_accepting", "unknown"]
    )
    known = status != availability.UNKNOWN
    updated = now - timedelta(days=rng.randint(0, 21)) if known else None
    return {
        "availability_status": status,
        "wait_days": {"accepting": rng.choice([0, 1, 3]), "waitlist": rng.choice([7, 14, 30])}.get(
            status
        ),
        "availability_updated_at": updated,
        "availability_source": availability.DEMO if known else "",
        "availability_updated_by": "",
        "availability_expires_at": availability.expiry(updated, status) if known else None,
        "last_verified_on": date(2026, 1, 1) + timedelta(days=rng.randint(0, 300)),
        "last_verified_by": "Demo data",
    }
