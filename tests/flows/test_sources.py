import pytest

from flows.sources import Source, SourceError, append_source, load_config, load_sources, slug_for_url


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


BAD_SOURCES = '''
[nightly]
parallel = 4

[alert]
webhok = "http://example.org/hook"

[[source]]
slug = "good"
base_url = "https://ratsinfo.example.de/bi/"

[[source]]
slug = "Bad Slug"
base_url = "ftp://example.org/"
system = "allris5"
months = "2026-13..2026-01"
months_back = "3"
enabled = "yes"
ags = "5334036"

[[source]]
slug = "backwards"
base_url = "https://b.example.de/bi/"
months = "2026-11..2026-09"
time_budget_minutes = 0
extra_hosts = ["docs.example.de", "not a host"]
basurl = "x"

[[source]]
slug = "good"
base_url = "https://other.example.de/bi/"
'''


def test_every_problem_in_the_file_is_named_once(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(BAD_SOURCES, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_sources(path)
    errors = info.value.errors
    expected = [
        "unknown table or key 'nightly'",
        "[alert] has unknown key 'webhok'",
        "source #2 (Bad Slug): slug 'Bad Slug' must be lower-case",
        "source #2 (Bad Slug): base_url 'ftp://example.org/' must be an http(s) URL",
        "source #2 (Bad Slug): system 'allris5' is not one of ",
        "source #2 (Bad Slug): months '2026-13..2026-01': 2026-13 is not a month",
        "source #2 (Bad Slug): months_back must be a whole number, not '3'",
        "source #2 (Bad Slug): enabled must be true or false, not 'yes'",
        "source #2 (Bad Slug): ags '5334036' must be the 8-digit",
        "source #3 (backwards): months '2026-11..2026-09' ends before it starts",
        "source #3 (backwards): time_budget_minutes must be more than 0",
        "source #3 (backwards): extra_hosts must hold host names",
        "source #3 (backwards): unknown key 'basurl' (did you mean 'base_url'?)",
        "slug 'good' is used by 2 sources",
    ]
    for fragment in expected:
        assert sum(fragment in e for e in errors) == 1, (fragment, errors)
    assert len(errors) == len(expected), errors
    assert all(e.startswith(str(path)) for e in errors)


def test_a_toml_syntax_error_is_one_message(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nslug = "a\n', encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_sources(path)
    assert len(info.value.errors) == 1 and "not valid TOML" in info.value.errors[0]


def test_valid_new_fields_are_read(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('[alert]\nwebhook = "https://hooks.example.org/x"\ncommand = "notify-send ratsinfo"\n\n'
                    '[[source]]\nslug = "a"\nbase_url = "https://a.example.de/bi/"\nmonths = "2026-09"\n'
                    'extra_hosts = ["dokumente.a.example.de"]\ntime_budget_minutes = 90\n', encoding="utf-8")
    config = load_config(path)
    assert config.sources[0].extra_hosts == ("dokumente.a.example.de",)
    assert config.sources[0].time_budget_minutes == 90
    assert config.alert.webhook == "https://hooks.example.org/x"


@pytest.mark.parametrize("command", ["run", "schedule"])
def test_the_cli_lists_every_problem_without_a_traceback_before_anything_runs(tmp_path, monkeypatch, capsys, command):
    from flows.cli import main

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    path = tmp_path / "sources.toml"
    path.write_text(BAD_SOURCES, encoding="utf-8")
    code = main([command, "--sources", str(path), "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 14 and all(line.startswith("ratsinfo: ") for line in lines), err
    assert "Traceback" not in err
    assert not (tmp_path / "data").exists()  # nothing ran: no lock, no report, no Prefect server
