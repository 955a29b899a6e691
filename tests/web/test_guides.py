"""The plain guides and the guided check under /guide/, in English and Spanish, without cookies."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.guides.pages import SLUGS


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_guide_names_its_sources_and_review_date_with_crisis_lines(client, language):
    index = text(client.get("/guide/", query_string={"lang": language}))
    for slug in SLUGS:
        assert f"/guide/{slug}" in index
        response = client.get(f"/guide/{slug}", query_string={"lang": language})
        page = text(response)
        assert response.status_code == 200
        assert len(re.findall(r'<li><a href="https://', page)) >= 2, slug
        assert ("Last reviewed" if language == "en" else "Revisado por última vez") in page
        assert 'href="tel:988"' in page and "1-800-662-4357" in page
        assert "cure" not in page.lower().replace("promise a cure", "")


def test_cards_words_link_to_the_heading_that_explains_them(client):
    page = text(client.get("/guide/care-levels"))
    for code in (
        "detox",
        "inpatient",
        "residential",
        "php",
        "iop",
        "outpatient",
        "recovery_housing",
    ):
        assert f'id="{code}"' in page
    therapies = text(client.get("/guide/therapies"))
    for code in ("cbt", "dbt", "mi", "family", "mat", "contingency_management", "trauma"):
        assert f'id="{code}"' in therapies
    medications = text(client.get("/guide/medications"))
    assert (
        "Suboxone" in medications and "Vivitrol" in medications and 'id="methadone"' in medications
    )


def test_spanish_guides_link_to_spanish_guides(client):
    page = text(client.get("/guide/families", query_string={"lang": "es"}))
    assert "Para familiares y amigos" in page
    assert 'href="/guide/care-levels?lang=es"' in page
    assert text(client.get("/guide/ketamine", query_string={"lang": "es"})).count("vejiga") >= 2


def test_an_unknown_guide_is_a_404(client):
    assert client.get("/guide/nope").status_code == 404


def follow(client, url, **answers):
    return client.get(url, query_string=answers)


def test_the_check_step_by_step_ends_in_a_suggestion_that_opens_the_search(client):
    first = client.get("/guide/start")
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    assert "Step 1 of 7" in text(first)
    response = client.get("/guide/start", query_string=[
        ("step", "7"), ("for", "other"), ("age", "under_18"), ("concern", "cannabis"),
        ("drugs", "weekly"), ("danger", "none"), ("home", "safe_alone"), ("mental_health", "yes"),
        ("payment", "medicaid"), ("language", "es"), ("location", "Tucson, AZ")])  # fmt: skip
    page = text(response)
    assert "Set-Cookie" not in response.headers
    assert "Intensive outpatient" in page
    assert "not a diagnosis" in page
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', page))
    assert hidden == {
        "care_level": "iop",
        "service_type": "substance_use",
        "co_occurring": "true",
        "age_group": "adolescents",
        "payment": "medicaid",
        "language": "es",
    }
    assert 'value="Tucson, AZ"' in page
    assert "/guide/questions-to-ask" in page


def test_each_step_carries_the_earlier_answers_and_can_be_skipped(client):
    page = text(client.get("/guide/start", query_string={"step": "2", "concern": "alcohol"}))
    assert '<input type="hidden" name="concern" value="alcohol">' in page
    assert 'name="skip" value="use"' in page
    back = re.search(r'<a href="([^"]+)">Back</a>', page).group(1)
    assert parse_qs(urlsplit(back.replace("&amp;", "&")).query)["concern"] == ["alcohol"]
    skipped = text(
        client.get(
            "/guide/start",
            query_string={"step": "3", "concern": "alcohol", "drinking": "daily", "skip": "use"},
        )
    )
    assert 'name="drinking"' not in skipped.split("<form")[1].split('type="radio"')[0]


def test_danger_signs_go_straight_to_911(client):
    page = text(client.get("/guide/start", query_string={"step": "4", "danger": "breathing"}))
    assert "Call 911 now" in page and 'href="tel:911"' in page
    assert "naloxone" in page


def test_the_check_in_spanish(client):
    page = text(client.get("/guide/start", query_string={"lang": "es"}))
    assert "¿Para quién es?" in page and "Paso 1 de 7" in page
    assert '<input type="hidden" name="lang" value="es">' in page
    # "Alcohol" is also a detox_for label, lower case in Spanish for sentences ("detox for ..."):
    # as a choice it starts with a capital, like the search form's choices.
    what = text(client.get("/guide/start", query_string={"lang": "es", "step": "1"}))
    assert "<span>Alcohol</span>" in what and "<span>alcohol</span>" not in what


def test_the_search_form_links_to_the_check_and_guides(client):
    page = text(client.get("/"))
    assert 'href="/guide/start"' in page and 'href="/guide/"' in page
    assert 'name="q"' in page
