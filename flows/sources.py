"""The configured sources (``data/sources.toml``): read, validate, append.

The whole file is checked before anything runs: every problem (a TOML syntax
error, an unknown key, a wrong type, an unknown system, a month range that
is not one) becomes one line of the ``SourceError``, so an operator fixes
them all in one go instead of one per nightly run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SOURCES = Path("data") / "sources.toml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:\d{1,5})?$")


@dataclass(frozen=True)
class Source:
    slug: str
    base_url: str
    name: str | None = None
    ags: str | None = None
    system: str | None = None
    months_back: int = 3
    months_ahead: int = 2
    months: str | None = None
    enabled: bool = True
    # Hosts besides base_url's that the crawl may fetch (e.g. a separate document server),
    # "name" (ports 80/443) or "name:port"; everything else is refused (spiders.url_policy).
    extra_hosts: tuple[str, ...] = ()
    time_budget_minutes: float | None = None  # stop the crawl after this long (default: the nightly run's budget)

    def __post_init__(self) -> None:
        if isinstance(self.extra_hosts, str):
            object.__setattr__(self, "extra_hosts", (self.extra_hosts,))
        object.__setattr__(self, "extra_hosts", tuple(self.extra_hosts or ()))

    def crawl_settings(self) -> dict[str, str]:
        """Return the Scrapy settings this source's configuration adds to its crawl."""
        return {"RATSINFO_EXTRA_HOSTS": ",".join(self.extra_hosts)} if self.extra_hosts else {}


@dataclass(frozen=True)
class Alert:
    """Where the nightly run reports a failed or degraded source (``[alert]`` in sources.toml)."""

    command: str | None = None  # run with the run report's JSON path as its one argument
    webhook: str | None = None  # receives the run report as a JSON POST


@dataclass(frozen=True)
class SourcesConfig:
    sources: list[Source]
    alert: Alert


class SourceError(ValueError):
    """sources.toml is not valid; ``errors`` holds one message per problem."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


# (python type(s), description) per field; bool is checked before int (a TOML bool is no int here).
_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "slug": ((str,), "a string"),
    "base_url": ((str,), "a string"),
    "name": ((str,), "a string"),
    "ags": ((str,), "a string of 8 digits"),
    "system": ((str,), "a string"),
    "months_back": ((int,), "a whole number"),
    "months_ahead": ((int,), "a whole number"),
    "months": ((str,), 'a string like "2026-09..2026-11"'),
    "enabled": ((bool,), "true or false"),
    "extra_hosts": ((list,), "a list of host names"),
    "time_budget_minutes": ((int, float), "a number of minutes"),
}
_ALERT_KEYS = {f.name for f in fields(Alert)}


def system_names() -> list[str]:
    """Return the dialect names a source's ``system`` may take."""
    from spiders.dialects import dialects

    return [module.NAME for module in dialects()]


def load_config(path: Path = DEFAULT_SOURCES) -> SourcesConfig:
    """Return the sources and the alert a TOML file configures; raise SourceError listing every problem."""
    if not path.exists():
        return SourcesConfig([], Alert())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot be read: {exc}") from None
    errors: list[str] = []
    for key in sorted(set(data) - {"source", "alert"}):
        errors.append(f"{path}: unknown table or key {key!r} (known: [[source]], [alert]){_did_you_mean(key, ['source', 'alert'])}")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        errors.append(f"{path}: 'source' must be a list of [[source]] tables")
        entries = []
    known_systems = system_names()
    sources: list[Source] = []
    for i, entry in enumerate(entries, 1):
        where = f"{path}: source #{i}" + (f" ({entry.get('slug')})" if isinstance(entry, dict) and isinstance(entry.get("slug"), str) else "")
        if not isinstance(entry, dict):
            errors.append(f"{where}: must be a [[source]] table")
            continue
        problems = _source_problems(entry, known_systems)
        errors.extend(f"{where}: {p}" for p in problems)
        if not problems:
            sources.append(Source(**entry))
    slugs = [s.slug for s in sources]
    for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
        errors.append(f"{path}: slug {slug!r} is used by {slugs.count(slug)} sources; slugs must be unique")
    alert = Alert()
    raw_alert = data.get("alert", {})
    if not isinstance(raw_alert, dict):
        errors.append(f"{path}: [alert] must be a table")
    else:
        for key in sorted(set(raw_alert) - _ALERT_KEYS):
            errors.append(f"{path}: [alert] has unknown key {key!r} (known: {', '.join(sorted(_ALERT_KEYS))})")
        for key in sorted(_ALERT_KEYS & set(raw_alert)):
            if not isinstance(raw_alert[key], str) or not raw_alert[key].strip():
                errors.append(f"{path}: [alert] {key} must be a non-empty string")
        webhook = raw_alert.get("webhook")
        if isinstance(webhook, str) and urlsplit(webhook).scheme not in ("http", "https"):
            errors.append(f"{path}: [alert] webhook must be an http(s) URL, not {webhook!r}")
        if not errors:
            alert = Alert(**{k: raw_alert[k] for k in _ALERT_KEYS & set(raw_alert)})
    if errors:
        raise SourceError(errors)
    return SourcesConfig(sources, alert)


