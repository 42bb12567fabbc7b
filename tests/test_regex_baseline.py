"""The casualty yardstick reads the plainest shapes and nothing the reader shares."""

import ast
from pathlib import Path

from service.evaluation import regex_baseline
from service.evaluation.regex_baseline import extract


def test_plain_shapes_are_read() -> None:
    figures = extract("A bomb killed 12 people in the market; five were wounded.")
    assert {(f["kind"], f["count"]) for f in figures} == {("killed", 12), ("injured", 5)}


def test_no_number_no_figure() -> None:
    assert extract("Dozens were killed and many more hurt.") == []


def test_it_shares_no_code_with_the_reader() -> None:
    tree = ast.parse(Path(regex_baseline.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not any(name and name.startswith("service") for name in imported)
