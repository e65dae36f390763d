"""Homophone typo correction: 身分证 → 身份证, 低宝 → 低保, 交费 → 缴费.

Pinyin input methods make a villager's typos homophones of the word she meant. A query word
(or a run of adjacent words jieba could not place: 身分 + 证) that is not a domain word and
that jieba's own dictionary knows fewer than ``MAX_KNOWN_FREQ`` times is looked up by its
toneless pinyin among the domain words of the same length. Well-known words (工商, 公证) are
never "corrected" into a domain homophone (工伤, 公正). A run of words merges when one of them
is a stray single character or unknown (残疾 + 正 → 残疾证, 养老 + 保 + 显 → 养老保险).
"""

from .pinyin import full_pinyin, is_hanzi

MAX_KNOWN_FREQ = 100  # a word jieba knows at least this often is taken as typed
MAX_WINDOW = 4  # adjacent words merged at most
MAX_CHARS = 8
MAX_CANDIDATES = 3


def _unknown(dictionary, word):
    return not dictionary.is_domain_word(word) and not dictionary.is_known(word, MAX_KNOWN_FREQ)


def correct_words(words, dictionary):
    """``[(text, candidates)]`` covering ``words`` in order: ``text`` is one word or several
    merged; ``candidates`` the domain words it may have meant (empty: taken as typed)."""
    out = []
    i, n = 0, len(words)
    while i < n:
        found = None
        for j in range(min(n, i + MAX_WINDOW), i, -1):
            window = words[i:j]
            text = "".join(window)
            if not (2 <= len(text) <= MAX_CHARS) or not is_hanzi(text):
                continue
            if not _unknown(dictionary, text):
                continue
            # several words merge when one of them is a stray character or unknown: 身分+证,
            # 残疾+正, 养老+保+显 (a typo makes jieba cut a known word apart)
            if j - i > 1 and not any(len(w) == 1 or _unknown(dictionary, w) for w in window):
                continue
            candidates = [
                c
                for c in dictionary.full_pinyin_map.get(full_pinyin(text), ())
                if len(c) == len(text) and c != text
            ]
            if candidates:
                found = (j, text, candidates[:MAX_CANDIDATES])
                break
        if found:
            j, text, candidates = found
            out.append((text, candidates))
            i = j
        else:
            out.append((words[i], []))
            i += 1
    return out
