"""Reading CSV text record by record, so one bad line costs that line and nothing else.

Python's ``csv`` reader, given a whole file, lets one stray ``"`` open a quoted field that
runs on to the next quote, perhaps hundreds of lines later: every row in between silently
becomes part of one field. Here each record is read on its own from the line it starts on;
a record that runs over several lines is accepted only when it has the header's number of
fields and none of the lines it took in would stand as a row of its own. Otherwise its first
line is rejected as a stray quote, naming the lines it would have swallowed, and reading
goes on from the very next line, so every line that stands on its own is still read.

A NUL byte or an oversized field rejects that record, not the file.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

# The longest field a row may have: a whole SAMHSA row is under 4 KB.
MAX_FIELD = 65_536


@dataclass(frozen=True)
class CsvRecord:
    line: int  # the physical line it starts on (1 is the header)
    values: list[str]
    problem: str = ""


def csv_records(text: str) -> tuple[list[str] | None, Iterator[CsvRecord]]:
    """The header and an iterator of the records after it."""
    lines = io.StringIO(text, newline="").readlines()
    # Never let the csv module refuse the file for one long field: rows are checked below.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    if not lines:
        return None, iter(())
    header, used = _parse_at(lines, 0)
    if header is None:
        return None, iter(())
    return header, _records(lines, used, len(header))


def _records(lines: list[str], start: int, width: int) -> Iterator[CsvRecord]:
    index = start
    while index < len(lines):
        index = yield from _records_from(lines, index, width)


def _records_from(lines: list[str], index: int, width: int):
    """Yield records from ``lines[index]`` on; return where to start again after a bad
    record, or the end."""
    reader = csv.reader(itertools.islice(lines, index, None))
    done = 0  # lines used by the records read so far
    try:
        for values in reader:
            first, used = index + done, reader.line_num - done
            if used > 1 and _swallows_rows(values, lines[first + 1 : first + used], width):
                yield CsvRecord(first + 1, values, _stray_quote(first + 1, first + used))
                return first + 1  # read the swallowed lines again, each on its own
            done = reader.line_num
            if any(value.strip() for value in values):
                yield CsvRecord(first + 1, values, field_problem(values))
    except csv.Error:  # e.g. a NUL byte where this Python's csv cannot take one
        yield CsvRecord(index + done + 1, [], "the line cannot be read as CSV")
        return index + done + 1
    return len(lines)


def _parse_at(lines: list[str], index: int) -> tuple[list[str] | None, int]:
    """The record starting at ``lines[index]`` (None: unreadable) and how many lines it used."""
    reader = csv.reader(itertools.islice(lines, index, None))
    try:
        values = next(reader, None)
    except csv.Error:
        return None, 1
    return values, max(reader.line_num, 1)


def _swallows_rows(values: list[str], continuation: list[str], width: int) -> bool:
    if len(values) != width:
        return True
    for text in continuation:
        try:
            alone = next(csv.reader([text]), [])
        except csv.Error:
            continue
        if len(alone) == width:
            return True
    return False


def _stray_quote(first: int, last: int) -> str:
    swallowed = f"line {first + 1}" if last == first + 1 else f"lines {first + 1}–{last}"
    return (
        f'a quote (") opens a field that is never closed on this line, so it would have '
        f"swallowed {swallowed}; this line was rejected and those lines were read on their own"
    )


def field_problem(values: list[str]) -> str:
    for number, value in enumerate(values, start=1):
        if "\x00" in value:
            return f"field {number} contains a NUL byte (is part of the file binary?)"
        if len(value) > MAX_FIELD:
            return f"field {number} is {len(value):,} characters long; at most {MAX_FIELD:,}"
    return ""
