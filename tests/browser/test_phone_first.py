"""The results page on a phone's first screen (390×844): the first result's name and its Call
button without scrolling, and "Change your search" opening a form whose button is within one
screen, in English and Spanish, with or without JavaScript, axe-clean."""

from __future__ import annotations

import pytest

from directory.extensions import db
from tests.browser.conftest import axe_check
from tests.factories import make_listing

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREEN = PHONE["height"]
SEARCHES = [
    "/search?location=Denver%2C+CO",
    # a must-have and a need from the long groups: a longer summary, and the groups chosen
    "/search?location=Denver%2C+CO&care_level=outpatient&require=care_level&payment=medicaid",
]
CHANGE = {"en": "Change your search", "es": "Cambiar su búsqueda"}
FIND = {"en": "Find treatment", "es": "Buscar tratamiento"}


@pytest.fixture(scope="module")
def denver(live_app):
    with live_app.app_context():
        for zip_code, name in [
            ("80202", "Union Station Outpatient Services of Colorado"),
            ("80203", "Speer Boulevard Counseling"),
            ("80205", "Five Points Community Recovery Center"),
        ]:
            make_listing(
                zip_code,
                name=name,
                program_name="Adult Outpatient Program",
                payments=["medicaid", "self_pay"],
                accepting_new_clients=True,
            )
        db.session.commit()


def _box(locator) -> dict:
    locator.wait_for(state="visible")
    return locator.bounding_box()


def _inside_first_screen(page, locator) -> None:
    assert page.evaluate("window.scrollY") == 0
    box = _box(locator)
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN, (locator, box)


def _check_first_screen_and_change_form(page, lang: str) -> None:
    for search in SEARCHES:
        page.goto(f"{search}&lang={lang}")
        card = page.locator("ol.results > li").first
        _inside_first_screen(page, card.locator("h3 a"))
        _inside_first_screen(page, card.locator("a.call"))
        _inside_first_screen(page, page.locator(".crisis-lines"))  # still on every page
        change = page.locator("#change-search > summary")
        assert change.inner_text() == CHANGE[lang]
        top = _box(change)["y"]
        change.click()
        button = page.locator("#change-search").get_by_role("button", name=FIND[lang]).first
        box = _box(button)
        assert box["y"] + box["height"] - top <= SCREEN, (search, top, box)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_first_result_and_its_call_button_are_on_the_first_phone_screen(page, denver, lang):
    page.set_viewport_size(PHONE)
    _check_first_screen_and_change_form(page, lang)
    axe_check(page)  # with the search form open
    # The sort explanation is still there, under the results.
    assert page.locator("ol.results ~ .sort-note").count() == 1


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_same_without_javascript(browser, live_server, denver, lang):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    try:
        _check_first_screen_and_change_form(context.new_page(), lang)
    finally:
        context.close()


def test_the_short_form_searches_again_by_keyboard(page, denver):
    page.set_viewport_size(PHONE)
    page.goto(SEARCHES[1])
    page.locator("#change-search > summary").focus()
    page.keyboard.press("Enter")  # opens the details
    location = page.get_by_label("Where are you?")
    location.focus()
    location.fill("80203")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.textContent") == "Find treatment"
    page.keyboard.press("Enter")
    page.wait_for_url("**location=80203**")
    # The choices in the closed groups were kept.
    assert "care_level=outpatient" in page.url and "payment=medicaid" in page.url
    page.locator("#change-search > summary").click()
    more = page.locator("#change-search summary", has_text="Treatment, payment")
    assert "(1 chosen)" in more.inner_text()
    assert page.locator("details.more").evaluate_all("all => all.every(d => !d.open)")
