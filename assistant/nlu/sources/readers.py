"""Readers for the raw public datasets, each returning `SourceRow`s in a stable order.

Each reader takes the root of the dataset's repository checkout (as `git archive` of the commit
named in mapping.yaml lays it out) and knows which of its files hold which split.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from assistant.nlu.sources.rows import SourceRow, hash_fraction

HWU_FOLD = Path(
    "CrossValidation/autoGeneFromRealAnno/autoGene_2018_03_22-13_01_25_169/CrossValidation/KFold_1"
)


def read_clinc150(root: Path) -> list[SourceRow]:
    """CLINC150 (clinc/oos-eval) `data/data_full.json`: train / val / test, plus oos_* lists.

    Its "oos" rows get the label "oos"; val becomes our dev split, test our held-out split.
    """
    data = json.loads((root / "data" / "data_full.json").read_text(encoding="utf-8"))
    ours = {"train": "train", "val": "dev", "test": "heldout"}
    rows: list[SourceRow] = []
    for theirs, split in ours.items():
        for key in (theirs, f"oos_{theirs}"):
            for text, label in data[key]:
                rows.append(SourceRow("clinc150", split, label, text, origin=theirs))
    return rows


def _hwu_csv(path: Path) -> list[tuple[str, str]]:
    """(label, text) pairs of one HWU64 csv; the label is the file name, as in the fold layout."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        # answer_from_anno: the annotated text without its slot brackets; answer_from_user is
        # sometimes cut short where the annotator fixed it.
        return [(path.stem, record["answer_from_anno"].strip()) for record in reader]


def read_hwu64(root: Path, dev_share: float) -> list[SourceRow]:
    """HWU64 (xliuhw/NLU-Evaluation-Data), fold 1 of the authors' 10-fold split.

    The fold's testset is our held-out split. HWU64 has no validation split, so a `dev_share`
    of the fold's trainset, chosen by a hash of the text, becomes our dev split.
    """
    fold = root / HWU_FOLD
    rows: list[SourceRow] = []
    for path in sorted((fold / "trainset").glob("*.csv")):
        for label, text in _hwu_csv(path):
            split = "dev" if hash_fraction("hwu64-dev", text.lower()) < dev_share else "train"
            rows.append(SourceRow("hwu64", split, label, text, origin="KFold_1/trainset"))
    for path in sorted((fold / "testset" / "csv").glob("*.csv")):
        for label, text in _hwu_csv(path):
            rows.append(SourceRow("hwu64", "heldout", label, text, origin="KFold_1/testset"))
    return rows
