"""Import an HSDS 3.0 tabular data package (another directory's publication, or our own
``flask export-hsds``) into listings of the source ``hsds:<publisher>``.

The package is a folder or a zip with ``datapackage.json`` and one CSV per HSDS table. Every
row is checked against Open Referral's compiled tabular schema (``hsds-3.0-tabular.json``,
Open Referral's own file, unchanged): first by ``jsonschema-rs`` (compiled, fast), and a row it
doubts by ``jsonschema``, whose decision and reasons stand. A bad row is reported with its file,
line, record id and reason, and only that row is lost. A file that cannot be read at all is an
``ImportFileError``.

One listing is one service at one location (HSDS ``service_at_location``), with its
organization's name, the location's address and point, the phones linked to any of them, and
the attributes whose taxonomy terms map onto our vocabulary: our own published terms by id or
by taxonomy and code, others through the editable table ``data/hsds_terms.csv``. Terms that
map onto nothing are kept in the listing's ``source_codes`` (never dropped) and counted.
The service-at-location id (the service id for a service with no location) is the listing's
``facility_id``: its identity from one release to the next. Writing goes through the same
identity, release, withdrawal and people-first rules as SAMHSA imports (``importers.store``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select

from directory.geo.place import place_address
from directory.hsds.mapping import LANGUAGE_CODES, TAXONOMY_FAMILIES, TERMS_BY_ID
from directory.importers.csv_records import csv_records
from directory.importers.releases import ReleaseError, release_name
from directory.importers.samhsa import (
    FacilityPlan,
    ImportFileError,
    ImportSummary,
    Rejection,
    _decode,
)
from directory.importers.store import ReleaseImport, apply_plan
from directory.models.release import Release
from directory.operations.accounts import is_valid_email
from directory.vocabulary import LISTING_FIELDS, US_STATES

HSDS_DIR = Path(__file__).resolve().parent.parent / "hsds"
TABULAR_SCHEMA = HSDS_DIR / "hsds-3.0-tabular.json"
OFFICIAL_PACKAGE = HSDS_DIR / "hsds-3.0-datapackage.json"
TERM_TABLE = Path(__file__).resolve().parent.parent / "data" / "hsds_terms.csv"
# The tables a listing is made of; the others (contacts, funding, …) are read by no one here.
USED = (
    "organization", "service", "location", "address", "phone", "service_at_location",
    "language", "attribute", "taxonomy", "taxonomy_term", "schedule",
)  # fmt: skip
# Attributes are most of a package's rows (32 per listing in our own export): of each, only
# what a listing reads is kept once it is checked, its repeated ids stored once (sys.intern).
KEPT_COLUMNS = {"attribute": ("link_id", "taxonomy_term_id", "value")}
SCOPE = "hsds"  # a publisher's full release speaks for all of its listings
MAX_PUBLISHER = 15  # "hsds:" + this fits the listing's 20-character source
_PUBLISHER = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_FOLD = re.compile(r"[^a-z0-9]+")
_STATE_NAMES = {name.lower(): code for code, name in US_STATES.items()}
_LANGUAGES = {three: two for two, three in LANGUAGE_CODES.items()}


class PublisherError(ReleaseError):
    """A publisher name that cannot name a source."""


def source_of(publisher: str) -> str:
    """``hsds:<publisher>``, the source an HSDS import's listings belong to."""
    name = publisher.strip().lower()
    if not _PUBLISHER.match(name) or len(name) > MAX_PUBLISHER:
        raise PublisherError(
            f"--publisher {publisher!r} cannot name a source: use at most {MAX_PUBLISHER} "
            "lower-case letters, digits, '.', '-' or '_', for example la211"
        )
    return f"hsds:{name}"


def default_publisher(package: dict) -> str:
    """The package's ``name`` folded to a publisher (``human_services_data`` ->
    ``human_services``), cut at a word boundary to fit."""
    name = _FOLD.sub("_", str(package.get("name") or "").lower()).strip("_") or "hsds"
    while len(name) > MAX_PUBLISHER and "_" in name:
        name = name.rsplit("_", 1)[0]
    return name[:MAX_PUBLISHER]


# --- reading a package ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    table: str
    path: str  # the file, as the report names it
    line: int
    values: dict


@dataclass
class Package:
    description: dict  # its datapackage.json
    records: dict[str, list[Record]]
    unused: Counter = field(default_factory=Counter)  # rows of tables no listing uses


