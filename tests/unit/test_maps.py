"""Server-rendered maps: projection, fitted windows, visible states, markup and tile math."""

from __future__ import annotations

import math
import re

import jinja2
import pytest

from directory.public import maps
from directory.public.maps import MapMarker, locator_map, project, results_map, tile_map, tile_xy

DENVER = (39.7392, -104.9903)
TEMPLATE = "https://tiles.example.org/{z}/{x}/{y}.png"


def state(code: str) -> maps.State:
    """The outline of one state."""
    return next(s for s in maps.load_states() if s.code == code)


def denver_results(n: int = 20) -> list[MapMarker]:
    """n markers scattered within about 20 miles of Denver."""
    return [
        MapMarker(
            i,
            DENVER[0] + 0.25 * math.sin(i),
            DENVER[1] + 0.3 * math.cos(i),
            f"Centre {i} <&>",
            i + 1,
            f"/providers/{i}",
        )
        for i in range(n)
    ]


def frame_contains(view, x: float, y: float, margin: float = 0.0) -> bool:
    """Whether a frame point lies inside the frame, at least margin from its edges."""
    return margin <= x <= view.width - margin and margin <= y <= view.height - margin


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader("templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals["_"] = lambda text, **kw: text % kw if kw else text
    environment.globals["url_for"] = lambda endpoint, **kw: f"/{endpoint}"
    return environment


def render(env: jinja2.Environment, macro: str, view) -> str:
    source = f'{{% from "public/_map.html" import {macro} %}}{{{{ {macro}(view) }}}}'
    return env.from_string(source).render(view=view)


def test_data_file_is_small_and_complete():
    assert maps.DATA_PATH.stat().st_size <= 400 * 1024
    codes = {s.code for s in maps.load_states()}
    assert len(codes - maps.OUTSIDE_LOWER_48) == 49  # 48 states and DC
    assert {"AK", "HI", "PR", "VI"} <= codes


def test_projection_matches_the_outlines():
    x, y = project(*DENVER)
    x0, y0, x1, y1 = state("CO").bbox
    assert x0 < x < x1 and y0 < y < y1
    # North is up and east is right.
    assert project(45, -100)[1] < project(35, -100)[1]
    assert project(40, -80)[0] > project(40, -110)[0]


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (25.76, -80.19, "FL"),
        (61.22, -149.90, "AK"),
        (21.31, -157.86, "HI"),
        (18.47, -66.11, "PR"),
        (44.31, -69.78, "ME"),
        (47.61, -122.33, "WA"),
    ],
)
def test_cities_land_in_their_state(lat, lon, code):
    x, y = project(lat, lon)
    x0, y0, x1, y1 = state(code).bbox
    assert x0 <= x <= x1 and y0 <= y <= y1


def test_results_map_contains_markers_and_radius():
    markers = denver_results()
    view = results_map(markers, DENVER, 25, place="Denver, CO")
    assert len(view.markers) == 20
    for m in markers:
        assert view.window.contains(*project(m.lat, m.lon))
    for p in view.markers:
        assert frame_contains(view, p.x, p.y, margin=maps.MARGIN - 1)
    c = view.circle
    assert c.r > 0
    assert c.x - c.r >= 0 and c.y - c.r >= 0
    assert c.x + c.r <= view.width and c.y + c.r <= view.height
    assert view.width / view.height == pytest.approx(view.window.width / view.window.height)


def test_radius_circle_has_the_right_size():
    view = results_map([], DENVER, 25)
    miles_per_frame_unit = view.window.width / view.width / maps.units_per_mile(*DENVER)
    assert view.circle.r * miles_per_frame_unit == pytest.approx(25, rel=0.01)
    # 25 miles north of Denver is about 0.3617 degrees of latitude.
    ox, oy = view.to_frame(*project(*DENVER))
    nx, ny = view.to_frame(*project(DENVER[0] + 25 / 69.09, DENVER[1]))
    assert math.hypot(nx - ox, ny - oy) == pytest.approx(view.circle.r, rel=0.01)


def test_only_visible_states_are_included():
    view = results_map(denver_results(), DENVER, 50)
    codes = {s.code for s in view.states}
    assert "CO" in codes
    assert "ME" not in codes and "AK" not in codes and "CA" not in codes


