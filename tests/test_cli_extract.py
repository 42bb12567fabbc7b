"""`tollwatch extract` and `tollwatch eval casualties` from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


def test_extract_prints_json_figures() -> None:
    result = runner.invoke(app, ["extract", "Blasts kill 45 in Jableh, SANA said."])
    assert result.exit_code == 0, result.output
    [figure] = json.loads(result.output)
    assert (figure["kind"], figure["count"], figure["source"], figure["place"]) == (
        "killed", 45, "SANA", "Jableh")


def test_extract_jsonl_skips_bad_lines_and_keeps_going() -> None:
    stdin = '{"id": "a", "text": "Three dead, 20 hurt in market blast"}\nnot json\n{"id": "b", "text": "Calm day."}\n'
    result = runner.invoke(app, ["extract", "--jsonl"], input=stdin)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert sorted((f["kind"], f["count"]) for f in lines[0]["figures"]) == [
        ("injured", 20), ("killed", 3)]
    assert lines[1]["figures"] == []
    assert "line 2: skipped" in result.stderr


def test_eval_casualties_scores_a_labelled_file(tmp_path) -> None:
    rows = [
        {"id": "1", "text": "Four people were killed.", "figures": [
            {"kind": "killed", "count": 4, "vague": False}], "optional": []},
        {"id": "2", "text": "Seven were hurt and two died.", "figures": [
            {"kind": "injured", "count": 7, "vague": False}], "optional": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = runner.invoke(app, ["eval", "casualties", str(path)])
    assert result.exit_code == 0, result.output
    killed = next(line for line in result.output.splitlines() if line.startswith("killed"))
    assert killed.split()[1:4] == ["0.500", "1.000", "0.667"]  # the unlabelled "two died"
    # beside it, the plain regex yardstick on the same rows: "Four people were killed"
    # is in its reach, "two died" too (a false positive for both)
    assert "baseline: plain regex" in result.output
    assert killed.split()[-6:] == ["P", "0.500", "R", "1.000", "F1", "0.667"]


def test_eval_casualties_by_rule_on_a_topic_split(tmp_path) -> None:
    rows = [
        {"id": "3_1ecb#0", "text": "Four people were killed.", "figures": [
            {"kind": "killed", "count": 4, "vague": False}], "optional": []},
        {"id": "30_1ecb#0", "text": "The blast killed nine.", "figures": [
            {"kind": "killed", "count": 9, "vague": False}], "optional": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = runner.invoke(app, ["eval", "casualties", str(path), "--by-rule",
                                 "--topics", "26-35"])
    assert result.exit_code == 0, result.output
    assert "1 sentences, topics 26-35" in result.output
    rules = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()
             if line.startswith("verb-then-victims") or line.startswith("victims-then-state")}
    assert rules == {"verb-then-victims": ["1.000", "1.000", "1", "0", "0"]}
    bad = runner.invoke(app, ["eval", "casualties", str(path), "--topics", "x"])
    assert bad.exit_code != 0
