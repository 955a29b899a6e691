"""Hours and access (issue 13 item 2): weekly opening hours, walk-in admission and a 24-hour
intake line, set by the provider or from the verification link, public at once and audited;
"Open now" read in the listing's own time zone; the open_now and walk_in criteria."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from directory.extensions import db as _db
from directory.geo.timezones import zone_name
from directory.listings import hours as weekly
from directory.models import AuditEntry, Listing
from directory.public.hours_text import open_now_text, week_rows
from tests.web.provider_support import link_in, make_listing, outbox, post_form

pytestmark = pytest.mark.postgres

DENVER = ZoneInfo("America/Denver")


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(db, listing):
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def hour_label(hour: int) -> str:
    """How a card writes a whole hour in English: 5 pm, 12 am."""
    return f"{hour % 12 or 12} {'am' if hour % 24 < 12 else 'pm'}"


def open_for_a_while(zone=DENVER) -> tuple[dict, str]:
    """Form fields opening an hour ago and closing in three (today in ``zone``), and the
    closing time as a card says it."""
    now = datetime.now(UTC).astimezone(zone)
    opens, closes = (now - timedelta(hours=1)).hour, (now + timedelta(hours=3)).hour
    day = weekly.DAYS[(now - timedelta(hours=1)).weekday()].lower()
    fields = {f"{day}_opens_1": f"{opens:02d}:00", f"{day}_closes_1": f"{closes:02d}:00"}
    return fields, hour_label(closes)


def hours_form(version: int, **fields) -> dict:
    return {"version": str(version), "walk_in": "", "intake_24h": "", **fields}


# --- the provider sets them -------------------------------------------------------------


def test_hours_are_public_at_once_on_cards_pages_and_the_api_and_audited(
    db, client, owner_client, provider_listing
):
    fields, closing = open_for_a_while()
    url = f"/provider/listings/{provider_listing.id}/hours"
    data = hours_form(provider_listing.version, walk_in="yes", intake_24h="yes", **fields)
    response = post_form(owner_client, url, data)
    assert response.status_code == 302
    card = text(client.get("/search?location=80202&radius=5"))
    assert f"Open now · until {closing}" in card
    assert "Walk-in or same-day admission" in card and "Intake line answers 24 hours" in card
    page = text(client.get(f"/providers/{provider_listing.id}?lang=es"))
    assert "Abierto ahora · hasta la" in page and "Atención sin cita" in page  # la 1, las 2
    assert "Horas locales: hora de las Montañas Rocosas" in page or "Horas locales:" in page
    body = client.get(f"/api/v1/providers/{provider_listing.id}").json["hours"]
    assert body["open_now"] is True and body["walk_in"] is True and body["intake_24h"] is True
    assert body["time_zone"] == "America/Denver" and len(body["schedule"]) == 1
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[-1]
    assert entry.action == "hours" and entry.account_id is not None
    assert entry.changes["walk_in"] == [None, True]
    provenance = text(client.get(f"/providers/{provider_listing.id}"))
    assert "Hours and walk-in" in provenance and "Confirmed by the provider" in provenance


def test_a_week_with_a_lunch_break_and_closed_days_reads_day_by_day(
    db, client, owner_client, provider_listing
):
    url = f"/provider/listings/{provider_listing.id}/hours"
    week = {"mo_opens_1": "08:00", "mo_closes_1": "12:00", "mo_opens_2": "13:00",
            "mo_closes_2": "17:30", "sa_opens_1": "09:00", "sa_closes_1": "12:00"}  # fmt: skip
    response = post_form(owner_client, url, hours_form(provider_listing.version, **week))
    assert response.status_code == 302
    page = text(client.get(f"/providers/{provider_listing.id}"))
    assert "8 am – 12 pm, 1 pm – 5:30 pm" in page
    assert page.count(">Closed<") == 5  # Tuesday to Friday and Sunday
    # The form comes back with what was saved.
    form = text(owner_client.get(url))
    assert 'value="13:00"' in form and 'value="17:30"' in form


def test_open_24_hours_every_day(db, client, owner_client, provider_listing):
    url = f"/provider/listings/{provider_listing.id}/hours"
    data = hours_form(provider_listing.version, always_open="y")
    assert post_form(owner_client, url, data).status_code == 302
    assert "Open 24 hours" in text(client.get("/search?location=80202&radius=5"))
    assert "Abierto las 24 horas" in text(client.get("/search?location=80202&radius=5&lang=es"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tu_opens_1": "8am"}, "Enter a time such as 08:30 or 17:00."),
        ({"tu_opens_1": "08:00"}, "Give both times, or neither."),
        (
            {
                "tu_opens_1": "08:00",
                "tu_closes_1": "12:00",
                "tu_opens_2": "11:00",
                "tu_closes_2": "14:00",
            },
            "Two openings overlap: check the times.",
        ),  # fmt: skip
        ({"walk_in": "maybe"}, "Not a valid choice"),
    ],
)
def test_bad_hours_get_a_message_by_the_field_and_change_nothing(
    db, owner_client, provider_listing, fields, message
):
    url = f"/provider/listings/{provider_listing.id}/hours"
    response = post_form(owner_client, url, hours_form(provider_listing.version, **fields))
    assert response.status_code == 200 and message in text(response)
    assert fresh(db, provider_listing).hours is None
    assert fresh(db, provider_listing).hours_updated_at is None


def test_the_spanish_form_says_what_to_fix_in_spanish(db, owner_client, provider_listing):
    url = f"/provider/listings/{provider_listing.id}/hours?lang=es"
    response = post_form(owner_client, url, hours_form(provider_listing.version, we_opens_1="9"))
    assert "Escriba una hora como 08:30 o 17:00." in text(response)


def test_hours_from_a_stale_version_are_refused_showing_what_changed(
    db, owner_client, provider_listing
):
    url = f"/provider/listings/{provider_listing.id}/hours"
    stale = provider_listing.version
    post_form(owner_client, url, hours_form(stale, walk_in="yes"))
    response = post_form(owner_client, url, hours_form(stale, walk_in="no"))
    assert response.status_code == 409 and "Someone else changed this listing" in text(response)
    assert fresh(db, provider_listing).walk_in is True


def test_another_provider_cannot_set_hours(app, db, provider_listing):
    from tests.web.provider_support import make_account, sign_in

    make_account(db, email="other@elsewhere.example")
    client = app.test_client()
    sign_in(client, "other@elsewhere.example")
    assert client.get(f"/provider/listings/{provider_listing.id}/hours").status_code == 404


# --- from the verification link ---------------------------------------------------------


def test_the_link_update_page_sets_hours_with_availability(app, db, runner, client):
    from tests.web.provider_support import make_account, make_owner
    from tests.web.test_verification_requests import press

    listing = make_listing(db, name="Lakeside Recovery")
    make_owner(db, listing, make_account(db, email="director@lakeside.example"))
    runner.invoke(args=["send-verification-requests"])
    (mail,) = [m for m in outbox(app) if "still right" in m.subject]
    path = link_in(mail.body, "/provider/check/availability/")
    assert "Opening hours" in text(client.get(path))
    press(client, path, {"status": "accepting", "wait_days": "", "version": "1",
                         "walk_in": "yes", "intake_24h": "", "always_open": "y"})  # fmt: skip
    listing = fresh(db, listing)
    assert listing.walk_in is True and len(listing.hours) == 7
    assert listing.hours_source == "verification_link"
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["hours", "availability"]
    assert "Open 24 hours" in text(client.get(f"/providers/{listing.id}"))


# --- searching --------------------------------------------------------------------------


def test_open_now_and_walk_in_rank_and_filter_searches(db, client):
    fields, _closing = open_for_a_while()
    day = next(iter(fields))[:2].upper()
    interval = [{"byday": day, "opens_at": fields[next(iter(fields))],
                 "closes_at": list(fields.values())[1]}]  # fmt: skip
    open_one = make_listing(db, name="Zinnia Open Clinic", hours=interval, walk_in=True)
    closed = make_listing(db, name="Aster Closed Clinic", hours=[], walk_in=False)
    unknown = make_listing(db, name="Birch Quiet Clinic")
    names = lambda body: [r["name"] for r in body["results"]]  # noqa: E731
    preferred = client.get("/api/v1/match?location=80202&radius=5&open_now=yes&walk_in=yes").json
    assert names(preferred)[0] == open_one.name  # open and walk-in first, whatever its name
    assert names(preferred)[-1] == closed.name
    criteria = {c["criterion"]: c for c in preferred["results"][0]["criteria"]}
    assert criteria["open_now"]["reason"] == "Open now"
    assert criteria["walk_in"]["reason"] == "Takes walk-ins or same-day admission"
    required = client.get("/api/v1/match?location=80202&radius=5&open_now=1&require=open_now").json
    assert closed.name not in names(required)
    assert set(names(required)) == {open_one.name, unknown.name}
    reasons = {r["name"]: r["criteria"][0]["reason"] for r in required["results"]}
    assert reasons[unknown.name] == "Opening hours not reported — call to confirm"
    page = text(client.get("/search?location=80202&radius=5&open_now=y&require=open_now&lang=es"))
    assert "Abierto ahora" in page and "Horario no informado: llame para confirmar" in page


def test_a_bad_open_now_value_is_a_clear_400(client, db):
    response = client.get("/api/v1/match?location=80202&open_now=sometimes")
    assert response.status_code == 400
    assert "open_now must be true or false" in response.json["error"]["message"]


# --- time zones and the clock -----------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "zip_code", "zone"),
    [
        ("KY", "41701", "America/New_York"),  # Hazard: Eastern
        ("KY", "42101", "America/Chicago"),  # Bowling Green: Central
        ("TN", "37902", "America/New_York"),  # Knoxville
        ("TN", "38103", "America/Chicago"),  # Memphis
        ("FL", "32501", "America/Chicago"),  # Pensacola, in the panhandle
        ("TX", "79901", "America/Denver"),  # El Paso
        ("AZ", "85004", "America/Phoenix"),  # no daylight saving time
        ("PR", "00901", "America/Puerto_Rico"),
        ("HI", "", "Pacific/Honolulu"),  # no ZIP: the state's zone
    ],
)
def test_a_listing_keeps_its_hours_in_the_zone_of_its_zip(state, zip_code, zone):
    assert zone_name(state, zip_code) == zone


def test_open_now_follows_the_zone_and_daylight_saving_time(app):
    nine_to_five = [weekly.Interval(day, *map(weekly.parse_time, ("09:00", "17:00")))
                    for day in range(5)]  # fmt: skip
    hazard = Listing(state="KY", zip="41701", hours=weekly.stored(nine_to_five))
    memphis = Listing(state="TN", zip="38103", hours=weekly.stored(nine_to_five))
    # 14:30 UTC on a winter Wednesday is 9:30 in Hazard, 8:30 in Memphis.
    winter = datetime(2026, 1, 7, 14, 30)
    with app.test_request_context("/"):
        assert open_now_text(hazard, winter) == ("open", "Open now · until 5 pm")
        assert open_now_text(memphis, winter) == ("closed", "Closed now · opens at 9 am")
        # In July the same UTC time is an hour later on the clocks: both are open.
        assert open_now_text(memphis, datetime(2026, 7, 8, 14, 30))[0] == "open"
        # Friday evening: Monday's opening, by name.
        friday = datetime(2026, 1, 9, 23, 0)
        assert open_now_text(hazard, friday) == ("closed", "Closed now · opens Monday at 9 am")
        assert week_rows(hazard)[5] == ("Saturday", "Closed")
    with app.test_request_context("/?lang=es"):
        _forget_the_language()
        assert open_now_text(hazard, friday) == (
            "closed",
            "Cerrado ahora · abre el lunes a las 9 a.\u202fm.",  # CLDR: a narrow no-break space
        )


def test_in_spanish_one_oclock_takes_the_singular_article(app):
    """'a la 1 p. m.' but 'a las 2 p. m.': the article agrees with the hour."""
    half_past = [weekly.Interval(day, *map(weekly.parse_time, ("13:30", "01:00")))
                 for day in range(7)]  # fmt: skip
    listing = Listing(state="CO", zip="80202", hours=weekly.stored(half_past))
    noon = datetime(2026, 1, 7, 19, 0)  # noon in Denver: opens at 1:30 pm
    evening = datetime(2026, 1, 8, 4, 0)  # 9 pm: open until 1 am
    with app.test_request_context("/?lang=es"):
        _forget_the_language()
        assert open_now_text(listing, noon)[1] == "Cerrado ahora · abre a la 1:30 p.\u202fm."
        assert open_now_text(listing, evening)[1] == "Abierto ahora · hasta la 1 a.\u202fm."
    with app.test_request_context("/"):
        _forget_the_language()
        assert open_now_text(listing, noon)[1] == "Closed now · opens at 1:30 pm"
        assert open_now_text(listing, evening)[1] == "Open now · until 1 am"


def _forget_the_language():
    """The test's app context outlives one request: forget the language it looked up."""
    from flask import g

    for name in [name for name in vars(g) if "babel" in name or "translations" in name]:
        g.pop(name)


