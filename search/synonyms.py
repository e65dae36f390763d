"""Synonyms: the words people use for catalog items, and the seed list shipped with the code.

``search/data/synonyms.tsv`` (UTF-8, tab-separated, header ``term canonical kind note``) is
the seed. ``load_seed_synonyms`` copies it into the ``Synonym`` table, idempotently by
(term, canonical): an existing pair is left as editors made it (active flag, note, kind).
``synonym_pairs`` is what the analysis pipeline reads: the active rows, or — while the table
is still empty (a fresh database) — the seed file itself.
"""

import csv
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

SEED_FILE = Path(__file__).resolve().parent / "data" / "synonyms.tsv"
KINDS = ("colloquial", "old_name", "abbreviation", "misspelling")


def read_seed(path=None) -> list[dict]:
    """The seed rows as dicts (term, canonical, kind, note); rows without a term or canonical
    are skipped, an unknown kind becomes ``colloquial``."""
    path = Path(path or SEED_FILE)
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            term = (row.get("term") or "").strip()
            canonical = (row.get("canonical") or "").strip()
            if not term or not canonical or term == canonical:
                continue
            kind = (row.get("kind") or "").strip()
            rows.append(
                {
                    "term": term[:100],
                    "canonical": canonical[:200],
                    "kind": kind if kind in KINDS else "colloquial",
                    "note": (row.get("note") or "").strip()[:300],
                }
            )
    return rows


def load_seed_synonyms(path=None) -> int:
    """Create the seed's (term, canonical) pairs that are not in the table yet; returns how many
    were created. Existing pairs are not touched. The dictionary is reloaded once at the end."""
    from .analysis import reload_dictionary
    from .models import Synonym

    existing = set(Synonym.objects.values_list("term", "canonical"))
    new = []
    for row in read_seed(path):
        key = (row["term"], row["canonical"])
        if key in existing:
            continue
        existing.add(key)
        new.append(Synonym(**row))
    if new:
        Synonym.objects.bulk_create(new)  # bulk: no per-row signal, one reload below
    reload_dictionary()
    return len(new)


def synonym_pairs() -> list[tuple[str, str]]:
    """Active (term, canonical) pairs from the database; the seed file while the table is
    empty or unreachable (no migrations yet, no database access in a test)."""
    try:
        from .models import Synonym

        if Synonym.objects.exists():
            return list(Synonym.objects.filter(active=True).values_list("term", "canonical"))
    except Exception as exc:  # no table yet, no database access (a test without db), …
        logger.debug("Synonyms read from the seed file: %s", exc)
    return [(row["term"], row["canonical"]) for row in read_seed()]
