"""Public pages: thin views over the matcher and the listing serializer."""

from flask import abort, render_template

from directory.extensions import db
from directory.models import Listing
from directory.public import blueprint


@blueprint.get("/")
def home():
    return render_template("public/home.html")


@blueprint.get("/providers/<listing_id>")
def provider(listing_id: str):
    listing = db.session.get(Listing, listing_id[:32]) or abort(404)
    return render_template("public/provider.html", listing=listing)
