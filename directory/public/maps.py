"""Server-rendered maps: projected state outlines, fitted windows, markers and optional tiles.

Nothing here makes a request: the outlines come from ``directory/data/us_states.json``
(built by ``scripts/build-map-data``), and tile mode only computes URLs for a template
configured by the operator. A map is drawn in a fixed *frame* (``FRAME_WIDTH`` wide, in SVG
user units) holding a nested SVG whose ``viewBox`` is the geographic window in projected
units; markers and the radius circle are placed in frame units so their size does not
depend on the zoom.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from directory.geo.distance import EARTH_RADIUS_MILES

MAP_CREDIT = "Map: U.S. Census Bureau cartographic boundaries via us-atlas"
DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "us_states.json"

# Conic equal-area (Albers) on a sphere of RADIUS units; must match scripts/build-map-data.
RADIUS = 1000.0
LON0, LAT0, PARALLEL1, PARALLEL2 = -96.0, 37.5, 29.5, 45.5
_N = (math.sin(math.radians(PARALLEL1)) + math.sin(math.radians(PARALLEL2))) / 2
_C = math.cos(math.radians(PARALLEL1)) ** 2 + 2 * _N * math.sin(math.radians(PARALLEL1))

FRAME_WIDTH = 1000
RESULTS_FRAME = (FRAME_WIDTH, 640)
LOCATOR_FRAME = (FRAME_WIDTH, 750)
MARGIN = 64  # frame units: a marker scaled up for a narrow map is 63 units in radius
RESULTS_MIN_MILES = 40.0
LOCATOR_MIN_MILES = 450.0
OUTSIDE_LOWER_48 = frozenset({"AK", "HI", "AS", "GU", "MP", "PR", "VI"})


def _rho(lat: float) -> float:
    """The radius of the parallel ``lat`` in the conic projection."""
    return RADIUS * math.sqrt(_C - 2 * _N * math.sin(math.radians(lat))) / _N


_RHO0 = _rho(LAT0)


def project(lat: float, lon: float) -> tuple[float, float]:
    """Project a latitude and longitude to map units (x east, y south), like the outlines."""
    dlon = (lon - LON0 + 180.0) % 360.0 - 180.0
    theta = _N * math.radians(dlon)
    rho = _rho(lat)
    return rho * math.sin(theta), -(_RHO0 - rho * math.cos(theta))


def units_per_mile(lat: float, lon: float) -> float:
    """How many projected units one mile north-south spans near a point."""
    step = 10.0 / EARTH_RADIUS_MILES * 180.0 / math.pi  # ten miles in degrees of latitude
    x1, y1 = project(lat - step / 2, lon)
    x2, y2 = project(lat + step / 2, lon)
    return math.hypot(x2 - x1, y2 - y1) / 10.0


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in projected or frame units."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        """The right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> float:
        """The bottom edge."""
        return self.y + self.height

    def contains(self, x: float, y: float) -> bool:
        """Whether a point lies inside (edges included)."""
        return self.x <= x <= self.right and self.y <= y <= self.bottom

    def intersects(self, bbox: tuple[float, float, float, float]) -> bool:
        """Whether a (min x, min y, max x, max y) box overlaps this one."""
        x0, y0, x1, y1 = bbox
        return x0 <= self.right and x1 >= self.x and y0 <= self.bottom and y1 >= self.y

    def __str__(self) -> str:
        return " ".join(_fmt(v) for v in (self.x, self.y, self.width, self.height))


def _fmt(value: float) -> str:
    """A number as short SVG text (two decimals at most)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass(frozen=True)
class State:
    """One state's outline: USPS code, name, bbox (min x, min y, max x, max y) and path."""

    code: str
    name: str
    bbox: tuple[float, float, float, float]
    d: str


@dataclass(frozen=True)
class MapMarker:
    """A place to mark: ``rank`` is the number shown, matching the result list."""

    id: str | int
    lat: float
    lon: float
    label: str
    rank: int
    url: str


