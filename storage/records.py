"""The one article record every reader produces, and the hashes that make ingest idempotent."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property

USABLE = "usable"
WITHDRAWN = "withdrawn"
PUBSTATUSES = (USABLE, WITHDRAWN)

_WS = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n{3,}")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str | None) -> str:
    """Normalise Unicode (NFC), drop control characters, fold runs of spaces, keep paragraph breaks."""
    if not text:
        return ""
    if text.isascii():
        # Most wire copy: NFC is a no-op and the only control characters are ASCII ones.
        text = _ASCII_CONTROL.sub("", text)
    else:
        text = unicodedata.normalize("NFC", text)
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def to_utc(value: datetime | None) -> datetime | None:
    """Store every time as naive UTC: wires send offsets, DuckDB TIMESTAMP holds none."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Article:
    """One version of one wire item, as delivered.

    `item_key` is the wire's own stable id (AP itemid, Reuters guid, dpa urn, ...): versions of
    one item share it. `version` orders versions where the wire numbers them; `version_created`
    breaks ties and orders the rest. Times are naive UTC.
    """

    source: str
    item_key: str
    headline: str = ""
    body: str = ""
    version: int | None = None
    version_created: datetime | None = None
    first_created: datetime | None = None
    slugline: str | None = None
    byline: str | None = None
    dateline: str | None = None
    language: str | None = None
    subjects: tuple[str, ...] = ()
    pubstatus: str = USABLE
    embargo_until: datetime | None = None
    signals: tuple[str, ...] = ()
    url: str | None = None
    #: The editor's note to the desk ("Eds: updates with ...", NewsML-G2 edNote): not story text.
    ednote: str | None = None
    #: Ids of other items this one carries or replaces (an AP item on the dpa wire, a Reuters
    #: UPDATE under a new story number): hints for deduplication.
    related: tuple[str, ...] = ()
    format: str = ""
    raw: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        if self.pubstatus not in PUBSTATUSES:
            raise ValueError(f"pubstatus must be one of {PUBSTATUSES}, got {self.pubstatus!r}")
        for name in ("version_created", "first_created", "embargo_until"):
            object.__setattr__(self, name, to_utc(getattr(self, name)))

    @cached_property
    def content_hash(self) -> str:
        """Hash of the normalised text alone: equal for exact re-deliveries under any id or wire."""
        return sha256_hex(clean_text(self.headline).lower() + "\x1f" + clean_text(self.body).lower())

    @property
    def published_at(self) -> datetime | None:
        return self.version_created or self.first_created

    @cached_property
    def article_id(self) -> str:
        """Identity of this delivery: the same item, version, status and text always map here."""
        parts = [
            self.source,
            self.item_key,
            "" if self.version is None else str(self.version),
            self.version_created.isoformat() if self.version_created else "",
            self.pubstatus,
            self.content_hash,
        ]
        return sha256_hex("\x1f".join(parts))[:24]


@dataclass(frozen=True)
class Skipped:
    """An item a reader recognised but that carries no text (a picture, an empty package)."""

    reason: str
    item_key: str | None = None
    #: Where in a multi-item file ("line 3", "entry 5"); empty for a file of one item.
    position: str = ""


@dataclass(frozen=True)
class Rejected:
    """An item of a multi-item file that cannot be read: quarantined alone, while its siblings land."""

    position: str
    reason: str
