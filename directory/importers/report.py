"""The import summary as an operator reads it on the terminal."""

from __future__ import annotations

from collections.abc import Callable

from directory.importers.samhsa import ImportSummary

SHOWN_NOT_LOCATED = 20


def print_summary(summary: ImportSummary, echo: Callable[[str], None]) -> None:
    for message in summary.file_errors:
        echo(f"Error: {message}; nothing was imported from it.")
    for message in summary.warnings:
        echo(f"Warning: {message}")
    for rejection in summary.rejected:
        echo(f"Rejected {rejection.path}, line {rejection.line}: {rejection.reason}")
    echo(
        f"Rows read: {summary.read}; rejected: {len(summary.rejected)}. "
        f"Listings created: {summary.created}, updated: {summary.updated}, "
        f"unchanged: {summary.unchanged}; facilities in both directories: {summary.merged}."
    )
    if summary.unknown_codes:
        codes = ", ".join(f"{code} ({n})" for code, n in summary.unknown_codes.most_common())
        echo(f"Unknown service codes (ignored): {codes}")
    if summary.not_located:
        count = len(summary.not_located)
        echo(f"Not located (no known ZIP or city; listed without a map point): {count}")
        for place in summary.not_located[:SHOWN_NOT_LOCATED]:
            echo(f"  {place}")
        if len(summary.not_located) > SHOWN_NOT_LOCATED:
            echo(f"  … and {len(summary.not_located) - SHOWN_NOT_LOCATED} more")
