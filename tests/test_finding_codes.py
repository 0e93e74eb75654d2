"""Finding codes are the contract between a check and what reads its result, so each is declared
once (`resources/checks.json`), spelled once in Python (a public name of the check module that
reports it: `price.archived` is `products.PRICE_ARCHIVED`) and imported by planners, pages and
the window. A code compared or filtered as a bare string outside the checks would go stale
unnoticed the day the check renames or drops it: the page would silently show nothing.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import assistant
from assistant.diagnosis.checks import ask_codes, common_codes
from assistant.knowledge import checklist

PACKAGE = Path(assistant.__file__).resolve().parent
CHECKS = PACKAGE / "diagnosis" / "checks"
TESTS = Path(__file__).resolve().parent

# The dotted form of a code ("price.archived"), or a prefix filter ("subscription.").
_SHAPE = re.compile(r"[a-z][a-z_]*\.[a-z_]*\Z")
# Calls whose arguments are codes (positions; None: every positional argument).
_CODE_ARGS: dict[str, tuple[int, ...] | None] = {
    "with_code": None, "has": None, "findings_with": None, "startswith": None, "endswith": None,
    "Finding": (0,), "one": (2,),
}


def code_name(code: str) -> str:
    """The Python name of a code in its check module: "price.archived" -> PRICE_ARCHIVED."""
    return code.upper().replace(".", "_")


def declared_codes() -> set[str]:
    return set(checklist.finding_codes())


def _prefixes(codes: set[str]) -> set[str]:
    return {c.partition(".")[0] for c in codes}


def looks_like_code(value: object, prefixes: set[str]) -> bool:
    return isinstance(value, str) and bool(_SHAPE.match(value)) and value.partition(".")[0] in prefixes


def is_declared(value: str, codes: set[str]) -> bool:
    """A declared code, or a prefix ("subscription.") that some declared code starts with."""
    return value in codes or (value.endswith(".") and any(c.startswith(value) for c in codes))


@dataclass(frozen=True)
class CodeUse:
    line: int
    value: str


def _assignments(tree: ast.AST) -> dict[str, ast.expr]:
    """Name -> the expression last assigned to it anywhere in the module (enough to follow a
    tuple of codes from its definition to the filter that uses it)."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = node.value
    return found


_CODE_NAME = re.compile(r"codes?\Z|verdict\Z")


def is_code_expression(node: ast.expr) -> bool:
    """Whether `node` holds a finding code: `finding.code`, a variable named `code` (`codes`,
    `head_code`), or what `url_verdict(...)`/`error_code(...)` return."""
    if isinstance(node, ast.Attribute):
        return node.attr == "code"
    if isinstance(node, ast.Name):
        return bool(_CODE_NAME.search(node.id.lower()))
    if isinstance(node, ast.Subscript):
        return is_code_expression(node.value)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return bool(_CODE_NAME.search(name.lower()))
    return False


class _Collector:
    """Gathers the code-shaped constants an expression holds, following names to what they were
    assigned (a tuple of codes defined once and filtered with later)."""

    _CONTAINERS = ("frozenset", "set", "tuple", "list")

    def __init__(self, named: dict[str, ast.expr], prefixes: set[str]) -> None:
        self.named = named
        self.prefixes = prefixes
        self.uses: list[CodeUse] = []

    def collect(self, node: ast.AST | None, keys_only: bool = False, seen: frozenset[str] = frozenset()) -> None:
        if node is None:
            return
        if isinstance(node, ast.Constant):
            if looks_like_code(node.value, self.prefixes):
                self.uses.append(CodeUse(node.lineno, node.value))
        elif isinstance(node, ast.Name):
            if node.id in self.named and node.id not in seen:
                self.collect(self.named[node.id], keys_only, seen | {node.id})
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                self.collect(key, seen=seen)
        elif not keys_only:
            for part in self._parts(node):
                self.collect(part, seen=seen)

    def _parts(self, node: ast.AST) -> list[ast.AST]:
        """The sub-expressions of a collection, a spread, a `+`, a conditional or a
        `tuple(...)`-like call, whose constants count as the whole's."""
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return list(node.elts)
        if isinstance(node, ast.Starred):
            return [node.value]
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.IfExp):
            return [node.body, node.orelse]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self._CONTAINERS:
            return list(node.args)
        return []

    def visit_call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if name in ("startswith", "endswith") and not (receiver is not None and is_code_expression(receiver)):
            return
        if name in _CODE_ARGS:
            positions = _CODE_ARGS[name]
            for i, arg in enumerate(node.args):
                if positions is None or i in positions:
                    self.collect(arg)
        if name == "get" and receiver is not None and node.args and is_code_expression(node.args[0]):
            self.collect(receiver, keys_only=True)

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Compare):
            operands = (node.left, *node.comparators)
            if any(is_code_expression(o) for o in operands):
                for operand in operands:
                    self.collect(operand)
        elif isinstance(node, ast.Call):
            self.visit_call(node)
        elif isinstance(node, ast.Subscript) and is_code_expression(node.slice):
            self.collect(node.value, keys_only=True)
        elif isinstance(node, ast.Match) and is_code_expression(node.subject):
            for case in node.cases:
                for pattern in ast.walk(case.pattern):
                    if isinstance(pattern, ast.MatchValue):
                        self.collect(pattern.value)