@dataclass(frozen=True)
class PlacedMarker:
    """A marker placed in frame units; one pin for every result at one spot (``ranks``)."""

    id: str | int
    label: str
    rank: int
    url: str
    x: float
    y: float
    ranks: tuple[int, ...] = ()  # the results this pin stands for, when more than one
    labels: tuple[str, ...] = ()

    @property
    def cx(self) -> str:
        """x as SVG text."""
        return _fmt(self.x)

    @property
    def cy(self) -> str:
        """y as SVG text."""
        return _fmt(self.y)

    @property
    def number(self) -> str:
        """The pin's text: '3', or '1–3', '2, 5' or '1 +4' for the results at one spot."""
        return rank_text(self.ranks or (self.rank,))

    @property
    def count(self) -> int:
        """How many results the pin stands for."""
        return len(self.ranks) or 1

    @property
    def width(self) -> float:
        """How wide the pin is: a circle, or a pill wide enough for its number."""
        return max(PIN_SIZE, NUMBER_WIDTH * len(self.number) + 20)

    @property
    def title(self) -> str:
        """What the pin says to a screen reader or on hover: its numbers and names."""
        if not self.ranks:
            return f"{self.rank}. {self.label}"
        return "; ".join(f"{r}. {name}" for r, name in zip(self.ranks, self.labels, strict=True))


def rank_text(ranks: tuple[int, ...]) -> str:
    """Result numbers as a pin shows them: runs joined ('1–3, 5'); many as '1 +4'."""
    runs: list[list[int]] = []
    for rank in sorted(ranks):
        if runs and rank == runs[-1][-1] + 1:
            runs[-1].append(rank)
        else:
            runs.append([rank])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    if len(text) > MAX_PIN_TEXT:
        return f"{min(ranks)} +{len(ranks) - 1}"
    return text


@dataclass(frozen=True)
class Circle:
    """A circle in frame units (the search radius)."""

    x: float
    y: float
    r: float
    miles: float

    @property
    def attrs(self) -> dict[str, str]:
        """cx, cy and r as SVG text."""
        return {"cx": _fmt(self.x), "cy": _fmt(self.y), "r": _fmt(self.r)}


@dataclass(frozen=True)
class MapView:
    """Everything a template needs to draw one SVG map."""

    kind: str
    uid: str
    window: Box
    width: int
    height: int
    states: tuple[State, ...]
    markers: tuple[PlacedMarker, ...] = ()
    circle: Circle | None = None
    origin: PlacedMarker | None = None
    place: str | None = None
    total: int = 0
    credit: str = MAP_CREDIT

    @property
    def view_box(self) -> str:
        """The geographic window as a ``viewBox`` value (projected units)."""
        return str(self.window)

    @property
    def frame_box(self) -> str:
        """The outer frame as a ``viewBox`` value."""
        return f"0 0 {self.width} {self.height}"

    def to_frame(self, x: float, y: float) -> tuple[float, float]:
        """Convert projected units to frame units."""
        scale = self.width / self.window.width
        return (x - self.window.x) * scale, (y - self.window.y) * scale


@cache
def load_states() -> tuple[State, ...]:
    """Read the outline data once."""
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    return tuple(State(s["code"], s["name"], tuple(s["bbox"]), s["d"]) for s in data["states"])


@cache
def lower_48_box() -> Box:
    """The bounding box of the contiguous states and DC."""
    boxes = [s.bbox for s in load_states() if s.code not in OUTSIDE_LOWER_48]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return Box(x0, y0, x1 - x0, y1 - y0)


def fit_window(points, min_size: float, frame: tuple[int, int], center=None) -> Box:
    """A window of the frame's aspect fitting points within a margin, at least min_size wide.

    The margin (``MARGIN`` frame units) keeps the largest markers inside the frame. The
    window is never wider than the lower 48; when capped it is centred on ``center`` if given.
    """
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    inner_w, inner_h = frame[0] - 2 * MARGIN, frame[1] - 2 * MARGIN
    content_w = max(max(xs) - min(xs), min_size)
    content_h = max(max(ys) - min(ys), min_size * inner_h / inner_w)
    scale = min(inner_w / content_w, inner_h / content_h)  # frame units per projected unit
    l48 = lower_48_box()
    min_scale = min(inner_w / l48.width, inner_h / l48.height)
    if scale < min_scale:
        scale = min_scale
        cx, cy = center or (l48.x + l48.width / 2, l48.y + l48.height / 2)
    width, height = frame[0] / scale, frame[1] / scale
    return Box(cx - width / 2, cy - height / 2, width, height)


