"""A synthetic 'next release' of SAMHSA's directory, built from the real 2022 files.

SAMHSA's current layout is one file with ``facility_id`` and ``directory_type`` columns. This
writes the 2022 facilities in that layout with what a year does to a directory: some
facilities closed, some renamed, some moved suite or had their street respelled, ZIPs a
spreadsheet stripped of their leading zero, a new service code, and new facilities.
Deterministic (seeded), so tests and ``bench/bench_import.py`` see the same file.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from directory.importers.samhsa import REQUIRED_COLUMNS, facility_key

HEADER = [*REQUIRED_COLUMNS[:9], "intake2", "intake1a", "intake2a", "service_code_info"]
DIRECTORY_TYPES = {"substance_use": "Substance Use", "mental_health": "Mental Health"}
STREET_RESPELLINGS = (("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Drive", "Dr"))


@dataclass
class NewerRelease:
    path: Path
    facilities: int = 0  # distinct facility ids in the file
    closed: int = 0
    renamed: int = 0
    moved_suite: int = 0
    respelled: int = 0
    stripped_zips: int = 0
    new: int = 0
    new_code_rows: int = 0
    closed_ids: list[str] = field(default_factory=list)


def write_newer_release(samhsa_dir: Path, path: Path, seed: int = 2023) -> NewerRelease:
    """Write the synthetic release to ``path`` and say what it changed."""
    rng = random.Random(seed)
    facilities: dict[str, list[tuple[str, dict]]] = {}
    for directory in ("substance_use", "mental_health"):
        source = samhsa_dir / f"{directory}_facilities_2022.csv"
        with source.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                fields = {name.lower(): value for name, value in row.items()}
                facilities.setdefault(facility_key(fields), []).append((directory, fields))
    release = NewerRelease(path)
    out = []
    for number, rows in enumerate(facilities.values(), start=1):
        fate = rng.random()
        if fate < 0.03:
            release.closed += 1
            continue
        change = _change(fate, rng, release)
        for directory, fields in rows:
            fields = dict(fields)
            change(fields)
            if fields["zip"].startswith("0") and rng.random() < 0.25:
                fields["zip"] = fields["zip"][1:]
                release.stripped_zips += 1
            if rng.random() < 0.05:
                fields["service_code_info"] += " * NEWC"
                release.new_code_rows += 1
            out.append([f"F{number:05d}", DIRECTORY_TYPES[directory], fields])
    templates = [rows[0] for rows in facilities.values()]
    for number in range(1, len(facilities) * 15 // 1000 + 1):
        directory, fields = rng.choice(templates)
        fields = dict(fields, name1=f"New Directions Recovery {number}", name2="", street2="")
        fields.update(street1=f"{100 + number} Commerce Boulevard", intake1="")
        fields["phone"] = f"555-{number // 10000:03d}-{number % 10000:04d}"
        out.append([f"N{number:05d}", DIRECTORY_TYPES[directory], fields])
        release.new += 1
    release.facilities = len({facility_id for facility_id, _, _ in out})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["facility_id", "directory_type", *HEADER])
        for facility_id, kind, fields in out:
            writer.writerow([facility_id, kind, *(fields.get(name, "") for name in HEADER)])
    return release


def _change(fate: float, rng: random.Random, release: NewerRelease):
    """What happened to one facility this year (the same for each of its rows)."""
    if fate < 0.05:
        release.renamed += 1
        return lambda fields: fields.update(name1=fields["name1"] + " Services")
    if fate < 0.07:
        release.moved_suite += 1
        suite = f"Suite {rng.randint(100, 499)}"
        return lambda fields: fields.update(street2=suite)
    if fate < 0.08:
        release.respelled += 1
        return _respell
    return lambda fields: None


def _respell(fields: dict) -> None:
    street = fields["street1"]
    for long, short in STREET_RESPELLINGS:
        if long in street:
            fields["street1"] = street.replace(long, short)
            return
    fields["street1"] = street.upper()
