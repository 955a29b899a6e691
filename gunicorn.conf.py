"""gunicorn settings picked up by ``gunicorn wsgi:app`` from the project directory.

The access log records the path but never the query string: searches stay private.
The workers are threaded (``gthread``) so slow or idle clients cannot occupy them all.

Each worker builds the gazetteer and the matcher index, and keeps the listings' cards with
their phone numbers read, as soon as it starts (``post_worker_init``), so the first visitors
do not wait for them. At ~200,000 listings
that takes a few seconds, well inside ``timeout``, which is also the most a request may
take: a match request takes milliseconds, so 30 s only ever catches a stuck worker.
"""

import gc
import os
import shutil
import tempfile
import time

accesslog = "-"
# Every field escaped (a newline in a URL cannot forge a line) and secret links' tokens cut
# (directory/web/logs.py); LOG_FORMAT=json writes one JSON object per line instead.
logger_class = "directory.web.logs.GunicornLogger"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss %({x-request-id}o)s'
workers = 2
# Threaded workers: a connection that is idle or slow to send its request waits in the
# worker's poller instead of holding the worker, so a few slow clients cannot take the site
# down (behind nginx, which buffers requests, they never reach gunicorn at all). Each thread
# uses at most one database connection (DATABASE_POOL_SIZE is 10).
worker_class = "gthread"
threads = 4
keepalive = 5
timeout = 30
graceful_timeout = 20
# gunicorn trusts X-Forwarded-* only from these addresses; the app trusts PROXY_HOPS.
forwarded_allow_ips = ""


def on_starting(server):
    """/metrics sums every worker's counts: prometheus_client's multiprocess mode keeps them
    in files in PROMETHEUS_MULTIPROC_DIR (a fresh folder per start unless one is set, then
    emptied), which the workers inherit before they import the app."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.unlink(os.path.join(folder, name))
    else:
        folder = tempfile.mkdtemp(prefix="directory-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        server.metrics_folder = folder


def child_exit(server, worker):
    """A dead worker's gauges are dropped; its counts stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    folder = getattr(server, "metrics_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def post_fork(server, worker):
    """Each response's headers go out in the same write as its body (directory/web/serving.py):
    an app server killed mid-load leaves no response half-sent, so nginx retries them all."""
    from directory.web.serving import install

    install()


def post_worker_init(worker):
    """Warm the worker: gazetteer, matcher index and the listings' cards, in an app context.
    What it made lives as long as the worker, so the garbage collector is told to leave it
    alone (``gc.freeze``): a full collection otherwise walks all of it, a pause of about a
    quarter of a second in the middle of some request."""
    from directory.extensions import db
    from directory.geo import gazetteer
    from directory.search.pages import warm_cards

    started = time.monotonic()
    try:
        with worker.wsgi.app_context():
            gazetteer()
            size = warm_cards()
            db.session.remove()
    except Exception:  # a database not set up yet: the first search builds the index instead
        worker.log.exception("Could not warm the matcher index; it will be built on first use")
        return
    gc.collect()
    gc.freeze()
    seconds = time.monotonic() - started
    worker.log.info("Worker warmed: %d listings indexed, cards kept, in %.1f s", size, seconds)
