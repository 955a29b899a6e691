"""The import summary as an operator reads it on the terminal (the same figures for a dry run)."""

from __future__ import annotations

from collections.abc import Callable

from directory.importers.releases import release_label
from directory.importers.samhsa import ImportSummary

SHOWN_NOT_LOCATED = 20
SHOWN_CONFLICTS = 50
SHOWN_REVIEWS = 20


def print_summary(summary: ImportSummary, echo: Callable[[str], None]) -> None:
    for message in summary.file_errors:
        echo(f"Error: {message}; nothing was imported from it.")
    for message in summary.warnings:
        echo(f"Warning: {message}")
    for rejection in summary.rejected:
        echo(f"Rejected {rejection.path}, line {rejection.line}: {rejection.reason}")
    kind = "full" if summary.full else "partial"
    scope = " and ".join(name.replace("_", " ") for name in summary.scope) or "no directory"
    prefix = "Dry run, nothing was changed. " if summary.dry_run else ""
    would = "would be " if summary.dry_run else ""
    echo(f"{prefix}Release {summary.source} {release_label(summary.release)} ({kind}; {scope}).")
    echo(
        f"Rows read: {summary.read}; rejected: {len(summary.rejected)}. "
        f"Listings {would}created: {summary.created}, updated: {summary.updated}, "
        f"unchanged: {summary.unchanged}; facilities in both directories: {summary.merged}."
    )
    echo(
        f"Identity: linked by facility_id: {summary.linked_by_id}, by name and address: "
        f"{summary.linked_by_key}, by similarity: {len(summary.linked_by_similarity)}. "
        f"Withdrawn (not in this release): {summary.withdrawn}; restored: {summary.restored}; "
        f"kept for an admin to confirm: {len(summary.to_confirm)}; "
        f"possible duplicates queued: {len(summary.possible_duplicates)}."
    )
    if summary.replanned:
        echo(
            f"Changed by someone while this import ran (re-read, their change kept): "
            f"{summary.replanned}"
        )
    if summary.zip_repaired:
        echo(f"ZIPs given back their leading zeros: {len(summary.zip_repaired)}")
    if summary.codes_added:
        echo(f"Service codes added from the release's code list: {summary.codes_added}")
    if summary.unknown_codes:
        codes = ", ".join(f"{code} ({n})" for code, n in summary.unknown_codes.most_common())
        echo(f"Unknown service codes (ignored): {codes}")
    _print_list("Linked by similarity", summary.linked_by_similarity, SHOWN_REVIEWS, echo)
    _print_list(
        "Possible duplicates (imported separately, queued for an admin)",
        summary.possible_duplicates,
        SHOWN_REVIEWS,
        echo,
    )
    _print_list(
        "Not in this release but claimed or changed by people (kept active, queued for an admin)",
        summary.to_confirm,
        SHOWN_REVIEWS,
        echo,
    )
    _print_list("ZIPs repaired", summary.zip_repaired, SHOWN_REVIEWS, echo)
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