def test_single_point_gets_a_minimum_extent():
    marker = MapMarker(1, *DENVER, "Only one", 1, "/p/1")
    view = results_map([marker])
    miles_wide = view.window.width / maps.units_per_mile(*DENVER)
    assert maps.RESULTS_MIN_MILES <= miles_wide <= 3 * maps.RESULTS_MIN_MILES
    (placed,) = view.markers
    assert placed.x == pytest.approx(view.width / 2)
    assert placed.y == pytest.approx(view.height / 2)


def test_extent_is_capped_at_the_lower_48():
    markers = [
        MapMarker(1, 61.22, -149.90, "Anchorage", 1, "/a"),
        MapMarker(2, 25.76, -80.19, "Miami", 2, "/m"),
        MapMarker(3, 44.31, -69.78, "Augusta", 3, "/g"),
    ]
    view = results_map(markers)
    l48 = maps.lower_48_box()
    assert view.window.width <= max(l48.width, l48.height * view.width / view.height) * 1.3
    assert {m.rank for m in view.markers} == {2, 3}  # Alaska is off the map
    assert view.total == 3


def test_coast_to_coast_fits_without_cap():
    markers = [
        MapMarker(1, 47.61, -122.33, "Seattle", 1, "/s"),
        MapMarker(2, 25.76, -80.19, "Miami", 2, "/m"),
    ]
    view = results_map(markers)
    assert len(view.markers) == 2
    assert all(frame_contains(view, p.x, p.y, margin=maps.MARGIN - 1) for p in view.markers)


def test_markers_draw_first_rank_last():
    view = results_map(denver_results(5), DENVER, 25)
    assert [m.rank for m in view.markers] == [5, 4, 3, 2, 1]


def test_locator_map_shows_the_state_around():
    view = locator_map(*DENVER, "Acme Recovery")
    codes = {s.code for s in view.states}
    assert {"CO", "WY", "NE", "KS", "NM", "UT"} <= codes
    assert "ME" not in codes
    (marker,) = view.markers
    assert (marker.x, marker.y) == pytest.approx((view.width / 2, view.height / 2))


def test_results_map_renders_accessible_svg(env):
    view = results_map(denver_results(), DENVER, 25, place="Denver, CO")
    html = render(env, "results_map", view)
    assert 'role="group"' in html
    assert 'aria-labelledby="results-map-title"' in html
    assert 'aria-describedby="results-map-desc"' in html
    assert '<title id="results-map-title">' in html
    desc = re.search(r'<desc id="results-map-desc">(.*?)</desc>', html, re.S).group(1)
    assert "Map of the 20 results around Denver, CO." in desc
    assert "25-mile search radius" in desc
    assert html.count('<a class="map-marker" href="/providers/') == 20
    assert "<title>1. Centre 0 &lt;&amp;&gt;</title>" in html
    assert 'class="map-radius"' in html
    assert html.count('class="map-state"') == len(view.states)
    assert 'vector-effect="non-scaling-stroke"' in html
    assert maps.MAP_CREDIT in html and "<figcaption" in html
    assert "style=" not in html and "<script" not in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_partial_map_says_how_many_are_shown(env):
    markers = [
        MapMarker(1, 61.22, -149.90, "Anchorage", 1, "/a"),
        MapMarker(2, 25.76, -80.19, "Miami", 2, "/m"),
        MapMarker(3, 44.31, -69.78, "Augusta", 3, "/g"),
    ]
    html = render(env, "results_map", results_map(markers))
    assert "Map of 3 results." in html
    assert "2 of them are within the map" in html


def test_empty_results_map_renders(env):
    html = render(env, "results_map", results_map([]))
    assert "No results to show on the map." in html
    assert "map-marker" not in html


def test_locator_map_renders(env):
    html = render(env, "locator_map", locator_map(*DENVER, "Acme & Sons"))
    assert 'role="img"' in html
    assert "Location of Acme &amp; Sons" in html
    assert 'class="map-pin"' in html
    assert "style=" not in html and "<a " not in html


