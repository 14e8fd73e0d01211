"""Knowledge questions from our own documents: ``python -m assistant.nlu.sources.corpus_questions``.

The classifier must know what the documents cover, or a question about refunds or Wi-Fi
calling looks like any other "how long..." / "how do I..." question and lands out of scope.
Two sources, both ours and both written before any held-out set:

- the section headings of ``knowledge/corpus/*.md`` (FAQ headings are customers' questions:
  "How do I turn on Wi-Fi calling?"), three words or more;
- the knowledge base's labelled retrieval queries (``knowledge/data/labeled_queries.jsonl``).

Headings about the reader's own bill or usage ("Why is my bill higher this month?") are left
out: said to the assistant, they ask for the customer's own figures (``explain_bill``...).
Writes ``assistant/nlu/data/train/corpus.jsonl``, then drops rows holding held-out wording.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from assistant.nlu.sources.isolate import heldout_texts, leaks
from knowledge.text import fold

REPO = Path(__file__).resolve().parents[3]
OUT = REPO / "assistant" / "nlu" / "data" / "train" / "corpus.jsonl"
_HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*$", re.MULTILINE)
_OWN_FIGURES = re.compile(
    r"\b(my|mi|mis)\s+(bill|invoice|factura|usage|consumo|data|datos|"
    r"payment|pago|balance|saldo)\b"
)
_SPANISH = re.compile(r"[ñáéíóú¿¡]|\b(el|la|los|las|de|del|que|cómo|por|para|tu|una?)\b", re.I)


def heading_rows() -> list[dict[str, str]]:
    """Knowledge rows from the corpus's section headings."""
    rows = []
    for path in sorted((REPO / "knowledge" / "corpus").glob("*.md")):
        for heading in _HEADING.findall(path.read_text("utf-8")):
            text = re.sub(r"[*_`]", "", heading).strip()
            if len(text.split()) < 3 or _OWN_FIGURES.search(fold(text)):
                continue
            lang = "es" if _SPANISH.search(text) else "en"
            rows.append(
                {
                    "text": text,
                    "intent": "knowledge",
                    "lang": lang,
                    "source": f"knowledge/corpus/{path.name}",
                }
            )
    return rows


def query_rows() -> list[dict[str, str]]:
    """Knowledge rows from the labelled retrieval queries."""
    rows = []
    path = REPO / "knowledge" / "data" / "labeled_queries.jsonl"
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            if _OWN_FIGURES.search(fold(q["question"])):
                continue
            rows.append(
                {
                    "text": q["question"],
                    "intent": "knowledge",
                    "lang": "es" if q.get("language") == "es" else "en",
                    "source": "knowledge/data/labeled_queries.jsonl",
                }
            )
    return rows


def main() -> int:
    """Write the file (deterministic: corpus order, then query order; duplicates once)."""
    heldout = heldout_texts()
    seen: set[str] = set()
    lines = []
    for row in heading_rows() + query_rows():
        key = fold(row["text"]).strip(" ?¿!.")
        if key in seen or leaks(row["text"], heldout):
            continue
        seen.add(key)
        lines.append(json.dumps(row, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {len(lines)} rows to {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
