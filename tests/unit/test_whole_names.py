"""Names SAMHSA split across name1 and name2 mid-phrase are joined; a facility and its
program stay two names."""

import pytest

from directory.importers.samhsa import whole_name


@pytest.mark.parametrize(
    ("name1", "name2", "expected"),
    [
        ("Western Arkansas Counseling and", "Guidance Center Inc",
         ("Western Arkansas Counseling and Guidance Center Inc", "")),
        ("Jewish Family and Childrens Servs of", "Southern Arizona",
         ("Jewish Family and Childrens Servs of Southern Arizona", "")),
        ("Safe Harbor Treatment Center", "for Women LLC",
         ("Safe Harbor Treatment Center for Women LLC", "")),
        ("Smith &", "Jones Counseling", ("Smith & Jones Counseling", "")),
        ("Kedren Community Mental Health Center", "Kedren Health",
         ("Kedren Community Mental Health Center", "Kedren Health")),
        ("Felton Institute", "reMIND and BEAM San Mateo",
         ("Felton Institute", "reMIND and BEAM San Mateo")),
        ("Circle Health Services", "fka Free Clinic of Greater Cleveland",
         ("Circle Health Services", "fka Free Clinic of Greater Cleveland")),
        ("Catholic Community Services of", "", ("Catholic Community Services of", "")),
        ("", "", ("", "")),
    ],
)  # fmt: skip
def test_whole_name(name1, name2, expected):
    assert whole_name(name1, name2) == expected
