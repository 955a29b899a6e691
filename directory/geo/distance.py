"""Distances between points on the earth, in miles."""

from geopy.distance import great_circle


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle miles between two points (within 0.5% of geodesic, as the matcher needs)."""
    return great_circle((lat1, lon1), (lat2, lon2)).miles
