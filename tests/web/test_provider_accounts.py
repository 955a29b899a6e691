"""Provider accounts: register, verify from the outbox, sign in and out, reset, and the
security rules around them (CSRF, throttling, locks, disabled accounts, safe redirects)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from directory.models import Account
from tests.web.provider_support import (
    PASSWORD,
    csrf_token,
    link_in,
    make_account,
    outbox,
    post_form,
    sign_in,
)

pytestmark = pytest.mark.postgres


def register(client, email="new@clinic.example", **extra):
    return post_form(client, "/provider/register", {"email": email, **extra})


def choose_password(client, path, password):
    return post_form(client, path, {"password": password, "confirm": password})


def account(db, email):
    db.session.expire_all()
    return db.session.scalar(select(Account).where(Account.email == email))


def test_register_then_choose_the_password_from_the_outbox(app, db, client):
    form = client.get("/provider/register").get_data(as_text=True)
    assert 'type="password"' not in form  # only the address is asked for
    response = register(client, email="  New@Clinic.Example ")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Check your e-mail" in page and "choose your password" in page
    created = account(db, "new@clinic.example")
    assert created is not None and not created.is_verified
    assert created.password_hash.startswith("$argon2id$")  # a password nobody knows
    (message,) = outbox(app)
    assert message.to == "new@clinic.example" and "/provider/verify/" not in message.body
    path = link_in(message.body, "/provider/reset/")
    chooser = client.get(path).get_data(as_text=True)
    assert "Choose your password" in chooser and "confirms your e-mail address" in chooser
    assert not account(db, "new@clinic.example").is_verified  # opening the link sets nothing
    response = choose_password(client, path, "my own passphrase")
    assert response.status_code == 302 and response.location == "/provider/login"
    assert "your password chosen" in client.get("/provider/login").get_data(as_text=True)
    assert account(db, "new@clinic.example").is_verified
    assert sign_in(client, "new@clinic.example", "my own passphrase").status_code == 302
    again = choose_password(client, path, "another passphrase")  # single use
    assert "not valid or has expired" in again.get_data(as_text=True)


def test_whoever_registers_an_address_cannot_sign_in_as_its_holder(app, db):
    """Account pre-hijacking: an attacker registers the victim's address (with a password of
    their own, if the form took one) and waits for the victim to click the mailed link. The
    link makes the victim choose the password; no password of the attacker's ever works."""
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    guess = "the attacker's passphrase"
    page = register(attacker, email="victim@clinic.example", password=guess, confirm=guess)
    assert "Check your e-mail" in page.get_data(as_text=True)
    assert sign_in(attacker, "victim@clinic.example", guess).status_code == 200  # refused
    victim = app.test_client()
    (mail,) = outbox(app)
    assert mail.to == "victim@clinic.example"
    path = link_in(mail.body, "/provider/reset/")
    assert choose_password(victim, path, "the victim's own passphrase").status_code == 302
    assert account(db, "victim@clinic.example").is_verified
    refused = sign_in(attacker, "victim@clinic.example", guess)
    assert refused.status_code == 200 and "not right" in refused.get_data(as_text=True)
    assert attacker.get("/provider/listings").status_code == 302  # not signed in
    assert (
        sign_in(victim, "victim@clinic.example", "the victim's own passphrase").status_code == 302
    )
    assert victim.get("/provider/listings").status_code == 200


