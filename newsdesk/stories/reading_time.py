"""Reading time: "2 min read", from words at 238 a minute (an adult's average silent reading)."""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 238
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def minutes_for_words(words: int) -> int:
    """Rounded up, never less than one minute."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
