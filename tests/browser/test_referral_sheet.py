"""Acting on results in Chromium: the printed referral sheet, the Call and Directions buttons."""

from __future__ import annotations

import re

import pytest

from directory.extensions import db
from tests.browser.conftest import axe_check
from tests.factories import make_listing

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def hazard_places(live_app):
    """Seven places around Hazard, KY, with long names, programs and extensions."""
    with live_app.app_context():
        for number in range(7):
            make_listing("41701", name=f"Kentucky River Community Care Center {number}",
                         program_name="Adult Outpatient and Medication Assisted Treatment",
                         street=f"{100 + number * 300} Morton Boulevard",
                         phone=f"606-436-57{number:02d} x40{number}",
                         payments=["medicaid", "self_pay", "private_insurance"],
                         therapies=["cbt", "mi", "mat"], accepting_new_clients=True)  # fmt: skip
        db.session.commit()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_seven_results_print_on_at_most_two_pages_with_addresses_and_the_date(
    page, hazard_places, lang
):
    page.goto(f"/search?location=41701&radius=10&lang={lang}")
    assert page.locator("ol.results > li").count() == 7
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".results-map-section").is_visible()
    footer = page.locator("main .print-only")
    assert footer.is_visible() and "/search?location=41701" in footer.inner_text()
    sheet = page.locator("main").inner_text()
    assert "Morton Boulevard, Hazard, KY 41701" in sheet and "606-436-5700 ext. 400" in sheet
    for paper in ("Letter", "A4"):
        assert _pages(page.pdf(format=paper)) <= 2, paper


def test_on_a_phone_call_and_directions_are_big_buttons(page, hazard_places):
    page.set_viewport_size(PHONE)
    page.goto("/search?location=41701&radius=10")
    card = page.locator("ol.results > li").first
    call = card.get_by_role("link", name=re.compile(r"^Call 606-436-57\d\d ext\. 40\d$"))
    assert call.get_attribute("href").startswith("tel:+1-606-436-57")
    directions = card.get_by_role("link", name=re.compile("^Directions to "))
    for button in (call, directions):
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    assert directions.get_attribute("href").startswith("https://www.openstreetmap.org/")
    axe_check(page)


def test_a_short_link_to_the_results_can_be_copied(browser, live_server, hazard_places):
    context = browser.new_context(
        base_url=live_server, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_label("Where are you?").fill("Hazard, KY")
        page.get_by_role("button", name="Find treatment").click()
        page.wait_for_url("**/search?**")
        link = page.get_by_label("Link to these results, to send or keep").input_value()
        assert "location=Hazard%2C+KY" in link
        assert not re.search(r"[?&](care_level|payment|medication|page)=(&|$)", link), link
        assert "=&" not in page.url and not page.url.endswith("=")  # the address bar too
        page.get_by_role("button", name="Copy link").click()
        page.get_by_text("Link copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == link
        page.goto(link.replace(link.split("/search")[0], live_server))  # the link works
        assert page.get_by_text("Kentucky River Community Care Center").first.is_visible()
        axe_check(page)
    finally:
        context.close()
