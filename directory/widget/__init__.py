"""The embeddable widget: ``/widget.js``, the framed ``/widget`` page and ``/partners``.

These are the only pages of the site that may be framed, and only by the partner's own
allowed origins (``g.frame_ancestors``; see ``directory.web.security``).
"""

from flask import Blueprint

blueprint = Blueprint("widget", __name__)

from directory.widget import routes  # noqa: E402, F401  (views register on the blueprint)

# isort: split
from directory.widget import partners_page  # noqa: E402, F401  (the page for partner sites)

# isort: split
from directory.widget import key_request  # noqa: E402, F401  (a site asks for a widget key)