def read_package(path: Path, summary: ImportSummary, progress: Callable | None = None) -> Package:
    """Every row of the tables listings use, each checked against the HSDS schema; bad rows
    go to ``summary.rejected``. Raises ImportFileError when ``path`` is no package at all."""
    files = _PackageFiles(path)
    description = files.description()
    paths = {r.get("name"): r.get("path") for r in description.get("resources", []) if r}
    official = {r["name"]: r["path"] for r in _official()["resources"]}
    records: dict[str, list[Record]] = {}
    unused: Counter = Counter()
    for table, default in official.items():
        name = paths.get(table) or default
        text = files.text(str(name), summary.warnings)
        if text is None:
            continue
        if table not in USED:
            header, rows = csv_records(text)
            unused[table] = sum(1 for _ in rows) if header else 0
            continue
        records[table] = _table_records(table, str(name), text, summary, progress)
    if "service" not in records:
        raise ImportFileError(
            "there is no services.csv: an HSDS data package has datapackage.json and one "
            "CSV per table (services.csv, organizations.csv, locations.csv, …)"
        )
    return Package(description, records, unused)


@cache
def _official() -> dict:
    return json.loads(OFFICIAL_PACKAGE.read_text(encoding="utf-8"))


class _PackageFiles:
    """The files of a package in a folder, a zip, or beside the datapackage.json given."""

    def __init__(self, path: Path):
        if path.is_dir():
            self.folder, self.archive = path, None
        elif path.name.lower() == "datapackage.json" and path.is_file():
            self.folder, self.archive = path.parent, None
        elif zipfile.is_zipfile(path):
            self.folder, self.archive = None, zipfile.ZipFile(path)
        elif path.exists():
            raise ImportFileError(
                f"{path.name} is not an HSDS data package: give its folder, its "
                "datapackage.json or a .zip of it"
            )
        else:
            raise ImportFileError(f"there is no {path}")

    def _read(self, name: str) -> bytes | None:
        try:
            if self.archive is not None:
                names = {Path(n).name: n for n in self.archive.namelist()}
                if name not in names:
                    return None
                return self.archive.read(names[name])
            file = self.folder / name
            if not file.is_file():
                return None
            return file.read_bytes()
        except (OSError, zipfile.BadZipFile) as error:
            raise ImportFileError(f"cannot read {name}: {error}") from None

    def description(self) -> dict:
        data = self._read("datapackage.json")
        if data is None:
            return {}
        try:
            described = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportFileError(f"datapackage.json is not valid JSON: {error}") from None
        if not isinstance(described, dict):
            raise ImportFileError("datapackage.json is not a data package description")
        return described

    def text(self, name: str, warnings: list[str]) -> str | None:
        data = self._read(Path(name).name)
        if data is None:
            return None
        if data.startswith(b"PK\x03\x04") or b"\x00" in data[:1024]:
            raise ImportFileError(f"{name} is binary, not CSV text")
        return _decode(data, warnings)


def _table_records(
    table: str, name: str, text: str, summary: ImportSummary, progress: Callable | None
) -> list[Record]:
    header, rows = csv_records(text)
    if not header or not any(header):
        return []
    if progress is not None:  # checking rows is most of an import's time: show it
        rows = progress(list(rows))
    columns = [column.strip().lower() for column in header]
    if "id" not in columns:
        summary.file_errors.append(f"{name}: has no id column; its rows were not read")
        return []
    schema, quick = _table_schema(table), _quick_check(table)
    kept_columns = KEPT_COLUMNS.get(table)
    kept = []
    for row in rows:
        summary.read += 1
        values = dict(zip(columns, (v.strip() for v in row.values), strict=False))
        problem = row.problem or _width_problem(row.values, columns)
        if not problem:
            values, problem = _typed(values, schema), ""
            if not quick.is_valid(values):
                errors = sorted(_validator(table).iter_errors(values), key=lambda e: list(e.path))
                if errors:
                    problem = "; ".join(_reason(error) for error in errors[:3])
        if problem:
            record_id = values.get("id") or "with no id"
            summary.rejected.append(Rejection(name, row.line, f"{table} {record_id}: {problem}"))
            continue
        if kept_columns is not None:
            values = {key: _interned(values[key]) for key in kept_columns if key in values}
        kept.append(Record(table, name, row.line, values))
    return kept