def test_a_confirmation_link_mailed_before_leads_to_choosing_the_password_never_keeps_the_old_one(
    app, db, client
):
    """Links mailed by the earlier registration (which took a password) still arrive: they
    no longer confirm the address with the registrant's password, they lead to choosing one."""
    from flask import current_app

    from directory.operations.accounts import AccountPolicy, verification_token

    waiting = make_account(
        db, email="victim@clinic.example", verified=False
    )  # PASSWORD: the attacker's
    with app.app_context():
        token = verification_token(waiting, AccountPolicy.from_config(current_app.config))
    response = client.get(f"/provider/verify/{token}")
    assert response.status_code == 302 and "/provider/reset/" in response.location
    assert not account(db, "victim@clinic.example").is_verified  # confirmed by nothing yet
    assert sign_in(app.test_client(), "victim@clinic.example").status_code == 200  # refused
    chooser = client.get(response.location).get_data(as_text=True)
    assert "Choose your password" in chooser
    assert choose_password(client, response.location, "the holder's passphrase").status_code == 302
    assert account(db, "victim@clinic.example").is_verified
    assert sign_in(app.test_client(), "victim@clinic.example").status_code == 200  # refused
    holder = app.test_client()
    assert sign_in(holder, "victim@clinic.example", "the holder's passphrase").status_code == 302
    later = client.get(f"/provider/verify/{token}")  # the old link, once more: nothing to do
    assert later.status_code == 302 and later.location == "/provider/login"
    page = client.get("/provider/login").get_data(as_text=True)
    assert "already confirmed" in page


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "This is required."),
        ("not-an-email", "Enter an e-mail address like"),
        ("<script>@x.example", "Enter an e-mail address like"),
        ("a" * 250 + "@x.example", "Field cannot be longer"),
    ],
)
def test_register_refuses_bad_input_with_a_message(app, db, client, email, error):
    response = register(client, email=email)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error in page
    assert "<script>@" not in page
    assert db.session.scalars(select(Account)).all() == []
    assert outbox(app) == []


def test_registering_a_taken_address_looks_the_same_and_tells_its_holder(app, db, client):
    make_account(db, email="taken@clinic.example")
    fresh = register(client, email="new@clinic.example")
    taken = register(client, email="TAKEN@clinic.example")
    assert (fresh.status_code, taken.status_code) == (200, 200)
    same = [page.get_data(as_text=True).replace(address, "ADDRESS") for page, address in
            ((fresh, "new@clinic.example"), (taken, "taken@clinic.example"))]  # fmt: skip
    same = [re.sub(r'value="[^"]+"', "", page) for page in same]  # CSRF tokens differ
    assert same[0] == same[1] and "already exists" not in same[1]
    mails = {message.to: message for message in outbox(app)}
    assert set(mails) == {"new@clinic.example", "taken@clinic.example"}
    assert "/provider/reset/" in mails["new@clinic.example"].body
    holder = mails["taken@clinic.example"]
    assert "already has one" in holder.body and "/provider/reset/" not in holder.body
    assert account(db, "taken@clinic.example").password_hash != "changed"


def test_account_mail_is_limited_per_address_whoever_asks(app, db):
    make_account(db, email="staff@milehigh.example")
    for number in range(5):  # five different clients
        client = app.test_client()
        address = {"REMOTE_ADDR": f"198.51.100.{number}"}
        token = csrf_token(client, "/provider/forgot")
        data = {"csrf_token": token, "email": "staff@milehigh.example"}
        page = client.post("/provider/forgot", environ_base=address, data=data)
        assert "If an account uses that address" in page.get_data(as_text=True)
    assert len(outbox(app)) == 3  # ACCOUNT_MAIL_RATE_LIMIT: 3 per hour


def test_signing_in_before_the_address_is_confirmed_tells_nothing_about_the_address(app, db):
    """Register an address and try a password of one's own (the form takes none, so it is a
    guess): whether the address was free or already had an account, the sign-in answers the
    same, try after try (the same refusals, then the same rate limit)."""
    make_account(db, email="taken@clinic.example")
    pages = {}
    guess = {"password": "a guess of my own"}
    for number, address in enumerate(("free@clinic.example", "taken@clinic.example")):
        client = app.test_client()
        here = {"REMOTE_ADDR": f"198.51.100.{number}"}  # each from its own client
        post_form(client, "/provider/register", {"email": address}, environ_base=here)
        form = {"email": address, **guess}
        tries = [post_form(client, "/provider/login", form, environ_base=here) for _ in range(6)]
        pages[address] = [
            (page.status_code, re.sub(r'value="[^"]*"', "", page.get_data(as_text=True)))
            for page in tries
        ]
        assert pages[address][0][0] == 200 and "not right" in pages[address][0][1]
    assert pages["free@clinic.example"] == pages["taken@clinic.example"]
    assert not account(db, "free@clinic.example").is_verified


