"""Issue 14: every public member of the stubs and the Python modules has a docstring, and
every public function or method says what it raises (``Raises:``)."""

from __future__ import annotations

import ast
from pathlib import Path

import qfpay

PACKAGE = Path(qfpay.__file__).parent
FILES = ["_qfpay.pyi", "_surface.pyi", "_async.py", "_bridge.py", "_errors.py", "testing.py", "_log.py"]
NO_RAISES = {"__iter__", "__aiter__", "__len__", "__repr__", "__enter__", "__exit__", "__aenter__", "__aexit__",
             "aclose", "close", "stop", "env", "requests", "request_count", "notifications", "orders", "reset",
             "advance_clock", "threshold", "emit", "config_warnings", "client", "async_client", "start", "message"}


def _public(name: str) -> bool:
    return not name.startswith("_") or name in ("__init__", "__next__", "__anext__", "__iter__", "__len__")


def _undocumented() -> tuple[list[str], list[str]]:
    missing: list[str] = []
    no_raises: list[str] = []
    for file in FILES:
        tree = ast.parse((PACKAGE / file).read_text("utf-8"))

        def visit(body: list[ast.stmt], prefix: str, in_private: bool) -> None:
            for node in body:
                if isinstance(node, ast.ClassDef):
                    private = in_private or node.name.startswith("_")
                    if not private and ast.get_docstring(node) is None:
                        missing.append(f"{file}:{prefix}{node.name}")
                    visit(node.body, f"{prefix}{node.name}.", private)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if in_private or not _public(node.name):
                        continue
                    doc = ast.get_docstring(node)
                    where = f"{file}:{prefix}{node.name}"
                    if doc is None:
                        missing.append(where)
                        continue
                    is_property = any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list)
                    if not is_property and node.name not in NO_RAISES and "Raises:" not in doc:
                        no_raises.append(where)

        visit(tree.body, "", False)
    return missing, no_raises


def test_every_public_member_is_documented() -> None:
    missing, _ = _undocumented()
    assert not missing, f"{len(missing)} undocumented: {missing}"


def test_every_public_callable_says_what_it_raises() -> None:
    _, no_raises = _undocumented()
    assert not no_raises, f"{len(no_raises)} without Raises: {no_raises}"
