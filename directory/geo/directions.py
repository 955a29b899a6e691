"""Links that open the person's own maps app at a listing: nothing is requested until they tap.

The page links to a web maps site (configurable); on phones a small script swaps in a
``geo:`` URI (Android hands it to the maps app) or an Apple Maps link (iPhone and iPad).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

# The web maps page for people not on a phone; {destination} is the address or "lat,lon".
DEFAULT_DIRECTIONS_URL = "https://www.openstreetmap.org/directions?to={destination}"
APPLE_MAPS_URL = "https://maps.apple.com/?daddr={destination}"


@dataclass(frozen=True)
class Directions:
    web: str
    geo: str
    apple: str


def one_line_address(street: str, city: str, state: str, zip_code: str) -> str:
    """The address a maps app searches for ("100 Main St, Hazard, KY 41701")."""
    place = " ".join(part for part in (state, zip_code) if part)
    return ", ".join(part for part in (street, city, place) if part)


def directions(address: str, lat: float | None, lon: float | None, web_template: str = ""):
    """Links to this place in a maps app, or None when there is neither address nor point."""
    point = f"{lat:.6f},{lon:.6f}" if lat is not None and lon is not None else ""
    target = address or point
    if not target:
        return None
    encoded = quote(target, safe=",")
    web = (web_template or DEFAULT_DIRECTIONS_URL).replace("{destination}", encoded)
    # RFC 5870: geo:0,0?q=… searches for the address; a point alone is geo:lat,lon.
    geo = f"geo:0,0?q={encoded}" if address else f"geo:{point}"
    return Directions(web, geo, APPLE_MAPS_URL.replace("{destination}", encoded))
