"""The domain packages build on each other in one direction (ARCHITECTURE, BRIEF): claims, budget and
monitoring may import registry, rules, coverage and contributions, never the other way round; and no domain
package imports the presentation layers (web, api) or the demo. Every import counts, also one inside a
function: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import payung

SRC = Path(payung.__file__).parent
FLOORS = ("registry", "rules", "coverage", "contributions")
UPPER = ("claims", "budget", "monitoring")
PRESENTATION = ("web", "api", "demo")


def imported(package: str) -> dict[str, set[str]]:
    """file -> the payung modules it imports, for every .py file of ``package``."""
    found = {}
    for path in sorted((SRC / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
        found[str(path.relative_to(SRC))] = {n for n in names if n.startswith("payung.")}
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path} imports {name}"
        for path, names in imported(package).items()
        for name in names
        if any(name == f"payung.{f}" or name.startswith(f"payung.{f}.") for f in forbidden)
    )


@pytest.mark.parametrize("package", FLOORS)
def test_a_floor_never_imports_a_package_above_it(package):
    assert offenders(package, UPPER) == []


@pytest.mark.parametrize("package", [*FLOORS, *[p for p in UPPER if (SRC / p).exists()]])
def test_a_domain_package_never_imports_the_presentation_layers(package):
    assert offenders(package, PRESENTATION) == []


def test_nothing_below_the_presentation_layers_imports_monitoring():
    """monitoring reads every domain package (registry, rules, coverage, contributions, claims); no domain
    package reads it back: only web, api and demo show or fill it."""
    domain = [p.name for p in SRC.iterdir() if (p / "__init__.py").exists() and p.name not in PRESENTATION]
    assert [o for p in domain if p != "monitoring" for o in offenders(p, ("monitoring",))] == []


def test_the_scan_sees_imports_inside_functions():
    """registry.services imports coverage.enrolment inside change_status: the scan must find it."""
    assert "payung.coverage.enrolment" in imported("registry")["registry/services.py"]
