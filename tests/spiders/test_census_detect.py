"""Systems of the census that ratsinfo names but cannot crawl yet: one clear line each.

Each page is small but in its system's real structure: the address shape the
system's installs use (Ratsmonitor's catalogue of hosts, scrapers' comments)
and the markup or meta tags its pages carry (PARLIS from Frankfurt's result
list).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from spiders.dialects import Page, UnknownDialect, detect
from spiders.dialects.census import UnsupportedSystem
from tests.conftest import PROJECT_ROOT

CASES = [
    ("SessionNet 6", "https://buergerinfo.beispiel.de/sessionnet/sessionnetbi/si0040.php",
     '<html><head><meta name="author" content="Somacos GmbH &amp; Co. KG, SessionNet Version 6.0.2 bi (Layout 7)">'
     '<meta name="sessionnet" content="V:060002"><title>SessionNet | Kalender</title></head><body></body></html>'),
    ("Kommune aktiv", "https://braunfels.ris.kommune-aktiv.de/kalender/de/rathaus/26/1_-_-_07.03.2016/calendar_search",
     "<html><head><title>Sitzungskalender - Stadt Braunfels</title></head><body><div id=\"calendar\"></div></body></html>"),
    ("Provox", "https://www.roesrath.de/provox/sitzungen.php",
     "<html><head><title>Ratsinformation | Stadt Rösrath</title></head><body></body></html>"),
    ("PARLIS", "https://www.stvv.frankfurt.de/PARLISLINK/SDF?DOKUMENTTYP=TAGO&FORMFL_OB=DATUM",
     '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>PARLIS - Trefferliste</title>'
     '</head><body><table class="liste"><tr><td>Nr.</td><td>Vorlage/Datum</td><td>Betreff</td></tr><TR class="maske21">'
     "<TD>1</TD><TD>20.10.2026</TD><TD colspan='2'><A href='../PARLISLINK/DDW?DOKUMENTTYP=TAGO&?29?1?'>Tagesordnung der "
     "5. Sitzung des OBR 10 am 20.10.2026</A></TD></TR></table></body></html>"),
    ("PIWi", "https://ratsinfo.beispiel.de/piwi/sitzungen.aspx",
     "<html><head><title>PIWi - Sitzungen</title></head><body></body></html>"),
    ("Lotus Domino", "https://dosys01.digistadtdo.de/dosys/gremniedweb1.nsf/NiederschriftenOeffentlich?OpenView",
     "<html><head><title>Gremien</title></head><body><a href=\"/dosys/gremniedweb1.nsf/0/4A1B?OpenDocument\">Rat</a></body></html>"),
]


@pytest.mark.parametrize("system, url, text", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_census_system_is_named_with_its_evidence_and_not_supported_yet(system, url, text):
    with pytest.raises(UnsupportedSystem) as raised:
        detect(Page(url, text))
    message = str(raised.value)
    assert raised.value.system == system
    assert message.startswith(f"{system} detected (evidence: ") and "): not supported yet" in message
    assert "\n" not in message
    assert isinstance(raised.value, UnknownDialect)  # callers that catch unknown systems catch these too


def test_sessionnet_4_and_5_stay_supported():
    page = Page("https://buergerinfo.beispiel.de/si0040.asp",
                '<html><head><meta name="author" content="Somacos GmbH &amp; Co. KG, SessionNet Version 5.5.4 KP4 bi (Layout 6)">'
                '<meta name="sessionnet" content="V:050504"></head><body></body></html>')
    assert detect(page)[0].NAME == "sessionnet"


@pytest.mark.parametrize("system, url", [
    ("rubin", "https://rockenhausen.gremien.info/meeting?id=2026-VGRATNPL-61"),
    ("regisafe", "https://kirchheimbolanden.ris-portal.de/startseite"),
])
def test_rubin_and_regisafe_left_the_census_for_dialects_of_their_own(system, url):
    module, evidence = detect(Page(url, "<html><head><title>Sitzung</title></head><body><div id=\"app\"></div></body></html>"))
    assert module.NAME == system, evidence


def test_komuna_left_the_census_for_the_kic_dialect():
    shell = ('<!doctype html><html lang="de"><head><meta charset="UTF-8" /><title>Ratsinformationssystem</title>'
             '<script type="module" crossorigin src="/51b/static/js/index-CM-kp0EV.js"></script></head>'
             '<body><div id="root"></div></body></html>')
    assert detect(Page("https://ris.komuna.net/ainring/", shell))[0].NAME == "kic"
    config = '{\n  "serviceUrl": "https://risapi1.komuna.net/",\n  "org_key": "RIS51",\n  "hash_router": false\n}'
    assert detect(Page("https://ris.komuna.net/ainring/51b/webconfig.json", config))[0].NAME == "kic"


def test_a_page_of_no_known_system_still_says_unknown():
    with pytest.raises(UnknownDialect, match="^unknown council information system"):
        detect(Page("https://www.beispiel.de/", "<html><head><title>Stadt Beispiel</title></head></html>"))


def test_the_cli_says_it_in_one_line_and_fails(tmp_path):
    page = tmp_path / "parlis.html"
    page.write_text(CASES[3][2], encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "flows.cli", "detect", str(page)], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "PARLIS detected (evidence: " in lines[0] and "not supported yet" in lines[0], run.stderr
    assert "Traceback" not in run.stderr
