"""The plain guides: Markdown pages per language, each naming its sources and when it was reviewed.

Each guide is ``content/<language>/<slug>.md``: a front matter block (``title``, ``summary``,
``reviewed``, ``sources`` as "Publisher, "Title" | URL" lines) and Markdown. Headings carry the
vocabulary code as their anchor (``## Detox {#detox}``), so a card can link to
``/guide/care-levels#detox``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import markdown

from directory.errors import DirectoryError
from directory.vocabulary import N_

CONTENT = Path(__file__).with_name("content")
LANGUAGES = ("en", "es")
# The guides in the order the index lists them.
SLUGS = (
    "care-levels",
    "therapies",
    "medications",
    "co-occurring",
    "recovery-support",
    "questions-to-ask",
    "families",
    "substances",
    "ketamine",
)
# Where each vocabulary family's codes are explained (the heading anchors are the codes).
FAMILY_GUIDES = {
    "care_level": "care-levels",
    "therapy": "therapies",
    "medication": "medications",
    "co_occurring": "co-occurring",
    "support": "recovery-support",
}


class GuideNotFound(DirectoryError):
    """No guide has that name."""

    status = 404


@dataclass(frozen=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True)
class Guide:
    """One guide in one language, its Markdown already turned into HTML."""

    slug: str
    language: str
    title: str
    summary: str
    reviewed: date
    sources: tuple[Source, ...]
    html: str


def guide(slug: str, language: str) -> Guide:
    """The guide in ``language`` (English where that language has none); else GuideNotFound."""
    if slug not in SLUGS:
        raise GuideNotFound(N_("No guide has that name."), field="slug")
    return _load(slug, language if language in LANGUAGES else "en")


def guides(language: str) -> list[Guide]:
    return [guide(slug, language) for slug in SLUGS]


@cache
def _load(slug: str, language: str) -> Guide:
    text = (CONTENT / language / f"{slug}.md").read_text(encoding="utf-8")
    meta, body = _front_matter(text)
    html = markdown.markdown(body, extensions=["attr_list"], output_format="html")
    return Guide(
        slug=slug,
        language=language,
        title=meta["title"],
        summary=meta["summary"],
        reviewed=date.fromisoformat(meta["reviewed"]),
        sources=tuple(meta["sources"]),
        html=html,
    )


def _front_matter(text: str) -> tuple[dict, str]:
    """The ``---`` block's fields (``sources`` as ``Source`` items) and the Markdown after it."""
    _, head, body = text.split("---\n", 2)
    meta: dict = {"sources": []}
    for line in head.splitlines():
        if line.startswith("- "):
            name, _, url = line[2:].rpartition(" | ")
            meta["sources"].append(Source(name.strip(), url.strip()))
        elif ":" in line and not line.startswith("sources"):
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    return meta, body


def anchor_for(family: str, code: str) -> tuple[str, str] | None:
    """The guide slug and heading anchor that explain a vocabulary code, or None."""
    slug = FAMILY_GUIDES.get(family)
    if slug is None:
        return None
    if family == "co_occurring":
        return slug, "integrated"
    return slug, code
