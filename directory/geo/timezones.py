"""The time zone a US listing keeps its hours in, from its ZIP code (or else its state).

Read from ``directory/data/us_timezones.tsv`` (built by ``scripts/build-timezone-data`` from
the ``zipcodes`` package): the first ZIP of each run of ZIPs in one zone, and each state's
usual zone. The zones are IANA names read with ``zoneinfo`` (the system's tzdata), so
daylight saving time is applied as the zone's rules say.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "us_timezones.tsv"
_ZIP = re.compile(r"^\s*(\d{5})")


@cache
def _table() -> tuple[dict[str, str], list[str], list[str]]:
    states: dict[str, str] = {}
    starts: list[str] = []
    zones: list[str] = []
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, zone = line.split("\t")
        if len(key) == 2:
            states[key] = zone
        else:
            starts.append(key)
            zones.append(zone)
    return states, starts, zones


def zone_name(state: str | None, zip_code: str | None = None) -> str | None:
    """The IANA zone of a place: its ZIP's (the run of ZIPs it falls in), else its state's
    usual zone; ``None`` when it has neither."""
    states, starts, zones = _table()
    state = (state or "").strip().upper()
    found = _ZIP.match(zip_code or "")
    if found:
        at = bisect.bisect_right(starts, found.group(1)) - 1
        if at >= 0:
            return zones[at]
    return states.get(state)


@cache
def zone_of(state: str | None, zip_code: str | None = None) -> ZoneInfo | None:
    """The ``ZoneInfo`` of a place (see ``zone_name``)."""
    name = zone_name(state, zip_code)
    return ZoneInfo(name) if name else None
