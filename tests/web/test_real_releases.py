"""The real 2022 national directories, shipped with the project, then a newer release of them
in SAMHSA's current layout (built by ``tests.synthetic_release``): the directory is updated,
not doubled. The session's one import of the real directory (``national_directory``), then
the newer release on a copy of it, on SQLite; skipped where ../shared is absent."""

from __future__ import annotations

import lzma

import pytest
from sqlalchemy import func, select

from directory.importers.releases import BUNDLED_FILES
from directory.models import Listing, Release
from tests.conftest import SAMHSA_DIR
from tests.synthetic_release import write_newer_release

pytestmark = pytest.mark.skipif(
    not SAMHSA_DIR.exists(), reason="../shared/data/samhsa-2022 is not here"
)


def test_the_shipped_directories_are_the_2022_files_as_published():
    assert [path.name for path in BUNDLED_FILES] == [
        "mental_health_facilities_2022.csv.xz", "substance_use_facilities_2022.csv.xz"]  # fmt: skip
    assert sum(path.stat().st_size for path in BUNDLED_FILES) < 1_000_000
    for path in BUNDLED_FILES:
        published = SAMHSA_DIR / path.name.removesuffix(".xz")
        assert lzma.decompress(path.read_bytes()) == published.read_bytes()


def count(db, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(Listing).where(*where))


@pytest.mark.national_directory
def test_the_real_directory_then_a_newer_release_updates_instead_of_doubling(
    runner, db, tmp_path, national_directory
):
    first = national_directory  # ``import-samhsa --bundled --if-empty`` into an empty directory
    assert "Release samhsa 2022 (full; substance use and mental health)" in first.output
    assert "Rows read: 21213; rejected: 0." in first.output
    listed = count(db)
    assert 19_000 <= listed <= 19_200
    assert count(db, Listing.lat.is_(None)) <= 5
    skipped = runner.invoke(args=["import-samhsa", "--bundled", "--if-empty"])
    assert "already has listings; nothing was imported" in skipped.output

    newer = write_newer_release(SAMHSA_DIR, tmp_path / "national_directory_2023-24.csv")
    result = runner.invoke(args=["import-samhsa", str(newer.path)])
    assert result.exit_code == 0, result.output[-2000:]
    release = db.session.scalars(select(Release).where(Release.name == "2023-24")).one()
    counts = release.counts
    # Every continuing facility kept its listing; the closed ones are withdrawn, not deleted.
    assert count(db, Listing.status == "active") == pytest.approx(newer.facilities, abs=10)
    assert counts["created"] == pytest.approx(newer.new, abs=10)
    assert counts["withdrawn"] == pytest.approx(newer.closed, abs=10)
    changed = newer.renamed + newer.moved_suite + newer.respelled
    assert counts["linked_by_similarity"] >= 0.9 * changed
    assert counts["zip_repaired"] == newer.stripped_zips
    assert count(db) == listed + counts["created"]
    assert count(db, func.length(Listing.zip) != 5) == 0
    assert count(db, Listing.status == "active", Listing.release != "2023-24") == 0
    assert "Unknown service codes (ignored): NEWC" in result.output
