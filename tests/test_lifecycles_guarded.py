"""Statuses change only through the guarded helpers (issue 16, item 1).

Outside ``*/services/`` (views, forms, admin, tasks, commands, models) no
code assigns a ``.status`` or writes ``status=`` in a bulk ``update()``.
Every stateful model has a transition table (records, viewing and lending
requests, owners' requests, appraisals, incidents, checks, exports and
imports), and its services change status only through the guarded helpers
(``record_transition``, ``core.lifecycle.transition`` and
``transition_row``), never by hand.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "api",
    "archives",
    "audit",
    "core",
    "lending",
    "reports",
    "retention",
]
HELPERS = {
    ROOT / "core" / "lifecycle.py",
    ROOT / "archives" / "services" / "records.py",  # record_transition
}


def _product_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def _status_writes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .status =")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "bulk_update")
        ):
            for keyword in node.keywords:
                if keyword.arg == "status":
                    found.append(
                        f"{path.relative_to(ROOT)}:{node.lineno} update(status=)"
                    )
    return found


def test_no_status_is_set_by_hand_outside_services():
    writes = []
    for path in _product_files():
        if "services" in path.parts or path in HELPERS:
            continue
        writes += _status_writes(path)
    assert writes == []


def test_services_change_status_only_through_the_helpers():
    writes = []
    for path in _product_files():
        if "services" in path.parts and path not in HELPERS:
            writes += _status_writes(path)
    assert writes == []


def test_the_scan_finds_a_hand_set_status(tmp_path):
    """The test above can fail: a written-out status is found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(r, M):\n    r.status = 'x'\n    M.objects.filter().update(status='y')\n"
    )
    sample_root = sample.relative_to(tmp_path)
    global ROOT
    old, ROOT = ROOT, tmp_path
    try:
        assert [w.split(" ", 1)[1] for w in _status_writes(tmp_path / sample_root)] == [
            ".status =",
            "update(status=)",
        ]
    finally:
        ROOT = old
