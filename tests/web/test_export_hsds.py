"""``flask export-hsds``: the directory as an HSDS 3.0 tabular data package."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from tests.web.test_hsds import SHARED, pages, sample  # noqa: F401  (the fixture)

OFFICIAL_PACKAGE = SHARED / "standards" / "hsds-3.0" / "datapackage.json"


def read_table(folder, name: str) -> list[dict]:
    with (folder / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_the_package_has_every_hsds_table_with_the_official_columns(
    runner,
    client,
    sample,  # noqa: F811
    tmp_path,
):
    result = runner.invoke(args=["export-hsds", str(tmp_path / "package")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "package"
    official = json.loads(OFFICIAL_PACKAGE.read_text(encoding="utf-8"))
    described = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert described["profile"] == "tabular-data-package"
    assert [r["name"] for r in described["resources"]] == [r["name"] for r in official["resources"]]
    for resource in official["resources"]:
        with (folder / resource["path"]).open(newline="", encoding="utf-8") as file:
            header = next(csv.reader(file))
        assert header == [field["name"] for field in resource["schema"]["fields"]], resource["path"]
    services = read_table(folder, "services.csv")
    api = pages(client, "/hsds/services")
    assert sorted(s["id"] for s in services) == sorted(s["id"] for s in api)
    assert {s["status"] for s in services} == {"active"}
    terms = {t["id"] for t in read_table(folder, "taxonomy_terms.csv")}
    attributes = read_table(folder, "attributes.csv")
    assert attributes and {a["taxonomy_term_id"] for a in attributes} <= terms
    addresses = read_table(folder, "addresses.csv")
    assert len(addresses) == len(services) and {a["country"] for a in addresses} == {"US"}
    assert f"service {len(services)}" in result.output


def test_a_zip_holds_the_same_package(runner, sample, tmp_path):  # noqa: F811
    result = runner.invoke(args=["export-hsds", str(tmp_path / "directory.zip")])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "directory.zip") as archive:
        assert {"datapackage.json", "services.csv", "taxonomies.csv"} <= set(archive.namelist())
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("organizations.csv"), "utf-8")))
    assert len(rows) > 150


def test_an_unusable_target_is_a_clear_error_not_a_traceback(runner, tmp_path):
    taken = tmp_path / "notes.txt"
    taken.write_text("mine")
    result = runner.invoke(args=["export-hsds", str(taken)])
    assert result.exit_code != 0 and "is a file" in result.output
    assert taken.read_text() == "mine"
    result = runner.invoke(args=["export-hsds", str(tmp_path / "missing" / "x.zip")])
    assert result.exit_code != 0 and "no folder" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