def test_tile_math_for_a_known_tile():
    # Standard slippy-map formula: x = (lon + 180) / 360 * 2^z,
    # y = (1 - asinh(tan(lat)) / pi) / 2 * 2^z; Denver at zoom 14 is tile 3413/6218.
    x, y = tile_xy(*DENVER, 14)
    assert (math.floor(x), math.floor(y)) == (3413, 6218)
    assert tile_xy(0, 0, 1) == pytest.approx((1.0, 1.0))
    assert tile_xy(85.0511, -180, 3)[0] == 0


def test_tile_map_grid_and_marker(env):
    view = tile_map(*DENVER, template=TEMPLATE, label="Acme", credit="© Tiles")
    assert len(view.tiles) == 9
    assert view.tiles[0].url == "https://tiles.example.org/14/3412/6217.png"
    assert view.tiles[4].url == "https://tiles.example.org/14/3413/6218.png"
    assert view.tiles[8].url == "https://tiles.example.org/14/3414/6219.png"
    assert 100 / 3 <= view.marker_left <= 200 / 3 and 100 / 3 <= view.marker_top <= 200 / 3
    assert view.marker_left == pytest.approx(100 * (1 + 0.774791) / 3, abs=1e-3)
    html = render(env, "tile_map", view)
    assert html.count('<img class="map-tile"') == 9
    assert 'referrerpolicy="no-referrer"' in html and 'alt=""' in html
    assert "© Tiles" in html and "style=" not in html


def test_tile_x_wraps_at_the_antimeridian():
    view = tile_map(0, -179.99, zoom=2, size=3, template=TEMPLATE)
    assert view.tiles[0].url == "https://tiles.example.org/2/3/1.png"


def test_any_map_dispatches(env):
    assert 'class="map map--locator"' in render(env, "any_map", locator_map(*DENVER, "A"))
    tiles = tile_map(*DENVER, template=TEMPLATE)
    assert 'class="map map--tiles"' in render(env, "any_map", tiles)


def test_typical_results_map_is_small(env):
    html = render(env, "results_map", results_map(denver_results(), DENVER, 25, place="Denver"))
    assert len(html.encode()) < 60 * 1024


def test_results_at_one_spot_share_one_numbered_pin_and_others_stay_apart(env):
    same_spot = [MapMarker(f"p{i}", 39.7491, -104.9946, f"Clinic {i}", i, f"/p/{i}")
                 for i in (1, 2, 3, 5)]  # fmt: skip
    next_door = [MapMarker(f"q{i}", 39.7491 + 0.004 * i, -104.99, f"Other {i}", 5 + i, f"/q/{i}")
                 for i in range(1, 4)]  # fmt: skip
    view = results_map(same_spot + next_door, (39.7491, -104.9946), 10)
    assert len(view.markers) == 4  # one pin for the four at the ZIP centroid, three next door
    group = next(m for m in view.markers if m.ranks)
    assert (group.ranks, group.number, group.url) == ((1, 2, 3, 5), "1–3, 5", "/p/1")
    assert group.title == "1. Clinic 1; 2. Clinic 2; 3. Clinic 3; 5. Clinic 5"
    for a in view.markers:
        for b in view.markers:
            if a is not b:  # no pin covers another, the wide one included, even 2.25x on a phone
                assert math.dist((a.x, a.y), (b.x, b.y)) >= (a.width + b.width) / 2 * 2.25
    html = render(env, "results_map", view)
    assert html.count('<a class="map-marker"') == 4
    assert ">1–3, 5</text>" in html and 'rx="21"' in html
    assert "<title>4 results at one spot: 1. Clinic 1; 2. Clinic 2;" in html
    assert "Results at one spot share one marker" in html
    assert "of them are within the map" not in html  # all seven are counted as shown


def test_pin_numbers_stay_short():
    assert maps.rank_text((4,)) == "4"
    assert maps.rank_text((1, 2)) == "1–2"
    assert maps.rank_text((3, 1, 2, 7, 8)) == "1–3, 7–8"
    assert maps.rank_text((3, 1, 2, 7, 8, 10)) == "1 +5"
    assert maps.rank_text((1, 3, 5, 7, 9)) == "1 +4"
