"""Say it in your own words on the results page, the API and the widget: what was understood is
shown (removable), what was not is said, and the sentence searches like the form would."""

from __future__ import annotations

import html
import re

import pytest

from tests.factories import make_listing


@pytest.fixture
def tucson(db):
    made = {
        "teen_rehab": make_listing("85705", name="Desert Teen Residential",
                                   care_levels=["residential"], age_groups=["adolescents"],
                                   payments=["medicaid"]),
        "adult_rehab": make_listing("85716", name="Saguaro Adult Residential",
                                    care_levels=["residential"], payments=["private_insurance"]),
        "sober": make_listing("85719", name="Catalina Sober Living",
                              care_levels=["recovery_housing"]),
        "bupe": make_listing("85701", name="Tucson Bupe Clinic", medications=["buprenorphine"],
                             therapies=["mat"]),
    }  # fmt: skip
    db.session.commit()
    return made


def text(response) -> str:
    return response.get_data(as_text=True)


def chips(page: str) -> list[str]:
    found = re.findall(r'<li class="chip">(.*?)(?: <span| <a|</li>)', page)
    return [html.unescape(chip) for chip in found]


def test_a_sentence_searches_and_the_page_shows_what_was_understood(client, tucson):
    response = client.get(
        "/search", query_string={"q": "rehab for my son, he's 16, we have Medicaid, near Tucson"}
    )
    page = text(response)
    assert response.status_code == 200
    assert chips(page) == ["Residential", "Adolescents", "Medicaid", "Near Tucson, AZ"]
    assert page.index("Desert Teen Residential") < page.index("Saguaro Adult Residential")
    results = page.split("Closest alternatives")[0]
    assert "Catalina Sober Living" not in results  # residential is a must-have, as on the form
    assert 'href="#change-search"' in page and 'id="change-search"' in page


def test_removing_a_chip_keeps_the_rest_of_the_search(client, tucson):
    page = text(client.get("/search", query_string={"q": "sober living near Tucson, Medicaid"}))
    removes = re.findall(r'href="([^"]+)" aria-label="Remove ([^"]+)"', page)
    link = html.unescape(next(url for url, label in removes if label == "Medicaid"))
    assert "q=" not in link and "payment" not in link
    assert "care_level=recovery_housing" in link and "location=Tucson" in link
    after = text(client.get(link))
    assert "Catalina Sober Living" in after
    assert "We understood" not in after  # an ordinary search now


def test_words_not_understood_are_said_and_misspellings_are_shown(client, tucson):
    page = text(client.get("/search", query_string={"q": "suboxen near Tucson, wrecking ball"}))
    assert chips(page) == ["Buprenorphine", "Near Tucson, AZ"]
    assert "you typed “suboxen”" in page
    assert "We did not use these words: “wrecking ball”" in page
    assert page.index("Tucson Bupe Clinic") < page.index("Desert Teen Residential")


def test_explicit_choices_and_the_sentence_are_searched_together(client, tucson):
    response = client.get("/search", query_string={"q": "Medicaid", "location": "85705",
                                                   "care_level": "residential"})  # fmt: skip
    page = text(response)
    assert chips(page) == ["Medicaid"]
    assert "Desert Teen Residential" in page
    assert "Catalina Sober Living" not in page.split("Closest alternatives")[0]


def test_a_sentence_without_a_place_asks_for_one_and_keeps_what_was_understood(client, tucson):
    response = client.get("/search", query_string={"q": "detox for alcohol near me"})
    page = text(response)
    assert response.status_code == 400
    assert "Enter a ZIP code, a city and state, or an address." in page
    assert "We understood:" in page and "Detox" in page
    assert "We do not know where you are" in page


def test_words_of_danger_put_the_crisis_lines_first(client, tucson):
    page = text(
        client.get("/search", query_string={"q": "my son is suicidal and drinking, Tucson"})
    )
    assert page.index("If someone is in danger now, call 911.") < page.index("We understood:")
    assert 'href="tel:988"' in page


