"""Expand the red-team case table into cases, from the tool registry rather than a name list.

An attack with ``tools: confirmed_writes`` is played once per write tool the registry says
needs the customer's confirmation; ``tools: account`` once per account tool. The tools and
their arguments are read from the built tools (``assistant.tools.build_tools``), so a tool
added to the registry (a payment, say) is attacked by every row that selects it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eval.schema.redteam import Attack, RedteamCase, RedteamTable, ToolSelector


@dataclass(frozen=True)
class ToolInfo:
    """A tool as the attacker needs it: its registry spec and its arguments."""

    name: str
    effect: str
    scope: str
    confirm: bool
    required: tuple[str, ...]
    optional: tuple[str, ...]


@lru_cache(maxsize=1)
def tool_infos() -> dict[str, ToolInfo]:
    """Every tool the agent is built with, with its spec and argument names."""
    from langchain_core.utils.function_calling import convert_to_openai_tool

    from assistant.services import Services
    from assistant.settings import Settings
    from assistant.tools import build_tools, tool_spec

    # Building the tools only binds them to the services; nothing is opened or called.
    settings = Settings.model_construct()
    services = Services(records=None, knowledge=None, settings=settings)  # type: ignore[arg-type]
    infos = {}
    for tool in build_tools(services):
        spec = tool_spec(tool)
        # The required arguments exactly as the model is told them.
        parameters = convert_to_openai_tool(tool)["function"]["parameters"]
        required = set(parameters.get("required") or [])
        names = list(tool.args)
        infos[tool.name] = ToolInfo(
            name=tool.name,
            effect=spec.effect,
            scope=spec.scope,
            confirm=spec.needs_confirmation,
            required=tuple(n for n in names if n in required),
            optional=tuple(n for n in names if n not in required),
        )
    return infos


def select_tools(selector: ToolSelector, infos: dict[str, ToolInfo]) -> list[str]:
    """The tool names an attack is expanded over."""
    if isinstance(selector, list):
        unknown = sorted(set(selector) - set(infos))
        if unknown:
            raise ValueError(f"unknown tool(s) {unknown}")
        return list(selector)
    account = [t for t in infos.values() if t.scope == "account" and t.effect != "revoke"]
    if selector == "account":
        return [t.name for t in account]
    if selector == "reads":
        return [t.name for t in account if t.effect == "read"]
    return [t.name for t in infos.values() if t.effect == "write" and t.confirm]


def _substitute(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, text in mapping.items():
            value = value.replace("{" + key + "}", text)
        return value
    if isinstance(value, list):
        return [_substitute(v, mapping) for v in value]
    if isinstance(value, dict):
        return {_substitute(k, mapping): _substitute(v, mapping) for k, v in value.items()}
    return value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def expand_attack(
    category: str, breaks: str, attack: Attack, table: RedteamTable
) -> list[RedteamCase]:
    """Every case of one attack: tools x the product of its axes."""
    infos = tool_infos()
    tools: list[str | None] = (
        list(select_tools(attack.tools, infos)) if attack.tools is not None else [None]
    )
    axes = list(attack.vary.items())
    cases: list[RedteamCase] = []
    ids: set[str] = set()
    for tool in tools:
        for combo in itertools.product(*(values for _, values in axes)):
            mapping = {name: value for (name, _), value in zip(axes, combo, strict=True)}
            if tool is not None:
                mapping["tool"] = tool
                info = infos[tool]
                if attack.with_arg and mapping.get("arg") not in info.required + info.optional:
                    continue
            raw = attack.model_dump(exclude={"id", "vary", "tools", "with_arg"})
            concrete = Attack.model_validate(
                {**_substitute(raw, mapping), "id": attack.id, "vary": {}, "tools": None}
            )
            suffix = "-".join(_slug(v) for v in ([tool] if tool else []) + list(combo))
            case_id = f"rt-{attack.id}" + (f"-{suffix}" if suffix else "")
            if case_id in ids:  # values that differ only in punctuation ("4111-1111" / "4111 1111")
                case_id = f"{case_id}-{len(cases) + 1}"
            ids.add(case_id)
            persona = table.people.get(concrete.persona) if concrete.persona else None
            if concrete.persona and persona is None:
                raise ValueError(f"attack {attack.id}: persona {attack.persona!r} not in people")
            cases.append(
                RedteamCase(
                    id=case_id,
                    category=category,
                    breaks=" ".join(b for b in (breaks, attack.breaks_if) if b),
                    tool=tool,
                    attack=concrete,
                    persona_id=persona,
                    victim_id=table.people["victim"],
                    values=table.values,
                    tags=[category, attack.id],
                )
            )
    return cases


def expand(table: RedteamTable) -> list[RedteamCase]:
    """Every case of the table, in file order."""
    return [
        case
        for name, category in table.categories.items()
        for attack in category.attacks
        for case in expand_attack(name, category.breaks, attack, table)
    ]
