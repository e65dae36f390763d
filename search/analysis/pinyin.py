"""Pinyin keys for names and the resolution of typed pinyin back to dictionary words.

Keys are toneless, lower case, syllables joined (``dibao``), with ü written ``v`` as phone
keyboards type it; initials are the first letter of each syllable (``db``). Only characters
in the CJK unified block are converted; a word with anything else gets no pinyin key.
"""

import functools
import re

from pypinyin import lazy_pinyin

_HANZI = re.compile(r"^[\u4e00-\u9fff]+$")
_ASCII_WORD = re.compile(r"^[a-z]+$")

# Phone keyboards accept both spellings after l and n.
_UE = re.compile(r"([ln])ue")

MAX_PINYIN_CHARS = 60  # longer ASCII strings are not split into words


def is_hanzi(text: str) -> bool:
    return bool(_HANZI.match(text))


def is_ascii_word(text: str) -> bool:
    return bool(_ASCII_WORD.match(text))


@functools.lru_cache(maxsize=100_000)
def _syllables(word: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(word))


def syllables(word: str) -> tuple[str, ...]:
    """Toneless syllables of an all-hanzi word (``()`` otherwise); memoized."""
    if not is_hanzi(word):
        return ()
    return _syllables(word)


def full_pinyin(word: str) -> str:
    """``最低生活保障`` → ``zuidishenghuobaozhang``; '' unless ``word`` is all hanzi."""
    return "".join(syllables(word))


def initials(word: str) -> str:
    """``最低生活保障`` → ``zdshbz``; '' unless ``word`` is all hanzi."""
    return "".join(s[0] for s in syllables(word) if s)


def normalize_typed(text: str) -> str:
    """Typed pinyin in the form the keys use: lower case, no spaces or apostrophes, lue → lve."""
    text = re.sub(r"[^a-z]", "", text.lower())
    return _UE.sub(r"\1ve", text)


def split_pinyin(text: str, full_map: dict, max_words: int = 6):
    """Split a run of typed full pinyin into dictionary words' keys, fewest pieces first.

    ``shenfenzhengbuban`` → ``["shenfenzheng", "buban"]`` when both are keys of ``full_map``;
    ``None`` when the run cannot be covered. Cost is bounded by ``MAX_PINYIN_CHARS``² lookups.
    """
    n = len(text)
    if not n or n > MAX_PINYIN_CHARS:
        return None
    # best[i]: fewest pieces covering text[:i], as a list of keys
    best = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None or len(best[i]) >= max_words:
            continue
        for j in range(n, i + 1, -1):  # at least two letters a piece
            key = text[i:j]
            if key in full_map:
                candidate = best[i] + [key]
                if best[j] is None or len(candidate) < len(best[j]):
                    best[j] = candidate
    return best[n]
