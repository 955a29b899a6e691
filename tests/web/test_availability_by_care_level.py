"""Availability per care level (DESIGN.md 3.2, issue 13 item 1): a provider can say detox has
a waitlist while outpatient takes people now; it is set, shown and expires with the listing's
own availability."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.models import AuditEntry, Listing
from directory.models.listing import utcnow
from tests.web.provider_support import (
    link_in,
    make_account,
    make_admin,
    make_listing,
    make_owner,
    outbox,
    post_form,
    sign_in,
)

# The statuses are a JSON column read back with the listing's: both databases.
pytestmark = pytest.mark.postgres


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(db, listing):
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


@pytest.fixture
def levels_listing(db, provider_listing):
    """The provider's listing offering detox, residential and outpatient care."""
    provider_listing.care_levels = ["detox", "residential", "outpatient"]
    db.session.commit()
    return provider_listing


def url_of(listing, lang: str = "en") -> str:
    return f"/provider/listings/{listing.id}/availability?lang={lang}"


def save(client, db, listing, lang: str = "en", **fields):
    form = {"status": "accepting", "version": str(fresh(db, listing).version), **fields}
    return post_form(client, url_of(listing, lang), form)


def test_the_form_offers_a_row_per_care_level_the_listing_has(db, owner_client, levels_listing):
    page = text(owner_client.get(url_of(levels_listing)))
    assert "Same for every kind of help" in page
    for level in ("detox", "residential", "outpatient"):
        assert f'name="level_{level}_status"' in page
    assert 'name="level_iop_status"' not in page  # not offered, not asked
    page = text(owner_client.get(url_of(levels_listing, "es")))
    assert "Igual para todos los tipos de ayuda" in page


def test_per_level_statuses_are_saved_with_the_overall_one_and_audited(
    app, db, owner_client, levels_listing
):
    app.config["AVAILABILITY_DAYS"] = 10
    answer = save(
        owner_client, db, levels_listing,
        level_detox_status="waitlist", level_detox_wait_days="10",
        level_outpatient_status="accepting",
    )  # fmt: skip
    assert answer.status_code == 302
    listing = fresh(db, levels_listing)
    assert listing.availability_by_care_level == {
        "detox": {"status": "waitlist", "wait_days": 10},
        "outpatient": {"status": "accepting", "wait_days": None},
    }
    assert listing.availability_expires_at - listing.availability_updated_at == timedelta(days=10)
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "availability"
    assert entry.changes["availability_by_care_level"][0] is None
    assert entry.changes["availability_by_care_level"][1]["detox"]["status"] == "waitlist"
    # The administrators' history says it in words.
    admin = app.test_client()
    make_admin(db, email="admin@directory.example")
    assert sign_in(admin, "admin@directory.example").status_code == 302
    history = text(admin.get(f"/admin/listings/{levels_listing.id}"))
    assert "Availability per kind of help" in history
    assert "Detox: Taking names for a waitlist (10 days); Outpatient: Accepting new clients" in (
        history
    )
    # The form opens again with what was said.
    page = text(owner_client.get(url_of(levels_listing)))
    assert 'value="10"' in page and '<option selected value="waitlist">' in page


def test_the_page_and_the_api_show_each_level_in_both_languages(
    client, db, owner_client, levels_listing
):
    save(
        owner_client, db, levels_listing,
        level_detox_status="waitlist", level_detox_wait_days="10",
        level_outpatient_status="accepting",
    )  # fmt: skip
    page = text(client.get(f"/providers/{levels_listing.id}"))
    assert 'Detox</dt><dd><span class="badge waitlist">Waitlist · about 10 days wait' in page
    assert 'Outpatient</dt><dd><span class="badge accepting">Accepting new clients' in page
    assert "Residential</dt>" not in page.split("care-level-availability")[1].split("</dl>")[0]
    page = text(client.get(f"/providers/{levels_listing.id}?lang=es"))
    assert "Lista de espera · espera de unos 10 días" in page
    assert "Disponibilidad por tipo de ayuda" in page
    expected = [
        {"care_level": "detox", "status": "waitlist", "stated_status": "waitlist",
         "wait_days": 10},
        {"care_level": "outpatient", "status": "accepting", "stated_status": "accepting",
         "wait_days": None},
    ]  # fmt: skip
    full = client.get(f"/api/v1/providers/{levels_listing.id}").json["availability"]
    assert full["status"] == "accepting" and full["by_care_level"] == expected
    (result,) = client.get("/api/v1/match?location=80202").json["results"]
    assert result["availability"] == full


