"""The public search site through the test client: form, results, provider pages, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import make_listing

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def listings(db):
    made = {
        "downtown": make_listing("80202", name="Downtown Outpatient", accepting_new_clients=True,
                                 wait_days=3),
        "aurora": make_listing("80010", name="Aurora Detox", care_levels=["detox"],
                               medications=["buprenorphine"], payments=None),
        "demo": make_listing("80203", name="Cedar Ridge Demo", source="demo",
                             care_levels=["outpatient", "iop"]),
        "markup": make_listing("80204", name="<script>alert('x')</script> Clinic"),
    }  # fmt: skip
    db.session.commit()
    return made


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_page_offers_the_search_form_in_plain_words(client):
    page = text(client.get("/"))
    assert 'name="location"' in page
    assert "Partial hospitalization" in page and "Day treatment most of the day" in page
    assert "Not sure? Leave these empty" in page
    assert "I also have a mental-health condition" in page
    assert "Motivational interviewing" in page and "Medication-assisted treatment" in page
    assert 'name="require" value="care_level" checked' in page  # sensible default must-have


def test_search_shows_ranked_explained_results_with_call_links(client, listings):
    page = text(client.get("/search", query_string={"location": "80202", "radius": "25",
                                                    "care_level": "outpatient",
                                                    "require": ["", "care_level"]}))  # fmt: skip
    assert "places have all your must-haves near Denver, CO 80202" in page
    first = page.index("Downtown Outpatient")
    assert first < page.index("Cedar Ridge Demo")
    assert "Offers outpatient" in page and "(must-have)" in page
    assert 'href="tel:+1-303-555-0100"' in page
    assert "Accepting new clients · about 3 days wait" in page
    assert "Aurora Detox" not in page  # a must-have is unmet: not a result, and 3 results fit


def test_demo_listings_are_marked_as_demo_wherever_shown(client, listings):
    results = text(client.get("/search?location=80202&radius=10"))
    assert "Demo data — fictional" in results
    provider = text(client.get(f"/providers/{listings['demo'].id}"))
    assert "It is not a real treatment provider" in provider


def test_unknown_information_is_shown_as_call_to_confirm(client, listings):
    page = text(client.get("/search?location=80010&radius=5&payment=medicaid&require="))
    assert "Call to confirm" in page
    assert "Payment not reported — call to confirm" in page


def test_few_results_come_with_closest_alternatives_and_what_they_lack(client, listings):
    page = text(client.get("/search?location=80202&radius=30&care_level=residential"))
    assert "No place near Denver, CO 80202 fits every must-have" in page
    assert "Closest alternatives" in page
    lacks = re.search(r"Lacks:(</strong>)?\s*(Residential|within 30 miles)", page)
    assert lacks, "what an alternative lacks, in the words of the search"
    assert "Search wider" in page


def test_sort_by_distance_and_pagination_keep_the_query(client, listings):
    page = text(client.get("/search?location=80202&radius=30&per_page=1&sort=distance"))
    assert "Page 1 of 4" in page
    next_link = re.search(r'href="([^"]+)" rel="next"', page).group(1)
    assert "location=80202" in next_link and "sort=distance" in next_link and "page=2" in next_link


def test_markup_in_a_listing_is_shown_as_text(client, listings):
    page = text(client.get("/search?location=80204&radius=5"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Clinic" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a ZIP code, a city and state, or an address."),
        ("location=Xyzzyville%2C+QQ", "We could not find"),
        ("location=80202&care_level=spa", "is not a valid choice"),
        ("location=80202&radius=-3", "The distance must be a number of miles greater than 0"),
        ("location=80202&radius=lots", "The distance must be a number of miles greater than 0"),
        ("location=" + "x" * 300, "Use at most 200 characters."),
        ("location=80202&require=astrology", "is not a valid choice"),
        ("location=80202&page=zero", "page must be a whole number"),
    ],
)
def test_bad_searches_get_a_400_with_the_error_next_to_the_field(client, listings, query, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'role="alert"' in page
    assert 'name="location"' in page  # the form is there to fix it, with what was typed


def test_provider_page_groups_everything_and_shows_unknowns(client, listings):
    page = text(client.get(f"/providers/{listings['aurora'].id}"))
    assert "Aurora Detox" in page
    assert "Detox" in page and "Buprenorphine" in page
    assert "Not reported — call to ask" in page  # payment has no data
    assert "Where it is" in page and "<svg" in page
    assert "Report a problem with this listing" in page


def test_unknown_provider_is_a_friendly_404(client):
    response = client.get("/providers/does-not-exist")
    assert response.status_code == 404
    assert "We could not find that page" in text(response)


def test_public_pages_set_no_cookies(client, listings):
    for path in ("/", "/search?location=80202", f"/providers/{listings['downtown'].id}",
                 "/search?location=nowhere-at-all"):  # fmt: skip
        assert "Set-Cookie" not in client.get(path).headers, path


def test_public_pages_request_nothing_from_other_origins(client, listings):
    for path in ("/", "/search?location=80202", f"/providers/{listings['downtown'].id}"):
        page = text(client.get(path))
        # Only a link the person taps may leave the site ("Directions" to their maps app).
        outside = re.findall(r'<(\w+)([^>]*?)(?:src|href)="(?:https?:)?//', page)
        assert all(tag == "a" and "directions" in attrs for tag, attrs in outside), path
        assert "<script>" not in page and " style=" not in page  # CSP: no inline script/style


def test_a_page_weighs_at_most_100_kb_with_its_css_and_scripts(client, listings):
    page = client.get("/search?location=80202&radius=25").get_data()
    assets = re.findall(rb'(?:href|src)="/static/([^"?]+)', page)
    weight = len(page) + sum((STATIC / asset.decode()).stat().st_size for asset in set(assets))
    assert weight <= 100_000, weight


def test_the_results_page_takes_the_apis_comma_separated_parameters(client, listings):
    response = client.get(
        "/search?location=80202&care_level=detox,outpatient"
        "&require=care_level,service_type&service_type=substance_use"
    )
    assert response.status_code == 200
    assert "Aurora Detox" in text(response) and "Downtown Outpatient" in text(response)


def test_every_page_links_to_the_provider_area_partners_and_api_docs(client):
    page = text(client.get("/?lang=es"))
    for href in ('href="/provider/?lang=es"', 'href="/partners?lang=es"', 'href="/api"'):
        assert href in page


def test_the_api_documentation_page_renders_docs_api_md(client):
    page = text(client.get("/api"))
    assert "<h2><code>GET /api/v1/match</code></h2>" in page
    assert "points earned over the points possible" in page
    assert "<table>" in page


def test_a_place_not_found_is_explained_in_spanish(client):
    page = text(client.get("/search?location=Xyzzyville&lang=ES"))
    assert '<html lang="es">' in page
    assert "We could not find" not in page and "Xyzzyville" in page


def test_when_nothing_fits_even_nearby_the_page_offers_wider_searches(client, listings):
    page = text(client.get("/search?location=Billings%2C+MT&radius=25&care_level=detox"
                           "&medication=methadone&require=care_level,medication"))  # fmt: skip
    assert "Search wider" in page
    assert "radius=100" in page and "radius=5000" in page
    wider = re.search(r'href="([^"]*radius=5000[^"]*)"', page).group(1).replace("&amp;", "&")
    anywhere = text(client.get(wider))
    assert "Aurora Detox" in anywhere  # the one detox place, far away, as an alternative


def test_every_therapy_the_api_takes_is_a_box_on_the_search_form(client, listings):
    response = client.get("/search?location=80202&therapy=individual,twelve_step")
    assert response.status_code == 200, text(response)
    page = text(response)
    assert "not a valid choice" not in page.lower()
    for code in ("individual", "twelve_step"):
        assert re.search(rf'<input[^>]*value="{code}"[^>]*checked', page), code
