"""Defaults of the nightly run that the command line shows without importing Prefect."""

from schemas.env import EnvSettingError, env_number


def default_parallel() -> int:
    """Return how many sources are crawled at once (``$RATSINFO_PARALLEL``, default 8); EnvSettingError when bad."""
    # Each crawl is one child process mostly waiting on its (polite) host.
    return env_number("RATSINFO_PARALLEL", 8, kind=int, minimum=1, what="a whole number of sources")


def default_time_budget_minutes() -> float:
    """Return after how many minutes a source's crawl stops (``$RATSINFO_TIME_BUDGET_MINUTES``, default 240)."""
    # sources.toml's ``time_budget_minutes`` overrides it per source.
    return env_number("RATSINFO_TIME_BUDGET_MINUTES", 240.0, above=0, what="a number of minutes")


def _or_builtin(read, builtin):
    """Return read(), or ``builtin`` when the environment holds a bad value (the CLI reports it when it runs)."""
    try:
        return read()
    except EnvSettingError:
        return builtin


# For signatures and help texts: importing this module never fails; the CLI reads the functions when it runs.
DEFAULT_PARALLEL = _or_builtin(default_parallel, 8)
DEFAULT_TIME_BUDGET_MINUTES = _or_builtin(default_time_budget_minutes, 240.0)