def _interned(value):
    return sys.intern(value) if isinstance(value, str) else value


def _width_problem(values: list[str], columns: list[str]) -> str:
    if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
        return f"row has {len(values)} fields; the header has {len(columns)}"
    return ""


def _reason(error) -> str:
    where = ".".join(str(part) for part in error.path)
    return f"{where}: {error.message}" if where else error.message


@cache
def _schemas() -> dict:
    return json.loads(TABULAR_SCHEMA.read_text(encoding="utf-8"))["properties"]


@cache
def _table_schema(table: str) -> dict:
    return _schemas()[table]["items"]


@cache
def _validator(table: str) -> Draft202012Validator:
    return Draft202012Validator(_table_schema(table), format_checker=FormatChecker())


@cache
def _quick_check(table: str):
    """The same schema compiled by jsonschema-rs, about thirty times faster: its "valid" lets
    a row through at once, its "invalid" only sends the row to ``_validator``. It is never the
    laxer of the two for what these schemas check (types, enums, required fields; the formats
    uuid, email, uri and date-time: tests/unit/test_hsds_row_checks.py), so a row is kept
    exactly when ``jsonschema`` alone would keep it. Nested lists (their rows are in their own
    tables, and ``_typed`` never passes them) are left out: their items refer to other files."""
    schema = dict(_table_schema(table))
    schema["properties"] = {
        name: rule for name, rule in schema["properties"].items() if rule.get("type") != "array"
    }
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _typed(values: dict, schema: dict) -> dict:
    """A CSV row as the schema's types: an empty cell is absent (present but empty only for
    a required field); a number column's text is a number when it reads as one."""
    properties, required = schema["properties"], set(schema.get("required", ()))
    typed = {}
    for name, text in values.items():
        kind = properties.get(name, {}).get("type", "string")
        if kind == "array":
            continue  # a nested list: its rows are in their own table
        if text == "":
            if name in required:
                typed[name] = ""
            continue
        typed[name] = _number(text) if kind == "number" else text
    return typed


def _number(text: str):
    try:
        number = float(text)
    except ValueError:
        return text  # the schema says what is wrong with it
    return int(number) if number.is_integer() and "." not in text else number


# --- terms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MappedTerm:
    family: str
    code: str


@cache
def term_table() -> dict[tuple[str, str], MappedTerm]:
    """{(taxonomy, term code or name), folded: our term} from ``data/hsds_terms.csv``."""
    table = {}
    with TERM_TABLE.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(line for line in file if not line.startswith("#")):
            family, code = row["family"].strip(), row["code"].strip()
            if family in TAXONOMY_FAMILIES and code in TAXONOMY_FAMILIES[family].codes:
                table[(_fold(row["taxonomy"]), _fold(row["term"]))] = MappedTerm(family, code)
    return table


def _fold(text: str) -> str:
    return " ".join(_FOLD.sub(" ", (text or "").lower()).split())


class Terms:
    """The package's taxonomy terms, each read as one of our terms where one fits."""

    def __init__(self, records: dict[str, list[Record]]):
        taxonomies = {r.values["id"]: r.values for r in records.get("taxonomy", [])}
        self.terms = {r.values["id"]: r.values for r in records.get("taxonomy_term", [])}
        self.taxonomy_of = {
            term_id: taxonomies.get(term.get("taxonomy_id", ""), {}).get("name", "")
            for term_id, term in self.terms.items()
        }

    def mapped(self, term_id: str, value: str = "") -> MappedTerm | None:
        ours = TERMS_BY_ID.get(term_id)
        if ours is not None:
            return MappedTerm(ours.family.code, ours.term.code)
        term = self.terms.get(term_id)
        if term is None:
            return None
        names = {_fold(term.get("taxonomy", "")), _fold(self.taxonomy_of[term_id])} - {""}
        words = [_fold(term.get("code", "")), _fold(term.get("name", "")), _fold(value)]
        for taxonomy in names:
            for word in filter(None, words):
                found = term_table().get((taxonomy, word)) or _our_family_term(taxonomy, word)
                if found:
                    return found
        return None

    def kept_as(self, term_id: str, value: str) -> str:
        """How a term that maps onto nothing is kept: ``taxonomy:code``."""
        term = self.terms.get(term_id, {})
        taxonomy = term.get("taxonomy") or self.taxonomy_of.get(term_id) or "term"
        return f"{taxonomy}:{term.get('code') or term.get('name') or value or term_id}"[:200]


