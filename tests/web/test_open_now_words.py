"""'Open now' and 'walk-in' said in one's own words (q=) and set as a partner's widget presets,
in English and Spanish: they search the listing's weekly hours and walk-in admission."""

from __future__ import annotations

import pytest

from directory.operations.partners import PartnerValues, create_partner
from directory.search.presets import check_presets
from tests.factories import make_listing

pytestmark = pytest.mark.postgres

EVERY_DAY = [{"byday": day, "opens_at": "00:00", "closes_at": "00:00"}
             for day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")]  # fmt: skip


@pytest.fixture
def places(db):
    """At one point: one open round the clock taking walk-ins, one closed to walk-ins that
    gives no hours (its name would put it first otherwise)."""
    made = {
        "open": make_listing("80202", name="Zinnia Clinic", lat=39.75, lon=-104.99,
                             hours=EVERY_DAY, walk_in=True),
        "closed": make_listing("80202", name="Aster Clinic", lat=39.75, lon=-104.99,
                               hours=[], walk_in=False),
    }  # fmt: skip
    db.session.commit()
    return made


def names(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return [result["name"] for result in response.get_json()["results"]]


@pytest.mark.parametrize(
    ("words", "parameter"),
    [
        ("open now", "open_now"),
        ("abierto ahora", "open_now"),
        ("walk-in", "walk_in"),
        ("walk in today", "walk_in"),
        ("sin cita", "walk_in"),
    ],
)
def test_the_words_become_the_filter_and_rank_the_open_walk_in_place_first(
    client, places, words, parameter
):
    assert names(client.get("/api/v1/match?location=80202&radius=5"))[0] == "Aster Clinic"
    response = client.get("/api/v1/match", query_string={"location": "80202", "radius": "5",
                                                          "q": words})  # fmt: skip
    assert response.get_json()["understood"]["parameters"] == {parameter: ["true"]}
    assert names(response)[0] == "Zinnia Clinic"


def test_must_be_open_now_leaves_out_a_place_that_is_closed(client, places):
    response = client.get("/api/v1/match?location=80202&radius=5&q=must+be+walk-in")
    assert names(response) == ["Zinnia Clinic"]


def test_the_results_page_shows_what_the_words_became_in_both_languages(client, places):
    page = client.get("/search?q=walk-in+and+open+now+near+80202").get_data(as_text=True)
    assert "Walk-in or same-day admission" in page and "Open now" in page
    spanish = client.get("/search?q=abierto+ahora+sin+cita+cerca+de+80202&lang=es")
    page = spanish.get_data(as_text=True)
    assert "Abierto ahora" in page and "Atención sin cita o admisión el mismo día" in page


def test_a_partner_can_preset_open_now_and_walk_in(client, db, places):
    partner = create_partner(
        db.session,
        PartnerValues(name="Night Line", allowed_origins=["https://line.example.org"],
                      presets={"open_now": ["true"], "walk_in": ["true"],
                               "require": ["open_now"]}),
        check_presets,
    )  # fmt: skip
    db.session.commit()
    asked = {"partner": partner.public_key, "location": "80202"}
    page = client.get("/widget", query_string=asked).get_data(as_text=True)
    results = page.split("Closest alternatives")[0]
    assert "Zinnia Clinic" in results and "Aster Clinic" not in results


def test_the_snippet_generator_offers_both_presets(client):
    page = client.get("/partners?open_now=y&walk_in=y&lang=es").get_data(as_text=True)
    assert 'name="open_now"' in page and 'name="walk_in"' in page
    assert "data-open-now=&#34;true&#34; data-walk-in=&#34;true&#34;" in page


def test_the_script_passes_on_every_preset_the_generator_can_write():
    from pathlib import Path

    from directory.widget.forms import FLAG_PRESETS, LIST_PRESETS, SINGLE_PRESETS

    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "widget.js").read_text()
    listed = script[script.index("var PRESETS") : script.index("];", script.index("var PRESETS"))]
    for name in (*SINGLE_PRESETS, *LIST_PRESETS, *FLAG_PRESETS):
        assert f'"{name}"' in listed, name
