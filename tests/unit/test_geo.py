"""Locating what a person types: ZIPs, cities, states, addresses, coordinates, and the
optional online geocoder (a fake geopy-like service: tests never reach the network)."""

import pytest
from geopy.distance import geodesic
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.location import Location
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.geo import (
    LocationNotFound,
    Point,
    distance_miles,
    gazetteer,
    locate,
    make_geocoder,
    state_code,
)
from directory.geo.online import Geocoder

WHITE_HOUSE = "1600 Pennsylvania Ave NW, Washington, DC 20500"


def near(point: Point, lat: float, lon: float, degrees: float = 0.1) -> bool:
    return abs(point.lat - lat) < degrees and abs(point.lon - lon) < degrees


# --- offline forms ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["80202", "80202-1234", "802021234", " 80202 "])
def test_zip_and_zip_plus_four_are_placed_at_the_zip_centroid(text):
    point = locate(text)
    assert point.precision == "zip"
    assert (point.zip, point.state, point.label) == ("80202", "CO", "Denver, CO 80202")
    assert near(point, 39.749, -104.995, 0.01)


@pytest.mark.parametrize("text", ["Denver, CO", "Denver, Colorado", "denver co", "DENVER,CO"])
def test_city_and_state_in_any_common_form(text):
    point = locate(text)
    assert (point.precision, point.label, point.state) == ("city", "Denver, CO", "CO")
    assert near(point, 39.739, -104.990)


@pytest.mark.parametrize(
    "text", ["St. Louis, MO", "Saint Louis, Missouri", "st louis mo", "saint louis missouri"]
)
def test_saint_and_st_are_the_same_city(text):
    point = locate(text)
    assert (point.precision, point.label, point.state) == ("city", "Saint Louis, MO", "MO")
    assert near(point, 38.627, -90.199)


def test_multi_word_city_and_state_names():
    assert locate("New York, NY").label == "New York, NY"
    assert locate("Washington DC").state == "DC"
    assert locate("Salt Lake City, Utah").label == "Salt Lake City, UT"


def test_street_address_offline_is_placed_at_its_zip():
    point = locate(WHITE_HOUSE)
    assert (point.precision, point.zip, point.label) == ("zip", "20500", "Washington, DC 20500")
    assert near(point, 38.8977, -77.0365, 0.01)


def test_street_address_with_unknown_zip_falls_back_to_its_city():
    point = locate("123 Main St, Springfield, IL 00000")
    assert (point.precision, point.label) == ("city", "Springfield, IL")
    assert near(point, 39.78, -89.65)


def test_street_address_without_zip_is_placed_at_its_city():
    point = locate("1437 Bannock St, Denver, CO")
    assert (point.precision, point.label) == ("city", "Denver, CO")


def test_address_with_a_repeated_part_still_finds_its_zip():
    point = locate("123 Main St Denver CO 80202 Denver CO")
    assert point.zip == "80202"


def test_city_state_and_zip_uses_the_zip():
    assert locate("Denver, CO 80202").precision == "zip"


@pytest.mark.parametrize("text", ["Colorado", "CO", "co", "colorado"])
def test_a_bare_state_is_placed_at_its_centre(text):
    point = locate(text)
    assert (point.precision, point.label, point.state) == ("state", "Colorado", "CO")
    assert near(point, 39.0, -105.5, 0.6)


def test_lat_lon_pair_is_an_exact_point_in_its_state():
    point = locate("39.74,-104.99")
    assert (point.lat, point.lon, point.precision, point.state) == (39.74, -104.99, "address", "CO")
    assert locate(" 38.8977 , -77.0365 ").state == "DC"


def test_lat_lon_outside_the_us_has_no_state():
    point = locate("0,0")
    assert (point.precision, point.state) == ("address", "")


@pytest.mark.parametrize("text", ["95,-100", "40,-190", "-90.5,0"])
def test_lat_lon_out_of_range_is_not_found(text):
    with pytest.raises(LocationNotFound, match="Latitude"):
        locate(text)


def test_state_code_reads_codes_and_names():
    assert state_code("missouri") == "MO"
    assert state_code("District of Columbia") == "DC"
    assert state_code("Narnia") is None


# --- what cannot be placed --------------------------------------------------------------