@cache
def _families_by_name() -> dict[str, str]:
    names = {}
    for family in TAXONOMY_FAMILIES.values():
        names[_fold(family.code)] = names[_fold(str(family.label))] = family.code
    return names


def _our_family_term(taxonomy: str, word: str) -> MappedTerm | None:
    """Our own taxonomies republished under their code or English name."""
    family = TAXONOMY_FAMILIES.get(_families_by_name().get(taxonomy, ""))
    if family is None:
        return None
    for term in family.terms:
        if word in (_fold(term.code), _fold(str(term.label))):
            return MappedTerm(family.code, term.code)
    return None


# --- planning listings ------------------------------------------------------------------


@dataclass
class HsdsSummary(ImportSummary):
    inactive: int = 0  # services the package marks inactive: not imported
    unmapped_terms: Counter = field(default_factory=Counter)
    schedules: int = 0
    unused_tables: Counter = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        return {
            **super().counts(),
            "inactive": self.inactive,
            "unmapped_terms": sum(self.unmapped_terms.values()),
        }


def _by(records: list[Record], key: str) -> dict[str, list[dict]]:
    grouped = defaultdict(list)
    for record in records:
        if record.values.get(key):
            grouped[record.values[key]].append(record.values)
    return grouped


class _Index:
    """The package's rows by the ids that link them."""

    def __init__(self, records: dict[str, list[Record]]):
        def table(name):
            return records.get(name, [])

        self.organizations = {r.values["id"]: r.values for r in table("organization")}
        self.locations = {r.values["id"]: r.values for r in table("location")}
        self.addresses = _by(table("address"), "location_id")
        self.at_locations = _by(table("service_at_location"), "service_id")
        self.attributes = _by(table("attribute"), "link_id")
        self.phones = {
            owner: _by(table("phone"), owner)
            for owner in ("service_at_location_id", "service_id", "location_id", "organization_id")
        }
        self.languages = {
            owner: _by(table("language"), owner) for owner in ("service_id", "location_id")
        }
        self.terms = Terms(records)


def plan_package(package: Package, source: str, summary: HsdsSummary) -> dict[str, FacilityPlan]:
    """{key: plan}, one per service at a location (a service at none is one listing)."""
    index = _Index(package.records)
    summary.schedules = len(package.records.get("schedule", []))
    summary.unused_tables = package.unused
    plans: dict[str, FacilityPlan] = {}
    for record in package.records.get("service", []):
        service = record.values
        if service.get("status") == "inactive":
            summary.inactive += 1
            continue
        for at_location in index.at_locations.get(service["id"]) or [None]:
            plan = _plan(service, at_location, index, source, summary, record)
            if plan.key in plans:  # the same place twice: one listing, and its terms too
                kept = plans[plan.key]
                codes = sorted(set(kept.source_codes[SCOPE]) | set(plan.source_codes[SCOPE]))
                kept.source_codes[SCOPE] = codes
                summary.merged += 1
                continue
            plans[plan.key] = plan
    return plans


def _plan(service, at_location, index: _Index, source, summary, record) -> FacilityPlan:
    organization = index.organizations.get(service.get("organization_id", ""), {})
    location = index.locations.get((at_location or {}).get("location_id", ""), {})
    address = _address(index.addresses.get(location.get("id", ""), []))
    linked = [service["id"], organization.get("id"), location.get("id")]
    if at_location:
        linked.append(at_location["id"])
    name = organization.get("name") or service["name"]
    program = service["name"] if _fold(service["name"]) != _fold(name) else ""
    state = _state(address.get("state_province", ""), address.get("country", ""))
    if address.get("state_province") and not state:
        summary.warnings.append(
            f"{record.path}, line {record.line}: service {service['id']}: "
            f"its address's state {address['state_province']!r} is not a US state; "
            "listed without one"
        )
    main, intake = _phones(index, service, at_location, location, organization)
    fields = {
        "name1": name[:300], "name2": program[:300],
        "street1": address.get("address_1", "")[:300],
        "street2": address.get("address_2", "")[:300],
        "city": address.get("city", "")[:120], "state": state,
        "zip": address.get("postal_code", "")[:10] if state else "",
        "phone": main, "intake1": intake,
    }  # fmt: skip
    families, kept = _vocabulary(index, linked, service, location, summary)
    key = _key(source, fields)
    facility_id = (at_location or service)["id"][:40]
    values = {
        "source": source,
        "source_key": key,
        "facility_id": facility_id,
        "name": fields["name1"],
        "program_name": fields["name2"],
        "street": fields["street1"],
        "street2": fields["street2"],
        "city": fields["city"],
        "state": state,
        "zip": fields["zip"],
        "phone": main,
        "intake_phone": intake,
        "website": (service.get("url") or organization.get("website") or "")[:500],
        "description": service.get("description") or organization.get("description") or "",
        "intake_email": _intake_email(service, organization),
        **families,
        **_point(location, fields),
    }
    return FacilityPlan(key, fields, {SCOPE: kept}, {SCOPE}, facility_id, values)


