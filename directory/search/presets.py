"""A partner's presets as the search reads them: checked by the one search parser, and merged
under what the visitor chose."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from directory.search.pages import find_origin
from directory.search.request import parse_search

# Where presets have no location the parser still needs one to check the rest.
_PLACEHOLDER_LOCATION = "80202"


def check_presets(presets: dict[str, list[str]]) -> None:
    """Raise ``BadSearch`` on the parameter the search parser rejects."""
    args = MultiDict([(name, value) for name, values in presets.items() for value in values])
    if "location" not in args:
        args.add("location", _PLACEHOLDER_LOCATION)
    search = parse_search(args)
    if "location" in presets:
        find_origin(search)  # a preset place must be one the search can find


def merge_presets(presets: dict[str, list[str]], args: MultiDict, chosen=()) -> MultiDict:
    """The visitor's parameters, with each preset filling a parameter the visitor left out.

    ``chosen`` names parameters the visitor decided on even when empty (the fields of a
    submitted widget form): a preset never comes back after the visitor cleared it.
    """
    merged = MultiDict(args)
    for name, values in presets.items():
        if name in chosen or any(v.strip() for v in args.getlist(name)):
            continue
        merged.setlist(name, list(values))
    return merged
