"""Public pages: thin views over the matcher and the listing serializer."""

from flask import render_template

from directory.public import blueprint


@blueprint.get("/")
def home():
    return render_template("public/home.html")
