"""Numbers read from ``RATSINFO_*`` environment variables: the default when unset, one clear error when bad.

A mistyped value (``RATSINFO_LOCK_WAIT=10m``) must neither end in a traceback
nor fall back to the default without a word: ``EnvSettingError`` names the
variable, what it takes and what it got, and the CLI prints it as one line.
"""

from __future__ import annotations

import os


# The words a yes/no setting (RATSINFO_OPARL_FULL) takes, in any case; anything else is refused.
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class EnvSettingError(ValueError):
    """An environment variable holds a value its setting cannot take."""


def env_number(name: str, default: float, *, kind: type = float, minimum: float | None = None,
               above: float | None = None, maximum: float | None = None, what: str = "a number") -> float:
    """Return the number ``$name`` holds (``kind``: int or float), ``default`` when it is unset or empty.

    ``minimum``, ``maximum`` (inclusive) and ``above`` (exclusive) bound it; raise EnvSettingError otherwise.
    """
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise EnvSettingError(f"${name} must be {what}, not {text!r}") from None
    bounds = [f"{word} {limit:g}" for word, limit in (("at least", minimum), ("more than", above), ("at most", maximum))
              if limit is not None]
    if (value != value or (minimum is not None and value < minimum) or (above is not None and not value > above)
            or (maximum is not None and value > maximum)):
        raise EnvSettingError(f"${name} must be {what}, {' and '.join(bounds)}, not {text!r}")
    return value
