"""komuna/KIC: variants of the guest interface's answers in their real structure, the app shell, the restored real answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.dialects import Page, by_name, detect
from spiders.dialects import kic
from tests.spiders.pages.restore import restored_path

VARIANTS = Path(__file__).parent / "pages" / "kic" / "variants"
API = "https://risapi1.komuna.net/"


def page(name: str, url: str) -> Page:
    return Page.from_bytes(url, (VARIANTS / name).read_bytes())


def test_the_meeting_list_reads_flags_sent_as_strings_and_skips_cancelled_and_closed_meetings():
    p = page("guestmeetings_string-flags.json", API + "web/guestmeetings?from=2026-09-01&until=2026-10-31")
    assert detect(p)[0].NAME == "kic" and kic.page_kind(p) == "guestmeetings"
    parsed = kic.parse(p, "kicheim")
    assert [(m.systemId, m.dateRaw, m.timeRaw, m.organizationName, m.cancelled) for m in parsed.items] == [
        ("500100", "22.09.2026", "18:00 - 19:42 Uhr", "Marktgemeinderat", None),
        ("500101", "15.09.2026", "17:00 Uhr", "Bauausschuss", None),
        ("500102", "06.10.2026", None, "Werkausschuss", None),
        ("500103", "13.10.2026", "18:00 Uhr", "Kulturausschuss", True),
    ]
    assert [link.url for link in parsed.follow] == [API + "web/guestmeetings/500100", API + "web/guestmeetings/500101"]


def test_a_meeting_with_a_protected_part_and_a_sub_item():
    p = page("guestmeeting_protected-part_subitem.json", API + "web/guestmeetings/500100")
    assert kic.page_kind(p) == "guestmeeting"
    parsed = kic.parse(p, "kicheim")
    meeting = parsed.items[0]
    assert (meeting.systemId, meeting.room, meeting.locality) == ("500100", "Rathaus, großer Sitzungssaal", "Marktplatz 1, 83999 Kicheim")
    agenda = [(i.systemId, i.number, i.public, i.parent, i.paper, i.name) for i in parsed.items if i.type == "AgendaItem"]
    assert agenda == [
        ("500100-1", "1", True, None, None, "Genehmigung der Tagesordnung"),
        ("500100-2", "2", True, None, None, 'Bebauungsplan "Am Anger", Satzungsbeschluss'),
        ("500100-3", "3", True, None, None, "Bauanträge"),
        ("500100-4", "3.1", True, "500100-3", None, "Neubau eines Einfamilienhauses, Fl.Nr. 17/3"),
        ("500100-9", "4", False, None, None, "Grundstücksangelegenheit"),
    ]
    assert [link.url.rsplit("/", 1)[1] for link in parsed.follow] == ["500100-1", "500100-2", "500100-3", "500100-4"]


def test_an_item_is_its_matters_paper_with_the_beratungsfolge_and_only_documents_open_to_guests():
    p = page("guestagendaitem_no-globalid_hidden-document.json", API + "web/guestagendaitems/500100-2")
    assert kic.page_kind(p) == "guestagendaitem"
    parsed = kic.parse(p, "kicheim")
    (item,) = [i for i in parsed.items if i.type == "AgendaItem"]
    assert (item.paper, item.resultRaw, item.resolutionText) == (
        "conorder-900127", "Ja: 14, Nein: 3", "Der Marktgemeinderat beschließt den Bebauungsplan als Satzung.")
    (paper,) = [i for i in parsed.items if i.type == "Paper"]
    assert (paper.reference, paper.sachverhalt) == (None, 'Sachverhalt zu Bebauungsplan "Am Anger", Satzungsbeschluss (beschließend)')
    assert [(c.meeting, c.agendaItem, c.role, c.dateRaw) for c in parsed.items if c.type == "Consultation"] == [
        ("500101", "500101-1", "Vorberatend", "15.09.2026"), ("500100", "500100-2", "Beschließend", "22.09.2026")]
    files = [(f.systemId, f.role, f.fileName) for f in parsed.items if f.type == "File"]
    assert files == [("500100-2-7001", "mainFile", "Satzungsentwurf Am Anger.pdf"),
                     ("500100-2-7002", "auxiliaryFile", "Planzeichnung Am Anger.pdf")]
    assert all(link.url.startswith(API + "web/guestagendaitems/documents/") for link in parsed.follow)


def test_a_restricted_item_answer_is_refused_as_not_public():
    data = json.loads((VARIANTS / "guestagendaitem_no-globalid_hidden-document.json").read_text())
    data["restricted"] = True
    with pytest.raises(Exception, match="not marked public"):
        kic.parse(Page(API + "web/guestagendaitems/500100-2", json.dumps(data)), "kicheim")


def test_the_session_adds_the_apps_headers_to_every_interface_request():
    session = kic.crawl_session(None, None)
    (start,) = kic.start_urls("https://ris.komuna.net/ainring/app/liste", [(2026, 9), (2026, 10)])
    assert start.url == "https://ris.komuna.net/ainring/51b/webconfig.json"
    config = Page(start.url, '{"serviceUrl": "https://risapi1.komuna.net", "org_key": "RIS51", "hash_router": false}')
    parsed = session.parse(config, "ainring", start.meta)
    (listing,) = parsed.follow
    assert listing.url == API + "web/guestmeetings?from=2026-09-01&until=2026-10-31"
    assert listing.meta["headers"] == {"x-orgkey": "RIS51", "x-uniqueid": "ris.komuna.net/ainring", "x-customname": "ainring",
                                       "Accept": "application/json"}
    later = session.request_for(kic.parse(page("guestmeetings_string-flags.json", listing.url), "ainring").follow[0])
    assert later.meta["headers"]["x-orgkey"] == "RIS51"
    assert by_name("kic") is kic
    # The interface runs on a host of its own, which the install's configuration names.
    assert parsed.hosts == ["risapi1.komuna.net"]


def test_the_crawl_may_fetch_the_interface_host_the_configuration_names():
    from spiders.middlewares import policy_of
    from spiders.ris import RisSpider

    spider = RisSpider(source="ainring", base_url="https://ris.komuna.net/ainring/app/liste", system="kic")
    interface = API + "web/guestmeetings?from=2026-09-01&until=2026-10-31"
    assert policy_of(spider).refusal(interface) is not None
    spider._allow_hosts(["risapi1.komuna.net"], "https://ris.komuna.net/ainring/51b/webconfig.json")
    assert policy_of(spider).refusal(interface) is None
    assert policy_of(spider).refusal("https://elsewhere.example/") is not None


@pytest.mark.parametrize("name, url, check", [
    ("komuna-ainring-meeting-279901463.json", API + "web/guestmeetings/279901463",
     lambda items: items[0].organizationName == "Gemeinderat" and items[0].locality == "Salzburger Straße 48, 83404 Ainring"
     and [i.number for i in items if i.type == "AgendaItem"][:6] == ["1", "2", "3", "4", "4.1", "4.2"]),
    ("aschaffenburg-meeting-100898178.json", "https://risapi.aschaffenburg.de/web/guestmeetings/100898178",
     lambda items: items[0].systemId == "100898178"),
])
def test_restored_real_answers(name, url, check):
    """Ratsmonitor's fixtures carry no licence: restored by tests/spiders/pages/restore.py, never committed."""
    path = restored_path("kic/" + name)
    p = Page.from_bytes(url, path.read_bytes())
    assert detect(p)[0].NAME == "kic"
    assert check(kic.parse(p, "restored").items)


