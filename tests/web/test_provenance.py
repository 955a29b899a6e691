"""Provenance you can see: each section of a provider page says where it came from and when
and by whom (in role terms) it was last confirmed."""

from __future__ import annotations

import re

import pytest

from directory.operations.moderation import admin_update_listing, mark_verified
from tests.web.provider_support import make_account, make_listing, post_form


def rows(client, listing, lang="en") -> dict[str, tuple[str, str]]:
    page = client.get(f"/providers/{listing.id}?lang={lang}").get_data(as_text=True)
    table = page[page.index('class="provenance"') :]
    table = table[: table.index("</table>")]
    found = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td>', table)
    return {section: (origin, confirmed) for section, origin, confirmed in found}


@pytest.fixture
def imported(db):
    return make_listing(db, name="Harbor Clinic", source="samhsa", release="2022")


def test_an_imported_listing_says_samhsa_and_not_confirmed(client, imported):
    table = rows(client, imported)
    assert table["Contact details"] == ("SAMHSA national directory, 2022", "Not confirmed since")
    assert table["Services"][0] == "SAMHSA national directory, 2022"
    assert table["Availability"] == ("Not reported", "Not confirmed since")


def test_a_provider_update_and_a_staff_check_show_in_role_terms(client, db, imported, app):
    admin = make_account(db, email="boss@directory.example", role="admin")
    admin_update_listing(db.session, imported, admin, {"phone": "303-555-0122"}, imported.version)
    mark_verified(db.session, imported, admin)
    db.session.commit()
    table = rows(client, imported)
    assert table["Contact details"][0].startswith("Directory staff, ")
    assert table["Payment"][0] == "SAMHSA national directory, 2022"
    assert table["Payment"][1].startswith("Confirmed by directory staff ")
    assert "boss@directory.example" not in client.get(f"/providers/{imported.id}").get_data(
        as_text=True
    )
    spanish = rows(client, imported, "es")
    assert spanish["Pago"][1].startswith("Confirmado por el personal del directorio")


def test_a_caller_who_got_through_confirms_the_contact_details(client, db, imported):
    from directory.operations.feedback import record_outcome

    record_outcome(db.session, imported, "helped")
    db.session.commit()
    assert rows(client, imported)["Contact details"][1].startswith("A caller reached them")


def test_availability_set_by_the_provider_says_so(client, db, owner_client, provider_listing):
    url = f"/provider/listings/{provider_listing.id}/availability"
    post_form(owner_client, url, {"status": "accepting", "version": "1"})
    origin, confirmed = rows(client, provider_listing)["Availability"]
    assert origin.startswith("The provider, ")
    assert confirmed.startswith("Confirmed by the provider")
