"""A release's service-definitions file (``--codes``): the codes SAMHSA added since 2022.

SAMHSA publishes the code list beside each directory: ``directory_type, code, label`` in the
current layout, ``category_code, category_name, service_code, service_name,
service_description`` in the 2022 one (tab- or comma-separated). Codes the shipped 2022 list
lacks become known, so they are counted and kept rather than reported as unknown; what they
mean in our vocabulary stays the normative mapping (DESIGN.md 3.3).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from directory.errors import DirectoryError
from directory.importers.samhsa_codes import CODE_CATEGORY

# (code column, label column) of each layout.
LAYOUTS = (("code", "label"), ("service_code", "service_name"))


class CodeListError(DirectoryError):
    """The code list cannot be read (unreadable, or neither layout's columns)."""


def read_code_list(path: Path) -> dict[str, str]:
    """{code: label} of the codes in the file that the shipped list does not have."""
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as error:
        raise CodeListError(f"{path}: cannot read the code list: {error.strerror}") from error
    delimiter = "\t" if "\t" in text.partition("\n")[0] else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [(name or "").strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = columns
    layout = next((pair for pair in LAYOUTS if set(pair) <= set(columns)), None)
    if layout is None:
        raise CodeListError(
            f"{path}: not a SAMHSA code list: expected the columns directory_type, code, label "
            "(or service_code, service_name as in the 2022 lists)"
        )
    code_column, label_column = layout
    added = {}
    for row in reader:
        code = (row.get(code_column) or "").strip().upper()
        if code and code not in CODE_CATEGORY:
            added[code] = " ".join((row.get(label_column) or "").split())[:200]
    return added
