"""Phone numbers as people dial them, on made-up cases and on every real 2022 listing."""

from __future__ import annotations

import pytest

from directory.importers.samhsa import ImportSummary, plan_import, read_directory
from directory.listings.phones import (
    NORTH_AMERICAN,
    _parsed,
    call_number,
    listing_phones,
    parse_phone,
    stored_phones,
)
from tests.conftest import SAMHSA_DIR


@pytest.mark.parametrize(
    ("typed", "display", "tel"),
    [
        ("606-439-1331 x4025", "606-439-1331 ext. 4025", "tel:+1-606-439-1331;ext=4025"),
        ("(606) 439-1331 ext. 2", "606-439-1331 ext. 2", "tel:+1-606-439-1331;ext=2"),
        ("606.439.1331", "606-439-1331", "tel:+1-606-439-1331"),
        ("1-800-662-4357", "800-662-4357", "tel:+1-800-662-4357"),
        ("+1 787 765 2285", "787-765-2285", "tel:+1-787-765-2285"),  # Puerto Rico is +1
    ],
)
def test_a_number_is_shown_with_its_extension_and_dials_it(typed, display, tel):
    number = parse_phone(typed)
    assert (number.display, number.tel) == (display, tel)


def test_a_number_in_a_freely_associated_state_dials_its_own_country_code():
    number = parse_phone("691-350-2115 x123", state="FM")  # Yap Memorial Hospital
    assert number.tel == "tel:+691-350-2115;ext=123"


@pytest.mark.parametrize("typed", ["555-667-8999", "999-999-9999", "call us", "12345"])
def test_a_number_that_cannot_be_dialled_is_kept_as_text(typed):
    number = parse_phone(typed)
    assert number.display == typed and number.tel is None and not number.dialable


def test_the_call_button_falls_back_to_the_main_number_when_intake_is_unusable():
    assert call_number("606-439-1331", "555-667-8999").display == "606-439-1331"
    assert call_number("606-439-1331", "606-439-1000 x7").display == "606-439-1000 ext. 7"
    assert call_number("", "") is None and call_number("call us", "") is None


def test_an_intake_number_that_is_the_main_number_is_shown_once():
    assert [p.kind for p in listing_phones("606-439-1331", "(606) 439-1331")] == ["intake"]
    assert [p.kind for p in stored_phones("606-439-1331", "(606) 439-1331")] == ["main", "intake"]


@pytest.mark.skipif(not SAMHSA_DIR.exists(), reason="../shared/data/samhsa-2022 is not here")
def test_every_real_listing_with_a_usable_number_can_be_called():
    summary = ImportSummary()
    rows = [
        (path.name, row)
        for path in sorted(SAMHSA_DIR.glob("*_facilities_2022.csv"))
        for row in read_directory(path)
    ]
    plans = plan_import(rows, summary)
    assert len(plans) == 19131
    callable_, with_extension, read_directly = 0, 0, 0
    for plan in plans.values():
        fields = plan.fields
        for typed in {fields["phone"], fields["intake1"], fields["intake1a"]} - {""}:
            # The shorthand for SAMHSA's way of writing a number agrees with libphonenumber.
            if NORTH_AMERICAN.fullmatch(typed.strip()):
                read_directly += 1
                assert parse_phone(typed, "main", fields["state"]) == _parsed(
                    "main", typed.strip(), fields["state"]
                ), typed
        numbers = stored_phones(fields["phone"], fields["intake1"] or fields["intake1a"],
                                fields["state"])  # fmt: skip
        phone = call_number(fields["phone"], fields["intake1"] or fields["intake1a"],
                            fields["state"])  # fmt: skip
        assert (phone is not None) == any(n.dialable for n in numbers), fields
        callable_ += phone is not None
        with_extension += phone is not None and ";ext=" in phone.tel
    # The old 10-digit rule dialled 16,690; two listings have no valid number at all.
    assert callable_ == 19129
    assert with_extension > 2400
    assert read_directly > 20_000
