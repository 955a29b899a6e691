"""Provider self-service: accounts, claiming a listing, reviewed edits and availability."""

from flask import Blueprint

blueprint = Blueprint("provider", __name__, url_prefix="/provider")

from directory.provider import access, auth, check, routes  # noqa: E402, F401  (views register)