def _intake_email(service: dict, organization: dict) -> str | None:
    """The publisher's e-mail for the service, else its organization's (HSDS locations have
    none): kept private, only to ask an unclaimed listing to confirm itself. One that is not
    a usable address is left out rather than repaired or guessed."""
    for owner in (service, organization):
        address = str(owner.get("email") or "").strip().lower()
        if address and is_valid_email(address):
            return address
    return None


def _address(addresses: list[dict]) -> dict:
    """The location's physical address (else its first)."""
    for address in addresses:
        if address.get("address_type") == "physical":
            return address
    return addresses[0] if addresses else {}


def _state(text: str, country: str) -> str:
    if country and country.upper() not in ("US", "USA"):
        return ""
    if text.upper() in US_STATES:
        return text.upper()
    return _STATE_NAMES.get(text.lower(), "")


def _phones(index: _Index, service, at_location, location, organization) -> tuple[str, str]:
    """(main, intake) numbers, from the phones nearest the service: its place's, its own,
    its location's, then its organization's."""
    owners = [
        ("service_at_location_id", (at_location or {}).get("id")),
        ("service_id", service["id"]),
        ("location_id", location.get("id")),
        ("organization_id", organization.get("id")),
    ]
    main = intake = ""
    for owner, owner_id in owners:
        for phone in index.phones[owner].get(owner_id or "", []):
            number = _number_text(phone)
            if not number or len(number) > 40:
                continue
            if _fold(phone.get("description", "")).startswith("intake"):
                intake = intake or number
            elif phone.get("type", "voice") in ("voice", "cell", "") or not main:
                main = main or number
        if main:
            break
    return main, intake


def _number_text(phone: dict) -> str:
    number = str(phone.get("number", "")).strip().strip('"').strip()
    extension = str(phone.get("extension", "")).strip()
    return f"{number} ext. {extension}" if number and extension else number


def _vocabulary(index: _Index, linked, service, location, summary) -> tuple[dict, list[str]]:
    """(listing fields from the mapped terms, every term as kept in ``source_codes``)."""
    found: dict[str, list[str]] = defaultdict(list)
    kept: set[str] = set()
    for owner in filter(None, linked):
        for attribute in index.attributes.get(owner, []):
            term_id, value = attribute.get("taxonomy_term_id", ""), attribute.get("value", "")
            mapped = index.terms.mapped(term_id, value)
            if mapped is None:
                unknown = index.terms.kept_as(term_id, value)
                kept.add(unknown)
                summary.unmapped_terms[unknown.split(":", 1)[0]] += 1
                continue
            kept.add(f"{mapped.family}:{mapped.code}")
            found[mapped.family].append(mapped.code)
    for owner, owner_id in (("service_id", service["id"]), ("location_id", location.get("id"))):
        for language in index.languages[owner].get(owner_id or "", []):
            code = (language.get("code") or "").lower()
            code = _LANGUAGES.get(code, code)
            if code in TAXONOMY_FAMILIES["language"].codes:
                found["language"].append(code)
                kept.add(f"language:{code}")
            elif code or language.get("name"):
                kept.add(f"language:{code or language['name']}")
                summary.unmapped_terms["language"] += 1
    return _listing_families(found), sorted(kept)


