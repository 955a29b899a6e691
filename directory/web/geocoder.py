"""The app's one geocoder: made once at start from ``GEOCODER``, shared by every request,
so an online geocoder's rate limit and cache hold across searches and approvals."""

from __future__ import annotations

from flask import current_app

from directory.geo import make_geocoder


def configured_geocoder():
    """The online geocoder named by ``GEOCODER`` (None: offline only), made once per app."""
    extension = current_app.extensions.setdefault("directory.geocoder", {})
    if "geocoder" not in extension:
        extension["geocoder"] = make_geocoder(
            current_app.config["GEOCODER"], current_app.config["GEOCODER_USER_AGENT"]
        )
    return extension["geocoder"]