def visible_states(window: Box) -> tuple[State, ...]:
    """The states whose bounding box meets the window."""
    return tuple(s for s in load_states() if window.intersects(s.bbox))


def _place(view: MapView, markers: list[MapMarker]) -> tuple[PlacedMarker, ...]:
    """Markers inside the window, in frame units, highest rank number first (drawn below).

    Listings at one spot (often the same ZIP centroid) would hide each other: they become one
    pin numbered for all of them ("1–3"). Pins that still overlap are pushed apart.
    """
    spots: list[tuple[float, float, list[MapMarker]]] = []
    for m in sorted(markers, key=lambda m: m.rank):
        x, y = project(m.lat, m.lon)
        if not view.window.contains(x, y):
            continue
        fx, fy = view.to_frame(x, y)
        spot = next((s for s in spots if math.dist((s[0], s[1]), (fx, fy)) < SAME_SPOT), None)
        if spot is None:
            spots.append((fx, fy, [m]))
        else:
            spot[2].append(m)
    pins = [_pin_for(group, fx, fy) for fx, fy, group in spots]
    positions = [[pin.x, pin.y] for pin in pins]
    _spread(positions, [pin.width for pin in pins])
    placed = [replace(pin, x=x, y=y) for pin, (x, y) in zip(pins, positions, strict=True)]
    return tuple(sorted(placed, key=lambda p: -p.rank))


def _pin_for(group: list[MapMarker], x: float, y: float) -> PlacedMarker:
    first = group[0]
    if len(group) == 1:
        return PlacedMarker(first.id, first.label, first.rank, first.url, x, y)
    ranks = tuple(m.rank for m in group)
    labels = tuple(m.label for m in group)
    return PlacedMarker(first.id, first.label, first.rank, first.url, x, y, ranks, labels)


def _spread(positions: list[list[float]], widths: list[float], rounds: int = 40) -> None:
    """Push overlapping pins apart, a little at a time, until none overlap (or ``rounds``)."""
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(positions):
            for j in range(i + 1, len(positions)):
                spacing = (widths[i] + widths[j]) / 2 * PHONE_SCALE + PIN_GAP
                moved |= _separate(a, positions[j], spacing)
        if not moved:
            return


def _separate(a: list[float], b: list[float], spacing: float) -> bool:
    dx, dy = b[0] - a[0], b[1] - a[1]
    apart = math.hypot(dx, dy)
    if apart >= spacing:
        return False
    if apart < 1e-6:
        dx, dy, apart = 1.0, 0.0, 1.0
    push = (spacing - apart) / 2 / apart
    a[0], a[1] = a[0] - dx * push, a[1] - dy * push
    b[0], b[1] = b[0] + dx * push, b[1] + dy * push
    return True


SAME_SPOT = 6.0  # frame units: closer than this counts as the same spot
PIN_SIZE = 42.0  # a pin is 42 frame units across
PIN_GAP = 2.0
# static/css/map.css draws pins 2.25 times larger on a map narrower than 360 px (a phone's
# results map): pins are set apart for that size, so they do not cover each other there.
PHONE_SCALE = 2.25
NUMBER_WIDTH = 11.0  # frame units per character of a pin's number (18-unit bold digits)
MAX_PIN_TEXT = 9  # "1–3, 7, 8"; more becomes "1 +4"


