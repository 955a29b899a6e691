"""The public site: search, results and provider pages (HTML, no cookies, no third parties)."""

from flask import Blueprint

blueprint = Blueprint("public", __name__)

from directory.public import routes  # noqa: E402, F401  (routes register on the blueprint)

# isort: split
from directory.public import reports  # noqa: E402, F401  (problem reports)

# isort: split
from directory.public import reached  # noqa: E402, F401  ("did you reach them?")

# isort: split
from directory.public import guide  # noqa: E402, F401  (the plain guides and the guided check)

# isort: split
from directory.public import schema_org  # noqa: E402, F401  (JSON-LD on provider pages)

# isort: split
from directory.public import referral_list  # noqa: E402, F401  (the referral list, /list)
