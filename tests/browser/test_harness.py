"""The browser harness itself: the live server answers, and the home page passes axe-core."""

from tests.browser.conftest import axe_check


def test_the_live_server_serves_the_home_page_without_third_party_requests(page, live_server):
    response = page.goto(live_server + "/")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    axe_check(page)