def code_uses(source: str, prefixes: set[str]) -> list[CodeUse]:
    """The code-shaped string constants one module compares or filters findings with: compared
    with a code (`==`, `in`, directly or through a named tuple, set or dict), passed to
    `with_code`/`has`/`findings_with`/`Finding`/`one`, as a `startswith` prefix of a code, as a
    `match` case on a code, and as the keys of a dict looked up with a code. Strings elsewhere
    (Stripe field paths and event types share the dotted shape) are not codes."""
    tree = ast.parse(source)
    collector = _Collector(_assignments(tree), prefixes)
    for node in ast.walk(tree):
        collector.visit(node)
    return sorted(set(collector.uses), key=lambda u: (u.line, u.value))


def _modules(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*.py") if ".venv" not in p.parts)


def undeclared_or_bare(source: str, where: str, in_checks: bool, codes: set[str]) -> list[str]:
    """What is wrong with the codes one module compares or filters with: outside
    `diagnosis/checks/` every such string is wrong (import the name); inside, an undeclared one."""
    problems = []
    for use in code_uses(source, _prefixes(codes)):
        at = f"{where}:{use.line}: {use.value!r}"
        if not is_declared(use.value, codes):
            problems.append(f"{at} is not a code any check declares in resources/checks.json")
        elif not in_checks:
            problems.append(f"{at} is written out; import {code_name(use.value)} from its check module")
    return problems


# --------------------------------------------------------------------------- the finder itself


def test_the_finder_sees_a_page_comparing_with_a_code() -> None:
    codes = declared_codes()
    prefixes = _prefixes(codes)
    page = 'def render(finding):\n    if finding.code == "return_url.bogus":\n        return 1\n'
    assert code_uses(page, prefixes) == [CodeUse(2, "return_url.bogus")]
    filters = (
        'BAD = ("price.archived", "price.missing")\n'
        'ALL = (*BAD, "product.missing")\n'
        'a = result.with_code(*ALL)\n'
        'b = result.has("features.none")\n'
        'c = diagnosis.findings_with("login_link.on")\n'
        'd = [f for f in findings if f.code.startswith("subscription.")]\n'
        'e = {"parity.same": 1}[finding.code]\n'
        'g = WORDS.get(head.code)\n'
        'WORDS = {"key.live": "live"}\n'
        'h = head.code in frozenset({"key.test"})\n'
        'LIMIT_CODES = ("subscription.metered",)\n'
        'i = f.code in LIMIT_CODES\n'
        'match head.code:\n    case "key.rejected":\n        pass\n'
    )
    assert [u.value for u in code_uses(filters, prefixes)] == [
        "price.archived", "price.missing", "product.missing", "features.none", "login_link.on",
        "subscription.", "parity.same", "key.live", "key.test", "subscription.metered", "key.rejected",
    ]


def test_the_finder_leaves_stripe_fields_docs_and_values_alone() -> None:
    prefixes = _prefixes(declared_codes())
    source = (
        '"""A docstring may name price.archived."""\n'
        'SHAPE = {"business_profile.name": str}\n'
        'f = Finding(NAME, field="business_profile.name", seen="price.archived")\n'
        'g = conf.get("features")\n'
        'h = label == "billing_portal.configuration"\n'
    )
    assert code_uses(source, prefixes) == []


def test_a_bare_code_outside_the_checks_is_reported_and_an_undeclared_one_everywhere() -> None:
    codes = declared_codes()
    source = 'def f(r):\n    return r.has("return_url.ok") or r.has("return_url.bogus")\n'
    on_page = undeclared_or_bare(source, "ui/pages/planted.py", False, codes)
    in_check = undeclared_or_bare(source, "diagnosis/checks/planted.py", True, codes)
    assert len(on_page) == 2 and "not a code" in on_page[0] and "import RETURN_URL_OK" in on_page[1]
    assert len(in_check) == 1 and "'return_url.bogus' is not a code" in in_check[0]


# --------------------------------------------------------------------------- the package


def test_every_code_compared_or_filtered_in_the_package_is_a_declared_name() -> None:
    codes = declared_codes()
    problems = [
        problem for path in _modules(PACKAGE)
        for problem in undeclared_or_bare(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)),
                                          CHECKS in path.parents, codes)
    ]
    assert not problems, "\n".join(problems)


