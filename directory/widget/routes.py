"""The widget's script and framed page: thin views over ``frame`` and the shared search.

An unknown key gets a friendly 404 that may not be framed (there is no partner to say where
it could be); a disabled partner's key gets the same message, framable by that partner's
origins so its visitors see it (and the crisis lines) instead of a broken frame.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import abort, current_app, g, render_template, request
from flask_babel import force_locale

from directory.operations.partners import text_colour_on
from directory.public.forms import SearchForm
from directory.public.reached import remember_reached
from directory.public.understood import own_words_chips
from directory.search.pages import run_search
from directory.search.request import BadSearch
from directory.search.understood import with_own_words
from directory.web.i18n import select_locale, translated
from directory.widget import blueprint
from directory.widget.frame import (
    FORM_FIELDS,
    full_search_link,
    parent_origin,
    provider_link,
    search_args,
    wants_search,
    widget_language,
    widget_partner,
    widget_search,
)

SCRIPT_MAX_AGE = 24 * 3600
THEME_MAX_AGE = 365 * 24 * 3600
HEX = re.compile(r"^[0-9a-f]{6}$")


@blueprint.get("/widget.js")
def script():
    """The embed script: cacheable, and loadable from any partner page."""
    response = current_app.response_class(embed_script(), mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = SCRIPT_MAX_AGE
    response.cache_control.stale_while_revalidate = 7 * 24 * 3600
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)


def embed_script() -> bytes:
    """``static/js/widget.js``, read once per process."""
    cache = current_app.extensions.setdefault("directory.widget_js", {})
    if "source" not in cache:
        cache["source"] = (Path(current_app.static_folder) / "js" / "widget.js").read_bytes()
    return cache["source"]


@blueprint.get("/widget/theme-<colour>.css")
def theme(colour: str):
    """The partner's colour as CSS (a stylesheet, because inline styles are not allowed)."""
    if not HEX.match(colour):
        abort(404)
    css = render_template(
        "widget/theme.css", brand=f"#{colour}", on_brand=text_colour_on(f"#{colour}")
    )
    response = current_app.response_class(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = THEME_MAX_AGE
    return response


@blueprint.get("/widget")
def widget():
    partner = widget_partner(request.args.get("partner"))
    if partner is None or not partner.enabled:
        return unavailable(partner)
    g.frame_ancestors = partner.frame_ancestors
    language = widget_language(partner)
    with force_locale(language):
        body, status = widget_page(partner, language)
    response = current_app.make_response((body, status))
    response.headers["Cache-Control"] = "no-store"
    return response


def unavailable(partner):
    """A short friendly message (404); framable only by a known partner's own origins."""
    if partner is not None:
        g.frame_ancestors = partner.frame_ancestors
    language = widget_language(partner) if partner is not None else select_locale()
    with force_locale(language):
        body = render_template("widget/unavailable.html", partner=partner, parent=None)
    return body, 404


def widget_page(partner, language: str) -> tuple[str, int]:
    args, understood = with_own_words(search_args(partner))
    form = SearchForm(args)
    context = {
        "partner": partner,
        "form": form,
        "parent": parent_origin(partner),
        "language": language,
        "page": None,
        "provider_link": lambda listing_id: provider_link(partner, listing_id, language),
        "full_search": full_search_link(args, partner, language),
        "understood": understood,
        "chips": own_words_chips(understood, args, None, removable=False),
    }
    if not wants_search(args):
        return render_template("widget/widget.html", **context), 200
    try:
        context["page"] = run_search(widget_search(args))
        remember_reached(context["page"].listings)  # one query for the cards' notes
        place = context["page"].origin.label
        context["chips"] = own_words_chips(understood, args, place, removable=False)
    except BadSearch as error:
        shown_field(form, error.parameter).errors = [translated(error)]
        context["suggestions"] = error.suggestions
        return render_template("widget/widget.html", invalid=True, **context), 400
    return render_template("widget/widget.html", **context), 200


def shown_field(form: SearchForm, parameter: str):
    """The field of the widget's form an error belongs to (the place when it has none)."""
    return getattr(form, parameter) if parameter in FORM_FIELDS else form.location
