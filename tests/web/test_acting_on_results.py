"""Acting on a result: a number that always dials, in cards, provider pages, the API and imports."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest

from directory.models import AuditEntry
from tests.factories import make_listing
from tests.web.test_import_samhsa import HEADER, run_import, write_csv

pytestmark = pytest.mark.postgres


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def hazard(db):
    made = {
        "extension": make_listing("41701", name="Mountain Center", phone="606-439-1331 x4025"),
        "bad_intake": make_listing(
            "41701", name="Kentucky River Clinic", phone="606-436-5761", intake_phone="555-667-8999"
        ),  # fmt: skip
        "no_number": make_listing("41701", name="Broken Number House", phone="999-999-9999"),
    }
    db.session.commit()
    return made


def test_a_card_calls_a_number_with_its_extension_and_falls_back_to_the_main_number(client, hazard):
    page = text(client.get("/search", query_string={"location": "Hazard, KY", "radius": 10}))
    assert ('<a class="button call" href="tel:+1-606-439-1331;ext=4025">'
            "Call 606-439-1331 ext. 4025</a>") in page  # fmt: skip
    assert '<a class="button call" href="tel:+1-606-436-5761">Call 606-436-5761</a>' in page
    assert "Phone: 999-999-9999" in page  # shown as text, never a link that cannot dial
    assert 'href="tel:+1-999' not in page and 'href="tel:+1-555' not in page


def test_a_provider_page_makes_every_usable_number_tappable(client, hazard):
    page = text(client.get(f"/providers/{hazard['bad_intake'].id}"))
    assert 'href="tel:+1-606-436-5761">Call 606-436-5761</a>' in page
    assert "555-667-8999" in page and "does not look right" in page
    page = text(client.get(f"/providers/{hazard['extension'].id}"))
    assert 'href="tel:+1-606-439-1331;ext=4025"' in page


def test_the_api_gives_each_number_as_shown_and_dialled(client, hazard):
    body = client.get("/api/v1/match?location=41701&radius=5&per_page=10").get_json()
    phones = {r["name"]: r["phones"] for r in body["results"]}
    assert phones["Mountain Center"] == [{"kind": "main", "display": "606-439-1331 ext. 4025",
                                          "tel": "tel:+1-606-439-1331;ext=4025"}]  # fmt: skip
    assert phones["Kentucky River Clinic"][1] == {"kind": "intake", "display": "555-667-8999",
                                                  "tel": None}  # fmt: skip
    listing = client.get(f"/api/v1/providers/{hazard['extension'].id}").get_json()
    assert listing["phones"][0]["tel"] == "tel:+1-606-439-1331;ext=4025"


def test_the_import_summary_lists_numbers_that_cannot_be_dialled(runner, db, tmp_path):
    rows = [["Good Place", "", "1 Main St", "", "Hazard", "KY", "41701", "606-439-1331 x4025",
             "", "", "", "", "SA * OP ORT"],
            ["Odd Place", "", "2 Main St", "", "Hazard", "KY", "41701", "555-667-8999",
             "", "", "", "", "SA * OP ORT"]]  # fmt: skip
    result = run_import(runner, write_csv(tmp_path / "substance_use.csv", rows, HEADER))
    assert result.exit_code == 0, result.output
    assert "Phone numbers that cannot be dialled (shown as text; please check them): 1" in (
        result.output
    )
    assert "Odd Place, Hazard, KY: 555-667-8999" in result.output
    assert "Good Place" not in result.output.split("cannot be dialled")[1]


# --- where it is and how to get there ------------------------------------------------------


def test_a_card_shows_the_street_and_a_directions_link_that_requests_nothing(client, hazard):
    page = text(client.get("/search", query_string={"location": "Hazard, KY", "radius": 10}))
    street = hazard["extension"].street
    assert f"{street}, Hazard, KY 41701</address>" in page
    destination = f"{street.replace(' ', '%20')},%20Hazard,%20KY%2041701"
    assert f'href="https://www.openstreetmap.org/directions?to={destination}"' in page
    assert f'data-geo="geo:0,0?q={destination}"' in page
    assert "— ZIP area" in page  # every listing here sits at the ZIP's centre
    assert "miles away" not in page


def test_directions_use_the_configured_maps_site_on_the_provider_page(app, client, hazard):
    app.config["DIRECTIONS_URL"] = "https://maps.example.org/route?to={destination}"
    page = text(client.get(f"/providers/{hazard['extension'].id}"))
    assert 'href="https://maps.example.org/route?to=' in page
    assert ">Directions</a>" in page


# --- freshness ---------------------------------------------------------------------------


def test_freshness_never_rounds_up_and_an_untouched_import_names_its_source(app, db, client):
    now = datetime.now(UTC).replace(tzinfo=None)
    fresh = make_listing("41701", name="Fresh", availability_updated_at=now - timedelta(seconds=5),
                         accepting_new_clients=True)  # fmt: skip
    hours = make_listing("41701", name="Hours", availability_updated_at=now - timedelta(hours=5),
                         accepting_new_clients=True)  # fmt: skip
    older = make_listing("41701", name="Older", availability_updated_at=now - timedelta(hours=47),
                         accepting_new_clients=True, source="samhsa", release="2022")  # fmt: skip
    db.session.commit()
    assert "updated just now" in text(client.get(f"/providers/{fresh.id}"))
    assert "updated today" in text(client.get(f"/providers/{hours.id}"))
    page = html.unescape(text(client.get(f"/providers/{older.id}")))
    assert "updated 1 day ago" in page
    assert "From SAMHSA's 2022 directory; not changed here since" in page
    db.session.add(AuditEntry(listing_id=older.id, actor="admin@directory.example",
                              action="admin_change", changes={"phone": ["a", "b"]},
                              created_at=datetime(2026, 11, 3, 12, 0)))  # fmt: skip
    db.session.commit()
    page = text(client.get(f"/providers/{older.id}"))
    assert "Nov 3, 2026" in page and "not changed here since" not in page


# --- one card per place --------------------------------------------------------------------


def test_programs_at_one_site_share_one_card_and_keep_their_own_links_and_counts(client, db):
    made = [make_listing("41701", name="Mountain Center for Recovery and Hope",
                         program_name=f"Program {n}", street=f"{n} The Landing Lane",
                         phone="606-436-5761") for n in (100, 120, 160)]  # fmt: skip
    other = make_listing("41701", name="Mountain Center for Recovery and Hope",
                         street="575 Sugar Camp Road", phone="606-436-5761")  # fmt: skip
    db.session.commit()
    page = text(client.get("/search", query_string={"location": "41701", "radius": 5}))
    assert "4 places near" in page
    assert page.count('class="card"') == 2
    assert "2 more programs at this address:" in page
    for listing in (*made, other):
        assert f'href="/providers/{listing.id}"' in page


def test_places_at_one_zip_centre_share_one_numbered_pin_on_the_map(client, hazard):
    page = text(client.get("/search", query_string={"location": "Hazard, KY", "radius": 10}))
    svg = page[page.index('<figure class="map map--results"') :]
    assert svg.count('<a class="map-marker"') == 1  # three places at the ZIP centre: one pin
    assert ">1–3</text>" in svg and "3 results at one spot: 1. " in svg
    spanish = text(client.get("/search?location=Hazard, KY&radius=10&lang=es"))
    assert "3 resultados en un mismo lugar: 1. " in spanish
