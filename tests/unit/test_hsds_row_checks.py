"""import-hsds lets a row through on jsonschema-rs's word and asks jsonschema only about the
rows it doubts: that keeps exactly the rows jsonschema alone would keep only if jsonschema-rs
is never the laxer of the two. Every column of every table, with awkward values."""

from __future__ import annotations

import pytest

from directory.importers.hsds import _quick_check, _schemas, _table_schema, _validator

UUID = "ac148810-d857-441c-9679-408f346de14b"
AWKWARD = [
    UUID, UUID.upper(), f"urn:uuid:{UUID}", f"{{{UUID}}}", UUID.replace("-", ""), f" {UUID}",
    f"{UUID}\n", UUID[:-1] + "g", "00000000-0000-0000-0000-000000000000",
    "a@b", "a@b.example", "@", "a@", "a b@c.example", "x", "", " ",
    "http://example.org", "www.example.org", "http://example.org/ a", "mailto:a@b.example", "//x",
    "2026-12-02T10:00:00Z", "2026-12-02", "2026-12-02T10:00:00", "2026-13-02T10:00:00Z",
    "2026-12-02 10:00:00+01:00", "active", "inactive", "Active", "physical", "postal", "virtual",
    0, 1, -1, 1.5, 1e300, True, "12", "twelve",
]  # fmt: skip


def _value_for(rule: dict):
    if rule.get("enum"):
        return rule["enum"][0]
    if rule.get("type") == "number":
        return 1
    return UUID if rule.get("format") == "uuid" else "x"


def _base_row(schema: dict) -> dict:
    return {name: _value_for(schema["properties"][name]) for name in schema.get("required", ())}


@pytest.mark.parametrize("table", sorted(_schemas()))
def test_the_quick_check_is_never_laxer_than_jsonschema(table):
    schema = _table_schema(table)
    base = _base_row(schema)
    assert _validator(table).is_valid(base)  # the rows below differ from it in one column
    columns = [name for name, rule in schema["properties"].items() if rule.get("type") != "array"]
    for column in columns:
        for value in AWKWARD:
            row = {**base, column: value}
            if _quick_check(table).is_valid(row):
                assert _validator(table).is_valid(row), (table, column, value)
    for column in schema.get("required", ()):
        row = {name: value for name, value in base.items() if name != column}
        assert not _quick_check(table).is_valid(row) and not _validator(table).is_valid(row)
