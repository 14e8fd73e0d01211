"""The knowledge tool: search the operator's documents and return citable passages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from langchain.tools import ToolRuntime
from langchain_core.tools import BaseTool

from assistant.context import SessionContext
from assistant.normalise import strip_invisible
from assistant.tools.base import declare, run_tool, tool

if TYPE_CHECKING:
    from assistant.services import Services

#: How many passages the model sees per search.
PASSAGES_PER_SEARCH = 4


def search_payload(
    services: Services, query: str, context: SessionContext | None
) -> dict[str, Any]:
    """Search with the session's market filters and number the passages for citation."""
    if services.knowledge is None:
        return {"answerable": False, "passages": [], "note": "document search is unavailable"}
    country = context.country if context else None
    segment = context.segment if context else None
    found = services.knowledge.search(
        query,
        country=country,
        segment=segment,
        as_of=services.settings.now().date(),
        k=PASSAGES_PER_SEARCH,
    )
    sure = round(float(found.confidence), 3)
    if not found.answerable:
        return {"answerable": False, "confidence": sure, "passages": []}
    passages = []
    for number, p in enumerate(found.passages, start=1):
        passages.append(
            {
                "cite": number,
                "doc_id": p.doc_id,
                # Invisible characters can hide a planted instruction from every filter
                # downstream (and from a reader); the passage is passed on without them.
                "title": strip_invisible(p.title),
                "section": strip_invisible(p.section),
                "section_id": p.section_id,
                "version": p.version,
                "language": p.language,
                "snippet": strip_invisible(p.snippet),
                "text": strip_invisible(p.text),
            }
        )
    return {"answerable": True, "confidence": sure, "passages": passages}


def make_knowledge_tools(services: Services) -> list[BaseTool]:
    """Build the document-search tool bound to these services."""

    @tool(parse_docstring=True, response_format="content_and_artifact")
    def search_knowledge(query: str, runtime: ToolRuntime[SessionContext]) -> tuple[str, Any]:
        """Search Vela's official plan, pricing and policy documents.

        Use this for any question about plans, prices, roaming, fees, contracts, billing rules,
        payments, porting, privacy or other policies. Answer only from the returned passages and
        cite each fact with its passage number like [1]. If `answerable` is false, say that our
        documents do not cover the question and offer a human agent.

        Args:
            query: The customer's question, rephrased as a standalone search query.
        """
        return run_tool(
            "search_knowledge", lambda: search_payload(services, query, runtime.context)
        )

    return [declare(search_knowledge)]  # spec: assistant.tools.registry
