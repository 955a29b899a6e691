"""Where a listing came from, in words: never the raw ``hsds:<publisher>`` source, and a
release as people write it (SAMHSA 2023–24 with an en dash; a release named by its data's
date as a date, not "2026–12–02")."""

from __future__ import annotations

from directory.importers.releases import release_date, release_label
from tests.web.provider_support import make_listing


def test_a_span_of_years_gets_an_en_dash_and_nothing_else_does():
    assert release_label("2023-24") == "2023\u201324"
    assert release_label("2023-2024") == "2023\u20132024"
    assert release_label("2026-12-02") == "2026-12-02"  # a date keeps its hyphens
    assert release_label("spring-2025") == "spring-2025"
    assert release_label("2022") == "2022" and release_label(None) == ""
    assert release_date("2026-12-02").isoformat() == "2026-12-02"
    assert release_date("2023-24") is None and release_date("2026-13-40") is None


def test_a_publishers_listing_says_open_referral_and_who(client, db, admin_client):
    listing = make_listing(db, name="Harbor Clinic", source="hsds:la211", release="2026-12-02")
    page = client.get(f"/providers/{listing.id}").get_data(as_text=True)
    assert "Open Referral data from la211, Dec 2, 2026" in page
    assert "hsds:la211" not in page and "2026\u201312\u201302" not in page
    spanish = client.get(f"/providers/{listing.id}?lang=es").get_data(as_text=True)
    assert "Datos de Open Referral de la211, 2 dic 2026" in spanish
    history = admin_client.get(f"/admin/listings/{listing.id}").get_data(as_text=True)
    assert "Open Referral data from la211, Dec 2, 2026" in history and "hsds:la211" not in history


def test_a_samhsa_release_reads_with_an_en_dash(client, db):
    listing = make_listing(db, name="Harbor Clinic", source="samhsa", release="2023-24")
    page = client.get(f"/providers/{listing.id}").get_data(as_text=True)
    assert "SAMHSA national directory, 2023\u201324" in page and "2023-24" not in page


def test_a_withdrawn_publishers_listing_says_whose_data_dropped_it(client, db):
    listing = make_listing(db, name="Gone Clinic", source="hsds:la211", release="2026-11-01",
                           status="withdrawn")  # fmt: skip
    page = client.get(f"/providers/{listing.id}").get_data(as_text=True)
    assert "Not in the latest Open Referral data from la211 (Nov 1, 2026)" in page
    assert "SAMHSA" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    withdrawn = client.get(f"/api/v1/providers/{listing.id}").get_json()["withdrawn"]
    assert withdrawn["message"].startswith("Not in the latest Open Referral data from la211")


def test_the_quality_dashboard_names_each_source(db, admin_client):
    make_listing(db, name="A", source="hsds:la211", release="2026-12-02")
    make_listing(db, name="B", source="samhsa", release="2022")
    make_listing(db, name="C", source="provider")
    page = admin_client.get("/admin/quality").get_data(as_text=True)
    by_source = page[page.index("By source") :]
    by_source = by_source[: by_source.index("</table>")]
    for label in ("Open Referral data from la211", "SAMHSA national directory", "The provider"):
        assert f'<th scope="row">{label}</th>' in by_source
    assert "hsds:la211" not in by_source
    csv_text = admin_client.get("/admin/quality.csv").get_data(as_text=True)
    assert "source,hsds:la211," in csv_text  # the download keeps the codes, for machines
