"""Every ``pytest.raises`` says which refusal it expects (issue 16, item 5):
a message (``match=``) or an inspected exception (``as``), so a test cannot
pass on the wrong error."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _bare_raises(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if not isinstance(node, ast.With):
            continue
        for item in node.items:
            call = item.context_expr
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "raises"
                and getattr(call.func.value, "id", "") == "pytest"
                and not any(k.arg == "match" for k in call.keywords)
                and item.optional_vars is None
            ):
                found.append(f"{name}:{node.lineno}")
    return found


def test_every_pytest_raises_names_its_message_or_inspects_the_error():
    bare = []
    for path in sorted(TESTS.rglob("*.py")):
        bare += _bare_raises(path.read_text(), str(path.relative_to(TESTS)))
    assert bare == []


def test_the_scan_finds_a_bare_raises():
    sample = "import pytest\nwith pytest.raises(ValueError):\n    int('x')\n"
    assert _bare_raises(sample, "sample.py") == ["sample.py:2"]
    named = "with pytest.raises(ValueError, match='invalid'):\n    int('x')\n"
    assert _bare_raises(named, "named.py") == []
