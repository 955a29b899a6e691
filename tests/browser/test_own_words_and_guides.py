"""Say it in your own words, the guided check and the guides in a real Chromium at phone width,
in English and Spanish, axe clean; the check also works with JavaScript turned off (axe needs
JavaScript, so it checks the same pages in a page that has it)."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.search.words import understand_offline
from tests.browser.conftest import axe_check
from tests.factories import make_listing

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def tucson(live_app):
    understand_offline("warm up: rehab near Tucson")  # the gazetteer, once per process
    with live_app.app_context():
        make_listing(
            "85705",
            name="Desert Teen Residential",
            care_levels=["residential"],
            age_groups=["adolescents"],
            payments=["medicaid"],
            languages=["en", "es"],
        )
        make_listing("85716", name="Saguaro Sober Living", care_levels=["recovery_housing"])
        db.session.commit()  # fmt: skip


def test_a_sentence_typed_on_a_phone_shows_what_was_understood_as_removable_chips(page, tucson):
    page.set_viewport_size(PHONE)
    page.goto("/")
    axe_check(page)
    page.get_by_label("Say it in your own words").fill(
        "rehab for my son, he's 16, we have Medicaid, near Tucson"
    )
    page.get_by_role("button", name="Find treatment").click()
    page.wait_for_url("**/search?**")
    chips = page.locator(".understood .chip")
    assert chips.all_inner_texts()[:3] == ["Residential ×", "Adolescents ×", "Medicaid ×"]
    assert "Near Tucson, AZ" in chips.nth(3).inner_text()
    assert "Desert Teen Residential" in page.locator("ol.results").inner_text()
    axe_check(page)
    page.get_by_role("link", name="Remove Adolescents").click()
    page.wait_for_url("**care_level=residential**")
    assert "age_group" not in page.url and "q=" not in page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing wider than the phone"


def test_a_spanish_sentence_in_spanish(page, tucson):
    page.set_viewport_size(PHONE)
    page.goto("/?lang=es")
    page.get_by_label("Dígalo con sus propias palabras").fill(
        "rehabilitación para mi hijo de 16 años con Medicaid en Tucson, que hablen español"
    )
    page.get_by_role("button", name="Buscar tratamiento").click()
    page.wait_for_url("**/search?**")
    understood = page.locator(".understood").inner_text()
    assert "Entendimos:" in understood and "Español" in understood and "Adolescentes" in understood
    axe_check(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_guided_check_without_javascript_ends_in_a_search(browser, live_server, tucson,
                                                             language):  # fmt: skip
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  viewport=PHONE)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/guide/start?lang={language}")
    english = language == "en"
    page.get_by_label("For someone else" if english else "Para otra persona").check()
    page.get_by_label("Under 18" if english else "Menos de 18").check()
    page.get_by_role("button", name="Next" if english else "Siguiente").click()
    page.get_by_label("Cannabis (marijuana)" if english else "Cannabis (marihuana)").check()
    for _ in range(5):  # use, safety, home, mind: left unanswered
        page.get_by_role("button", name="Next" if english else "Siguiente").click()
    page.get_by_role(
        "button", name="Skip this question" if english else "Saltar esta pregunta"
    ).click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == ("Start with an assessment" if english else "Empezar con una evaluación")
    page.get_by_label("Where should we look?" if english else "¿Dónde buscamos?").fill("Tucson, AZ")
    page.get_by_role("button", name="Show places" if english else "Mostrar lugares").click()
    assert "age_group=adolescents" in page.url and "service_type=substance_use" in page.url
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_check_pages_are_accessible(page, language):
    page.set_viewport_size(PHONE)
    for query in ("", "step=3&concern=alcohol", "step=7&concern=alcohol&drinking=daily",
                  "step=4&danger=seizure"):  # fmt: skip
        page.goto(f"/guide/start?lang={language}&{query}")
        axe_check(page)


def test_the_guides_read_well_on_a_phone(page):
    page.set_viewport_size(PHONE)
    for path in (
        "/guide/",
        "/guide/care-levels",
        "/guide/questions-to-ask?lang=es",
        "/guide/ketamine",
    ):
        page.goto(path)
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.emulate_media(media="print")
    page.goto("/guide/questions-to-ask")
    assert page.locator(".crisis").is_visible()  # the crisis lines print too