def test_the_tests_only_name_declared_codes() -> None:
    """A test filtering on a code no check reports any more would pass on nothing."""
    codes = declared_codes()
    prefixes = _prefixes(codes)
    stale = [f"{path.relative_to(TESTS.parent)}:{use.line}: {use.value!r}"
             for path in _modules(TESTS) if path.name != Path(__file__).name
             for use in code_uses(path.read_text(encoding="utf-8"), prefixes)
             if not is_declared(use.value, codes)]
    assert not stale, "\n".join(stale)


@pytest.mark.parametrize("declaration", checklist.checks(), ids=lambda c: c.id)
def test_each_check_module_exports_every_code_it_declares(declaration: checklist.CheckDeclaration) -> None:
    module = importlib.import_module(declaration.module)
    for code in declaration.codes:
        assert getattr(module, code_name(code), None) == code, f"{declaration.module}.{code_name(code)}"


def test_the_common_codes_are_names_in_common_codes() -> None:
    for code in checklist.common_codes():
        assert getattr(common_codes, code_name(code), None) == code, code_name(code)


def test_the_ask_codes_are_names_in_ask_codes() -> None:
    assert checklist.ask_codes()
    for code in checklist.ask_codes():
        assert getattr(ask_codes, code_name(code), None) == code, code_name(code)


def test_every_code_a_check_module_exports_is_declared() -> None:
    """A public name or group holding a code holds declared codes only (Stripe's event types,
    also dotted, sit in groups of their own)."""
    codes = declared_codes()
    prefixes = _prefixes(codes)
    check_ids = set(checklist.check_ids())
    wrong = []
    for path in _modules(CHECKS):
        module = importlib.import_module(f"{checklist.CHECKS_PACKAGE}.{path.stem}")
        for name, value in vars(module).items():
            if name.startswith("_") or not name.isupper():
                continue
            if isinstance(value, str) and looks_like_code(value, prefixes) and value not in check_ids | codes:
                wrong.append(f"{module.__name__}.{name} = {value!r}")
            if isinstance(value, (tuple, frozenset)) and set(value) & codes and not set(value) <= codes:
                wrong.append(f"{module.__name__}.{name} = {sorted(set(value) - codes)!r}")
    assert not wrong, "\n".join(wrong)


def test_a_code_is_spelled_once_where_its_check_is_declared() -> None:
    """`NAME = "code"` only in the module whose check declares the code, under its own name:
    every other module imports it, so a rename is one edit and a typo an ImportError."""
    codes = declared_codes()
    owner = dict.fromkeys(checklist.common_codes(), common_codes.__name__)
    owner.update(dict.fromkeys(checklist.ask_codes(), ask_codes.__name__))
    for declaration in checklist.checks():
        owner.update(dict.fromkeys(declaration.codes, declaration.module))
    wrong = []
    for path in _modules(PACKAGE):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                    and node.value.value in codes):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                code = str(node.value.value)
                if module != owner[code] or names != [code_name(code)]:
                    wrong.append(f"{module}:{node.lineno}: {names} = {code!r}")
    assert not wrong, "\n".join(wrong)
