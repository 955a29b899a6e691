"""The referral list /list?ids=…: places compared side by side, what is wrong with an address
said in words (never a 5xx), merged listings followed, nothing kept on the server."""

from __future__ import annotations

import html
import re

import pytest

from directory.public.referral_list import MAX_PLACES, read_ids
from tests.factories import make_listing

pytestmark = pytest.mark.postgres


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def places(db):
    made = {
        "clinic": make_listing(
            "41701",
            name="Hazard Recovery Clinic",
            street="100 Main St",
            phone="606-439-1331 x4025",
            care_levels=["outpatient", "iop"],
            payments=["medicaid", "self_pay"],
            genders=["women"],
            availability="accepting",
        ),  # fmt: skip
        "house": make_listing(
            "41701", name="Kentucky River House", care_levels=None, payments=[]
        ),  # fmt: skip
        "withdrawn": make_listing(
            "41701", name="Closed Place", status="withdrawn", source="samhsa"
        ),  # fmt: skip
    }
    made["merged"] = make_listing("41701", name="Old Name", status="merged",
                                  merged_into=made["clinic"].id)  # fmt: skip
    db.session.commit()
    return made


def test_the_list_compares_places_side_by_side(client, places):
    ids = f"{places['clinic'].id},{places['house'].id}"
    response = client.get(f"/list?ids={ids}&location=Hazard, KY")
    assert response.status_code == 200
    page = text(response)
    assert "Referral list: 2 places" in page
    row = page[page.index("Hazard Recovery Clinic") :]
    row = row[: row.index("</tr>")]
    assert "100 Main St, Hazard, KY 41701" in row and "606-439-1331 ext. 4025" in row
    assert 'href="tel:+1-606-439-1331;ext=4025"' in row
    assert "Outpatient" in row and "Intensive outpatient" in row
    assert "Medicaid" in row and "Accepting new clients" in row and "Women only" in row
    assert "ZIP area" in row  # the distance from Hazard, as on the results
    assert "Not reported — call to ask" in page and "None listed" in page
    assert "Distances from Hazard, KY" in page
    assert "Set-Cookie" not in response.headers  # nothing kept: the list is the address


def test_the_share_link_and_its_qr_code_are_short_and_clean(client, places):
    page = text(client.get(f"/list?ids={places['clinic'].id},{places['house'].id}&location="))
    link = re.search(r'id="share-link" type="text" readonly value="([^"]+)"', page).group(1)
    assert link.endswith(f"/list?ids={places['clinic'].id},{places['house'].id}")  # no location=
    assert page.count('class="qr-code"') == 2  # on the page and on the printed sheet
    assert "<path" in page and "<img" not in page.split("QR code")[1][:200]


def test_a_merged_listing_is_replaced_by_the_one_it_became(client, places):
    response = client.get(f"/list?ids={places['merged'].id},{places['house'].id}&lang=es")
    assert response.status_code == 301
    assert response.headers["Location"] == (
        f"/list?ids={places['clinic'].id},{places['house'].id}&lang=es"
    )


def test_unknown_withdrawn_and_malformed_ids_are_named_and_left_out(client, places):
    response = client.get(f"/list?ids={places['house'].id},ffffffffffff,<script>,"
                          f"{places['withdrawn'].id}")  # fmt: skip
    assert response.status_code == 200
    page = text(response)
    assert "Referral list: 1 place" in page
    assert "These are not listings of the directory, so they are left out: <script>, ffff" in page
    assert "&lt;script&gt;" in response.get_data(as_text=True)  # shown, never run
    assert "Closed Place is no longer in the directory" in page
    assert f'href="/providers/{places["withdrawn"].id}"' in page


def test_an_address_with_only_bad_ids_says_so_with_a_404(client, places):
    for ids in ("nothing", "0" * 16, "%00", "x" * 5000, ",,,"):
        response = client.get("/list", query_string={"ids": ids})
        assert response.status_code in (200, 404), ids
        assert "Referral list" in text(response)
    assert client.get("/list?ids=nothing").status_code == 404
    assert "Your list is empty" in text(client.get("/list"))


def test_too_many_places_keeps_the_first_and_says_how_many_were_left_out(client, db):
    made = [make_listing("80202", name=f"Denver Place {n}") for n in range(MAX_PLACES + 3)]
    db.session.commit()
    page = text(client.get("/list?ids=" + ",".join(listing.id for listing in made)))
    assert f"Referral list: {MAX_PLACES} places" in page
    assert f"A list holds at most {MAX_PLACES} places: the last 3 were left out." in page
    assert "Denver Place 0" in page and f"Denver Place {MAX_PLACES}" not in page


def test_a_place_that_cannot_be_found_is_said_on_its_field(client, places):
    response = client.get(f"/list?ids={places['clinic'].id}&location=Nowhereville, ZZ")
    assert response.status_code == 200
    page = text(response)
    assert 'aria-invalid="true"' in page and "Hazard Recovery Clinic" in page
    assert "Distances from" in page and "ZIP area" not in page


def test_removing_a_place_is_a_plain_link(client, places):
    page = text(client.get(f"/list?ids={places['clinic'].id},{places['house'].id}"))
    assert (
        f'href="/list?ids={places["house"].id}" aria-label="Remove Hazard Recovery Clinic' in page
    )


def test_the_list_in_spanish(client, places):
    page = text(client.get(f"/list?ids={places['clinic'].id}&lang=es"))
    assert "Lista de derivación: 1 lugar" in page
    assert "Acepta clientes nuevos" in page and "Copiar enlace" in page


def test_each_result_offers_a_referral_sheet_without_javascript(client, places):
    page = text(client.get("/search?location=41701&radius=10"))
    assert f'href="/list?ids={places["clinic"].id}"' in page
    assert 'aria-label="Referral sheet for Hazard Recovery Clinic"' in page
    assert 'data-place="location=41701"' in page


def test_ids_are_read_in_order_without_repeats():
    assert read_ids("B2, a1,,b2 c3") == (["b2", "a1", "c3"], [])
    assert read_ids("ok1,no-pe,../x") == (["ok1"], ["no-pe", "../x"])


def test_the_list_gives_the_hours_where_known(client, db):
    """A referral sheet says when a place is open: its week and walk-in, in the visitor's
    language; a place without hours says nothing about them."""
    week = [{"byday": "MO", "opens_at": "08:00", "closes_at": "17:00"},
            {"byday": "SA", "opens_at": "09:00", "closes_at": "12:00"}]  # fmt: skip
    open_place = make_listing("41701", name="Hours Known Clinic", hours=week, walk_in=True)
    other = make_listing("41701", name="Hours Unknown Clinic")
    db.session.commit()
    page = text(client.get(f"/list?ids={open_place.id},{other.id}"))
    row = page[page.index("Hours Known Clinic") :]
    row = row[: row.index("</tr>")]
    assert "Hours:" in row and "Monday" in row and "Saturday" in row
    assert "Walk-in or same-day admission" in row
    unknown = page[page.index("Hours Unknown Clinic") :]
    assert "Hours:" not in unknown[: unknown.index("</tr>")]
    spanish = text(client.get(f"/list?ids={open_place.id}&lang=es"))
    assert "Horario:" in spanish and "lunes" in spanish.lower()
