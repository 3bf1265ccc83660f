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


def test_a_crawl_started_outside_the_project_keeps_its_settings(tmp_path):
    """``python -m spiders.crawl`` from a folder without ``scrapy.cfg`` still reads robots.txt, names itself, keeps its frontier.

    Scrapy's ``get_project_settings`` finds the settings through a ``scrapy.cfg`` in the working
    directory or above; started elsewhere it ran on Scrapy's defaults without a word.
    """
    import os
    import subprocess
    import sys

    from flows.demo_site import serve_demo
    from spiders import settings
    from tests.conftest import PROJECT_ROOT
    from tests.sites.common import crawl_command

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    with serve_demo() as server:
        command = crawl_command(source="musterstadt", base_url=f"{server.base_url}/musterstadt/bi/",
                                system="allris_classic", months="2026-10..2026-10", data_dir=tmp_path / "data",
                                crawl_id="c1", settings={"RATSINFO_DOWNLOAD_FILES": "none"})
        run = subprocess.run(command, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        requests = server.requests.with_headers()
    paths = [path for _method, path, _headers in requests]
    assert paths[0] == "/robots.txt"
    agents = {headers.get("User-Agent") for _method, _path, headers in requests}
    assert agents == {settings.USER_AGENT}
    assert (tmp_path / "data" / "staging" / "c1" / "frontier.sqlite").exists()


def test_the_calendar_window_follows_the_councils_day_not_the_machines(monkeypatch):
    """00:30 on April 1 in Germany is still March 31 on a machine kept in UTC: the window is April's."""
    from spiders import ris

    utc = dt.datetime(2027, 3, 31, 22, 30, tzinfo=dt.timezone.utc)

    class MachineInUtc(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return utc.astimezone(tz) if tz is not None else utc.replace(tzinfo=None)

    class MachineDate(dt.date):
        @classmethod
        def today(cls):
            return utc.date()

    monkeypatch.setattr(ris.dt, "datetime", MachineInUtc)
    monkeypatch.setattr(ris.dt, "date", MachineDate)
    spider = ris.RisSpider(source="s", base_url="http://127.0.0.1/bi/", months_back=0, months_ahead=0)
    assert [m[:2] for m in spider.months] == [(2027, 4)]
