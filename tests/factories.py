"""Test data factories: listings with sensible defaults, placed at real ZIP centroids."""

from __future__ import annotations

import itertools

from directory.extensions import db
from directory.geo import gazetteer
from directory.models import Listing

_numbers = itertools.count(1)


def make_listing(zip_code: str = "80202", **overrides) -> Listing:
    """Add a listing (flushed, not committed) at a ZIP's centroid unless lat/lon are given."""
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
    values.update(overrides)
    listing = Listing(**values)
    db.session.add(listing)
    db.session.flush()
    return listing