def test_they_expire_with_the_overall_status(client, db, owner_client, levels_listing):
    save(owner_client, db, levels_listing, level_detox_status="not_accepting")
    listing = fresh(db, levels_listing)
    listing.availability_updated_at = utcnow() - timedelta(days=20)
    listing.availability_expires_at = utcnow() - timedelta(days=6)
    db.session.commit()
    page = text(client.get(f"/providers/{levels_listing.id}"))
    assert "Last confirmed 20 days ago — call to confirm" in page
    assert "care-level-availability" not in page and "Not accepting new clients" not in page
    page = text(client.get(f"/providers/{levels_listing.id}?lang=es"))
    assert "Confirmado por última vez hace 20 días — llame para confirmar" in page
    body = client.get(f"/api/v1/providers/{levels_listing.id}").json["availability"]
    assert body["status"] == "unknown" and body["expired"] is True
    assert body["by_care_level"] == [
        {"care_level": "detox", "status": "unknown", "stated_status": "not_accepting",
         "wait_days": None}
    ]  # fmt: skip


def test_saving_without_per_level_rows_means_the_same_for_every_level(
    client, db, owner_client, levels_listing
):
    save(owner_client, db, levels_listing, level_detox_status="not_accepting")
    # A browser sends every row, left at "same for every kind of help".
    blank = {f"level_{code}_{part}": "" for code in ("detox", "residential", "outpatient")
             for part in ("status", "wait_days")}  # fmt: skip
    assert save(owner_client, db, levels_listing, **blank).status_code == 302
    assert fresh(db, levels_listing).availability_by_care_level is None
    body = client.get(f"/api/v1/providers/{levels_listing.id}").json["availability"]
    assert body["by_care_level"] is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"level_iop_status": "accepting"}, "level_iop_status",
         {"en": "This listing does not offer this kind of help.",
          "es": "Este centro no ofrece este tipo de ayuda."}),
        ({"level_detox_status": "not_accepting", "level_detox_wait_days": "5"},
         "level_detox_wait_days",
         {"en": "A wait goes with a waitlist or with accepting new clients.",
          "es": "Una espera va con una lista de espera o con aceptar nuevos clientes."}),
        ({"level_detox_wait_days": "5"}, "level_detox_wait_days",
         {"en": "A wait goes with a waitlist or with accepting new clients.",
          "es": "Una espera va con una lista de espera o con aceptar nuevos clientes."}),
        ({"level_detox_status": "waitlist"}, "level_detox_wait_days",
         {"en": "Say about how many days the wait is.",
          "es": "Indique cuántos días de espera hay, más o menos."}),
        ({"level_detox_status": "sometimes"}, "level_detox_status", None),
        ({"status": "unknown", "level_detox_status": "accepting"}, "level_detox_status",
         {"en": "Say first whether you can take new clients at all, then per kind of help.",
          "es": "Diga primero si puede recibir nuevos clientes, luego por tipo de ayuda."}),
    ],
)  # fmt: skip
@pytest.mark.parametrize("lang", ["en", "es"])
def test_bad_per_level_input_is_a_400_that_keeps_the_form(
    db, owner_client, levels_listing, fields, field, message, lang
):
    answer = save(
        owner_client, db, levels_listing, lang, wait_days="3",
        level_outpatient_status="waitlist", level_outpatient_wait_days="21", **fields,
    )  # fmt: skip
    assert answer.status_code == 400
    page = text(answer)
    if message:
        assert message[lang] in page
    assert f'id="{field}-error"' in page or f'href="#{field}"' in page
    assert 'value="21"' in page and 'value="3"' in page  # nothing typed is lost
    listing = fresh(db, levels_listing)
    assert listing.availability_status == "unknown" and listing.availability_by_care_level is None
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_the_verification_link_page_takes_per_level_statuses(app, db, runner):
    listing = make_listing(db, name="Lakeside Recovery", care_levels=["detox", "outpatient"])
    make_owner(db, listing, make_account(db, email="director@lakeside.example"))
    assert runner.invoke(args=["send-verification-requests"]).exit_code == 0
    (mail,) = [m for m in outbox(app) if "still right" in m.subject]
    path = link_in(mail.body, "/provider/check/availability/")
    client = app.test_client()
    assert 'name="level_detox_status"' in text(client.get(path))
    bad = {"status": "accepting", "version": "1", "level_detox_status": "waitlist"}
    answer = post_form(client, path, bad)
    assert answer.status_code == 400 and "Say about how many days the wait is." in text(answer)
    good = {**bad, "level_detox_wait_days": "8"}
    assert "public now" in text(post_form(client, path, good))
    stored = fresh(db, listing)
    assert stored.availability_by_care_level == {"detox": {"status": "waitlist", "wait_days": 8}}
    assert stored.availability_source == "verification_link"
    entry = db.session.scalars(select(AuditEntry)).all()[-1]
    assert entry.action == "availability" and entry.account_id is None


