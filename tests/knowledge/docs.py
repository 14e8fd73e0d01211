"""Builders for small corpus documents written by the tests."""

from __future__ import annotations

from pathlib import Path

ROAMING_V1 = """Roaming abroad with Vela, the old rules.

## Day passes

The Europe Roaming Day Pass costs £2.00 a day and covers calls, texts and data.

## Fair use

Use abroad is fair when it is occasional travel.
"""

ROAMING_V2 = """Roaming abroad with Vela.

## Day passes

The Europe Roaming Day Pass costs £2.50 a day and covers calls, texts and data.

### Buying a pass

Buy a pass in the app before you travel; it starts when you first use your phone abroad.

## Fair use

Use abroad is fair when it is occasional travel; we check usage over four months.
"""

PLAN = """Test Plus is a pay monthly plan with 30GB of data for £18.00 a month.

## What's included

30GB of data, unlimited minutes and texts, 5G included.

## Early termination fee

Leaving during the minimum term costs 50% of the remaining monthly fees.
"""

SPANISH = """Esta política explica la portabilidad de tu número a Vela.

## Plazos

La portabilidad tarda un día hábil desde que la solicitas.

## Cancelar una portabilidad

Puedes cancelar la portabilidad hasta el día anterior al cambio.
"""

BUSINESS = """Business bundles put mobile lines and cloud services on one invoice.

## One invoice

Every business line and every Cloud Office seat appears on one monthly invoice.
"""


def front_matter(**fields: object) -> str:
    """A front matter block; values are written verbatim (so tests can write bad YAML)."""
    lines = [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def write_doc(directory: Path, name: str, body: str, **fields: object) -> Path:
    """Write one document with sensible default front matter overridden by ``fields``."""
    defaults: dict[str, object] = {
        "id": name.split(".")[0],
        "title": "A title",
        "kind": "policy",
        "countries": "[GB]",
        "segment": "all",
        "language": "en",
        "effective_from": "2025-01-01",
        "version": 1,
    }
    merged = {**defaults, **fields}
    path = directory / name
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(front_matter(**{k: v for k, v in merged.items() if v is not None}) + body)
    return path


def write_tiny_corpus(directory: Path) -> Path:
    """Four documents, one of them with a superseded version, across languages and segments."""
    write_doc(
        directory,
        "policy-roaming.v1.md",
        ROAMING_V1,
        id="policy-roaming",
        title="Roaming",
        effective_from="2024-01-01",
        effective_to="2025-12-31",
    )
    write_doc(
        directory,
        "policy-roaming.md",
        ROAMING_V2,
        id="policy-roaming",
        title="Roaming",
        effective_from="2026-01-01",
        version=2,
    )
    write_doc(
        directory,
        "plan-gb-test-plus.md",
        PLAN,
        title="Test Plus",
        kind="plan",
        segment="consumer",
        plan_id="GB-PLUS-30",
    )
    write_doc(
        directory,
        "politica-portabilidad.md",
        SPANISH,
        title="Portabilidad",
        countries="[ES]",
        language="es",
    )
    write_doc(
        directory,
        "guide-business.md",
        BUSINESS,
        title="Business bundles",
        kind="guide",
        countries="[GB, KE]",
        segment="business",
    )
    return directory
