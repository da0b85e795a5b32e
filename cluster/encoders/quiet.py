"""Keep the encoder stack's own output off the terminal, cron mail and JSON logs.

transformers, huggingface_hub and tqdm draw progress bars ("Loading weights ...%|") and print
advisories straight to stderr; wirestory shows its own progress and logs its own lines. The
environment switches work only if set before those libraries are imported; the calls cover the
case where one was imported already. Their log records are sent through the standard logging
tree, where the CLI's handler formats them like every other line (JSON with --log-format json).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Sequence

#: Read by huggingface_hub, transformers and tqdm (>= 4.66) when they are imported.
QUIET_ENV = {
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TQDM_DISABLE": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

#: Loggers of the encoder stack: only their errors are worth a line in a night's log.
CHATTY_LOGGERS = ("transformers", "sentence_transformers", "huggingface_hub", "torch", "urllib3", "filelock")


def quiet_encoder_stack() -> None:
    """No third-party progress bars or advisories; call just before the model is loaded."""
    os.environ.update(QUIET_ENV)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    from huggingface_hub.utils import disable_progress_bars
    from transformers.utils import logging as hf_logging

    disable_progress_bars()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    hf_logging.disable_default_handler()
    hf_logging.enable_propagation()


@contextlib.contextmanager
def routed_to(handlers: Sequence[logging.Handler]) -> Iterator[None]:
    """Within the block, Python warnings and third-party log records go through `handlers` (the
    night's log format) instead of bare to stderr."""
    targets = [logging.getLogger(), logging.getLogger("py.warnings")]
    logging.captureWarnings(True)
    for target in targets:
        for handler in handlers:
            target.addHandler(handler)
    try:
        yield
    finally:
        logging.captureWarnings(False)
        for target in targets:
            for handler in handlers:
                target.removeHandler(handler)
