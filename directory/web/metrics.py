"""``GET /metrics`` in Prometheus's text format, for the operator's monitoring only.

Counted per app server: requests and their latency by endpoint *name* (``public.search``,
never a path or query string, so no search is ever recorded), and matcher index refreshes.
Read from the database when scraped, so every server reports the same: imported releases
and the mail outbox's queue. Under gunicorn the workers of one server share their counts
through prometheus_client's multiprocess mode (``gunicorn.conf.py`` sets it up); each app
server is scraped on its own address.

It answers only when ``METRICS_TOKEN`` is set and the request carries ``Authorization:
Bearer <token>``; otherwise it is a 404 like any unknown page.
"""

from __future__ import annotations

import hmac
import os
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db

blueprint = Blueprint("metrics", __name__)
disable_created_metrics()  # no *_created series: they double the output for nothing

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
REQUESTS = Counter(
    "directory_http_requests",
    "Requests answered, by endpoint name (never the path or query), method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "directory_http_request_duration_seconds",
    "Time to answer a request, by endpoint name.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
INDEX_REFRESHES = Counter(
    "directory_index_refreshes",
    "Matcher index refreshes: 'patch' (changed listings reloaded) or 'rebuild' (all).",
    ["kind"],
)
INDEX_REFRESH_SECONDS = Histogram(
    "directory_index_refresh_duration_seconds",
    "Time to refresh the matcher index.",
    ["kind"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60),
)


def register(app: Flask) -> None:
    """Time every request (this runs before any other ``before_request``) and count it."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_count_request)
    app.register_blueprint(blueprint)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _count_request(response):
    endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


def index_refreshed(kind: str, seconds: float) -> None:
    INDEX_REFRESHES.labels(kind).inc()
    INDEX_REFRESH_SECONDS.labels(kind).observe(seconds)


@blueprint.get("/metrics")
def metrics():
    token = current_app.config.get("METRICS_TOKEN", "")
    offered = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # gunicorn: every worker of this server
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    read_now = CollectorRegistry()
    read_now.register(DirectoryCollector())
    body = generate_latest(counted) + generate_latest(read_now)
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


class DirectoryCollector:
    """What the database says when scraped: the same on every server."""

    def collect(self):
        from directory.models import Release
        from directory.operations.outgoing_mail import queue_state

        up = GaugeMetricFamily("directory_database_up", "1 when the database answered.")
        releases = GaugeMetricFamily(
            "directory_releases_imported", "Releases imported, by source.", labels=["source"]
        )
        last_import = GaugeMetricFamily(
            "directory_last_import_timestamp_seconds",
            "When the latest import of each source ran (Unix time).",
            labels=["source"],
        )
        try:
            rows = db.session.execute(
                select(Release.source, func.count(), func.max(Release.imported_at)).group_by(
                    Release.source
                )
            ).all()
        except SQLAlchemyError:
            db.session.rollback()
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
            for source, count, latest in rows:
                releases.add_metric([source], count)
                if latest is not None:
                    last_import.add_metric([source], _unix_time(latest))
        yield up
        yield releases
        yield last_import
        try:
            mail = queue_state(db.session)
        except SQLAlchemyError:
            db.session.rollback()
            return
        waiting = GaugeMetricFamily(
            "directory_outbox_messages", "Mail queued and not sent yet (still to be tried)."
        )
        waiting.add_metric([], mail.waiting)
        yield waiting
        given_up = GaugeMetricFamily(
            "directory_outbox_given_up_messages",
            "Mail that failed MAIL_MAX_ATTEMPTS times and will not be tried again.",
        )
        given_up.add_metric([], mail.given_up)
        yield given_up
        oldest = GaugeMetricFamily(
            "directory_outbox_oldest_waiting_seconds",
            "How long the oldest mail still to be sent has waited (0 when none waits).",
        )
        age = 0.0
        if mail.oldest_waiting is not None:
            from datetime import UTC, datetime

            age = max(0.0, datetime.now(UTC).timestamp() - _unix_time(mail.oldest_waiting))
        oldest.add_metric([], age)
        yield oldest


def _unix_time(moment) -> float:
    from datetime import UTC

    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
