"""The referral list in Chromium: ticked on the results, kept in the browser (not on the
server), compared side by side, printed on at most two pages for seven places, shared by
link and QR code, by keyboard, in English and Spanish, at phone and desktop widths."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from directory.extensions import db
from tests.browser.conftest import axe_check
from tests.factories import make_listing

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
EVERY_PAYMENT = [
    "self_pay",
    "medicaid",
    "medicare",
    "private_insurance",
    "military",
    "state_funded",
    "sliding_scale",
    "payment_assistance",
    "ihs_tribal",
    "free",
]
ZIPS = ["59801", "59802", "59803", "59804", "59808", "59801", "59802"]


@pytest.fixture(scope="module")
def missoula(live_app):
    """Seven places around Missoula, MT, with long names, two numbers and every payment."""
    with live_app.app_context():
        made = [
            make_listing(
                zip_code,
                name=f"Western Montana Mental Health and Recovery Center {n}",
                program_name="Adult Intensive Outpatient and Medication Assisted Program",
                street=f"{1200 + n * 10} South Higgins Avenue Suite {n}",
                phone=f"406-532-86{n:02d} x{300 + n}",
                intake_phone=f"406-532-87{n:02d}",
                care_levels=["detox", "residential", "iop", "outpatient"],
                payments=EVERY_PAYMENT,
                genders=["women"] if n % 2 else ["women", "men"],
                accepting_new_clients=True,
            )
            for n, zip_code in enumerate(ZIPS)
        ]
        db.session.commit()
        return [listing.id for listing in made]


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _tick_all(page) -> None:
    boxes = page.locator("ol.results .list-tick input")
    for index in range(boxes.count()):
        boxes.nth(index).check()


def test_ticked_places_make_a_list_kept_in_the_browser_only(page, missoula):
    page.goto("/search?location=Missoula, MT&radius=10")
    assert page.locator("ol.results .list-link").first.is_hidden()  # the script took over
    bar = page.locator(".list-bar")
    assert bar.is_hidden()
    _tick_all(page)
    assert bar.get_by_role("link").inner_text() == "Compare and print my list (7)"
    page.get_by_role("status").filter(has_text="Added to your list.").wait_for(state="attached")
    page.reload()  # the ticks are remembered by this browser
    assert page.locator("ol.results .list-tick input:checked").count() == 7
    bar.get_by_role("link").click()
    page.wait_for_url("**/list?**")
    assert re.search(r"/list\?ids=[0-9a-z,]+&location=Missoula%2C\+MT$", page.url), page.url
    assert set(page.url.split("ids=")[1].split("&")[0].split(",")) == set(missoula)
    assert page.locator("tbody tr").count() == 7
    assert page.context.cookies() == []  # nothing kept on the server, no cookie either
    # An address without ids opens the list this browser keeps.
    page.goto("/list")
    page.wait_for_url("**/list?ids=*")
    assert page.locator("tbody tr").count() == 7
    page.get_by_role("link", name="Empty the list").click()
    page.goto("/search?location=Missoula, MT&radius=10")
    assert page.locator(".list-tick input:checked").count() == 0 and bar.is_hidden()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_seven_places_print_as_one_referral_sheet_of_at_most_two_pages(page, missoula, lang):
    page.goto(f"/list?ids={','.join(missoula)}&location=59801&lang={lang}")
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".list-place", ".share-link", ".list-remove"):
        assert page.locator(chrome).first.is_hidden(), chrome
    sheet = page.locator("main").inner_text()
    for listing_number in range(7):
        assert f"Western Montana Mental Health and Recovery Center {listing_number}" in sheet
    assert "1200 South Higgins Avenue Suite 0, Missoula, MT 59801" in sheet
    assert "406-532-8600 ext. 300" in sheet and "406-532-8700" in sheet
    footer = page.locator(".sheet-footer")
    assert footer.is_visible() and f"/list?ids={missoula[0]}," in footer.inner_text()
    assert ("2026" in footer.inner_text()) or re.search(r"\b20\d\d\b", footer.inner_text())
    qr = footer.locator("svg.qr-code")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 80  # 24 mm: a phone can scan it
    for paper in ("Letter", "A4"):
        assert _pages(page.pdf(format=paper)) <= 2, paper
    axe_check(page)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_list_passes_axe_at_phone_and_desktop_widths(page, missoula, lang, size):
    page.set_viewport_size(size)
    page.goto(f"/list?ids={','.join(missoula[:3])},nothing&location=59801&lang={lang}")
    assert page.locator("tbody tr").count() == 3
    assert page.locator(".list-problems").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"]  # the table scrolls in its own region, not the page
    axe_check(page)
    page.goto(f"/search?location=59801&radius=10&lang={lang}")
    page.locator(".list-tick input").first.check()
    axe_check(page)


def test_the_list_is_made_compared_and_changed_by_keyboard(page, missoula):
    page.goto("/search?location=59801&radius=10")
    first = page.locator(".list-tick input").first
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    page.locator(".list-tick input").nth(1).focus()
    page.keyboard.press("Space")
    link = page.locator(".list-bar a")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/list?**")
    assert page.locator("tbody tr").count() == 2
    page.locator(".compare").focus()  # the table's region scrolls with the arrow keys
    page.keyboard.press("ArrowRight")
    remove = page.get_by_role("link", name=re.compile("^Remove Western Montana")).first
    remove.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("tbody tr").count() == 1
    page.get_by_role("button", name="Print the list").wait_for()
    assert page.evaluate("JSON.parse(localStorage.getItem('treatment-directory:list')).length") == 1


def test_without_javascript_each_result_links_to_its_referral_sheet(browser, live_server, missoula):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/search?location=59801&radius=10")
        card = page.locator("ol.results > li").first
        assert card.locator(".list-tick").is_hidden()
        card.get_by_role("link", name=re.compile("^Referral sheet for ")).click()
        page.wait_for_url("**/list?ids=*")
        assert page.locator("tbody tr").count() == 1
        assert page.get_by_role("button", name="Print the list").is_hidden()
        assert page.locator("svg.qr-code").first.is_visible()  # the link to scan is on screen
    finally:
        context.close()


def test_a_provider_page_prints_without_site_chrome_and_with_its_link(page, missoula):
    page.goto(f"/providers/{missoula[0]}")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".provenance-section").is_hidden()
    footer = page.locator(".sheet-footer")
    assert footer.is_visible() and f"/providers/{missoula[0]}" in footer.inner_text()
    assert footer.locator("svg.qr-code").is_visible()
    assert _pages(page.pdf(format="Letter")) <= 2
    axe_check(page)
