"""The configured sources (``data/sources.toml``): read, validate, append."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_SOURCES = Path("data") / "sources.toml"


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

    def __post_init__(self) -> None:
        if isinstance(self.extra_hosts, str):
            object.__setattr__(self, "extra_hosts", (self.extra_hosts,))
        object.__setattr__(self, "extra_hosts", tuple(self.extra_hosts or ()))

    def crawl_settings(self) -> dict[str, str]:
        """Return the Scrapy settings this source's configuration adds to its crawl."""
        return {"RATSINFO_EXTRA_HOSTS": ",".join(self.extra_hosts)} if self.extra_hosts else {}


class SourceError(ValueError):
    pass


def load_sources(path: Path = DEFAULT_SOURCES) -> list[Source]:
    """Return the sources a TOML file configures, checked."""
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sources = []
    for i, entry in enumerate(data.get("source", []), 1):
        unknown = set(entry) - set(Source.__dataclass_fields__)
        if unknown:
            raise SourceError(f"{path}: source #{i} has unknown field(s) {sorted(unknown)}")
        if "slug" not in entry or "base_url" not in entry:
            raise SourceError(f"{path}: source #{i} needs slug and base_url")
        sources.append(Source(**entry))
    slugs = [s.slug for s in sources]
    duplicates = {s for s in slugs if slugs.count(s) > 1}
    if duplicates:
        raise SourceError(f"{path}: duplicate slug(s) {sorted(duplicates)}")
    return sources


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
