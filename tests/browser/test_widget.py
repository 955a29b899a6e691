"""The widget in Chromium, embedded by a partner page served from another origin: it loads,
searches, grows to fit, passes axe-core, and is refused on a site the partner did not list."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from directory.extensions import db
from directory.operations.partners import PartnerValues, create_partner
from directory.search.presets import check_presets
from tests.browser.conftest import axe_check
from tests.factories import make_listing


class PartnerPage(BaseHTTPRequestHandler):
    """Serves the server's ``pages`` (path -> HTML): a partner's own site."""

    def do_GET(self):  # noqa: N802 (the http.server name)
        body = self.server.pages.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _serve(pages: dict[str, str]):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    server.pages = pages
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def partner_sites():
    """Two sites on other origins than the directory: the partner's own, and a stranger's."""
    started = [_serve({}), _serve({})]
    yield {"allowed": started[0], "stranger": started[1]}
    for server, thread, _url in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def partner_key(live_app, partner_sites):
    with live_app.app_context(), live_app.test_request_context():
        for number in range(4):
            make_listing(
                "80202", name=f"Widget Test Outpatient {number}", accepting_new_clients=True
            )
        partner = create_partner(
            db.session,
            PartnerValues(name="County Health", allowed_origins=[partner_sites["allowed"][2]],
                          presets={"care_level": ["outpatient"]}),
            check_presets,
        )  # fmt: skip
        db.session.commit()
        return partner.public_key


@pytest.fixture
def extra_origins(partner_sites):
    return tuple(url for _server, _thread, url in partner_sites.values())


def _publish(site, live_server: str, body: str) -> str:
    server, _thread, url = site
    server.pages["/"] = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>County Health</title>"
        f"</head><body><main><h1>Find treatment near you</h1>{body}</main></body></html>"
    )
    return url + "/"


def _snippet(live_server: str, key: str, extra: str = "") -> str:
    return f'<script src="{live_server}/widget.js" data-partner="{key}"{extra} async></script>'


def _frame_height(page, index: int = 0) -> int:
    return page.evaluate(
        f"document.querySelectorAll('iframe')[{index}].getBoundingClientRect().height"
    )


def test_partner_page_embeds_a_widget_that_searches_and_grows(page, live_server, partner_key,
                                                             partner_sites):  # fmt: skip
    url = _publish(partner_sites["allowed"], live_server, _snippet(live_server, partner_key))
    page.goto(url)
    iframe = page.locator("iframe")
    assert iframe.get_attribute("title") == "Treatment search"
    assert iframe.get_attribute("loading") == "lazy"
    assert iframe.get_attribute("referrerpolicy") == "no-referrer"
    frame = page.frame_locator("iframe")
    frame.get_by_label("Where are you?").fill("80202")
    page.wait_for_function("document.querySelector('iframe').style.height !== '520px'")
    before = _frame_height(page)
    frame.get_by_role("button", name="Find treatment").click()
    frame.locator(".card").first.wait_for()
    assert "Widget Test Outpatient" in frame.locator(".results").first.inner_text()
    page.wait_for_function(
        f"document.querySelector('iframe').getBoundingClientRect().height > {before}"
    )
    link = frame.locator(".card h3 a").first
    assert link.get_attribute("target") == "_blank"
    assert f"ref={partner_key}" in link.get_attribute("href")
    assert page.locator("iframe").count() == 1  # nothing else on the page was touched
    assert page.locator("h1").inner_text() == "Find treatment near you"


def test_two_widgets_on_one_page_each_get_their_frame(page, live_server, partner_key,
                                                      partner_sites):  # fmt: skip
    body = (
        _snippet(live_server, partner_key)
        + "<section id='spanish'></section>"
        + _snippet(live_server, partner_key, ' data-lang="es" data-target="spanish"')
    )
    page.goto(_publish(partner_sites["allowed"], live_server, body))
    page.locator("#spanish iframe").wait_for()
    assert page.locator("iframe").count() == 2
    assert page.locator("#spanish iframe").get_attribute("title") == "Búsqueda de tratamiento"
    spanish = page.frame_locator("#spanish iframe")
    assert spanish.locator("html").get_attribute("lang") == "es"
    page.frame_locator("iframe >> nth=0").locator("form").wait_for()


def test_widget_inside_the_frame_passes_axe(page, live_server, partner_key, partner_sites):
    snippet = _snippet(live_server, partner_key, ' data-location="80202"')
    page.goto(_publish(partner_sites["allowed"], live_server, snippet))
    page.frame_locator("iframe").locator(".card").first.wait_for()
    frame = next(f for f in page.frames if "/widget?" in f.url)
    axe_check(frame)


def test_a_site_not_on_the_partners_list_gets_no_widget(page, live_server, partner_key,
                                                        partner_sites):  # fmt: skip
    url = _publish(partner_sites["stranger"], live_server, _snippet(live_server, partner_key))
    with page.expect_response(lambda response: "/widget?" in response.url) as answer:
        page.goto(url)
    assert answer.value.status == 200  # the directory answered; the browser refuses to show it
    page.wait_for_timeout(500)
    frames = [frame for frame in page.frames if frame != page.main_frame]
    assert len(frames) == 1
    assert frames[0].locator("form").count() == 0
    assert "Find treatment" not in (frames[0].content() if frames[0].url != "" else "")


def test_a_refused_widget_shows_a_link_and_the_crisis_lines_instead_of_a_blank_frame(
    page, live_server, partner_key, partner_sites
):
    body = _snippet(live_server, partner_key, ' data-location="80202"') + _snippet(
        live_server, partner_key, ' data-lang="es"'
    )
    page.goto(_publish(partner_sites["stranger"], live_server, body))
    page.locator(".treatment-directory-fallback >> nth=1").wait_for(timeout=15000)
    english = page.locator(".treatment-directory-fallback").nth(0)
    spanish = page.locator(".treatment-directory-fallback").nth(1)
    link = english.get_by_role("link", name="Search for treatment on the Treatment Directory")
    assert link.get_attribute("href") == f"{live_server}/search?location=80202"
    assert english.get_by_role("link", name="988 Suicide & Crisis Lifeline: call or text 988"
                               ).get_attribute("href") == "tel:988"  # fmt: skip
    assert "1-800-662-4357" in english.inner_text()
    assert "¿Necesita ayuda ahora?" in spanish.inner_text()
    assert spanish.get_by_role("link", name="Buscar tratamiento en el Directorio de Tratamiento"
                               ).get_attribute("href") == f"{live_server}/?lang=es"  # fmt: skip
    assert all(not frame.is_visible() for frame in page.locator("iframe").all())
    axe_check(page)


def test_the_crisis_lines_come_before_the_results_in_the_widget(page, live_server, partner_key,
                                                                partner_sites):  # fmt: skip
    snippet = _snippet(live_server, partner_key, ' data-location="80202"')
    page.goto(_publish(partner_sites["allowed"], live_server, snippet))
    frame = page.frame_locator("iframe")
    frame.locator(".card").first.wait_for()
    order = frame.locator("body").evaluate(
        "body => [body.querySelector('.crisis'), body.querySelector('.results')]"
        ".map(node => [...body.querySelectorAll('*')].indexOf(node))"
    )
    assert order[0] < order[1]
    page.wait_for_timeout(4500)  # past the fallback's grace: an answering frame is kept
    assert page.locator(".treatment-directory-fallback").count() == 0
    assert page.locator("iframe").is_visible()


def test_on_a_phone_the_spanish_header_is_one_line_and_the_sort_note_follows_the_list(
    page, live_server, partner_key, partner_sites
):
    page.set_viewport_size({"width": 390, "height": 844})
    snippet = _snippet(live_server, partner_key, ' data-location="80202" data-lang="es"')
    page.goto(_publish(partner_sites["allowed"], live_server, snippet))
    frame = page.frame_locator("iframe")
    frame.locator(".card").first.wait_for()
    title = frame.get_by_role("heading", name="Buscar tratamiento", level=1).bounding_box()
    switch = frame.get_by_role("navigation", name="Idioma").bounding_box()
    assert abs(title["y"] - switch["y"]) < 8 and title["height"] < 30  # one line, side by side
    order = frame.locator("body").evaluate(
        "body => ['#results-heading', 'ol.results', '.sort-note']"
        ".map(selector => [...body.querySelectorAll('*')].indexOf(body.querySelector(selector)))"
    )
    assert order == sorted(order)  # header, the list, then how it is sorted
