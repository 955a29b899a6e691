"""Five-digit ZIPs from what spreadsheets leave of them ("6401" for Ansonia, CT)."""

from __future__ import annotations

import re

from directory.geo import gazetteer

# A ZIP of 3 to 5 digits, optionally with its +4; a stripped ZIP+4 ("64011234") reads as 4+4.
_ZIP = re.compile(r"^(\d{3,5})(?:-?(\d{4}))?$")


def repair_zip(text: str, state: str) -> tuple[str, bool]:
    """(the five-digit ZIP, whether leading zeros were restored); unreadable text is kept.

    A 3- or 4-digit ZIP is left-padded only when the padded ZIP exists in the row's state
    (or anywhere, when the row has no state), so a typo is not turned into someone else's ZIP.
    """
    text = (text or "").strip()
    match = _ZIP.match(text)
    if match is None:
        return text[:10], False
    code = match.group(1)
    if len(code) == 5:
        return code, False
    padded = code.zfill(5)
    found_in = gazetteer().zip_state(padded)
    if found_in and (not state or found_in == state.strip().upper()):
        return padded, True
    return code, False
