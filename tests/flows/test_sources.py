import pytest

from flows.sources import Source, SourceError, append_source, load_sources, slug_for_url


def test_shipped_sources_file_is_valid():
    from tests.conftest import PROJECT_ROOT

    sources = load_sources(PROJECT_ROOT / "data" / "sources.toml")
    assert sources and all(s.slug and s.base_url for s in sources)


def test_append_and_reload(tmp_path):
    path = tmp_path / "sources.toml"
    append_source(Source(slug="wuerselen", base_url="https://ratsinfo.wuerselen.de/bi/", name='Stadt "W"', system="allris_classic"), path)
    assert load_sources(path)[0].name == 'Stadt "W"'
    with pytest.raises(SourceError):
        append_source(Source(slug="wuerselen", base_url="x"), path)


def test_unknown_fields_are_refused(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nslug = "a"\nbase_url = "b"\nbaseurl = "c"\n')
    with pytest.raises(SourceError, match="baseurl"):
        load_sources(path)


def test_slug_for_url():
    assert slug_for_url("https://ratsinfo.wuerselen.de/bi/") == "wuerselen"
    assert slug_for_url("http://127.0.0.1:8765/musterstadt/bi/") == "local-musterstadt"


def test_extra_hosts_are_read_and_handed_to_the_crawl_as_a_setting(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nslug = "a"\nbase_url = "https://ris.a.de/bi/"\n'
                    'extra_hosts = ["dokumente.a.de", "files.a.de:8443"]\n', encoding="utf-8")
    [source] = load_sources(path)
    assert source.extra_hosts == ("dokumente.a.de", "files.a.de:8443")
    assert source.crawl_settings() == {"RATSINFO_EXTRA_HOSTS": "dokumente.a.de,files.a.de:8443"}
    assert Source(slug="b", base_url="https://b.de/").crawl_settings() == {}
