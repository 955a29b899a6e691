"""The import summary as an operator reads it on the terminal."""

from __future__ import annotations

from collections.abc import Callable

from directory.importers.samhsa import ImportSummary

SHOWN_NOT_LOCATED = 20
SHOWN_CONFLICTS = 50


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
    _print_list(
        "Not located (no known ZIP or city; listed without a map point)",
        summary.not_located,
        SHOWN_NOT_LOCATED,
        echo,
    )
    _print_list(
        "Phone numbers that cannot be dialled (shown as text; please check them)",
        summary.unusable_phones,
        SHOWN_NOT_LOCATED,
        echo,
    )
    _print_list(
        "Kept as providers or admins changed them after this data (not overwritten)",
        summary.conflicts,
        SHOWN_CONFLICTS,
        echo,
    )


def _print_list(title: str, items: list[str], shown: int, echo: Callable[[str], None]) -> None:
    if not items:
        return
    echo(f"{title}: {len(items)}")
    for item in items[:shown]:
        echo(f"  {item}")
    if len(items) > shown:
        echo(f"  … and {len(items) - shown} more")