def test_registering_an_unconfirmed_address_again_mails_a_link_to_confirm_it_and_set_the_password(
    app, db, client
):
    make_account(db, email="v@clinic.example", verified=False)  # perhaps by someone else
    for _ in range(4):
        assert "Check your e-mail" in register(client, email="v@clinic.example").get_data(
            as_text=True
        )
    mails = outbox(app)
    assert len(mails) == 3  # ACCOUNT_MAIL_RATE_LIMIT: 3 per hour for the address
    path = link_in(mails[0].body, "/provider/reset/")
    assert "Choose your password" in client.get(path).get_data(as_text=True)
    response = choose_password(client, path, "my own passphrase")
    assert response.status_code == 302
    assert sign_in(client, "v@clinic.example").status_code == 200  # the first password: refused
    assert account(db, "v@clinic.example").is_verified
    assert sign_in(client, "v@clinic.example", "my own passphrase").status_code == 302


def test_a_forged_or_tampered_verification_link_is_refused(db, client):
    make_account(db, email="v@clinic.example", verified=False)
    assert client.get("/provider/verify/not-a-token").status_code == 400
    assert not account(db, "v@clinic.example").is_verified


def test_sign_in_and_out(db, client):
    make_account(db)
    response = sign_in(client, "STAFF@milehigh.example")
    assert response.status_code == 302 and response.location == "/provider/listings"
    assert client.get("/provider/listings").status_code == 200
    post_form(client, "/provider/logout", {}, form_url="/provider/listings")
    assert client.get("/provider/listings").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(db, client):
    make_account(db)
    page = sign_in(client, "staff@milehigh.example", "wrong password").get_data(as_text=True)
    assert "The e-mail address or password is not right." in page
    unknown = sign_in(client, "nobody@x.example").get_data(as_text=True)
    assert "The e-mail address or password is not right." in unknown


def test_signing_in_starts_a_new_session(app, db, client):
    make_account(db)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, "staff@milehigh.example")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id", "").startswith(str(account(db, "staff@milehigh.example").id))


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/%0d%0aLocation:%20https://evil.example",
    ],
)
def test_next_never_leads_off_site(db, client, target):
    make_account(db)
    if "%0d%0a" in target:  # a header injection attempt is refused before the page
        assert client.get(f"/provider/login?next={target}").status_code == 400
        return
    response = sign_in(client, "staff@milehigh.example", next_url=target)
    assert response.status_code == 302
    location = response.location
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location or location.startswith("/%")


def test_next_on_this_site_is_followed(db, client):
    make_account(db)
    response = sign_in(client, "staff@milehigh.example", next_url="/provider/find")
    assert response.location == "/provider/find"


def test_repeated_failures_hold_back_that_client_for_that_address_only(app, db):
    make_account(db)
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        sign_in(attacker, "staff@milehigh.example", "wrong password")
    page = sign_in(attacker, "staff@milehigh.example").get_data(as_text=True)
    assert "Too many failed sign-ins from here" in page
    assert attacker.get("/provider/listings").status_code == 302
    owner = app.test_client()  # the owner, elsewhere, is not locked out
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert sign_in(owner, "staff@milehigh.example").status_code == 302
    assert owner.get("/provider/listings").status_code == 200


