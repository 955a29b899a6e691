"""SQLAlchemy models, one module per aggregate.

Listings, their reviewed edits, claims, the audit log, problem reports, callers' "did you
reach them?" answers, accounts, partners, directory releases and their review queue, the
catalog revision with its change log, and the mail outbox.
"""

from directory.models.account import Account
from directory.models.audit import AuditEntry
from directory.models.catalog import CatalogRevision, ListingChange
from directory.models.claim import Claim
from directory.models.feed import ListingFeedEntry
from directory.models.listing import VOCABULARY_COLUMNS, Listing
from directory.models.listing_edit import ListingEdit
from directory.models.outgoing_mail import OutgoingMail
from directory.models.partner import KeyRequest, Partner
from directory.models.problem_report import ProblemReport
from directory.models.reach_report import ReachReport
from directory.models.release import ListingReview, Release
from directory.models.verification_request import VerificationRequest

__all__ = [
    "Account",
    "AuditEntry",
    "CatalogRevision",
    "Claim",
    "Listing",
    "ListingChange",
    "ListingEdit",
    "ListingFeedEntry",
    "KeyRequest",
    "ListingReview",
    "OutgoingMail",
    "Partner",
    "ProblemReport",
    "ReachReport",
    "Release",
    "VOCABULARY_COLUMNS",
    "VerificationRequest",
]
