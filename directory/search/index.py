"""Searching the directory: the process's matcher index, kept in step with the database.

Each process holds one ``ProviderIndex`` built from every listing. Before each search it
reads the catalog revision (one indexed row); when another request or process changed
listings since, it reloads just those listings named in the change log and patches the
index (a bulk change, such as an import, rebuilds it), so a search never sees a listing as
it was before a committed change. The cards of the listings shown are kept with the index
and dropped with it, so showing a page needs no query once its listings have been shown
since they last changed. The index is built from a core ``select`` of just the
columns it needs, streamed in chunks straight into numpy columns (no ORM objects, no record
per listing).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Text, cast, func, select

from directory.extensions import db
from directory.matching import ProviderIndex
from directory.matching.index import MASK_FIELDS, IndexColumns
from directory.models import Listing
from directory.models.catalog import changes_since, current_revision
from directory.models.listing import ACTIVE
from directory.models.reach_report import HELPED, ReachReport
from directory.web.metrics import index_refreshed

# When a caller last said they reached each listing and it can help (freshness counts it).
LAST_HELPED = (
    select(ReachReport.listing_id, func.max(ReachReport.created_at).label("at"))
    .where(ReachReport.outcome == HELPED)
    .group_by(ReachReport.listing_id)
    .subquery("last_helped")
)
# The columns the index is built from, in ``IndexColumns.ROW_FIELDS`` order: the listing's,
# then the caller's confirmation. Families are read as their stored JSON text, decoded once
# per distinct value rather than per row.
INDEX_COLUMNS = (
    *(
        cast(column, Text) if name in MASK_FIELDS.values() else column
        for name in IndexColumns.ROW_FIELDS
        if name != "last_helped_at"
        for column in (getattr(Listing, name),)
    ),
    LAST_HELPED.c.at,
)
CHUNK_ROWS = 5_000


@dataclass(frozen=True)
class CatalogView:
    """What searches read as of one catalog revision: the matcher index, and the cards of
    the listings shown since (listing id -> card, filled by ``directory.search.pages``).

    A change makes a new view: a patch keeps the cards of the listings it did not touch, a
    rebuild none, so a card is never older than the revision it is read at."""

    index: ProviderIndex
    cards: dict = field(default_factory=dict)


@dataclass
class _Catalog:
    """One app's view of the catalog and the revision it was built at."""

    revision: int = -1
    view: CatalogView | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    rebuilds: int = 0
    patches: int = 0

    @property
    def index(self) -> ProviderIndex | None:
        return None if self.view is None else self.view.index


def provider_index() -> ProviderIndex:
    """The matcher index as of the latest committed change."""
    return catalog_view().index


def catalog_view() -> CatalogView:
    """The index and listing cards as of the latest committed change."""
    catalog = current_app.extensions.setdefault("directory.catalog", _Catalog())
    revision = current_revision(db.engine)
    if catalog.revision != revision or catalog.view is None:
        with catalog.lock:
            if catalog.revision != revision or catalog.view is None:
                catalog.view = _refreshed(catalog, revision)
                catalog.revision = revision
    return catalog.view


def _refreshed(catalog: _Catalog, revision: int) -> CatalogView:
    """The view patched with the listings changed since it was built, or rebuilt."""
    started = time.perf_counter()
    changed = None
    if catalog.view is not None and catalog.revision < revision:
        changed = changes_since(db.session, catalog.revision, revision)
    if changed is None:
        catalog.rebuilds += 1
        view = CatalogView(load_index())
    else:
        catalog.patches += 1
        index = catalog.view.index.patched(changed, load_columns(changed).arrays())
        kept = {key: card for key, card in catalog.view.cards.items() if key not in changed}
        view = CatalogView(index, kept)
    index_refreshed("rebuild" if changed is None else "patch", time.perf_counter() - started)
    return view


def load_index() -> ProviderIndex:
    """The matcher index over every listing, streamed from the database in chunks of rows."""
    return load_columns().index()


def load_columns(ids: set[str] | None = None) -> IndexColumns:
    """Index columns of every active listing, or of those with these ids (withdrawn and merged
    listings are not searched: a patch drops them)."""
    query = (
        select(*INDEX_COLUMNS)
        .select_from(Listing)
        .outerjoin(LAST_HELPED, LAST_HELPED.c.listing_id == Listing.id)
        .where(Listing.name != "", Listing.status == ACTIVE)
    )
    columns = IndexColumns()
    batches = [None] if ids is None else _batches(sorted(ids), 500)
    for batch in batches:
        selected = query if batch is None else query.where(Listing.id.in_(batch))
        rows = db.session.execute(selected, execution_options={"yield_per": CHUNK_ROWS})
        for chunk in rows.partitions():
            columns.add_rows(chunk)
    return columns


def _batches(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]
