"""The reader error and the exceptions a reader may hit on malformed input.

Kept apart from the registry in `storage.readers` so that every reader can import them at module
top: the registry imports the readers, so the readers must not import the registry.
"""

from __future__ import annotations

import csv

from lxml import etree


class ReaderError(Exception):
    """Input that cannot be read: the message says what is wrong, for the quarantine table."""


#: Exceptions a reader may hit on malformed input; callers turn them into ReaderError or Rejected.
EXPECTED: tuple[type[BaseException], ...] = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    UnicodeError,
    RecursionError,
    OverflowError,
    etree.LxmlError,
    csv.Error,
)
