"""``/partners``: what the widget does for a partner site, a live preview, and a snippet
generator (a GET form: it works without JavaScript and sets no cookie)."""

from __future__ import annotations

import re

from flask import current_app, render_template, request, url_for
from markupsafe import escape

from directory.errors import DirectoryError
from directory.operations.partners import clean_presets
from directory.search.presets import check_presets
from directory.web.i18n import translated
from directory.widget import blueprint
from directory.widget.forms import SnippetForm
from directory.widget.frame import PREVIEW_KEY

KEY_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,43}$")
TARGET_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9_:.-]{0,59}$")
PLACEHOLDER_KEY = "YOUR-PARTNER-KEY"


@blueprint.get("/partners")
def partners():
    form = SnippetForm(request.args)
    presets, errors = _checked_presets(form)
    errors.update(_snippet_problems(form))
    form.show_errors(errors)
    attributes = snippet_attributes(presets, form)
    context = {
        "form": form,
        "snippet": snippet_text(form.partner.data or PLACEHOLDER_KEY, attributes),
        "preview_attributes": {"partner": PREVIEW_KEY, **attributes},
        "generated": "location" in request.args or "partner" in request.args,
    }
    return render_template("widget/partners.html", **context), 400 if errors else 200


def _checked_presets(form: SnippetForm) -> tuple[dict[str, list[str]], dict[str, str]]:
    try:
        return clean_presets(form.presets(), check_presets), {}
    except DirectoryError as error:
        return {}, {error.field: translated(error)}


def _snippet_problems(form: SnippetForm) -> dict[str, str]:
    from flask_babel import gettext as _

    problems = {}
    if form.partner.data and not KEY_SHAPE.match(form.partner.data.strip()):
        problems["partner"] = _("A partner key has only letters, digits, - and _.")
    if form.target.data and not TARGET_SHAPE.match(form.target.data.strip()):
        problems["target"] = _("An element id starts with a letter and has no spaces.")
    return problems


def snippet_attributes(presets: dict[str, list[str]], form: SnippetForm) -> dict[str, str]:
    """The snippet's data-* attributes (without the key), in the order the page shows them."""
    attributes = {name: ",".join(values) for name, values in presets.items()}
    if form.widget_lang.data == "es":
        attributes["lang"] = "es"
    target = (form.target.data or "").strip()
    if target and TARGET_SHAPE.match(target):
        attributes["target"] = target
    return attributes


def snippet_text(key: str, attributes: dict[str, str]) -> str:
    """The one line a partner pastes."""
    key = key.strip() if KEY_SHAPE.match(key.strip()) else PLACEHOLDER_KEY
    script = current_app.config["SITE_URL"].rstrip("/") + url_for("widget.script")
    parts = [f'<script src="{script}"', f'data-partner="{key}"']
    parts += [
        f'data-{name.replace("_", "-")}="{escape(value)}"' for name, value in attributes.items()
    ]
    return " ".join(parts) + " async></script>"
