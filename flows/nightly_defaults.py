"""Defaults of the nightly run that the command line shows without importing Prefect."""

import os

# Sources crawled at once: each crawl is one child process mostly waiting on its (polite) host.
DEFAULT_PARALLEL = int(os.environ.get("RATSINFO_PARALLEL", "8"))
# A source's crawl stops after this long (sources.toml ``time_budget_minutes`` overrides it per source).
DEFAULT_TIME_BUDGET_MINUTES = float(os.environ.get("RATSINFO_TIME_BUDGET_MINUTES", "240"))
