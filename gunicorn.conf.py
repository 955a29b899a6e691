"""gunicorn settings picked up by ``gunicorn wsgi:app`` from the project directory.

The access log records the path but never the query string: searches stay private.

Each worker builds the gazetteer and the matcher index as soon as it starts
(``post_worker_init``), so the first visitor does not wait for them. At ~200,000 listings
that takes a few seconds, well inside ``timeout``, which is also the most a request may
take: a match request takes milliseconds, so 30 s only ever catches a stuck worker.
"""

import time

accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
workers = 2
timeout = 30


def post_worker_init(worker):
    """Warm the worker: gazetteer and matcher index, inside an app context."""
    from directory.extensions import db
    from directory.geo import gazetteer
    from directory.search.index import provider_index

    started = time.monotonic()
    try:
        with worker.wsgi.app_context():
            gazetteer()
            size = len(provider_index())
            db.session.remove()
    except Exception:  # a database not set up yet: the first search builds the index instead
        worker.log.exception("Could not warm the matcher index; it will be built on first use")
        return
    seconds = time.monotonic() - started
    worker.log.info("Worker warmed: %d listings indexed in %.1f s", size, seconds)
