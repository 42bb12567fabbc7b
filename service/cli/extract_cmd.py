"""`tollwatch extract`: the casualty reader on any text, for checking and scripting."""

from __future__ import annotations

import json
import sys

import typer


def extract(
    text: str = typer.Argument(None, help="Text to read (omit with --jsonl)."),
    jsonl: bool = typer.Option(False, "--jsonl",
                               help='Read {"id", "text"} lines on stdin; write {"id", "figures"} lines.'),
) -> None:
    """Print the casualty figures a text reports, as JSON."""
    from service.casualties import extract as read_figures

    if jsonl == (text is not None):
        raise typer.BadParameter("give either TEXT or --jsonl")
    if text is not None:
        typer.echo(json.dumps([f.as_dict() for f in read_figures(text)], ensure_ascii=False,
                              indent=2))
        return
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError('expected an object with a "text" string')
        except ValueError as exc:
            typer.echo(f"line {number}: skipped: {exc}", err=True)
            continue
        figures = [f.as_dict() for f in read_figures(row["text"])]
        typer.echo(json.dumps({"id": row.get("id"), "figures": figures}, ensure_ascii=False))
