"""Builds the public training rows, held-out cases and dev cases from the raw datasets.

    python -m assistant.nlu.sources.build --clinc RAW/oos-eval --hwu RAW/NLU-Evaluation-Data

RAW/... are checkouts (e.g. `git archive`) of the commits named in mapping.yaml. Writes
assistant/nlu/data/train/public.jsonl and eval/suites/understanding/{heldout,dev}-public.jsonl
under --out (the repository root by default) and prints what it kept and dropped, per source.
Same input, same output: every choice is by label rules or by a hash of the text.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.nlu.sources.mapping import Mapper, load_mapping, words_pattern
from assistant.nlu.sources.readers import read_clinc150, read_hwu64
from assistant.nlu.sources.rows import MappedRow, SourceRow
from assistant.nlu.sources.select import cap_per_intent, one_home, spread

TRAIN_FILE = Path("assistant/nlu/data/train/public.jsonl")
HELDOUT_FILE = Path("eval/suites/understanding/heldout-public.jsonl")
DEV_FILE = Path("eval/suites/understanding/dev-public.jsonl")


def _train_rows(
    rows: list[MappedRow], caps: dict[str, Any], guard: re.Pattern[str] | None = None
) -> list[MappedRow]:
    in_scope = [r for r in rows if r.intent != "out_of_scope"]
    if guard is not None:  # mapping.yaml's train_guard: out of scope elsewhere, not for training
        rows = [r for r in rows if r.intent != "out_of_scope" or not guard.search(r.row.text)]
    chosen = cap_per_intent(in_scope, caps["train_per_intent"])
    weights = caps.get("label_weight", {})
    oos: list[MappedRow] = []
    for source, per_label in sorted(caps["train_out_of_scope_per_label"].items()):
        pool = [r for r in rows if r.intent == "out_of_scope" and r.row.source == source]
        oos.extend(spread(pool, len(pool), weights, per_label=per_label))
    chosen.extend(spread(oos, caps["train_out_of_scope"], weights={}))
    return sorted(chosen, key=lambda r: (r.intent, r.row.source, r.key))


def _eval_rows(rows: list[MappedRow], caps: dict[str, Any]) -> list[MappedRow]:
    in_scope = [r for r in rows if r.intent != "out_of_scope"]
    share = caps["heldout_out_of_scope_share"]
    n_oos = int(len(in_scope) * share / (1 - share))
    oos = spread(
        [r for r in rows if r.intent == "out_of_scope"], n_oos, caps.get("label_weight", {})
    )
    return sorted(in_scope + oos, key=lambda r: (r.row.source, r.intent, r.key))


def train_record(row: MappedRow) -> dict[str, Any]:
    """One line of the training file."""
    return {
        "text": row.row.text,
        "intent": row.intent,
        "lang": row.row.lang,
        "source": f"{row.row.source}/{row.row.origin}",
    }


def eval_record(
    row: MappedRow, case_id: str, licence: str, signed_in_only: set[str]
) -> dict[str, Any]:
    """One understanding-eval case (held-out or dev)."""
    return {
        "id": case_id,
        "text": row.row.text,
        "lang": row.row.lang,
        "intent": row.intent,
        "as": "customer" if row.intent in signed_in_only else "both",
        "docs": list(row.docs),
        # Out of scope is, by definition, nothing the documents or tools answer.
        "answerable": row.answerable and row.intent != "out_of_scope",
        "source": f"{row.row.source}/{row.row.origin} ({licence})",
        "tags": list(row.tags),
    }


def _write(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(raw: dict[str, list[SourceRow]], out: Path) -> dict[str, Any]:
    """Maps, dedupes, samples and writes the three files; returns the counts for SOURCES.md."""
    mapping = load_mapping()
    caps = mapping["caps"]
    mappers = {name: Mapper.for_source(mapping, name) for name in raw}
    mapped = [m for name, rows in raw.items() for r in rows if (m := mappers[name].map(r))]
    homes, removed = one_home(mapped)
    signed_in = set(mapping["signed_in_only"])
    licences = {name: mapping["sources"][name]["licence"] for name in raw}
    prefixes = {"heldout": "ho", "dev": "dev"}
    report: dict[str, Any] = {
        "dropped": {n: dict(sorted(m.dropped.items())) for n, m in mappers.items()}
    }
    report["removed_across_splits"] = removed
    train = _train_rows(homes["train"], caps, words_pattern(mapping.get("train_guard", [])))
    _write(out / TRAIN_FILE, [train_record(r) for r in train])
    report["train"] = Counter(f"{r.row.source} {r.row.lang} {r.intent}" for r in train)
    for split, path in (("heldout", HELDOUT_FILE), ("dev", DEV_FILE)):
        rows = _eval_rows(homes[split], caps)
        numbers: Counter[str] = Counter()
        records = []
        for row in rows:
            numbers[row.row.source] += 1
            case_id = f"{prefixes[split]}-{row.row.source}-{numbers[row.row.source]}"
            records.append(eval_record(row, case_id, licences[row.row.source], signed_in))
        _write(out / path, records)
        report[split] = Counter(f"{r.row.source} {r.row.lang} {r.intent}" for r in rows)
    return report


def main(argv: list[str] | None = None) -> None:
    """Command line: paths to the raw dataset checkouts; prints the counts as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinc", type=Path, required=True, help="clinc/oos-eval checkout")
    parser.add_argument(
        "--hwu", type=Path, required=True, help="xliuhw/NLU-Evaluation-Data checkout"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("."), help="repository root to write under"
    )
    args = parser.parse_args(argv)
    dev_share = load_mapping()["sources"]["hwu64"]["dev_share"]
    raw = {"clinc150": read_clinc150(args.clinc), "hwu64": read_hwu64(args.hwu, dev_share)}
    report = build(raw, args.out)
    print(json.dumps({k: dict(sorted(v.items())) for k, v in report.items()}, indent=1))


if __name__ == "__main__":
    main()
