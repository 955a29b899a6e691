"""Settings from the environment: defaults, and clear errors for values that cannot work."""

import pytest

from directory import create_app
from directory.settings import ConfigurationError, from_environment, normalize_database_url


def test_defaults_are_offline_sqlite_and_secure_cookies():
    config = from_environment({})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["GEOCODER"] == "offline"
    assert config["SESSION_COOKIE_SECURE"] is True


def test_postgres_urls_use_psycopg_3():
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_a_number_setting_that_is_not_a_number_says_which():
    with pytest.raises(ConfigurationError, match="MAIL_PORT must be a whole number"):
        from_environment({"MAIL_PORT": "five"})


def test_an_unknown_geocoder_fails_at_start_listing_the_choices(tmp_path):
    with pytest.raises(ConfigurationError, match="GEOCODER: .*nominatim"):
        create_app({"GEOCODER": "bogus", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_mail_goes_out_by_starttls_unless_told_otherwise():
    assert from_environment({})["MAIL_SECURITY"] == "starttls"
    assert from_environment({"MAIL_SECURITY": "None"})["MAIL_SECURITY"] == "none"
    with pytest.raises(ConfigurationError, match="MAIL_SECURITY must be starttls, ssl or none"):
        from_environment({"MAIL_SECURITY": "tls"})