def test_unknown_place_says_what_to_type_instead():
    with pytest.raises(LocationNotFound) as caught:
        locate("Xyzzy")
    assert caught.value.text == "Xyzzy"
    assert caught.value.message == 'We could not find "Xyzzy". Try a ZIP code or "City, ST".'
    assert str(caught.value) == caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "99999",
        "Xyzzy, CO",
        "Denver, XX",
        "x" * 201,
        "<script>alert(1)</script>",
        "Denver\x00, CO",
        "Denver\u202e, CO",
    ],
)
def test_unplaceable_input_raises_location_not_found(text):
    with pytest.raises(LocationNotFound) as caught:
        locate(text)
    assert "Try" in caught.value.message


def test_surrounding_whitespace_is_fine():
    assert locate("\t80202\n").zip == "80202"


def test_over_long_input_is_refused_without_echoing_it():
    with pytest.raises(LocationNotFound) as caught:
        locate("Denver, CO " * 30)
    assert "too long" in caught.value.message
    assert "Denver" not in caught.value.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=250))
def test_any_text_gives_a_point_or_location_not_found(text):
    try:
        point = locate(text)
    except LocationNotFound as error:
        assert error.message
    else:
        assert point.precision in {"address", "zip", "city", "state"}


ADDRESS_WORDS = [
    *["Denver", "CO", ",", "80202", "St.", "1600", "Ave", "NW", "-", "#5", "Missouri", "and"],
    *["Main", "PO Box 12", "Suite", "Saint", "Louis", "39.7", "-104.9", "  ", "DC", "20500-0001"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ADDRESS_WORDS), max_size=12))
def test_address_like_jumbles_give_a_point_or_location_not_found(words):
    try:
        point = locate(" ".join(words))
    except LocationNotFound as error:
        assert error.message
    else:
        assert point.precision in {"address", "zip", "city", "state"}


# --- the online geocoder ----------------------------------------------------------------


class FakeService:
    """A geopy-like geocoder answering from a table, or raising a given error."""

    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.calls = []

    def geocode(self, query, **options):
        self.calls.append((query, options))
        if self.error:
            raise self.error
        return self.answers.get(query)


WHITE_HOUSE_LOCATION = Location(
    "White House, 1600, Pennsylvania Avenue Northwest, Washington, DC 20500, United States",
    (38.8976763, -77.0365298),
    {},
)


def online(service: FakeService, **kwargs) -> Geocoder:
    return Geocoder(service, min_delay_seconds=0, **kwargs)


def test_street_address_is_answered_online_at_address_precision():
    service = FakeService({WHITE_HOUSE.casefold(): WHITE_HOUSE_LOCATION})
    point = locate(WHITE_HOUSE, online(service))
    assert point.precision == "address"
    assert (point.lat, point.lon, point.state) == (38.8976763, -77.0365298, "DC")
    assert point.label.startswith("White House")
    assert service.calls == [(WHITE_HOUSE.casefold(), {"exactly_one": True})]


@pytest.mark.parametrize(
    "error",
    [
        GeocoderTimedOut("slow"),
        GeocoderServiceError("500"),
        GeocoderUnavailable("down"),
        ConnectionResetError("reset"),
    ],
)
def test_geocoder_errors_fall_back_to_the_gazetteer(error):
    service = FakeService(error=error)
    geocoder = online(service)
    assert locate(WHITE_HOUSE, geocoder).precision == "zip"
    assert locate("1437 Bannock St, Denver, CO", geocoder).precision == "city"
    assert len(service.calls) == 2


def test_errors_are_not_cached():
    service = FakeService(error=GeocoderTimedOut("slow"))
    geocoder = online(service)
    locate(WHITE_HOUSE, geocoder)
    service.error = None
    service.answers = {WHITE_HOUSE.casefold(): WHITE_HOUSE_LOCATION}
    assert locate(WHITE_HOUSE, geocoder).precision == "address"
    assert len(service.calls) == 2


def test_no_answer_falls_back_to_the_gazetteer():
    service = FakeService()
    assert locate(WHITE_HOUSE, online(service)).precision == "zip"
    assert len(service.calls) == 1