def _listing_families(found: dict[str, list[str]]) -> dict:
    """Listing columns: a family with no term is unknown (None), unless the package says it
    offers none of it (our ``none_offered`` taxonomy): then it is none ([], no telehealth)."""
    values = {}
    none = set(found.get("none_offered", ()))
    for family, column in LISTING_FIELDS.items():
        codes = TAXONOMY_FAMILIES[family].order(found.get(family, ()))
        values[column] = codes or ([] if family in none else None)
    dual = TAXONOMY_FAMILIES["dual_diagnosis"].order(found.get("dual_diagnosis", ()))
    values["dual_diagnosis"] = dual[0] if dual else None
    telehealth = True if found.get("delivery") else None
    values["telehealth"] = False if telehealth is None and "delivery" in none else telehealth
    return values


def _point(location: dict, fields: dict) -> dict:
    """The location's point when it has a valid one; the ZIP's or city's otherwise. A point
    that is the gazetteer's own centroid keeps its precision (a round trip changes nothing)."""
    placed = place_address(fields["zip"], fields["city"], fields["state"]) if fields["state"] else {
        "lat": None, "lon": None, "location_precision": None}  # fmt: skip
    lat, lon = location.get("latitude"), location.get("longitude")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return placed
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return placed
    if placed["lat"] is not None and abs(placed["lat"] - lat) + abs(placed["lon"] - lon) < 1e-6:
        return placed
    return {"lat": float(lat), "lon": float(lon), "location_precision": "address"}


def _key(source: str, fields: dict) -> str:
    parts = [fields[name] for name in ("name1", "name2", "street1", "street2")]
    parts.append(fields["zip"][:5])
    folded = "|".join(_fold(part) for part in parts)
    return hashlib.sha1(f"{source}|{folded}".encode(), usedforsecurity=False).hexdigest()


# --- the whole import -------------------------------------------------------------------


def import_package(
    session,
    path: Path,
    publisher: str | None = None,
    release: str | None = None,
    partial: bool = False,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> HsdsSummary:
    """Import one HSDS data package as a release of ``hsds:<publisher>``; the caller commits.
    Raises ImportFileError (no package) or ReleaseError (a bad --publisher or --release)."""
    summary = HsdsSummary(full=not partial)
    package = read_package(path, summary, progress)
    summary.source = source_of(publisher or default_publisher(package.description))
    as_of = data_date(session, package, summary.source)
    summary.release = release_name(release, [], as_of.date())
    summary.scope = [SCOPE]
    plans = plan_package(package, summary.source, summary)
    this = ReleaseImport(summary.release, [SCOPE], not partial, files=[path.name],
                         source=summary.source)  # fmt: skip
    actor = f"import of {path.name} ({summary.source})"[:300]
    apply_plan(session, plans, summary, actor=actor, data_as_of=as_of, release=this)
    return summary


def data_date(session, package: Package, source: str) -> datetime:
    """When the package's data is from: its services' newest ``last_modified``, else the
    package's ``created``, else (it does not say) the last import of this publisher, so a
    change people made since then is never overwritten (importers.store)."""
    stated = [_moment(r.values.get("last_modified")) for r in package.records["service"]]
    stated = [moment for moment in stated if moment]
    moment = max(stated) if stated else _moment(package.description.get("created"))
    if moment is None:
        moment = session.scalar(select(func.max(Release.imported_at)).where(
            Release.source == source))  # fmt: skip
    return moment or datetime.now(UTC).replace(tzinfo=None)


def _moment(text) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment and moment.tzinfo else moment


def print_hsds_summary(summary: HsdsSummary, echo: Callable[[str], None]) -> None:
    """The SAMHSA summary's figures, and what HSDS adds: inactive services, unmapped terms,
    tables no listing uses."""
    from directory.importers.report import print_summary

    print_summary(summary, echo)
    if summary.inactive:
        echo(f"Services marked inactive (not imported; withdrawn if we had them): "
             f"{summary.inactive}")  # fmt: skip
    if summary.unmapped_terms:
        terms = ", ".join(f"{name} ({n})" for name, n in summary.unmapped_terms.most_common())
        echo(
            "Taxonomy terms with no mapping onto our vocabulary (kept with the listing; add "
            f"them to directory/data/hsds_terms.csv to use them): {terms}"
        )
    if summary.schedules:
        echo(f"Schedules read but not kept (the directory has no opening hours yet): "
             f"{summary.schedules}")  # fmt: skip
    unused = {name: n for name, n in summary.unused_tables.items() if n}
    if unused:
        echo("Tables not used: " + ", ".join(f"{name} ({n})" for name, n in unused.items()))
