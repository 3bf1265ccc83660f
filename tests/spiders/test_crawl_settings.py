"""spiders.crawl.project_settings: the settings every crawl and documents crawl starts from."""

from __future__ import annotations

import datetime as dt

from spiders.crawl import project_settings
from spiders.dialects.oparl.session import OParlSync


def test_the_oparl_and_file_size_settings_are_read_from_the_environment_too(monkeypatch):
    """README: these are given with --set or in the environment of the flow; Scrapy reads no environment for them."""
    monkeypatch.setenv("RATSINFO_OPARL_FULL", "1")
    monkeypatch.setenv("RATSINFO_OPARL_LISTS", "paper,meeting")
    monkeypatch.setenv("RATSINFO_OPARL_OVERLAP_HOURS", "2")
    monkeypatch.setenv("RATSINFO_OPARL_FULL_AFTER_DAYS", "0")
    monkeypatch.setenv("RATSINFO_MAX_FILE_BYTES", "1000")
    settings = project_settings()
    sync = OParlSync.from_settings(settings)  # what an OParl crawl runs on (spiders.dialects.oparl.crawl_session)
    assert sync.full is True and sync.lists_wanted == ("paper", "meeting")
    assert sync.overlap == dt.timedelta(hours=2) and sync.full_after is None
    assert settings.getint("RATSINFO_MAX_FILE_BYTES") == 1000  # what the documents spider downloads at most

    # A --set of the crawl is applied over them (spiders.crawl.run_crawl) and wins.
    settings.set("RATSINFO_OPARL_FULL", "0")
    assert OParlSync.from_settings(settings).full is False


def test_without_the_environment_the_defaults_hold(monkeypatch):
    for name in ("RATSINFO_OPARL_FULL", "RATSINFO_OPARL_LISTS", "RATSINFO_OPARL_OVERLAP_HOURS",
                 "RATSINFO_OPARL_FULL_AFTER_DAYS", "RATSINFO_MAX_FILE_BYTES"):
        monkeypatch.delenv(name, raising=False)
    settings = project_settings()
    sync = OParlSync.from_settings(settings)
    assert sync.full is False and sync.lists_wanted is None
    assert sync.overlap == dt.timedelta(hours=24) and sync.full_after == dt.timedelta(days=8)
    assert settings.getint("RATSINFO_MAX_FILE_BYTES") == 20_000_000