def test_an_answer_outside_the_us_falls_back_to_the_gazetteer():
    paris = Location("Paris, France", (48.8566, 2.3522), {})
    service = FakeService({WHITE_HOUSE.casefold(): paris})
    assert locate(WHITE_HOUSE, online(service)).precision == "zip"


def test_answers_are_cached_by_normalised_text():
    service = FakeService({WHITE_HOUSE.casefold(): WHITE_HOUSE_LOCATION})
    geocoder = online(service)
    first = locate(WHITE_HOUSE, geocoder)
    second = locate("  " + WHITE_HOUSE.upper().replace(" ", "  "), geocoder)
    assert first == second
    assert len(service.calls) == 1


def test_cache_is_bounded():
    service = FakeService()
    geocoder = online(service, cache_size=2)
    for number in (1, 2, 3, 1):
        geocoder.geocode(f"{number} Main St, Denver, CO")
    assert len(service.calls) == 4  # "1 Main St" was evicted by "3 Main St"


@pytest.mark.parametrize(
    "text", ["80202", "80202-1234", "Denver, CO", "denver co", "Colorado", "39.74,-104.99"]
)
def test_zips_cities_states_and_coordinates_never_go_online(text):
    service = FakeService(error=AssertionError("must not be called"))
    locate(text, online(service))
    assert service.calls == []


# --- choosing a geocoder ----------------------------------------------------------------


def test_offline_means_no_geocoder():
    assert make_geocoder("offline", "test-agent") is None
    assert make_geocoder("", "test-agent") is None


def test_nominatim_is_restricted_to_the_us():
    geocoder = make_geocoder("Nominatim", "treatment-directory-tests", min_delay_seconds=0)
    assert isinstance(geocoder, Geocoder)
    assert geocoder.query_options == {"exactly_one": True, "country_codes": "us"}


def test_other_geopy_services_are_accepted():
    assert isinstance(make_geocoder("photon", "test-agent"), Geocoder)


def test_unknown_geocoder_lists_the_choices():
    with pytest.raises(ValueError, match="Unknown geocoder 'mapquestx'.*offline.*nominatim"):
        make_geocoder("mapquestx", "test-agent")


def test_geocoder_needing_an_api_key_is_a_clear_error():
    with pytest.raises(ValueError, match="needs more settings"):
        make_geocoder("bing", "test-agent")


# --- distances --------------------------------------------------------------------------


def test_distance_matches_geodesic_within_one_percent():
    denver, st_louis = (39.7392, -104.9903), (38.6270, -90.1994)
    miles = distance_miles(*denver, *st_louis)
    assert miles == pytest.approx(geodesic(denver, st_louis).miles, rel=0.01)
    assert miles == pytest.approx(796, abs=5)


def test_one_degree_of_latitude_is_about_69_miles():
    assert distance_miles(0, 0, 1, 0) == pytest.approx(69.09, abs=0.1)
    assert distance_miles(39.74, -104.99, 39.74, -104.99) == 0


def test_distance_between_located_points():
    denver, boulder = locate("Denver, CO"), locate("Boulder, CO")
    assert distance_miles(denver.lat, denver.lon, boulder.lat, boulder.lon) == pytest.approx(
        25, abs=5
    )


def test_zips_with_placeholder_coordinates_are_not_placed_at_zero_zero():
    assert gazetteer().zip_point("09905") is None  # an APO ZIP the data places at 0,0
    with pytest.raises(LocationNotFound):
        locate("09905")
    new_jersey = locate("New Jersey")
    assert near(new_jersey, 40.1, -74.5, 0.6)


def test_gazetteer_state_point_and_nearest_zip():
    assert gazetteer().state_point("Narnia") is None
    assert gazetteer().nearest_zip(39.7491, -104.9946).zip == "80202"


def test_a_state_named_like_its_biggest_city_means_the_city():
    new_york = locate("New York")
    assert (new_york.precision, new_york.label) == ("city", "New York, NY")
    assert locate("NY").precision == "state"
    assert locate("Colorado").precision == "state"


