"""Question words: what a villager adds around the thing she is looking for.

"低保怎么办理", "办身份证要带什么", "请问社保卡在哪里办" — the question part says what she
wants to know (how, what to bring, where, how long, how much), not which item; it is removed
before matching. The phrases are tried longest first and anywhere in the query; the sentence
particles (吗, 呢, 啊 …) only at the end. A query made only of question words keeps them.
"""

import re

# Longest first when matching; order here is by meaning, for people editing the list.
QUESTION_PHRASES = [
    # how do I do it
    "应该怎么办理",
    "应该怎么办",
    "要怎么办理",
    "该怎么办理",
    "怎么样办理",
    "怎么办理",
    "怎样办理",
    "如何办理",
    "怎么去办",
    "怎么办",
    "怎么弄",
    "咋办理",
    "咋个办",
    "咋办",
    "怎么申请",
    "如何申请",
    "怎样申请",
    "怎么处理",
    "如何处理",
    "办理流程是什么",
    "办理流程",
    "流程是什么",
    "需要哪些手续",
    "需要什么手续",
    "要什么手续",
    "有什么要求",
    "需要什么条件",
    "需要哪些条件",
    "要什么条件",
    "什么条件",
    # what to bring
    "需要准备什么材料",
    "需要准备哪些材料",
    "需要带什么材料",
    "需要带哪些材料",
    "需要提供什么材料",
    "需要提供哪些材料",
    "需要什么材料",
    "需要哪些材料",
    "要带什么材料",
    "要带哪些材料",
    "要带什么东西",
    "要什么材料",
    "要哪些材料",
    "要准备什么",
    "需要准备什么",
    "需要带什么",
    "要带什么",
    "带什么材料",
    "带什么东西",
    "带什么",
    # where
    "应该去哪里办",
    "在什么地方办理",
    "在什么地方办",
    "在哪里办理",
    "在哪儿办理",
    "去哪里办理",
    "到哪里办理",
    "在哪里办",
    "在哪儿办",
    "去哪里办",
    "去哪儿办",
    "到哪里办",
    "到哪儿办",
    "在哪办",
    "去哪办",
    "到哪办",
    "哪里可以办",
    "哪里能办",
    "哪里办理",
    "哪里办",
    "找哪个部门",
    "找谁办",
    "找哪里",
    # how long, how much
    "多长时间能办好",
    "多久能办好",
    "多久可以拿到",
    "多久能拿到",
    "要多长时间",
    "需要多长时间",
    "需要多久",
    "要多久",
    "多长时间",
    "多久",
    "几天能办好",
    "几天",
    "要不要钱",
    "收不收费",
    "收费吗",
    "要钱吗",
    "要交钱吗",
    "多少钱",
    "收多少钱",
    "费用是多少",
    # can I
    "可不可以",
    "能不能",
    "能否",
    "可以办吗",
    "能办吗",
    # which certificate, which procedure
    "要办什么证",
    "办什么证",
    "要什么证",
    "要办什么手续",
    "办什么手续",
    "什么手续",
    "要办什么",
    "办什么",
    "有什么",
    "有没有",
    "有哪些",
    "是什么",
    "怎么样",
    "要不要",
    "需不需要",
    "能不能办",
    # bare question words (after the phrases above)
    "怎么",
    "如何",
    "怎样",
    "咋个",
    "哪里",
    "哪儿",
    "哪个",
    "什么",
    "哪些",
    "去哪",
    "在哪",
    "多少",
    # politeness and intent
    "请问一下",
    "想问一下",
    "问一下",
    "咨询一下",
    "我想咨询",
    "请问",
    "你好",
    "您好",
    "我想要",
    "我想办",
    "我要办",
    "我想",
    "我要",
    "想办",
    "想要",
    "帮我",
    "麻烦",
]

# Sentence particles, stripped only at the end of the query (or before punctuation).
QUESTION_PARTICLES = "吗呢啊吧呀嘛哦哈么"

_PHRASE_RE = re.compile(
    "|".join(re.escape(p) for p in sorted(QUESTION_PHRASES, key=len, reverse=True))
)
_PARTICLE_RE = re.compile(f"[{QUESTION_PARTICLES}]+(?=[\\s?!。？！，,.]*$|[\\s?!。？！，,.])")
_HAS_WORD = re.compile(r"[^\W_]")


def strip_question_words(text: str) -> tuple[str, list[str]]:
    """``text`` without its question words, and the words removed.

    If nothing searchable would be left, ``text`` is returned unchanged with nothing removed.
    """
    stripped = []

    def cut(match):
        stripped.append(match.group(0))
        return " "

    result = _PHRASE_RE.sub(cut, text)
    result = _PARTICLE_RE.sub(cut, result)
    result = re.sub(r"\s+", " ", result).strip()
    if not _HAS_WORD.search(result):
        return text, []
    return result, stripped
