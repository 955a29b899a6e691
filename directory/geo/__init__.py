"""Geography: the offline gazetteer of US ZIP codes and places, and (later) free-text geocoding."""

from directory.geo.gazetteer import Gazetteer, Point, gazetteer

__all__ = ["Gazetteer", "Point", "gazetteer"]
