"""`tollwatch events …` and `tollwatch eval clustering` on real labelled news (ECB+ dev)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.evaluation.clustering import bcubed
from tests.test_cli_foundation import tollwatch

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev.jsonl"
TOPICS = ("1", "3", "8", "12")  # two similar events each: rehab stays, escapes, bank blasts, pirates


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, str]]:
    if not ECBPLUS.exists():
        pytest.skip(f"labelled data not found at {ECBPLUS}")
    rows = [json.loads(line) for line in ECBPLUS.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if row["event"].split("_")[0] in TOPICS]


def test_import_clusters_and_events_export_matches_gold(tmp_path, labelled) -> None:
    lines = [json.dumps({"id": r["doc_id"], "outlet": "ECB+", "title": r["title"],
                         "text": r["text"]}) for r in labelled]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    imported = tollwatch("import", "in.jsonl", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert f"{len(labelled)} items clustered" in imported.stdout

    exported = tollwatch("events", "export", "--format", "jsonl", cwd=tmp_path)
    predicted = {row["doc_id"]: row["event"] for row in map(json.loads, exported.stdout.splitlines())}
    gold = {r["doc_id"]: r["event"] for r in labelled}
    assert set(predicted) == set(gold)
    assert bcubed(predicted, gold).f1 >= 0.8  # 8 events in four pairs of look-alikes

    biggest = tollwatch("events", "list", "--sort", "size", "--limit", "1", cwd=tmp_path)
    event_id = biggest.stdout.splitlines()[1].split()[0]
    shown = tollwatch("events", "show", event_id, cwd=tmp_path)
    assert shown.returncode == 0 and "keywords:" in shown.stdout and "ECB+" in shown.stdout
    missing = tollwatch("events", "show", "999999", cwd=tmp_path)
    assert missing.returncode == 1 and "no event 999999" in missing.stderr


def test_eval_clustering_reports_bcubed_beside_the_baseline(tmp_path, labelled) -> None:
    rows = [{"doc_id": r["doc_id"], "title": r["title"], "text": r["text"],
             "event": r["event"]} for r in labelled]
    (tmp_path / "gold.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n")
    result = tollwatch("eval", "clustering", "gold.jsonl", "--seeds", "2", "--ceiling",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    f1 = {line[:28].strip(): float(line.split()[-2]) for line in result.stdout.splitlines()
          if line.startswith(("tollwatch", "baseline", "ceiling"))}
    assert set(f1) == {"tollwatch", "tollwatch, titles only", "baseline: plain TF-IDF",
                       "ceiling: k-means per topic"}
    assert f1["ceiling: k-means per topic"] > f1["tollwatch"]
    assert f1["tollwatch"] >= 0.8
    assert f1["tollwatch"] >= f1["baseline: plain TF-IDF"] - 0.02
