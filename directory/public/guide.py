"""The plain guides and the short guided check under ``/guide/``: thin views over ``guides``.

The check is a multi-step GET form: each page carries the earlier answers as hidden fields, so
the answers live only in the page and its URL (no session, no cookie, nothing stored).
"""

from __future__ import annotations

import re

from flask import abort, render_template, request
from flask_babel import format_date, get_locale
from markupsafe import Markup

from directory.guides.check import STEPS, SUGGESTIONS, Suggestion, answers_from, suggest
from directory.guides.pages import GuideNotFound, anchor_for, guide, guides
from directory.matching.reasons import english_inline
from directory.public import blueprint
from directory.search.understood import searchable_parameters
from directory.vocabulary import FAMILIES, LISTING_FIELDS
from directory.web.i18n import chosen_language, fast_gettext, first_upper, localized_url

_GUIDE_LINK = re.compile(r'href="/guide/([a-z-]*)(#[a-z_]+)?"')
SUGGESTION_GUIDES = {
    "detox": ("care-levels", "detox"),
    "residential": ("care-levels", "residential"),
    "iop": ("care-levels", "iop"),
    "outpatient": ("care-levels", "outpatient"),
    "assessment": ("questions-to-ask", None),
    "medication": ("medications", None),
}


def _language() -> str:
    return str(get_locale() or "en")


@blueprint.get("/guide/")
def guide_index():
    return render_template("public/guide/index.html", guides=guides(_language()))


@blueprint.get("/guide/start")
def guide_start():
    answers = answers_from(request.args)
    skipped = request.args.get("skip")
    if skipped:
        answers = _without_step(answers, skipped)
    suggestion = suggest(answers)
    if suggestion.is_emergency:
        return render_template("public/guide/emergency.html", suggestion=suggestion)
    number = _step_number(request.args.get("step"))
    if number >= len(STEPS):
        search = {k: v for k, v in suggestion.search.items() if k in searchable_parameters()}
        return render_template(
            "public/guide/suggestion.html", suggestion=suggestion, search=search, answers=answers
        )
    return render_template(
        "public/guide/check.html", step=STEPS[number], number=number, steps=STEPS, answers=answers
    )


@blueprint.get("/guide/<slug>")
def guide_page(slug: str):
    try:
        page = guide(slug, _language())
    except GuideNotFound:
        abort(404)
    return render_template("public/guide/page.html", guide=page)


@blueprint.context_processor
def guide_helpers():
    return {
        "guide_html": guide_html,
        "format_date": format_date,
        "check_url": check_url,
        "suggestion_title": lambda suggestion: SUGGESTIONS[suggestion.code],
        "suggestion_guide": suggestion_guide,
    }


@blueprint.record_once
def guide_links(state):
    """Links from cards (shared macros, hence globals) and provider pages to the guide heading
    that explains a word."""
    state.app.jinja_env.globals.update(guide_href=guide_href, listing_guides=listing_guides)


def guide_href(criterion) -> tuple[str, str] | None:
    """(url, the word explained) for a result's criterion, or None when no guide explains it."""
    if criterion.criterion == "co_occurring":
        url = localized_url("public.guide_page", slug="co-occurring")
        return url, fast_gettext("co-occurring mental-health care")
    for family, code in criterion.reason.params.get("items", ()):
        target = anchor_for(family, code)
        if target:
            slug, anchor = target
            url = localized_url("public.guide_page", slug=slug) + f"#{anchor}"
            english = FAMILIES[family].label_of(code)
            return url, english_inline(fast_gettext(english), family, english)
    return None


def listing_guides(listing) -> list[tuple[str, str]]:
    """(url, word) for each level of care, therapy and medication a listing offers."""
    links = []
    for family in ("care_level", "therapy", "medication"):
        for code in FAMILIES[family].order(getattr(listing, LISTING_FIELDS[family]) or ()):
            slug, anchor = anchor_for(family, code)
            url = localized_url("public.guide_page", slug=slug) + f"#{anchor}"
            links.append((url, _label(family, code)))
    return links


def _label(family: str, code: str) -> str:
    if family == "co_occurring":
        return fast_gettext("Co-occurring mental-health care")
    return first_upper(fast_gettext(FAMILIES[family].label_of(code)))


def guide_html(page) -> Markup:
    """A guide's HTML (our own Markdown) with its links to other guides keeping ``?lang=``."""
    language = chosen_language()
    if not language:
        return Markup(page.html)  # noqa: S704  (our own guides, from our own Markdown)

    def localized(match: re.Match) -> str:
        slug, anchor = match.group(1), match.group(2) or ""
        endpoint = "public.guide_start" if slug == "start" else "public.guide_page"
        values = {} if slug == "start" else {"slug": slug}
        target = localized_url(endpoint, **values) if slug else localized_url("public.guide_index")
        return f'href="{target}{anchor}"'

    return Markup(_GUIDE_LINK.sub(localized, page.html))  # noqa: S704  (as above)


def check_url(answers: dict, number: int) -> str:
    """The check at step ``number`` with these answers (the Back and Change links)."""
    values = {name: list(codes) for name, codes in answers.items()}
    return localized_url("public.guide_start", step=number, **values)


def suggestion_guide(suggestion: Suggestion) -> str | None:
    target = SUGGESTION_GUIDES.get(suggestion.code)
    if target is None:
        return None
    slug, anchor = target
    return localized_url("public.guide_page", slug=slug) + (f"#{anchor}" if anchor else "")


def _step_number(text: str | None) -> int:
    if text and text.isascii() and text.isdigit() and len(text) < 3:
        return min(int(text), len(STEPS))
    return 0


def _without_step(answers: dict, step_name: str) -> dict:
    """The answers without those of the step the visitor skipped."""
    step = next((s for s in STEPS if s.name == step_name), None)
    if step is None:
        return answers
    names = {q.name for q in step.questions} | set(step.fields)
    return {name: values for name, values in answers.items() if name not in names}
