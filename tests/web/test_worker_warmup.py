"""gunicorn.conf.py: each worker builds the gazetteer and the matcher index when it starts."""

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import event

from directory.search.index import provider_index
from tests.factories import make_listing

CONF = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))


def test_timeout_is_gunicorns_default_or_more():
    assert CONF["timeout"] >= 30


def test_a_worker_builds_the_index_when_it_starts(app, db, caplog):
    make_listing(name="Warm Outpatient")
    db.session.commit()
    worker = SimpleNamespace(wsgi=app, log=logging.getLogger("test.gunicorn"))
    with caplog.at_level(logging.INFO, logger="test.gunicorn"):
        CONF["post_worker_init"](worker)
    assert "1 listings indexed" in caplog.text
    catalog = app.extensions["directory.catalog"]
    assert catalog.index is not None and catalog.index.names == ["Warm Outpatient"]
    assert provider_index() is catalog.index  # no rebuild on the first request
    assert [card.name for card in catalog.view.cards.values()] == ["Warm Outpatient"]


def test_the_first_search_of_a_warm_worker_reads_no_listing(app, db, client):
    for number in range(3):
        make_listing("80202", name=f"Warm Clinic {number}", phone=f"303-555-01{number}0 x12")
    db.session.commit()
    worker = SimpleNamespace(wsgi=app, log=logging.getLogger("test.gunicorn"))
    CONF["post_worker_init"](worker)
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        answer = client.get("/api/v1/match?location=80202").get_json()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert {r["name"] for r in answer["results"]} == {f"Warm Clinic {n}" for n in range(3)}
    assert not [sql for sql in statements if "FROM listing " in sql + " "], statements
