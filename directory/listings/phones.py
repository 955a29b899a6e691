"""Telephone numbers as people dial them: parsed once with libphonenumber (``phonenumbers``).

A stored number is free text ("606-439-1331 x4025"); this module turns it into what a card shows
("606-439-1331 ext. 4025") and what a phone dials (``tel:+1-606-439-1331;ext=4025``, RFC 3966).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat

REGION = "US"
# Freely associated states with their own country codes; every other US state and territory
# (Puerto Rico, Guam, the Virgin Islands...) is in the North American plan, dialled as +1.
OWN_COUNTRY_CODE = {"FM", "MH", "PW"}
# How SAMHSA writes 99.9% of its numbers ("606-439-1331", "606-439-1331 x4025"): read without
# libphonenumber's general parser, which is three times slower; whether such a number can be
# dialled is still libphonenumber's answer, and the result is the same as the general path's
# (tests/web/test_real_directory.py compares the two on every number of the national files).
NORTH_AMERICAN = re.compile(r"([0-9]{3})-([0-9]{3})-([0-9]{4})(?: x([0-9]{1,6}))?")


def region_of(state: str) -> str:
    state = (state or "").upper()
    return state if state in OWN_COUNTRY_CODE else REGION


@dataclass(frozen=True, slots=True)
class Phone:
    """One number of a listing: ``kind`` is "main" or "intake"; ``tel`` None when not dialable."""

    kind: str
    raw: str
    display: str
    tel: str | None

    @property
    def dialable(self) -> bool:
        return self.tel is not None


@lru_cache(maxsize=65536)
def parse_phone(raw: str, kind: str = "main", state: str = "") -> Phone | None:
    """The number as shown and dialled; None when blank; ``tel`` None when it cannot be dialled."""
    text = (raw or "").strip()
    if not text:
        return None
    written = NORTH_AMERICAN.fullmatch(text)
    if written and region_of(state) == REGION:
        return _north_american(kind, text, *written.groups())
    return _parsed(kind, text, state)


def _north_american(kind: str, text: str, area: str, exchange: str, line: str, ext) -> Phone:
    number = PhoneNumber(country_code=1, national_number=int(area + exchange + line), extension=ext)
    if not phonenumbers.is_valid_number(number):
        return Phone(kind, text, text, None)
    national = f"{area}-{exchange}-{line}"
    if ext:
        return Phone(kind, text, f"{national} ext. {ext}", f"tel:+1-{national};ext={ext}")
    return Phone(kind, text, national, f"tel:+1-{national}")


def _parsed(kind: str, text: str, state: str) -> Phone:
    """Any other way of writing a number, read by libphonenumber."""
    try:
        number = phonenumbers.parse(text, region_of(state))
    except NumberParseException:
        return Phone(kind, text, text, None)
    if not phonenumbers.is_valid_number(number):
        return Phone(kind, text, text, None)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    if number.country_code == 1:
        # "(606) 439-1331" -> "606-439-1331", the form US directories print.
        digits = str(number.national_number)
        national = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    display = f"{national} ext. {number.extension}" if number.extension else national
    tel = phonenumbers.format_number(number, PhoneNumberFormat.RFC3966)
    return Phone(kind, text, display, tel)


def stored_phones(phone: str, intake_phone: str, state: str = "") -> list[Phone]:
    """Every number the listing has, main first, as the API lists them."""
    numbers = [parse_phone(phone, "main", state), parse_phone(intake_phone, "intake", state)]
    return [number for number in numbers if number is not None]


def listing_phones(phone: str, intake_phone: str, state: str = "") -> list[Phone]:
    """The numbers a person sees, intake first (the one to call about starting treatment);
    an intake number that is the main number is shown once."""
    found = stored_phones(phone, intake_phone, state)[::-1]
    if len(found) == 2 and found[0].tel and found[0].tel == found[1].tel:
        return [found[0]]
    return found


def call_number(phone: str, intake_phone: str, state: str = "") -> Phone | None:
    """The one number a card's Call button dials: intake when dialable, else the main number."""
    for number in listing_phones(phone, intake_phone, state):
        if number.dialable:
            return number
    return None


def is_unusable(raw: str, state: str = "") -> bool:
    """True for a number that is typed but cannot be dialled (reported to the operator)."""
    number = parse_phone(raw, state=state)
    return number is not None and not number.dialable