def test_an_item_whose_downloads_are_not_allowed_lists_no_documents():
    data = json.loads((VARIANTS / "guestagendaitem_no-globalid_hidden-document.json").read_text())
    data["downloadallowed"] = False
    parsed = kic.parse(Page(API + "web/guestagendaitems/500100-2", json.dumps(data)), "kicheim")
    assert [i.type for i in parsed.items if i.type == "File"] == [] and parsed.follow == []
    assert [i.type for i in parsed.items if i.type == "Paper"] == ["Paper"]


def _restored(name: str) -> Path:
    return restored_path("kic/" + name)


def test_restored_abenberg_meeting_list_follows_only_meetings_with_a_public_part():
    p = Page.from_bytes(API + "web/guestmeetings?from=2026-09-01&until=2026-10-31",
                        _restored("komuna-abenberg-meetings.json").read_bytes())
    assert detect(p)[0].NAME == "kic" and kic.page_kind(p) == "guestmeetings"
    parsed = kic.parse(p, "abenberg")
    assert [(m.systemId, m.dateRaw, m.timeRaw, m.organizationName, m.room) for m in parsed.items] == [
        ("86706579", "30.09.2026", None, "Ausschuss für Schulen, Kultur, Freizeit, Sport und Jugend", "Bürgerhaus, Bürgersaal"),
        ("87099788", "24.09.2026", None, "Stadtrat", "Bürgerhaus, Bürgersaal"),
        ("83799918", "21.09.2026", "19:32 - 21:49 Uhr", "Stadtrat", "Bürgerhaus, Bürgersaal"),
    ]
    # visibility 2: a non-public part only; the detail is not asked.
    assert [link.url for link in parsed.follow] == [API + "web/guestmeetings/83799918"]


