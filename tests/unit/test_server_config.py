"""The production server's settings keep searches private."""

import runpy
from pathlib import Path

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_access_log_records_paths_but_never_query_strings():
    settings = runpy.run_path(str(GUNICORN_CONF))
    log_format = settings["access_log_format"]
    assert "%(U)s" in log_format  # the path alone
    for with_query in ("%(r)s", "%(q)s", "%(f)s", "%(a)s"):  # request line, query, referer, UA
        assert with_query not in log_format
