"""Small text helpers for Chinese names."""

import re

from pypinyin import lazy_pinyin


def pinyin_slug(text, max_length=60):
    """An ASCII URL slug from a Chinese name: '官盛镇' -> 'guanshengzhen'."""
    syllables = lazy_pinyin(text or "", errors=lambda chars: list(chars))
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(syllables).lower()).strip("-")
    return slug[:max_length].strip("-") or "page"