def test_spanish_sentence_in_spanish_page(client, db):
    make_listing("78501", name="Clínica del Valle", languages=["en", "es"],
                 service_types=["substance_use"])  # fmt: skip
    make_listing("78503", name="English Only Center", languages=["en"])
    db.session.commit()
    page = text(client.get("/search", query_string={
        "q": "tratamiento para el alcohol en español cerca de 78501", "lang": "es"}))  # fmt: skip
    assert "Entendimos:" in page
    assert chips(page)[:2] == ["Uso de sustancias", "Español"]
    assert page.index("Clínica del Valle") < page.index("English Only Center")


def test_the_api_says_what_the_words_became(client, tucson):
    response = client.get(
        "/api/v1/match", query_string={"q": "suboxen in Tucson, must take medicad"}
    )
    body = response.get_json()
    assert response.status_code == 200
    understood = body["understood"]
    assert understood["parameters"] == {
        "location": ["Tucson, AZ"],
        "medication": ["buprenorphine"],
        "payment": ["medicaid"],
    }
    assert understood["require"] == ["payment"]
    assert {"typed": "suboxen", "read_as": "suboxone"} in understood["corrections"]
    assert understood["not_understood"] == []
    assert body["origin"]["label"] == "Tucson, AZ"
    assert all(c["status"] != "unmet" for r in body["results"] for c in r["criteria"]
               if c["criterion"] == "payment")  # fmt: skip
    plain = client.get("/api/v1/match", query_string={"location": "Tucson, AZ"}).get_json()
    assert "understood" not in plain


def test_the_api_without_a_place_in_the_words_says_what_to_fix(client, tucson):
    response = client.get("/api/v1/match", query_string={"q": "rehab"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "missing_location"


def test_nothing_typed_is_logged(client, tucson, caplog):
    client.get("/search", query_string={"q": "ketamine is wrecking my bladder, Tucson"})
    client.get("/api/v1/match", query_string={"q": "ketamine is wrecking my bladder, Tucson"})
    assert "bladder" not in caplog.text


def test_each_level_and_medication_on_a_card_links_to_its_plain_explanation(client, tucson):
    page = text(client.get("/search", query_string={"q": "suboxone rehab near Tucson"}))
    assert (
        '<a class="guide-link" href="/guide/care-levels#residential">About residential</a>' in page
    )
    assert 'href="/guide/medications#buprenorphine">About buprenorphine</a>' in page
    listing = tucson["teen_rehab"]
    provider = text(client.get(f"/providers/{listing.id}", query_string={"lang": "es"}))
    assert 'href="/guide/care-levels?lang=es#residential">Tratamiento residencial</a>' in provider


def test_detox_by_substance_support_and_operator_said_in_words_are_searched(client, db):
    """The families of issue 10 are searchable on this base: nothing said is "not searchable"."""
    make_listing("85705", name="Alcohol Detox VA", care_levels=["detox"], detox_for=["alcohol"],
                 supports=["peer_support"], operators=["veterans_affairs"])  # fmt: skip
    make_listing("85716", name="Opioid Detox Only", care_levels=["detox"], detox_for=["opioids"])
    db.session.commit()
    words = "detox for alcohol near Tucson with peer support at a va hospital"
    body = client.get("/api/v1/match", query_string={"q": words}).get_json()
    understood = body["understood"]
    assert understood["parameters"]["detox_for"] == ["alcohol"]
    assert understood["parameters"]["support"] == ["peer_support"]
    assert understood["parameters"]["operator"] == ["veterans_affairs"]
    assert understood["not_searchable"] == []
    first = body["results"][0]
    assert first["name"] == "Alcohol Detox VA"
    met = {c["criterion"] for c in first["criteria"] if c["status"] == "met"}
    assert {"detox_for", "support", "operator"} <= met
    page = text(client.get("/search", query_string={"q": words}))
    assert "We cannot search for this yet" not in page
    assert {"Alcohol", "Peer support", "Veterans Affairs"} <= set(chips(page))
    assert page.index("Alcohol Detox VA") < page.index("Opioid Detox Only")
