"""A miniature text-data folder (tweets and nested PhraseBank files) and a tiny encoder for training tests."""

from __future__ import annotations

import csv
from pathlib import Path

ALL_AGREE = [("Net sales rose 12 % to EUR 40 mn in the third quarter .", "positive"),
             ("Operating profit jumped to a record EUR 9 mn .", "positive"),
             ("The company swung to a pre-tax loss of EUR 2 mn .", "negative"),
             ("Orders fell by a third and the outlook was cut .", "negative"),
             ("The annual general meeting will be held in Espoo on 3 April .", "neutral"),
             ("The group employs about 700 people in four countries .", "neutral")]
FIFTY_ONLY = [("Demand improved somewhat in the spring months .", "positive"),
              ("Margins widened on a better product mix .", "positive"),
              ("Costs climbed faster than revenue this year .", "negative"),
              ("The unit lost two large customers .", "negative"),
              ("The contract covers deliveries over two years .", "neutral"),
              ("The new plant is located near Tampere .", "neutral")]
WORDS = {"1": "rallies after upbeat results", "0": "slides after weak guidance", "2": "schedules investor day"}


def tweet_rows(n: int = 30) -> list[tuple[str, str]]:
    """n distinct tweets, the labels cycling bullish (1), bearish (0), neutral (2)."""
    cycle = ("1", "0", "2")
    return [(f"$T{i:02d} - Company number {i} {WORDS[cycle[i % 3]]} https://t.co/x{i}", cycle[i % 3]) for i in range(n)]


def write_text_dir(root: Path) -> Path:
    """root/text with the tweet file and PhraseBank all-agree and 50%-agree files (the latter contains the former)."""
    folder = root / "text"
    folder.mkdir(parents=True, exist_ok=True)
    for name, header, rows in (("twitter_financial_news_train.csv", ["text", "label"], tweet_rows()),
                               ("financial_phrasebank_allagree.csv", ["sentence", "label"], ALL_AGREE),
                               ("financial_phrasebank_50agree.csv", ["sentence", "label"], ALL_AGREE + FIFTY_ONLY)):
        with (folder / name).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([header, *rows])
    return folder
