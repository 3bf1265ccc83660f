from pipelines.warehouse.load import connect
from pipelines.crawl.parse_rate import degraded_fields, record_parse_rates
from schemas.staging import StagingArea


def test_a_drop_below_the_threshold_is_reported():
    counts = {"vo020": {"name": [40, 40], "leadOfficeRaw": [20, 40]}, "to010": {"date": [1, 2]}}
    findings = degraded_fields(counts, threshold=0.9)
    assert findings == [{"pageKind": "vo020", "field": "leadOfficeRaw", "found": 20, "total": 40, "rate": 0.5}]


def test_rates_are_stored_with_the_crawl(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    staging = StagingArea(tmp_path, "c1").create()
    staging.update_manifest(crawlId="c1", source="s", fieldCounts={"vo020": {"name": [9, 10], "reference": [10, 10]}})
    findings = record_parse_rates(con, staging, threshold=0.95)
    assert [f["field"] for f in findings] == ["name"]
    assert con.execute('SELECT "field", "rate" FROM parse_rate ORDER BY 1').fetchall() == [("name", 0.9), ("reference", 1.0)]
    assert staging.read_manifest()["degraded"] == findings
