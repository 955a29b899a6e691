"""The versioned JSON API: read-only, CORS-open, JSON errors only."""

from flask import Blueprint

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

from directory.api import routes  # noqa: E402, F401  (routes register on the blueprint)

# isort: split
from directory.api import changes  # noqa: E402, F401  (the change feed)
