"""Text normalisation shared by documents and queries.

``normalize`` folds what a villager's phone keyboard may produce into one form: traditional
characters to simplified (OpenCC ``t2s``), full-width letters, digits and punctuation to
half-width (Unicode NFKC), upper to lower case; control and format characters (zero-width
spaces, BOMs, bidi marks) are dropped and whitespace runs collapse to one space.
"""

import re
import threading
import unicodedata

import opencc

# Categories that never carry meaning in a search: controls, format characters, surrogates,
# private use and unassigned code points.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_WHITESPACE = re.compile(r"\s+")

_converter = None
_converter_lock = threading.Lock()


def _t2s():
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = opencc.OpenCC("t2s")
    return _converter


def strip_controls(text: str) -> tuple[str, bool]:
    """``text`` without control/format characters (whitespace controls become spaces);
    and whether anything other than ordinary whitespace was removed."""
    if text.isprintable():  # no control, format, separator-other or unassigned characters
        return text, False
    out = []
    dropped = False
    for ch in text:
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in _DROP_CATEGORIES:
            dropped = True
        else:
            out.append(ch)
    return "".join(out), dropped


def normalize(text) -> str:
    """Simplified, half-width, lower-case text without control characters, spaces collapsed."""
    if not text:
        return ""
    text, _dropped = strip_controls(str(text))
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _t2s().convert(text)
    text = text.lower()
    return _WHITESPACE.sub(" ", text).strip()