def test_a_guesser_spread_over_many_clients_is_capped_yet_the_owner_gets_in_by_mail(app, db):
    app.config["SIGN_IN_ACCOUNT_LIMIT"] = "8 per hour"
    make_account(db)

    def try_from(number: int, email: str, password: str):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{number}"
        return client, sign_in(client, email, password)

    pages = {}
    for email in ("staff@milehigh.example", "nobody@milehigh.example"):
        for number in range(8):  # one failure from each of eight clients: none held back
            _, page = try_from(number, email, "wrong password")
            assert "not right" in page.get_data(as_text=True)
        client, page = try_from(100, email, PASSWORD)  # a client never seen before
        pages[email] = re.sub(r'value="[^"]*"', "", page.get_data(as_text=True))
        assert page.status_code == 200 and "from several places" in pages[email]
        assert client.get("/provider/listings").status_code == 302  # not signed in
    # The same answer whether or not the address has an account.
    assert pages["staff@milehigh.example"] == pages["nobody@milehigh.example"].replace(
        "nobody@", "staff@"
    )
    owner = app.test_client()
    post_form(owner, "/provider/forgot", {"email": "staff@milehigh.example"})
    (mail,) = outbox(app)
    new = "a brand new passphrase"
    reset = post_form(
        owner, link_in(mail.body, "/provider/reset/"), {"password": new, "confirm": new}
    )
    assert reset.status_code == 302
    assert sign_in(owner, "staff@milehigh.example", new).status_code == 302  # in again
    _, page = try_from(101, "staff@milehigh.example", "wrong password")
    assert "not right" in page.get_data(as_text=True)  # the count started afresh


def test_an_address_without_an_account_is_held_back_alike(app, db):
    make_account(db)
    pages = {}
    for number, email in enumerate(("staff@milehigh.example", "nobody@milehigh.example")):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{number}"
        for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
            sign_in(client, email, "wrong password")
        pages[email] = sign_in(client, email, "wrong password").get_data(as_text=True)
    assert all("Too many failed sign-ins from here" in page for page in pages.values())