def test_a_night_opening_runs_past_midnight(app):
    nights = [weekly.Interval(4, weekly.parse_time("20:00"), weekly.parse_time("02:00"))]
    listing = Listing(state="CO", zip="80202", hours=weekly.stored(nights))
    saturday_1am = datetime(2026, 1, 10, 8, 0)  # 1 am in Denver
    with app.test_request_context("/"):
        assert open_now_text(listing, saturday_1am) == ("open", "Open now · until 2 am")


# --- the migration ----------------------------------------------------------------------


def test_the_migration_upgrades_and_downgrades(app, db):
    make_listing(db, name="Kept Through Migrations")
    columns = lambda: {c["name"] for c in inspect(_db.engine).get_columns("listing")}  # noqa: E731
    assert {"hours", "walk_in", "intake_24h", "hours_updated_at", "hours_source"} <= columns()
    _db.session.remove()
    try:
        downgrade(revision="0011")
        _db.engine.dispose()
        assert "hours" not in columns() and "walk_in" not in columns()
    finally:
        upgrade()
        _db.engine.dispose()
    assert "hours" in columns()
    names = _db.session.scalars(select(Listing.name)).all()
    assert names == ["Kept Through Migrations"]


# --- HSDS -------------------------------------------------------------------------------


def test_hsds_locations_carry_the_hours_as_valid_weekly_schedules(client, db):
    from directory.hsds.mapping import hsds_id
    from tests.web.test_hsds import errors_of

    rows = [{"byday": "MO", "opens_at": "08:00", "closes_at": "17:00"},
            {"byday": "SA", "opens_at": "09:00", "closes_at": "12:00"}]  # fmt: skip
    listing = make_listing(db, name="Scheduled Clinic", hours=rows)
    body = client.get(f"/hsds/service_at_locations/{hsds_id('service_at_location', listing.id)}")
    schedules = body.json["location"]["schedules"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in schedules] == [
        ("MO", "08:00", "17:00"),
        ("SA", "09:00", "12:00"),
    ]
    assert all(s["freq"] == "WEEKLY" and s["timezone"] in (-7, -6) for s in schedules)
    assert errors_of("schedule.json", schedules) == []
    assert errors_of("compiled/service_at_location.json", [body.json]) == []
