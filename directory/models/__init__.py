"""SQLAlchemy models, one module per aggregate.

Room is left for the aggregates later issues add, such as partners (``partner``).
"""

from directory.models.account import Account
from directory.models.audit import AuditEntry
from directory.models.catalog import CatalogRevision
from directory.models.claim import Claim
from directory.models.listing import VOCABULARY_COLUMNS, Listing
from directory.models.listing_edit import ListingEdit
from directory.models.partner import Partner
from directory.models.problem_report import ProblemReport

__all__ = [
    "Account",
    "AuditEntry",
    "CatalogRevision",
    "Claim",
    "Listing",
    "ListingEdit",
    "Partner",
    "ProblemReport",
    "VOCABULARY_COLUMNS",
]