def load_sources(path: Path = DEFAULT_SOURCES) -> list[Source]:
    """Return the sources a TOML file configures, checked (SourceError lists every problem)."""
    return load_config(path).sources


def _source_problems(entry: dict[str, Any], known_systems: list[str]) -> list[str]:
    """Return what is wrong with one [[source]] table (empty when it is valid)."""
    problems: list[str] = []
    known = list(_FIELD_TYPES)
    for key in sorted(set(entry) - set(known)):
        problems.append(f"unknown key {key!r}{_did_you_mean(key, known)}")
    for key in ("slug", "base_url"):
        if key not in entry:
            problems.append(f"{key} is missing")
    for key, value in entry.items():
        if key not in _FIELD_TYPES:
            continue
        types, description = _FIELD_TYPES[key]
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            problems.append(f"{key} must be {description}, not {value!r}")
            continue
        problem = _value_problem(key, value, known_systems)
        if problem:
            problems.append(problem)
    return problems


def option_problem(key: str, value: Any) -> str | None:
    """Return what is wrong with a source field given on the command line (sources.toml's rules), or None."""
    return _value_problem(key, value, system_names())


def _value_problem(key: str, value: Any, known_systems: list[str]) -> str | None:
    """Return what is wrong with a well-typed field value, or None."""
    if key == "slug" and not SLUG.match(value):
        return f"slug {value!r} must be lower-case letters, digits and '-'"
    if key == "base_url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"base_url {value!r} must be an http(s) URL with a host"
    if key == "ags" and not re.fullmatch(r"\d{8}", value):
        return f"ags {value!r} must be the 8-digit Amtlicher Gemeindeschlüssel"
    if key == "system" and value not in known_systems:
        return f"system {value!r} is not one of {', '.join(known_systems)}{_did_you_mean(value, known_systems)}"
    if key in ("months_back", "months_ahead") and not 0 <= value <= 120:
        return f"{key} must be between 0 and 120, not {value}"
    if key == "months":
        return _month_range_problem(value)
    if key == "extra_hosts":
        bad = [h for h in value if not isinstance(h, str) or not HOST.match(h)]
        if bad:
            return f"extra_hosts must hold host names (like \"dokumente.example.de\"), not {bad!r}"
    if key == "time_budget_minutes" and not value > 0:
        return f"time_budget_minutes must be more than 0, not {value}"
    return None


def _month_range_problem(text: str) -> str | None:
    """Return what is wrong with a month range ``YYYY-MM..YYYY-MM`` (or one ``YYYY-MM``), or None."""
    first, sep, last = text.partition("..")
    bounds = []
    for part in (first, last if sep else first):
        match = MONTH.match(part.strip())
        if not match:
            return f'months {text!r} must look like "2026-09..2026-11" (or one month, "2026-09")'
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return f"months {text!r}: {part.strip()} is not a month"
        bounds.append(dt.date(year, month, 1))
    if bounds[0] > bounds[1]:
        return f"months {text!r} ends before it starts"
    return None


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def slug_for_url(url: str) -> str:
    """Return a slug derived from a URL's host (for ad-hoc crawls without configuration)."""
    host = urlsplit(url).hostname or "source"
    parts = [p for p in host.split(".") if p not in {"www", "de", "com", "org", "net", "ratsinfo", "buergerinfo", "sitzungsdienst", "ris", "bi"}]
    slug = "-".join(parts[-2:]) if parts else host
    port = urlsplit(url).port
    if host in {"127.0.0.1", "localhost"}:
        path = [p for p in urlsplit(url).path.split("/") if p]
        slug = f"local-{path[0]}" if path else f"local-{port}"
    return re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-") or "source"


def append_source(source: Source, path: Path = DEFAULT_SOURCES) -> None:
    """Append a source entry to the TOML file (refusing a slug that exists)."""
    existing = load_sources(path)
    if any(s.slug == source.slug for s in existing):
        raise SourceError(f"{path}: a source with slug {source.slug!r} exists already")
    lines = ["", "[[source]]"]
    for key in ("slug", "name", "ags", "system", "base_url"):
        value = getattr(source, key)
        if value is not None:
            lines.append(f'{key} = "{_toml_escape(value)}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def _toml_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
