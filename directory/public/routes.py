"""Public pages: thin views over the search form, the matcher and the listing."""

from __future__ import annotations

from flask import current_app, render_template, request

from directory.api.openapi import api_openapi
from directory.extensions import db
from directory.models.audit import last_human_change
from directory.public import blueprint
from directory.public.docs import api_documentation, api_reference
from directory.public.forms import SearchForm
from directory.public.reached import remember_reached
from directory.public.understood import own_words_chips
from directory.search.pages import run_search
from directory.search.request import BadSearch, parse_search
from directory.search.understood import with_own_words
from directory.web.i18n import translated
from directory.web.listing_source import get_listing_or_404

# Ticked but shown only once their question has an answer (static/css/site.css).
DEFAULT_MUST_HAVES = ["service_type", "care_level", "age_group", "gender"]
PER_PAGE = 10  # a phone screen's worth of cards; the API defaults to 20


@blueprint.get("/")
def home():
    form = SearchForm(formdata=None, require=DEFAULT_MUST_HAVES)
    return render_template("public/home.html", form=form)


@blueprint.get("/search")
def search():
    args, understood = with_own_words(request.args)
    form = SearchForm(args)
    words = {"understood": understood, "chips": own_words_chips(understood, args, None)}
    if not form.validate():
        return render_template("public/home.html", form=form, invalid=True, **words), 400
    try:
        page = run_search(parse_search(args, strict=False, per_page=PER_PAGE))
    except BadSearch as error:
        form.field_for(error.parameter).errors = [translated(error)]
        page = render_template(
            "public/home.html",
            form=form,
            invalid=True,
            suggestions=error.suggestions,
            **words,
        )
        return page, 400
    words["chips"] = own_words_chips(understood, args, page.origin.label)
    remember_reached(page.listings)  # the cards' "a caller reached them" notes, in one query
    return render_template("public/results.html", form=form, page=page, **words)


@blueprint.get("/api")
def api_docs():
    site = current_app.config["SITE_URL"].rstrip("/")
    reference = api_reference(api_openapi(site + "/api/v1"))
    return render_template("public/api.html", document=api_documentation(), reference=reference)


@blueprint.get("/providers/<listing_id>")
def provider(listing_id: str):
    listing, moved = get_listing_or_404(listing_id, "public.provider")
    if moved is not None:
        return moved
    changed_at = last_human_change(db.session, listing.id)
    return render_template("public/provider.html", listing=listing, changed_at=changed_at)
