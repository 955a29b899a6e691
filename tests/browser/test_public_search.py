"""A person searching in a real Chromium: typing, results with reasons, language, keyboard,
small screens and accessibility, with no request leaving the site."""

from __future__ import annotations

import pytest

from directory.extensions import db
from tests.browser.conftest import axe_check
from tests.factories import make_listing

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def providers(live_app):
    """A handful of Denver-area listings in the live server's database."""
    with live_app.app_context():
        made = [
            make_listing("80202", name="Capitol Hill Outpatient", accepting_new_clients=True,
                         payments=["medicaid", "self_pay"], therapies=["cbt", "mi"]),
            make_listing("80205", name="Five Points Recovery", care_levels=["outpatient", "iop"],
                         medications=["buprenorphine"], therapies=["cbt", "mat"]),
            make_listing("80010", name="Aurora Residential", care_levels=["residential"],
                         payments=None),
        ]  # fmt: skip
        ids = [listing.id for listing in made]
        db.session.commit()
    return ids


def search_denver(page):
    page.goto("/")
    page.get_by_label("Where are you?").fill("Denver, CO")
    page.get_by_role("checkbox", name="Outpatient Regular appointments").check()
    page.get_by_role("button", name="Find treatment").click()
    page.wait_for_url("**/search?**")


def test_a_person_types_a_place_and_gets_explained_results(page, providers):
    search_denver(page)
    assert "location=Denver%2C+CO" in page.url and "care_level=outpatient" in page.url
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "have all your must-haves near Denver, CO" in heading
    results = page.locator("ol.results > li")
    assert "Offers outpatient" in results.first.inner_text()
    capitol = results.filter(has_text="Capitol Hill Outpatient")
    assert capitol.get_by_role("link", name="Call 303-555-0100").get_attribute("href") == (
        "tel:+1-303-555-0100"
    )
    assert "Aurora Residential" not in page.locator("ol.results").inner_text()
    page.go_back()
    assert page.get_by_label("Where are you?").input_value() == "Denver, CO"


def test_the_result_links_to_a_provider_page_with_a_map(page, providers):
    search_denver(page)
    page.get_by_role("link", name="Capitol Hill Outpatient").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Capitol Hill Outpatient"
    assert page.locator("figure.map > svg").count() == 1


def test_the_language_switch_gives_the_same_page_in_spanish(page, providers):
    search_denver(page)
    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "lang=es" in page.url and "care_level=outpatient" in page.url
    assert "Necesita ayuda" in page.locator(".crisis").inner_text()


def test_the_form_works_by_keyboard_alone_with_a_visible_focus(page, providers):
    page.goto("/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "location":
            break
    assert page.evaluate("document.activeElement.name") == "location"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type("80202")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")
    assert page.locator("ol.results > li").count() >= 2


def test_form_errors_are_announced_and_focused(page, providers):
    page.goto("/")
    page.get_by_role("button", name="Find treatment").click()
    page.wait_for_url("**/search?**")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Enter a ZIP code" in summary.inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_public_page_passes_axe(page, providers, viewport, lang):
    page.set_viewport_size(viewport)
    paths = ["/", "/search?location=Denver%2C+CO&care_level=outpatient",
             "/search?location=80202&radius=5&care_level=detox", f"/providers/{providers[0]}",
             "/search?location=", "/no-such-page", "/partners", "/api", "/provider/",
             f"/provider/?listing={providers[0]}",
             f"/providers/{providers[0]}/report"]  # fmt: skip
    for path in paths:
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        axe_check(page)


def test_pages_fit_a_360_pixel_screen_and_200_percent_zoom(page, providers):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/search?location=80202", f"/providers/{providers[0]}"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.set_viewport_size({"width": 640, "height": 800})
    page.goto("/search?location=80202")
    page.evaluate("document.body.style.zoom = '200%'")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_caller_says_the_number_did_not_work_in_three_taps(page, providers, viewport):
    page.set_viewport_size(viewport)
    search_denver(page)
    card = page.locator("ol.results > li").filter(has_text="Five Points Recovery")
    card.get_by_text("Did you reach them?").click()  # 1
    axe_check(page)
    card.get_by_role("button", name="The number did not work").click()  # 2
    assert "Thank you. Your answer helps the next person who calls." in page.content()
    assert page.context.cookies() == []
    axe_check(page)
    page.get_by_role("link", name="Back to Five Points Recovery").click()  # 3: back to it
    assert page.get_by_role("heading", level=1).inner_text() == "Five Points Recovery"


def test_use_my_location_searches_from_the_position_rounded_to_about_a_kilometre(
    browser, live_server, providers
):
    context = browser.new_context(
        base_url=live_server,
        geolocation={"latitude": 39.74912, "longitude": -104.98765},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url("**/search?**")
        assert "lat=39.75" in page.url and "lon=-104.99" in page.url  # two decimals, no more
        assert "39.749" not in page.url
        assert page.get_by_text("Capitol Hill Outpatient").first.is_visible()
    finally:
        context.close()


def test_use_my_location_refused_says_to_type_a_place(browser, live_server, providers):
    context = browser.new_context(base_url=live_server)  # the permission is not granted
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("button", name="Use my location").click()
        status = page.locator(".use-location-status")
        status.get_by_text("Your location is not available").wait_for()
        assert page.url.rstrip("/") == live_server.rstrip("/")  # nothing was sent
        assert page.evaluate("document.activeElement.name") == "location"
    finally:
        context.close()