def test_the_answers_with_per_level_statuses_keep_to_the_openapi_document(
    client, db, owner_client, levels_listing
):
    from jsonschema import Draft202012Validator

    save(
        owner_client, db, levels_listing,
        level_detox_status="waitlist", level_detox_wait_days="10",
        level_residential_status="assessment_required",
    )  # fmt: skip
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]

    def errors(body: dict, name: str) -> list:
        schema = {**schemas[name], "components": document["components"]}
        return [e.message for e in Draft202012Validator(schema).iter_errors(body)]

    provider = client.get(f"/api/v1/providers/{levels_listing.id}").get_json()
    assert len(provider["availability"]["by_care_level"]) == 2
    assert errors(provider, "Provider") == []
    assert errors(client.get("/api/v1/match?location=80202").get_json(), "Match") == []
    changes = client.get("/api/v1/changes").get_json()
    assert errors(changes, "Changes") == []
    (entry,) = [e for e in changes["changes"] if e.get("provider")]
    assert (
        entry["provider"]["availability"]["by_care_level"]
        == provider["availability"]["by_care_level"]
    )


def test_a_search_for_a_care_level_ranks_by_that_levels_availability(client, db):
    # Two otherwise equal listings offering detox and outpatient, both accepting overall;
    # Alder says detox is full. Among equals Alder comes first by name ...
    both = {"care_levels": ["detox", "outpatient"], "availability": "accepting"}
    alder = make_listing(db, name="Alder Recovery", **both)
    birch = make_listing(db, name="Birch Recovery", **both)
    alder.availability_by_care_level = {"detox": {"status": "not_accepting", "wait_days": None}}
    for listing in (alder, birch):  # set at the same moment: equally fresh
        listing.availability_updated_at = alder.availability_updated_at
        listing.availability_expires_at = alder.availability_expires_at
    db.session.commit()

    def names(query: str) -> list[str]:
        results = client.get(f"/api/v1/match?location=80202{query}").json["results"]
        return [r["name"] for r in results]

    assert names("") == ["Alder Recovery", "Birch Recovery"]
    assert names("&care_level=outpatient") == ["Alder Recovery", "Birch Recovery"]
    # ... but for detox, Alder's own word for detox counts: Birch ranks first.
    assert names("&care_level=detox") == ["Birch Recovery", "Alder Recovery"]
    # Asked for either, Alder's best among them (outpatient: accepting) counts.
    assert names("&care_level=detox&care_level=outpatient") == ["Alder Recovery", "Birch Recovery"]


def test_a_per_level_change_made_meanwhile_is_a_409_showing_it(db, owner_client, levels_listing):
    opened = str(fresh(db, levels_listing).version)
    save(owner_client, db, levels_listing, level_detox_status="waitlist", level_detox_wait_days="9")
    stale = {"status": "accepting", "version": opened, "level_detox_status": "accepting"}
    answer = post_form(owner_client, url_of(levels_listing), stale)
    assert answer.status_code == 409
    page = text(answer)
    assert "Someone else changed this listing" in page
    assert "Availability per kind of help" in page and "Detox: Taking names for a waitlist" in page
    # The form now shows what is saved, ready to be saved over on purpose.
    assert '<option selected value="waitlist">' in page and 'value="9"' in page
    stored = fresh(db, levels_listing).availability_by_care_level
    assert stored == {"detox": {"status": "waitlist", "wait_days": 9}}
