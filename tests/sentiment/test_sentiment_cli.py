"""The real ``r2k sentiment`` commands, parsed through --json, including the --save round trip."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.store import Store

runner = CliRunner()
FEED = ("date,time_et,source,headline,description\n"
        "2024-01-05,10:00 AM,x,Profits were excellent and strong,d\n"
        "2024-01-05,7:00 PM,x,The bank reported heavy losses,d\n"
        "2024-01-09,11:00 AM,x,The meeting is on Monday,d\n")


def run(*args: str) -> dict:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_score_json_per_scorer():
    out = run("sentiment", "score", "Earnings were not good.", "--scorer", "lm,vader", "--json")
    by = {r["scorer"]: r for r in out["results"]}
    assert by["lm"]["score"] == pytest.approx(-0.5) and by["lm"]["label"] == "negative"
    assert by["vader"]["label"] == "negative"
    text = runner.invoke(app, ["sentiment", "score", "Earnings were good.", "--scorer", "lm"])
    assert text.exit_code == 0 and "positive" in text.output


def test_score_file_csv_and_json(write_csv):
    rows = write_csv('id,headline\n1,Earnings were good.\n2,"Losses, again."\n3,\n', name="rows.csv")
    out = runner.invoke(app, ["sentiment", "score", "--file", str(rows), "--column", "headline", "--scorer", "lm"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines() == ["text,scorer,score,label", "Earnings were good.,lm,0.5000,positive",
                                       '"Losses, again.",lm,-0.5000,negative', ",lm,0.0000,neutral"]
    doc = run("sentiment", "score", "--file", str(rows), "--column", "headline", "--scorer", "lm", "--json")
    assert doc["scorer"] == "lm" and doc["as_of"] is None and "Loughran" in doc["source"]
    assert doc["rows"][1] == {"text": "Losses, again.", "scorer": "lm", "score": -0.5, "label": "negative"}


def test_score_file_errors_name_the_file(write_csv):
    rows = write_csv("id,headline\n1,x\n", name="rows.csv")
    for args, message in ((["--file", str(rows)], "rows.csv, line 1: no column 'text' (columns: id, headline)"),
                          (["--file", str(rows), "--column", "headline", "--scorer", "lm,vader"], "exactly one scorer"),
                          (["x", "--file", str(rows)], "not both"), ([], "(TEXT)")):
        result = runner.invoke(app, ["sentiment", "score", *args, *(["--scorer", "lm"] if "--scorer" not in args else [])])
        assert result.exit_code == 1 and message in result.output, (args, result.output)


def test_index_json_and_save_round_trip(write_csv, tmp_path):
    feed = write_csv(FEED)
    store = tmp_path / "s.duckdb"
    out = run("sentiment", "index", str(feed), "--scorer", "lm", "--half-life", "1", "--prior-weight", "0", "--json",
              "--save", "--store", str(store))
    assert out["headlines"] == 3 and out["shifted"] == 1
    rows = {r["date"]: r for r in out["rows"]}
    # Fri 01-05: excellent, strong -> 2/3 ; Mon 01-08 (Fri 7 PM): losses -> -0.5 ; Tue 01-09: no LM word -> 0
    assert list(rows) == ["2024-01-05", "2024-01-08", "2024-01-09"]
    assert rows["2024-01-05"]["mean"] == pytest.approx(2 / 3)
    assert rows["2024-01-08"]["mean"] == pytest.approx((0.5 * 2 / 3 - 0.5) / 1.5)
    assert rows["2024-01-09"]["count"] == 1
    assert out["saved"]["rows_new"] == 9
    with Store(store, read_only=True) as s:
        assert s.kind("SENT_LM_MEAN") == "macro"
        mean = s.read("SENT_LM_MEAN")
        assert mean["value"].to_numpy() == pytest.approx([r["mean"] for r in out["rows"]])
        assert list(s.read("SENT_LM_COUNT")["value"]) == [1.0, 1.0, 1.0]
        assert s.read("SENT_LM_NEG_SHARE")["value"].iloc[1] == pytest.approx(1 / 1.5)  # K = 0.5 * 0 + 1
    again = run("sentiment", "index", str(feed), "--scorer", "lm", "--half-life", "1", "--prior-weight", "0", "--json",
                "--save", "--store", str(store))
    assert again["saved"]["rows_new"] == 0 and again["saved"]["rows_changed"] == 0


def test_errors_are_one_line_exit_1(write_csv):
    bad = write_csv("date,headline\n2024-02-30,x\n", name="bad.csv")
    result = runner.invoke(app, ["sentiment", "index", str(bad), "--scorer", "lm"])
    assert result.exit_code == 1
    assert "bad.csv, line 2: unparseable date '2024-02-30'" in result.output
    result = runner.invoke(app, ["sentiment", "score", "x", "--scorer", "bogus"])
    assert result.exit_code == 1 and "--scorer" in result.output
    result = runner.invoke(app, ["sentiment", "index", str(bad), "--scorer", "lm,vader"])
    assert result.exit_code == 1 and "exactly one scorer" in result.output


def test_evaluate_json(tmp_path):
    (tmp_path / "financial_phrasebank_allagree.csv").write_text(
        "sentence,label\nProfits were excellent.,positive\nThe firm reported a loss.,negative\n", encoding="utf-8")
    out = run("sentiment", "evaluate", str(tmp_path), "--scorer", "lm", "--json")
    assert out["results"][0]["accuracy"] == 1.0 and out["results"][0]["confusion"][0] == [1, 0, 0]
