"""The offline engine: a deterministic chat model with tool calling that needs no network.

Public entry points:

* ``OfflineEngine(embeddings, catalog=None, today=None)`` - the LangChain chat model.
* ``load_catalog()`` - plans and add-ons from ``assistant/records/data/catalog.yaml``.

Nothing is loaded at import: the embeddings are injected, and the labeled examples are
embedded on the first message (or by ``engine.warm()``). See ``docs/offline-engine.md``.
"""

from assistant.engine.catalog import load_catalog
from assistant.engine.model import OfflineEngine

__all__ = ["OfflineEngine", "load_catalog"]
