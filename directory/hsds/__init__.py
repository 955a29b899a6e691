"""The HSDS 3.0 API under ``/hsds/``: read-only, CORS-open, JSON errors only."""

from flask import Blueprint

blueprint = Blueprint("hsds", __name__, url_prefix="/hsds")

from directory.hsds import routes  # noqa: E402, F401  (routes register on the blueprint)
