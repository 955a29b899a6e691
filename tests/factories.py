"""Test data factories: listings with sensible defaults, placed at real ZIP centroids."""

from __future__ import annotations

import itertools
from datetime import timedelta

from directory.extensions import db
from directory.geo import gazetteer
from directory.listings import availability
from directory.models import Listing

_numbers = itertools.count(1)


def make_listing(zip_code: str = "80202", **overrides) -> Listing:
    """Add a listing (flushed, not committed) at a ZIP's centroid unless lat/lon are given.

    ``availability="accepting"`` (any status) sets it as the provider would have just now;
    ``accepting_new_clients=True``/``False`` is the same for accepting / not_accepting.
    """
    number = next(_numbers)
    point = gazetteer().zip_point(zip_code)
    values = {
        "id": f"test{number:06d}",
        "name": f"Test Provider {number}",
        "source": "admin",
        "street": f"{number} Main St",
        "city": point.label.split(",")[0] if point else "",
        "state": point.state if point else "",
        "zip": zip_code,
        "lat": point.lat if point else None,
        "lon": point.lon if point else None,
        "location_precision": "zip" if point else None,
        "phone": "303-555-0100",
        "service_types": ["substance_use"],
        "care_levels": ["outpatient"],
        "dual_diagnosis": "none",
        "therapies": ["cbt"],
        "medications": [],
        "payments": ["medicaid"],
        "age_groups": ["adults"],
        "genders": ["women", "men"],
        "populations": [],
        "languages": ["en"],
        "accreditations": [],
        "telehealth": False,
    }
    legacy = overrides.pop("accepting_new_clients", None)
    status = overrides.pop("availability", None)
    if status is None and legacy is not None:
        status = availability.ACCEPTING if legacy else availability.NOT_ACCEPTING
    if status is not None:
        set_at = availability.utcnow() - timedelta(minutes=1)
        values.update(
            availability_status=status,
            availability_updated_at=set_at,
            availability_source=availability.PROVIDER,
            availability_expires_at=availability.expiry(set_at, status),
        )
    values.update(overrides)
    listing = Listing(**values)
    db.session.add(listing)
    db.session.flush()
    return listing
