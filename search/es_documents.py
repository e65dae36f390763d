"""The Elasticsearch index: an elasticsearch-dsl ``Document`` and the index settings.

Not live-tested: the engine that uses this mapping (``search.backends.elasticsearch``) is tested
against recorded request and response bodies; its live tests run only where ``ELASTICSEARCH_URL``
points at a server (docs/search-elasticsearch.md).

The text is analysed in Python, by the same pipeline as the embedded engine (``search.analysis``):
the token fields hold the pipeline's tokens joined by spaces and Elasticsearch's built-in
``whitespace`` analyzer only splits them again. No plugin (IK, smartcn, pinyin) is needed, so the
index works on any Elasticsearch 8 cluster, managed ones included, and both engines see the same
tokens.
"""

from elasticsearch_dsl import Boolean, Document, Integer, Keyword, MetaField, Text
from elasticsearch_dsl import Index as DslIndex

from .types import SearchDocument

# The built-in analyzer that splits on whitespace and nothing else (no lowercasing, no stemming):
# the pipeline already normalized the tokens.
TOKENS = "whitespace"

# Longest prefix Elasticsearch indexes for suggestions (``index_prefixes``); longer prefixes
# fall back to a (bounded) prefix query on the same field.
SUGGEST_PREFIX_CHARS = 15


def _display(**kwargs):
    """A field kept for display only: in ``_source``, neither indexed nor aggregatable."""
    return Keyword(index=False, doc_values=False, **kwargs)


class IndexedDocument(Document):
    """One ``SearchDocument`` as Elasticsearch stores it (``_id`` is ``SearchDocument.id``)."""

    # Token fields, in three weight tiers (search boosts them name ×3, middle ×2, body ×1).
    name_tokens = Text(analyzer=TOKENS)
    middle_tokens = Text(analyzer=TOKENS)
    body_tokens = Text(analyzer=TOKENS)
    # Suggestion keys of ``suggest_text``: the compact name, its words and its name tokens (with
    # full pinyin and pinyin initials), as the embedded engine's. ``index_prefixes`` indexes
    # their prefixes, so a prefix query of up to SUGGEST_PREFIX_CHARS characters is one term.
    suggest_keys = Text(
        analyzer=TOKENS,
        index_options="docs",
        norms=False,
        index_prefixes={"min_chars": 1, "max_chars": SUGGEST_PREFIX_CHARS},
    )

    # Keyword fields: filters and facets.
    id = Keyword()
    kind = Keyword()
    township_code = Keyword()
    township_name = Keyword()  # the township facet's label
    department = Keyword()
    item_type = Keyword()
    handling_class = Keyword()
    online = Boolean()
    item_code = Keyword()
    item_id = Integer()
    suggest_text = Keyword()  # the name offered as a suggestion (guides and items), or ""
    date = Keyword()  # ISO date or empty

    # Display fields and the raw texts that snippets are cut from.
    title = Text(index=False)
    url = _display()
    item_name = _display()
    name = Text(index=False)
    middle = Text(index=False)
    body = Text(index=False)

    class Meta:
        dynamic = MetaField("strict")
        source = MetaField({"excludes": ["name_tokens", "middle_tokens", "body_tokens"]})

    class Index:
        name = "bianmin-documents"


# One primary shard: the catalog is small, and a single shard gives every document the same
# term statistics (BM25's IDF), so scores do not depend on how documents fall into shards.
# Replicas: none on a single node, one as soon as the cluster has a second node.
INDEX_SETTINGS = {
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",
    "max_result_window": 10_000,
}


def index_body(name: str) -> dict:
    """The body of the ``PUT /<name>`` request that creates a concrete index."""
    index = DslIndex(name)
    index.settings(**INDEX_SETTINGS)
    index.document(IndexedDocument)
    body = index.to_dict()
    properties = body["mappings"]["properties"]
    body["mappings"]["properties"] = dict(sorted(properties.items()))  # stable, readable
    return body


def to_source(doc: SearchDocument, tokens: dict, suggest_text: str = "") -> dict:
    """The ``_source`` of ``doc``; ``tokens`` maps each token field to its list of tokens."""
    return {
        "suggest_text": suggest_text,
        "id": doc.id,
        "kind": doc.kind,
        "title": doc.title,
        "url": doc.url,
        "name": doc.name,
        "middle": doc.middle,
        "body": doc.body,
        "item_id": doc.item_id,
        "item_name": doc.item_name,
        "item_code": doc.item_code,
        "township_code": doc.township_code,
        "township_name": doc.township_name,
        "department": doc.department,
        "item_type": doc.item_type,
        "handling_class": doc.handling_class,
        "online": bool(doc.online),
        "date": doc.date,
        **{field: " ".join(values) for field, values in tokens.items()},
    }


def from_source(source: dict) -> SearchDocument:
    """The ``SearchDocument`` back from a hit's ``_source``."""
    return SearchDocument(
        id=source.get("id", ""),
        kind=source.get("kind", ""),
        title=source.get("title", ""),
        url=source.get("url", ""),
        name=source.get("name", ""),
        middle=source.get("middle", ""),
        body=source.get("body", ""),
        item_id=source.get("item_id"),
        item_name=source.get("item_name", ""),
        item_code=source.get("item_code", ""),
        township_code=source.get("township_code", ""),
        township_name=source.get("township_name", ""),
        department=source.get("department", ""),
        item_type=source.get("item_type", ""),
        handling_class=source.get("handling_class", ""),
        online=bool(source.get("online", False)),
        date=source.get("date", ""),
    )
