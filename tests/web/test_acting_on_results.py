"""Acting on a result: a number that always dials, in cards, provider pages, the API and imports."""

from __future__ import annotations

import pytest

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
