"""gunicorn.conf.py: each worker builds the gazetteer and the matcher index when it starts."""

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

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
