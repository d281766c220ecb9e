"""The package's import structure (issue 12, item 4), checked statically with ast.

Rules: the library never imports ``estimator.cli``; there is no cycle among module-level
imports; no function imports an estimator module or a non-optional library: only the heavy
optional libraries in LAZY_OK may be imported lazily, each with a comment. A subprocess test
checks that the what-if path (`estimator cost ...`) does not load the heavy libraries.
"""
import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "estimator"

LAZY_OK = {"matplotlib", "dask", "distributed", "pyarrow", "jinja2", "playwright", "pint",
           "py3langid", "dateparser", "currency_converter"}
"""Heavy optional libraries a function may import lazily (each with a comment). pint is a core
dependency but imports dask when it is installed (pint.compat), ~0.5 s that `estimator cost`
does not need: units.registry() imports it on first use. currency_converter imports urllib,
http.client and ssl, which the what-if path never uses: data/fx.py's EcbRates imports it.
py3langid and dateparser serve only `estimator claim` (language detection, dates in words)."""

LAZY_ESTIMATOR_OK: set = set()
"""Deliberate lazy imports of estimator modules: (importer, imported). None: Scenario.run
judges through the evaluator the scenarios package installs (scenarios/__init__.py), so the
data model never imports the evaluator (issue 24)."""

EXEMPT_FUNCTION_IMPORTS = ()
"""Packages whose function-level imports are not checked (none: issue 12 is finished)."""

HEAVY = ("matplotlib", "dask", "distributed", "pyarrow", "jinja2", "scipy")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def resolve(importer: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The estimator modules an import statement loads (absolute names; submodules resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = importer if is_package(importer) else importer.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    names = [base]
    names += [f"{base}.{alias.name}" for alias in node.names
              if f"{base}.{alias.name}" in MODULES]
    return names


def imports(name: str):
    """(imported module, line, inside a function?) for every import in a module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.extend((target, child.lineno, in_function)
                             for target in resolve(name, child))
            visit(child, nested)

    visit(tree, False)
    return found


def module_graph() -> dict[str, set[str]]:
    """Module-level imports between estimator modules; importing a.b.c also runs a.b's and
    a's __init__ (an edge to each parent package)."""
    graph = {}
    for name in MODULES:
        targets = set()
        for target, _, in_function in imports(name):
            if in_function or not target.startswith("estimator"):
                continue
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            targets.add(target)
        graph[name] = targets - {name}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the components with more than one module (the import cycles)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            connect(node)
    return cycles


def test_the_graph_sees_the_packages():
    # a sanity check, so that an empty graph cannot pass the tests below
    assert {"estimator.bands", "estimator.scenarios.evaluate", "estimator.cli"} <= set(MODULES)
    assert "estimator.scenarios.model" in module_graph()["estimator.scenarios.evaluate"]


def test_tarjan_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_the_library_never_imports_the_cli():
    offenders = [f"{name}:{line} imports {target}"
                 for name in MODULES if not name.startswith("estimator.cli")
                 and name != "estimator.__main__"
                 for target, line, _ in imports(name)
                 if target == "estimator.cli" or target.startswith("estimator.cli.")]
    assert offenders == []


LAYER = {"errors": 0, "clock": 0, "bands": 0, "price_quantiles": 0, "inputs": 0, "data": 0,
         "models": 1, "calc": 2, "scenarios": 3, "claimtext": 3, "render": 4, "site": 4, "cli": 5,
         "__main__": 5}
"""Data flows one way (LAYOUT.md): a module imports only from its own layer or lower ones."""

KNOWN_BACK_EDGES: set = set()
"""Upward imports allowed as known warts: none (issue 24 moved library and lint into
scenarios/ and the safe file writer into data/)."""


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYER.get(parts[1], -1) if len(parts) > 1 else -1


def test_data_flows_one_way():
    upward = {(a, b) for a, targets in module_graph().items() for b in targets
              if layer(b) > layer(a)}
    assert upward - KNOWN_BACK_EDGES == set()


def test_no_import_cycles():
    assert strongly_connected(module_graph()) == []


def test_no_imports_inside_functions():
    offenders = []
    for name in MODULES:
        if name.startswith(EXEMPT_FUNCTION_IMPORTS) or name == "estimator":
            continue
        for target, line, in_function in imports(name):
            root = target.partition(".")[0]
            allowed = (root in LAZY_OK
                       or (name, target) in LAZY_ESTIMATOR_OK)
            if in_function and not allowed:
                offenders.append(f"{MODULES[name].relative_to(PACKAGE.parent)}:{line} {target}")
    assert offenders == []


def test_every_lazy_import_says_why():
    # a function that imports lazily says why: a "# lazy..." comment between its def line and
    # the import
    missing = []
    for path in MODULES.values():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for func in ast.walk(ast.parse(text)):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if (isinstance(node, (ast.Import, ast.ImportFrom))
                        and "# lazy" not in "\n".join(lines[func.lineno - 1:node.lineno])):
                    missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert missing == []


POSITIONAL_RANGE = re.compile(r"\[:, ?[0-2]\]|np\.column_stack|\[:, ?(LOW|TYPICAL|HIGH)\]")
"""Columns of an [n, 3] low/typical/high array taken by position (issue 24: ranges travel as
named columns, estimator.bands.RangeColumns, or as Range objects)."""

def test_ranges_travel_by_name_not_by_position():
    offenders = []
    for path in MODULES.values():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if POSITIONAL_RANGE.search(line) and "axes[" not in line:   # a grid of plots
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}")
    assert offenders == []


def test_the_what_if_path_stays_light():
    # `estimator cost` must start fast: none of the heavy libraries may be loaded on its way
    # pandas (a core dependency) imports pyarrow itself when it is installed (pandas >= 3), so
    # the check is against what `import pandas, pint` alone loads
    code = (
        "import sys\n"
        "import pandas, pint\n"
        "baseline = set(sys.modules)\n"
        "from click.testing import CliRunner\n"
        "from estimator.cli import cli\n"
        "result = CliRunner().invoke(cli, ['cost', '--gpu', 'H800', '--count', '8',"
        " '--hours', '1', '--price', '2'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(','.join(m for m in {HEAVY!r} if m in set(sys.modules) - baseline))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=PACKAGE.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
