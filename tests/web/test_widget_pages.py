"""The widget: partners (origins, presets, keys, theme), /widget.js, the framed /widget page,
its framing rules, and every bad input (never a 5xx)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from directory.models import Partner
from directory.operations.partners import (
    InvalidPartner,
    PartnerError,
    PartnerValues,
    clean_presets,
    contrast_ratio,
    create_partner,
    normalize_origin,
    text_colour_on,
    update_partner,
)
from directory.search.presets import check_presets
from tests.factories import make_listing

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "https://health.example.org"


@pytest.fixture
def partner(db):
    made = create_partner(
        db.session,
        PartnerValues(
            name="County Health",
            allowed_origins=[ORIGIN, "http://localhost:8000"],
            presets={"care_level": ["outpatient"]},
            theme_color="#ffee00",
        ),
        check_presets,
    )
    db.session.commit()
    return made


@pytest.fixture
def listings(db):
    made = [
        make_listing("80202", name="Downtown Outpatient"),
        make_listing("80010", name="Aurora Detox", care_levels=["detox"]),
    ]
    db.session.commit()
    return made


def text(response) -> str:
    return response.get_data(as_text=True)


# --- partners ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://Health.Example.org", "https://health.example.org"),
        ("https://health.example.org/", "https://health.example.org"),
        ("https://health.example.org:443", "https://health.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("  http://localhost:5000 ", "http://localhost:5000"),
    ],
)
def test_origins_are_normalized(app, given, expected):
    with app.test_request_context():
        assert normalize_origin(given) == expected


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("https://*.example.org", "wildcards"),
        ("*", "wildcards"),
        ("https://example.org/page", "without a path"),
        ("https://example.org?x=1", "without a path"),
        ("https://user@example.org", "without a path"),
        ("ftp://example.org", "not a web origin"),
        ("example.org", "not a web origin"),
        ("javascript:alert(1)", "not a web origin"),
        ("https://exa mple.org", "valid host"),
        ("https://example.org;script-src", "valid host"),
        ("https://example.org:99999", "not a web origin"),
    ],
)
def test_bad_origins_are_refused_with_a_clear_message(app, given, words):
    with app.test_request_context(), pytest.raises(InvalidPartner) as caught:
        normalize_origin(given)
    assert words in caught.value.message


def test_a_partner_gets_a_random_url_safe_key_and_timestamps(db, partner):
    other = create_partner(
        db.session, PartnerValues(name="Blog", allowed_origins=[ORIGIN]), check_presets
    )
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", partner.public_key)
    assert partner.public_key != other.public_key
    assert partner.created_at and partner.updated_at and partner.enabled
    assert db.session.get(Partner, partner.id).allowed_origins == [ORIGIN, "http://localhost:8000"]


def test_presets_are_checked_like_search_parameters(app):
    with app.test_request_context():
        assert clean_presets(
            {"care_level": ["outpatient", " "], "radius": ["25"]}, check_presets
        ) == {
            "care_level": ["outpatient"],
            "radius": ["25"],
        }
        with pytest.raises(InvalidPartner) as caught:
            clean_presets({"care_level": ["spa"]}, check_presets)
        assert caught.value.field == "care_level" and "outpatient" in caught.value.message
        with pytest.raises(InvalidPartner) as caught:
            clean_presets({"colour": ["red"]}, check_presets)
        assert "cannot be preset" in caught.value.message
        with pytest.raises(InvalidPartner) as caught:
            clean_presets({"location": ["Nowhere Town, ZZ"]}, check_presets)
        assert caught.value.field == "location"


def test_saving_a_partner_reports_every_bad_field(app, db, partner):
    values = PartnerValues(name=" ", allowed_origins=["https://*.x.org"],
                           presets={"radius": ["-3"]}, theme_color="red",
                           default_language="fr")  # fmt: skip
    with app.test_request_context(), pytest.raises(PartnerError) as caught:
        update_partner(partner, values, check_presets)
    assert set(caught.value.errors) == {
        "name",
        "allowed_origins",
        "radius",
        "theme_color",
        "default_language",
    }


COLOURS = ["#ffffff", "#000000", "#777777", "#0b5d52", "#ffee00", "#ff0000", "#00ff00", "#0000ff"]


@pytest.mark.parametrize("colour", [*COLOURS, "#767676", "#959595"])
def test_text_on_the_theme_colour_always_has_enough_contrast(colour):
    assert contrast_ratio(colour, text_colour_on(colour)) >= 4.5


def test_text_contrast_holds_for_every_grey_and_many_colours():
    for value in range(0, 256, 3):
        grey = f"#{value:02x}{value:02x}{value:02x}"
        assert contrast_ratio(grey, text_colour_on(grey)) >= 4.5
    for red in range(0, 256, 51):
        for green in range(0, 256, 51):
            for blue in range(0, 256, 51):
                colour = f"#{red:02x}{green:02x}{blue:02x}"
                assert contrast_ratio(colour, text_colour_on(colour)) >= 4.5


def test_create_partner_command_prints_the_key_last(runner, db):
    result = runner.invoke(args=["create-partner", "County Health", "--origin", ORIGIN,
                                 "--origin", "http://localhost:8000"])  # fmt: skip
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    partner = db.session.query(Partner).filter_by(public_key=key).one()
    assert partner.name == "County Health"
    assert partner.allowed_origins == [ORIGIN, "http://localhost:8000"]


def test_create_partner_command_refuses_bad_origins_without_a_traceback(runner, db):
    result = runner.invoke(args=["create-partner", "Blog", "--origin", "https://*.blog.org"])
    assert result.exit_code != 0
    assert "wildcards are not allowed" in result.output
    assert "Traceback" not in result.output
    assert db.session.query(Partner).count() == 0
    missing = runner.invoke(args=["create-partner", "Blog"])
    assert missing.exit_code != 0 and "--origin" in missing.output


# --- /widget.js -------------------------------------------------------------------------


def test_widget_script_is_small_cached_and_loadable_from_any_site(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["Content-Type"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    assert len(gzip.compress(response.data, 9)) <= 5 * 1024


def test_widget_script_checks_message_origin_and_source():
    source = (ROOT / "static" / "js" / "widget.js").read_text()
    assert "event.origin !== directory" in source
    assert "event.source !== frame.contentWindow" in source
    assert "document.currentScript" in source
    frame = (ROOT / "static" / "js" / "widget-frame.js").read_text()
    assert not re.search(r"postMessage\([^)]*[\"']\*", frame)
    assert "}, parentOrigin);" in frame


# --- /widget ----------------------------------------------------------------------------


def test_widget_may_be_framed_only_by_the_partners_origins(client, partner):
    response = client.get("/widget", query_string={"partner": partner.public_key})
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["frame-ancestors"] == f"{ORIGIN} http://localhost:8000"
    assert "X-Frame-Options" not in response.headers
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/search?location=80202", "/partners", "/provider/login",
                                  "/widget.js", "/no-such-page"])  # fmt: skip
def test_every_other_page_still_denies_framing(client, partner, path):
    response = client.get(path)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_widget_searches_with_presets_and_links_results_with_the_partner_ref(
    client, partner, listings
):
    response = client.get("/widget", query_string={"partner": partner.public_key,
                                                   "location": "80202"})  # fmt: skip
    page = text(response)
    assert response.status_code == 200
    results = page.split("Closest alternatives")[0]
    assert "Downtown Outpatient" in results and "Aurora Detox" not in results  # preset
    link = re.search(r'href="([^"]*/providers/[^"]+)" target="_blank" rel="noopener"', page)
    assert link and f"ref={partner.public_key}" in link.group(1)
    assert 'href="tel:988"' in page and "1-800-662-4357" in page
    assert "Offers" in page or "Yes:" in page  # explained criteria


def test_a_misspelt_place_in_the_widget_offers_what_it_may_be(client, partner, listings):
    response = client.get("/widget", query_string={"partner": partner.public_key,
                                                   "location": "Sprngfld, MO"})  # fmt: skip
    page = text(response)
    assert response.status_code == 400
    assert "Did you mean:" in page
    link = re.search(r'<a href="([^"]+)">Springfield, MO</a>', page)
    assert link, "the suggestion is a link"
    followed = client.get(link.group(1).replace("&amp;", "&"))
    assert followed.status_code == 200  # the same widget (same partner), now searching
    assert "Did you mean:" not in text(followed)


def test_visitor_choices_win_over_presets(client, partner, listings):
    query = {"partner": partner.public_key, "location": "80202", "care_level": "detox"}
    results = text(client.get("/widget", query_string=query)).split("Closest alternatives")[0]
    assert "Aurora Detox" in results and "Downtown Outpatient" not in results
    # A submitted form with the box cleared: the preset does not come back.
    query = {"partner": partner.public_key, "location": "80202", "sent": "1"}
    results = text(client.get("/widget", query_string=query)).split("Closest alternatives")[0]
    assert "Aurora Detox" in results and "Downtown Outpatient" in results


def test_widget_speaks_the_partners_language_or_the_chosen_one(client, db, partner):
    partner.default_language = "es"
    db.session.commit()
    page = text(client.get("/widget", query_string={"partner": partner.public_key}))
    assert '<html lang="es"' in page
    page = text(client.get("/widget", query_string={"partner": partner.public_key, "lang": "en"}))
    assert '<html lang="en"' in page


def test_every_option_of_the_widget_and_the_partner_page_is_in_spanish(client, partner):
    widget = text(client.get("/widget", query_string={"partner": partner.public_key,
                                                     "lang": "es"}))  # fmt: skip
    partners = text(client.get("/partners?lang=es"))
    for page in (widget, partners):
        assert ">50 millas</option>" in page and ">Cualquier lugar del país</option>" in page
        assert "50 miles" not in page and "Anywhere in the country" not in page
    assert ">Uso de alcohol o drogas, o salud mental</option>" in widget
    assert ">Predeterminada (50 millas)</option>" in partners


def test_the_widget_puts_the_crisis_lines_before_the_search(client, partner):
    page = text(client.get("/widget", query_string={"partner": partner.public_key}))
    assert page.index('class="crisis"') < page.index("<form")


def test_parent_origin_is_used_only_when_the_partner_allows_it(client, partner):
    key = partner.public_key
    allowed = text(client.get("/widget", query_string={"partner": key, "origin": ORIGIN}))
    assert f'data-parent-origin="{ORIGIN}"' in allowed
    other = text(
        client.get("/widget", query_string={"partner": key, "origin": "https://evil.example"})
    )
    assert "data-parent-origin" not in other


def test_theme_stylesheet_carries_the_colour_and_readable_text(client, partner):
    page = text(client.get("/widget", query_string={"partner": partner.public_key}))
    assert "/widget/theme-ffee00.css" in page
    css = text(client.get("/widget/theme-ffee00.css"))
    assert "--brand: #ffee00" in css and "--on-brand: #000000" in css
    assert client.get("/widget/theme-zzzzzz.css").status_code == 404


@pytest.mark.parametrize("key", [None, "", "nope", "x" * 500, "<script>"])
def test_unknown_key_gets_a_short_friendly_404_that_cannot_be_framed(client, key):
    query = {} if key is None else {"partner": key}
    response = client.get("/widget", query_string=query)
    assert response.status_code == 404
    assert "This search is not available here right now" in text(response)
    assert "988" in text(response)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_disabled_partner_gets_the_friendly_404_inside_its_own_frame(client, db, partner):
    partner.enabled = False
    db.session.commit()
    response = client.get("/widget", query_string={"partner": partner.public_key,
                                                   "location": "80202"})  # fmt: skip
    assert response.status_code == 404
    assert "not available here" in text(response)
    assert (
        f"frame-ancestors {ORIGIN} http://localhost:8000"
        in response.headers["Content-Security-Policy"]
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"location": "80202", "care_level": "spa"}, "care_level has an unknown code"),
        ({"location": "80202", "radius": "-1"}, "The distance must be a number"),
        ({"location": "Nowhere Town, ZZ"}, ""),
        ({"location": "x" * 500}, "too long"),
        ({"location": "80202", "page": "abc"}, "page must be a whole number"),
        ({"sent": "1"}, "Say where to search"),
        ({"location": "80202", "telehealth": "perhaps"}, "telehealth must be true or false"),
    ],
)
def test_bad_search_input_is_a_clear_400_inside_the_widget(client, partner, listings, query,
                                                           message):  # fmt: skip
    response = client.get("/widget", query_string={"partner": partner.public_key, **query})
    assert response.status_code == 400
    page = text(response)
    assert "field-error" in page and message in page
    assert (
        "frame-ancestors https://health.example.org" in response.headers["Content-Security-Policy"]
    )


def test_stored_presets_that_became_invalid_are_a_400_not_a_5xx(client, db, partner):
    partner.presets = {"care_level": ["retired_code"]}
    db.session.commit()
    response = client.get("/widget", query_string={"partner": partner.public_key,
                                                   "location": "80202"})  # fmt: skip
    assert response.status_code == 400


def _page_weight(client, html: str) -> int:
    total = len(html.encode())
    for asset in re.findall(r'(?:href|src)="(/(?:static|widget)[^"]+\.(?:css|js))"', html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        total += len(response.data)
        response.close()
    return total


def test_widget_page_weight_is_at_most_50_kb(client, db, partner):
    for number in range(12):
        make_listing("80202", name=f"Outpatient Place {number}", therapies=["cbt", "mi"])
    db.session.commit()
    query = {"partner": partner.public_key, "location": "80202", "therapy": ["cbt", "mi"],
             "payment": "medicaid", "co_occurring": "yes"}  # fmt: skip
    response = client.get("/widget", query_string=query)
    assert response.status_code == 200
    assert text(response).count('class="card"') == 10
    assert _page_weight(client, text(response)) <= 50 * 1024


def test_widget_uses_no_third_party_resources(client, partner, listings):
    page = text(client.get("/widget", query_string={"partner": partner.public_key,
                                                    "location": "80202"}))  # fmt: skip
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    loaded = [s for s in sources if "stylesheet" in page and s.endswith((".css", ".js"))]
    assert loaded and all(s.startswith("/") for s in loaded)


# --- /partners --------------------------------------------------------------------------


def test_partners_page_explains_previews_and_generates_the_snippet(client):
    response = client.get("/partners", query_string={"partner": "abcDEF123_-", "location": "80202",
                                                     "care_level": ["outpatient", "iop"],
                                                     "widget_lang": "es"})  # fmt: skip
    assert response.status_code == 200
    page = text(response)
    assert "Privacy promises" in page
    snippet = re.search(r'<textarea id="snippet"[^>]*>([^<]+)</textarea>', page).group(1)
    assert "data-partner=&#34;abcDEF123_-&#34;" in snippet
    assert "data-care-level=&#34;outpatient,iop&#34;" in snippet
    assert "data-lang=&#34;es&#34;" in snippet
    assert "/widget.js" in snippet and "async&gt;&lt;/script&gt;" in snippet
    assert 'data-partner="preview"' in page  # the live preview
    assert "Set-Cookie" not in response.headers


def test_partners_page_reports_bad_presets_on_their_field(client):
    response = client.get("/partners", query_string={"location": "80202", "care_level": "spa",
                                                     "partner": "bad key!"})  # fmt: skip
    assert response.status_code == 400
    page = text(response)
    assert "care_level has an unknown code" in page or "Not a valid choice" in page
    assert "A partner key has only letters" in page


def test_preview_widget_may_be_framed_by_this_site_only(client):
    response = client.get("/widget", query_string={"partner": "preview", "location": "80202"})
    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]


def test_a_visitor_clearing_a_preset_must_have_still_gets_results(db, client):
    partner = Partner(name="Detox Finder", allowed_origins=[ORIGIN],
                      presets={"care_level": ["detox"], "require": ["care_level"]})  # fmt: skip
    db.session.add(partner)
    make_listing("80202", name="Any Clinic")
    db.session.commit()
    response = client.get(f"/widget?partner={partner.public_key}&sent=1&location=80202")
    assert response.status_code == 200
    assert "Any Clinic" in response.get_data(as_text=True)