def test_restored_eidertal_meeting_and_item():
    # The fixtures record no address; any interface host does: the follow-up links are made from the page's own.
    api = "https://risapi.amt-eidertal.de/"
    meeting = kic.parse(Page.from_bytes(api + "web/guestmeetings/52376529",
                                        _restored("eidertal-meeting-52376529.json").read_bytes()), "rumohr")
    agenda = [i for i in meeting.items if i.type == "AgendaItem"]
    assert [(a.number, a.public) for a in agenda] == [(str(n), n <= 8) for n in range(1, 11)]
    assert len(meeting.follow) == 8 and all("/web/guestagendaitems/52376529-" in link.url for link in meeting.follow)
    item = kic.parse(Page.from_bytes(api + "web/guestagendaitems/52376529-63134834",
                                     _restored("eidertal-item-52376529-63134834.json").read_bytes()), "rumohr")
    (paper,) = [i for i in item.items if i.type == "Paper"]
    assert paper.systemId == "conorder-57902543"
    assert [(c.meeting, c.agendaItem, c.organizationName, c.dateRaw) for c in item.items if c.type == "Consultation"] == [
        ("52376165", "52376165-57902542", "Finanzausschuss Rumohr", "21.09.2026"),
        ("52376529", "52376529-63134834", "Gemeindevertretung Rumohr", "05.10.2026")]
    assert [(f.systemId, f.role) for f in item.items if f.type == "File"] == [
        ("52376529-63134834-63124689", "mainFile"), ("52376529-63134834-66194843", "auxiliaryFile")]


def test_restored_waldkraiburg_item_without_released_documents():
    p = Page.from_bytes("https://risapi.waldkraiburg.de/web/guestagendaitems/42943872-42911946",
                        _restored("waldkraiburg-item-42943872-42911946.json").read_bytes())
    parsed = kic.parse(p, "waldkraiburg")
    (item,) = parsed.items
    assert (item.number, item.meeting, item.paper) == ("12", "42943872", None)
    assert item.name.startswith("Stadtrats- und Ausschussssitzungen; Sitzungsablauf - Antrag der Stadtratsmitglieder")
    assert parsed.follow == []


def test_restored_buttenheim_meeting_without_a_published_agenda():
    """The meeting answer of a town that publishes no agenda items yet: empty parts, the meeting alone."""
    p = Page.from_bytes("https://risapi.buttenheim.de/web/guestmeetings/11973843",
                        _restored("buttenheim-meeting-11973843.json").read_bytes())
    assert detect(p)[0].NAME == "kic" and kic.page_kind(p) == "guestmeeting"
    parsed = kic.parse(p, "buttenheim")
    assert [(m.type, m.systemId, m.dateRaw, m.organizationName) for m in parsed.items] == [
        ("Meeting", "11973843", "14.09.2026", "Marktgemeinderat")]
    assert parsed.follow == [] and parsed.fields_seen == {"dateRaw": True, "agenda": False}