def test_sign_in_is_throttled_per_address(app, db, client):
    make_account(db)
    token = csrf_token(client, "/provider/login")
    statuses = [
        client.post(
            "/provider/login",
            data={"csrf_token": token, "email": "x@y.example", "password": "nope"},
        ).status_code  # fmt: skip
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(app, db, client):
    make_account(db)
    sign_in(client, "staff@milehigh.example")
    assert client.get("/provider/listings").status_code == 200
    from directory.operations.accounts import set_disabled

    set_disabled(account(db, "staff@milehigh.example"), True)
    db.session.commit()
    assert client.get("/provider/listings").status_code == 302  # the open session is over
    page = sign_in(client, "staff@milehigh.example").get_data(as_text=True)
    assert "disabled" in page


def test_every_account_form_needs_a_csrf_token(db, client):
    make_account(db)
    for url, data in [
        ("/provider/register", {"email": "a@b.example"}),
        ("/provider/login", {"email": "staff@milehigh.example", "password": PASSWORD}),
        ("/provider/forgot", {"email": "staff@milehigh.example"}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        bad = client.post(url, data={**data, "csrf_token": "forged"})
        assert bad.status_code == 400, url
    assert client.get("/provider/listings").status_code == 302


def test_password_reset_by_mail_is_single_use(app, db, client):
    make_account(db)
    page = post_form(client, "/provider/forgot", {"email": "staff@milehigh.example"})
    assert "If an account uses that address" in page.get_data(as_text=True)
    (message,) = outbox(app)
    path = link_in(message.body, "/provider/reset/")
    new = "a brand new passphrase"
    response = post_form(client, path, {"password": new, "confirm": new})
    assert response.status_code == 302
    assert sign_in(client, "staff@milehigh.example", new).status_code == 302
    again = post_form(
        client, path, {"password": "another passphrase", "confirm": "another passphrase"}
    )
    assert "not valid or has expired" in again.get_data(as_text=True)


def test_forgot_password_does_not_tell_who_has_an_account(app, db, client):
    page = post_form(client, "/provider/forgot", {"email": "nobody@x.example"})
    assert "If an account uses that address" in page.get_data(as_text=True)
    assert outbox(app) == []


def test_session_cookie_flags(app, db, client):
    make_account(db)
    response = sign_in(client, "staff@milehigh.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from directory.settings import from_environment

    assert from_environment({})["SESSION_COOKIE_SECURE"] is True


# --- create-admin -----------------------------------------------------------------------


def test_create_admin_asks_for_the_password_twice(runner, db):
    result = runner.invoke(
        args=["create-admin", "Boss@Directory.example"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    admin = account(db, "boss@directory.example")
    assert admin.is_admin and admin.is_verified
    assert PASSWORD not in result.output


def test_create_admin_refuses_a_bad_email_or_an_existing_account_without_a_traceback(runner, db):
    bad = runner.invoke(args=["create-admin", "not-an-email"], input="x\nx\n")
    assert bad.exit_code == 1 and "not a valid e-mail address" in bad.output
    make_account(db, email="boss@directory.example")
    taken = runner.invoke(args=["create-admin", "boss@directory.example"], input="x\nx\n")
    assert taken.exit_code == 1 and "already exists" in taken.output
    short = runner.invoke(args=["create-admin", "new@directory.example"], input="short\nshort\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert "Traceback" not in bad.output + taken.output + short.output


def test_mail_links_use_the_site_url_not_a_forged_host_header(app, db, client):
    make_account(db)
    app.config["SITE_URL"] = "https://directory.example.org"
    evil = {"Host": "evil.example"}
    page = client.get("/provider/forgot", headers=evil).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "email": "staff@milehigh.example"}
    client.post("/provider/forgot", data=form, headers=evil)
    (message,) = outbox(app)
    assert "https://directory.example.org/provider/reset/" in message.body
    assert "evil.example" not in message.body


def test_sign_in_and_register_take_the_same_time_whether_or_not_the_address_has_an_account(
    app, db, monkeypatch
):
    """With password hashing that costs what it costs in production (tens of milliseconds,
    far above the rest of the request), each way through the sign-in form, and each through
    the register form, takes the same time (the fastest of seven, in interleaved rounds so
    the machine's load hits all alike): no path skips the hashing, so the clock cannot tell
    who has an account."""
    import time

    from argon2 import PasswordHasher

    costly = PasswordHasher(time_cost=3, memory_cost=32768, parallelism=1)
    monkeypatch.setattr("directory.operations.accounts.hasher", lambda policy: costly)
    make_account(db, email="staff@milehigh.example")
    make_account(db, email="waiting@milehigh.example", verified=False)
    ways = {
        "no account": ("/provider/login", lambda n: {"email": f"none{n}@x.example"}),
        "wrong password": ("/provider/login", lambda n: {"email": "staff@milehigh.example"}),
        "not confirmed": ("/provider/login", lambda n: {"email": "waiting@milehigh.example"}),
        "register free": ("/provider/register", lambda n: {"email": f"new{n}@x.example"}),
        "register taken": ("/provider/register", lambda n: {"email": "staff@milehigh.example"}),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for number in range(7):
        for index, (name, (path, address)) in enumerate(ways.items()):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"198.18.{number}.{index + 1}"
            password = "a guess of mine" if name == "wrong password" else PASSWORD
            data = {"csrf_token": csrf_token(client, path), **address(number)}
            if path == "/provider/login":
                data["password"] = password
            # Until the response is whole: the mail written after it (whose work differs:
            # a link for a new address, a notice for a taken one) is no part of what a
            # client can time, so the response is closed (and that work done) after.
            started = time.perf_counter()
            response = client.post(path, data=data, buffered=False)
            assert response.status_code == 200 and response.get_data()
            times[name].append(time.perf_counter() - started)
            response.close()
    # The fastest of each: the machine's load only ever adds time, never takes it away.
    fastest = {name: min(values) for name, values in times.items()}
    shown = {name: f"{value * 1000:.1f} ms" for name, value in fastest.items()}
    assert min(fastest.values()) > 0.005, shown  # the hashing is what is measured
    for form in (
        ["no account", "wrong password", "not confirmed"],
        ["register free", "register taken"],
    ):
        same_form = [fastest[name] for name in form]
        assert max(same_form) < min(same_form) * 2, shown  # a skipped hash is 10x faster
