"""SQLAlchemy models, one module per aggregate.

Room is left for the aggregates later issues add: provider accounts (``account``), pending
listing edits (``listing_edit``), the audit log (``audit``) and partners (``partner``).
"""

from directory.models.catalog import CatalogRevision
from directory.models.listing import VOCABULARY_COLUMNS, Listing

__all__ = ["CatalogRevision", "Listing", "VOCABULARY_COLUMNS"]
