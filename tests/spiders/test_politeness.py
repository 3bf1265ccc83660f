import email.utils

from spiders.politeness import retry_after_seconds
from spiders.ris import month_window, parse_month_range
import datetime as dt


def test_retry_after_seconds_and_dates():
    assert retry_after_seconds(b"120") == 120.0
    when = email.utils.formatdate(1_000_060, usegmt=True)
    assert retry_after_seconds(when, now=1_000_000) == 60.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None


def test_polite_defaults():
    from spiders import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN <= 2
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert "contact" in settings.USER_AGENT


def test_month_ranges():
    assert parse_month_range("2026-11..2027-01") == [(2026, 11), (2026, 12), (2027, 1)]
    assert len(month_window(dt.date(2026, 1, 15), 3, 2)) == 6
