"""Distances between points on the earth, in miles."""

from geopy.distance import EARTH_RADIUS, great_circle
from geopy.units import miles

# The mean earth radius geopy's great circle uses (6371.009 km), in miles: the matcher's
# vectorised distances and the maps use the same sphere.
EARTH_RADIUS_MILES = miles(kilometers=EARTH_RADIUS)


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle miles between two points (within 0.5% of geodesic, as the matcher needs)."""
    return great_circle((lat1, lon1), (lat2, lon2)).miles
