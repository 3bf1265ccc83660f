"""`ratsinfo detect URL` and `ratsinfo sources add URL` against the local demo server."""

from __future__ import annotations

import json

import pytest

from flows.cli import main
from flows.demo_site import serve_demo
from flows.sources import load_sources


@pytest.fixture(scope="module")
def demo():
    with serve_demo() as server:
        yield server


@pytest.mark.parametrize("path, system", [("/musterstadt/bi/", "allris_classic"), ("/exempelstadt/buergerinfo/", "sessionnet")])
def test_detect_a_live_base_url(demo, capsys, path, system):
    assert main(["detect", demo.base_url + path]) == 0
    assert json.loads(capsys.readouterr().out)["system"] == system


def test_sources_add_detects_and_appends(demo, tmp_path, capsys):
    sources = tmp_path / "sources.toml"
    url = demo.base_url + "/exempelstadt/buergerinfo/"
    assert main(["sources", "add", url, "--slug", "exempelstadt", "--name", "Stadt Exempelstadt", "--file", str(sources)]) == 0
    (entry,) = load_sources(sources)
    assert (entry.slug, entry.system, entry.base_url) == ("exempelstadt", "sessionnet", url)
    assert main(["sources", "add", url, "--slug", "exempelstadt", "--file", str(sources)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_detect_refuses_what_robots_txt_disallows(demo, capsys):
    assert main(["detect", demo.base_url + "/musterstadt/bi/ri/logon.asp"]) == 2
    assert "robots.txt" in capsys.readouterr().err


def test_detect_unknown_page(demo, capsys):
    assert main(["detect", demo.base_url + "/index.html"]) == 2
    assert "unknown council information system" in capsys.readouterr().err
