"""``GET /metrics``: Prometheus text for the operator, behind a token; requests counted by
endpoint name, never by path or query string; index refreshes, imports and the outbox."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from directory.mail import send_mail, send_queued
from directory.models import Release
from tests.web.provider_support import make_listing

TOKEN = "a-long-random-metrics-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def metrics_app(app):
    app.config["METRICS_TOKEN"] = TOKEN
    return app


def scrape(client) -> dict[tuple, float]:
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    assert "Set-Cookie" not in response.headers
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_a_404_without_the_token(app, client):
    assert client.get("/metrics").status_code == 404  # no METRICS_TOKEN set: not there at all
    assert client.get("/metrics", headers=BEARER).status_code == 404
    app.config["METRICS_TOKEN"] = TOKEN
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}):  # fmt: skip
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 404
        assert "directory_http_requests" not in response.get_data(as_text=True)
    assert client.get("/metrics", headers=BEARER).status_code == 200


@pytest.mark.postgres
def test_requests_are_counted_by_endpoint_name_never_by_query(db, metrics_app, client):
    make_listing(db)
    before = scrape(client)
    query = "/search?location=Denver%2C+CO&q=private-words-of-a-person"
    assert client.get(query).status_code == 200
    assert client.get("/api/v1/match?location=80202").status_code == 200
    assert client.get("/no-such-page/private-path").status_code == 404
    text = client.get("/metrics", headers=BEARER).get_data(as_text=True)
    assert "private" not in text and "Denver" not in text and "80202" not in text
    after = scrape(client)

    def more(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "directory_http_requests_total"
    assert more(requests, endpoint="public.search", method="GET", status="200") == 1
    assert more(requests, endpoint="api.match_providers", method="GET", status="200") == 1
    assert more(requests, endpoint="unmatched", method="GET", status="404") == 1
    assert more("directory_http_request_duration_seconds_count", endpoint="public.search") == 1
    assert more("directory_http_request_duration_seconds_sum", endpoint="public.search") > 0
    refreshes = sum(
        more("directory_index_refreshes_total", kind=kind) for kind in ("patch", "rebuild")
    )
    assert refreshes >= 1
    assert value(after, "directory_database_up") == 1


@pytest.mark.postgres
def test_imports_and_the_outbox_are_read_when_scraped(db, metrics_app, client):
    db.session.add(Release(source="samhsa", name="2022", counts={"read": 3}))
    db.session.add(Release(source="samhsa", name="2023-24", counts={"read": 4}))
    db.session.commit()
    with metrics_app.test_request_context():
        send_mail("someone@example.org", "Hello", "A message waiting in the outbox.")
        db.session.commit()
    samples = scrape(client)
    assert value(samples, "directory_releases_imported", source="samhsa") == 2
    assert value(samples, "directory_last_import_timestamp_seconds", source="samhsa") > 1.7e9
    assert value(samples, "directory_outbox_messages") == 1  # queued, not sent yet
    assert value(samples, "directory_outbox_oldest_waiting_seconds") >= 0
    with metrics_app.test_request_context():
        assert send_queued().sent == 1
    samples = scrape(client)
    assert value(samples, "directory_outbox_messages") == 0
    assert value(samples, "directory_outbox_given_up_messages") == 0
