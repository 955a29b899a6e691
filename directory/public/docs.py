"""The API documentation page: docs/API.md rendered once with Markdown (the one source)."""

from __future__ import annotations

from functools import cache

import markdown
from markupsafe import Markup

from directory.settings import PROJECT_ROOT

API_DOCUMENT = PROJECT_ROOT / "docs" / "API.md"


@cache
def api_documentation() -> Markup:
    """docs/API.md as HTML; the file is ours, so its HTML is trusted."""
    text = API_DOCUMENT.read_text(encoding="utf-8")
    return Markup(markdown.markdown(text, extensions=["tables", "fenced_code"]))  # noqa: S704