def test_place_not_found_messages_can_be_translated():
    with pytest.raises(LocationNotFound) as caught:
        locate("Xyzzyville")
    spanish = {
        'We could not find "%(place)s". Try a ZIP code or "City, ST".': "No hallamos %(place)s"
    }
    assert caught.value.translated(lambda s: spanish.get(s, s)) == "No hallamos Xyzzyville"


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Los Ángeles, CA", "Los Ángeles, CA"),
        ("San José, CA", "San José, CA"),
        ("Bayamón, PR", "Bayamón, PR"),
        ("Mayagüez, PR", "Mayagüez, PR"),
        ("Cañon City, CO", "Cañon City, CO"),
        ("LOS ANGELES ca", "Los Angeles, CA"),
        ("bayamón pr", "Bayamón, PR"),  # the accents typed, in the place's case
        ("BAYAMÓN", "Bayamón, PR"),
        ("Bayamon", "Bayamón, PR"),  # as Bayamón writes itself, accents typed or not
        ("Mayaguez Municipio", "Mayagüez Municipio, PR"),
        ("00961", "Bayamón, PR 00961"),
        ("Rincon, GA", "Rincon, GA"),  # Rincón is Puerto Rico's; Georgia's has no accent
        ("Perry County, KY", "Perry County, KY"),
        ("Condado de Los Ángeles", "Los Angeles County, CA"),
        ("Orleans Parish, LA", "Orleans Parish, LA"),
        ("Roxbury, MA", "Roxbury, MA"),
        ("NYC", "New York, NY"),
        ("Philly", "Philadelphia, PA"),
        ("East LA", "East Los Angeles, CA"),
        ("Nueva York", "New York, NY"),
        ("eastern kentucky", "Eastern Kentucky"),
        ("sur de Texas", "Southern Texas"),
    ],
)
def test_places_as_people_type_them(typed, label):
    point = locate(typed)
    assert point.label == label
    assert not point.typed, "written correctly: no 'you typed' note"


def test_every_accented_spelling_names_a_place_of_its_state():
    from directory.geo.names import OFFICIAL_SPELLING

    for (state, _), name in OFFICIAL_SPELLING.items():
        assert locate(f"{name}, {state}").label == f"{name}, {state}"


@pytest.mark.parametrize(
    ("typed", "label", "others"),
    [
        ("Boston", "Boston, MA", "Boston, GA"),
        ("Louisville", "Louisville, KY", "Louisville, CO"),
        ("Hazard", "Hazard, KY", "Hazard, NE"),
        ("Portland", "Portland, OR", "Portland, ME"),
        ("LA", "Los Angeles, CA", "Louisiana"),
    ],
)
def test_a_city_without_its_state_is_the_biggest_and_offers_the_others(typed, label, others):
    point = locate(typed)
    assert point.label == label
    assert others in [shown for shown, _ in point.also]


def test_a_region_of_a_state_lies_in_that_part_of_it():
    kentucky = locate("Kentucky")
    assert locate("eastern kentucky").lon > kentucky.lon + 1
    assert locate("western kentucky").lon < kentucky.lon - 1
    assert locate("Eastern, KY").label == "Eastern, KY", "the town, written as a town"


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Hazzard KY", "Hazard, KY"),
        ("Hazzard", "Hazard, KY"),
        ("Lousville", "Louisville, KY"),
        ("Pheonix", "Phoenix, AZ"),
        ("Cincinatti", "Cincinnati, OH"),
        ("Albequerque", "Albuquerque, NM"),
        ("Pery County, KY", "Perry County, KY"),
        ("Orleens Parish, LA", "Orleans Parish, LA"),
        ("Condado de Los Angelos", "Los Angeles County, CA"),
    ],
)
def test_a_clear_misspelling_is_corrected_and_says_what_was_typed(typed, label):
    point = locate(typed)
    assert (point.label, point.typed) == (label, typed)


def test_an_unclear_misspelling_offers_suggestions():
    with pytest.raises(LocationNotFound) as caught:
        locate("Sprngfld, MO")
    assert ("Springfield, MO", "Springfield, MO") in caught.value.suggestions


def test_a_county_abbreviated_or_misspelt_without_its_state_is_found_or_offered():
    assert locate("Perry Cnty KY").label == "Perry County, KY"
    with pytest.raises(LocationNotFound) as raised:
        locate("Jeferson County")
    offered = [label for label, _ in raised.value.suggestions]
    assert offered and all(label.startswith("Jefferson County, ") for label in offered)
