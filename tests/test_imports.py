"""The packages' import graph: no cycles, and the arrows point one way."""

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("energy_model", "weather", "networks")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


def import_graph() -> nx.DiGraph:
    """Module to module it imports, at any level (in functions too)."""
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                targets = [base, *(f"{base}.{a.name}" for a in node.names)]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def test_no_module_imports_itself_through_others():
    cycles = sorted(nx.simple_cycles(import_graph()), key=len)
    assert cycles == [], f"import cycles: {cycles[:5]}"


def test_weather_and_networks_never_import_energy_model():
    graph = import_graph()
    for name in graph:
        if name.startswith(("weather", "networks")):
            assert not [t for t in graph.successors(name) if t.startswith("energy_model")], name


def test_every_module_imports_alone_in_a_fresh_interpreter():
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    importlib.import_module(name)\n")
    names = sorted(_modules())
    # a few at a time: each group in its own interpreter, modules in turn
    for i in range(0, len(names), 25):
        result = subprocess.run([sys.executable, "-c", code, *names[i:i + 25]], cwd=ROOT,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]


def test_weather_does_not_load_pyomo():
    result = subprocess.run([sys.executable, "-c", "import sys, weather, weather.lazy; "
                             "weather.heat_pump_cop; print('pyomo' in sys.modules, "
                             "any(m.startswith('energy_model') for m in sys.modules))"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr
