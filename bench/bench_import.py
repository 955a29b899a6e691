"""Import speed: the two 2022 directories into an empty SQLite database, the same release
again, then a newer release (``tests.synthetic_release``, built from the 2022 data) over them
as a dry run and for real.

    python -m bench.bench_import        # needs ../shared/data/samhsa-2022

Prints wall-clock and CPU seconds per step (CPU time is the figure to compare on a busy
machine) and the listing counts after each step.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from directory import create_app
from directory.extensions import db
from directory.importers.releases import BUNDLED_FILES
from directory.importers.store import import_directories
from directory.models import Listing
from tests.synthetic_release import write_newer_release

SAMHSA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "samhsa-2022"


def timed(label: str, step) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    summary = step()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    active = db.session.scalar(
        select(func.count()).select_from(Listing).where(Listing.status == "active")
    )
    total = db.session.scalar(select(func.count()).select_from(Listing))
    print(
        f"{label:<40} {wall:6.1f} s wall {cpu:6.1f} s CPU   created {summary.created:>6} "
        f"updated {summary.updated:>6} unchanged {summary.unchanged:>6} withdrawn "
        f"{summary.withdrawn:>4} by similarity {len(summary.linked_by_similarity):>4} "
        f"possible duplicates {len(summary.possible_duplicates):>3}   active {active} of {total}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"})
        with app.app_context():
            upgrade()
            csvs = sorted(SAMHSA_DIR.glob("*_facilities_2022.csv"))
            newer = write_newer_release(SAMHSA_DIR, Path(folder) / "national_2023-24.csv")

            def run(paths, dry_run=False):
                summary = import_directories(db.session, paths)
                db.session.rollback() if dry_run else db.session.commit()
                return summary

            timed("2022, both CSVs (empty directory)", lambda: run(csvs))
            timed("2022 again (all unchanged)", lambda: run(csvs))
            timed("newer release, dry run", lambda: run([newer.path], dry_run=True))
            timed("newer release", lambda: run([newer.path]))
            timed("newer release again (idempotent)", lambda: run([newer.path]))
            db.session.query(Listing).delete()
            db.session.commit()
            timed("2022, shipped .csv.xz (empty directory)", lambda: run(BUNDLED_FILES))
            print(f"newer release: {newer.facilities} facilities, {newer.closed} closed, "
                  f"{newer.new} new, {newer.renamed} renamed, {newer.moved_suite} moved suite, "
                  f"{newer.respelled} respelled, {newer.stripped_zips} stripped ZIPs")  # fmt: skip


if __name__ == "__main__":
    main()