def results_map(
    markers: list[MapMarker],
    origin: tuple[float, float] | None = None,
    radius_miles: float | None = None,
    *,
    place: str | None = None,
    uid: str = "results-map",
) -> MapView:
    """A map fitting the results, the search origin and its radius circle."""
    points = [project(m.lat, m.lon) for m in markers]
    center = None
    if origin is not None:
        center = project(*origin)
        reach = (radius_miles or 0) * units_per_mile(*origin)
        points += [(center[0] - reach, center[1] - reach), (center[0] + reach, center[1] + reach)]
    if not points:
        points = [
            (lower_48_box().x, lower_48_box().y),
            (lower_48_box().right, lower_48_box().bottom),
        ]
    min_size = RESULTS_MIN_MILES * units_per_mile(*(origin or _mean(markers)))
    window = fit_window(points, min_size, RESULTS_FRAME, center)
    view = MapView(
        "results",
        uid,
        window,
        *RESULTS_FRAME,
        visible_states(window),
        place=place,
        total=len(markers),
    )
    return _decorate(view, markers, origin, radius_miles)


def _mean(markers: list[MapMarker]) -> tuple[float, float]:
    """The mean position of markers (the centre of the lower 48 when there are none)."""
    if not markers:
        return (39.5, -98.35)
    return sum(m.lat for m in markers) / len(markers), sum(m.lon for m in markers) / len(markers)


def _decorate(view, markers, origin, radius_miles) -> MapView:
    """Add placed markers, the origin and the radius circle to a view."""
    circle = origin_marker = None
    if origin is not None:
        ox, oy = view.to_frame(*project(*origin))
        origin_marker = PlacedMarker("origin", "", 0, "", ox, oy)
        if radius_miles:
            r = radius_miles * units_per_mile(*origin) * view.width / view.window.width
            circle = Circle(ox, oy, r, radius_miles)
    return replace(view, markers=_place(view, markers), circle=circle, origin=origin_marker)


def locator_map(lat: float, lon: float, label: str, *, uid: str = "locator-map") -> MapView:
    """A small map centred on one place, wide enough to show where in its state it is."""
    point = project(lat, lon)
    min_size = LOCATOR_MIN_MILES * units_per_mile(lat, lon)
    window = fit_window([point], min_size, LOCATOR_FRAME)
    view = MapView(
        "locator", uid, window, *LOCATOR_FRAME, visible_states(window), place=label, total=1
    )
    marker = MapMarker(uid, lat, lon, label, 1, "")
    return replace(view, markers=_place(view, [marker]))


@dataclass(frozen=True)
class Tile:
    """One slippy-map tile: its URL and its column and row in the grid."""

    url: str
    column: int
    row: int


@dataclass(frozen=True)
class TileView:
    """A grid of tiles around a place and the place's position over the grid."""

    uid: str
    zoom: int
    size: int
    tiles: tuple[Tile, ...]
    marker_left: float
    marker_top: float
    label: str = ""
    credit: str = ""
    kind: str = "tiles"
    width: int = FRAME_WIDTH
    height: int = FRAME_WIDTH

    @property
    def frame_box(self) -> str:
        """The overlay's ``viewBox`` (the grid is FRAME_WIDTH units square)."""
        return f"0 0 {self.width} {self.height}"

    @property
    def marker(self) -> PlacedMarker:
        """The place, in overlay units."""
        x, y = self.marker_left * self.width / 100, self.marker_top * self.height / 100
        return PlacedMarker(self.uid, self.label, 1, "", x, y)


def tile_xy(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Fractional web-mercator tile coordinates of a point at a zoom level."""
    n = 2**zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_url(template: str, zoom: int, x: int, y: int) -> str:
    """Fill a ``{z}/{x}/{y}`` tile URL template."""
    return template.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))


def tile_map(
    lat: float,
    lon: float,
    zoom: int = 14,
    size: int = 3,
    *,
    template: str,
    label: str = "",
    credit: str = "",
    uid: str = "tile-map",
) -> TileView:
    """A size×size grid of tiles centred on the point's tile, for drawing with no script."""
    fx, fy = tile_xy(lat, lon, zoom)
    n, half = 2**zoom, size // 2
    x0, y0 = math.floor(fx) - half, math.floor(fy) - half
    tiles = tuple(
        Tile(tile_url(template, zoom, (x0 + i) % n, min(max(y0 + j, 0), n - 1)), i, j)
        for j in range(size)
        for i in range(size)
    )
    left, top = 100.0 * (fx - x0) / size, 100.0 * (fy - y0) / size
    return TileView(uid, zoom, size, tiles, left, top, label, credit)
