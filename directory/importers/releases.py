"""Releases of a source: naming them, the directories they cover, and what they withdraw.

A release is one edition of a source (``samhsa`` 2022, 2023-24). A *full* release speaks for
every listing of its source within its scope (the directories its files cover): a listing it
no longer contains is withdrawn, unless people claimed or changed it since the previous
release, in which case it stays active and an admin is asked to confirm.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from directory.errors import DirectoryError

SAMHSA = "samhsa"
DIRECTORIES = ("substance_use", "mental_health")

# "..._2022.csv" -> 2022; "..._2023-24.xlsx", "2023_2024" -> 2023-24.
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?:[-_](?:20)?(\d\d))?(?!\d)")
_RELEASE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")


class ReleaseError(DirectoryError):
    """A release name that cannot be one."""


def release_from_names(names: Iterable[str]) -> str | None:
    """The release the file names agree on ("2022", "2023-24"), or None."""
    found = {_release_in(name) for name in names}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _release_in(name: str) -> str | None:
    match = _YEAR.search(name)
    if match is None:
        return None
    first, second = match.groups()
    if second and int(second) == (int(first) + 1) % 100:
        return f"{first}-{second}"
    return first


def release_name(given: str | None, file_names: Iterable[str], data_date: date) -> str:
    """The release an import is: the one given, else the year its file names say, else the
    date its data is from (``2026-11-30``)."""
    if given is not None:
        given = given.strip()
        if not _RELEASE.match(given):
            raise ReleaseError(
                f"--release {given!r} is not a release name: use letters, digits, '-', '.' "
                "or '_' (at most 20), for example 2023-24"
            )
        return given
    return release_from_names(file_names) or data_date.isoformat()


# A span of years ("2023-24", "2023-2024"): the only release name whose hyphen is a dash.
_YEAR_SPAN = re.compile(r"^(20\d\d)-(\d\d|20\d\d)$")


def release_label(name: str | None) -> str:
    """A release as people read it: the span 2023-24 -> 2023–24 (an en dash); any other name,
    such as the date 2026-12-02 an import without a year is named by, unchanged."""
    found = _YEAR_SPAN.match(name or "")
    return f"{found[1]}\u2013{found[2]}" if found else (name or "")


def release_date(name: str | None) -> date | None:
    """The day a release named by its data's date (``2026-12-02``) is from, else None."""
    try:
        return date.fromisoformat(name) if name and len(name) == 10 else None
    except ValueError:
        return None


def withdrawable(source_directories: Iterable[str], scope: Iterable[str]) -> bool:
    """Whether a release covering ``scope`` speaks for a listing in these directories."""
    directories = set(source_directories)
    return bool(directories) and directories <= set(scope)


# SAMHSA's 2022 national directories, shipped compressed so a new directory is real out of
# the box (public domain; the CSVs of ../shared/data/samhsa-2022 compressed with xz -9e).
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "samhsa-2022"
BUNDLED_FILES = tuple(sorted(BUNDLED_DIR.glob("*_facilities_2022.csv.xz")))
