"""Run portlint over a folder of real repositories and score it against hand judgments.

Accuracy is judged by a person at each finding's line; this script only keeps the
bookkeeping honest. It runs ``portlint check`` with default settings in every
repository folder, joins each error and warning with the verdict recorded in
``tools/eval/judgments-*.tsv`` (TP = a real problem, FP = wrong, noise = true but
nothing a maintainer would act on), and prints the table per rule and per
repository that docs/accuracy.md keeps. Findings nobody judged yet are listed, so
a change to a scanner or a rule shows exactly which new findings need reading.

The repositories themselves are never part of portlint: ``export`` lays out a
fetched snapshot (a bare git directory) as plain files in a scratch folder, and
``tools/eval/repos-*.tsv`` record which commit each one was.

    python tools/evaluate.py export MIRROR_GIT_DIR /work/eval/repos   # once per repository
    python tools/evaluate.py run ROOT [ROOT ...] [--unjudged FILE]   # the table

A verdict is keyed by repository, path, line, column and rule code, which are
stable for a pinned commit even when portlint's wording changes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "eval")
VERDICTS = ("TP", "FP", "noise")
Key = tuple[str, str, int, int, str]


def export(git_dir: str, dest_root: str) -> None:
    """Write the snapshot's HEAD as plain files (no .git: nothing in it can configure git)."""
    name = os.path.basename(git_dir.rstrip("/"))
    if name == "repo":  # the tool library's mirrors: /work/.mirror/OWNER+NAME/repo
        name = os.path.basename(os.path.dirname(git_dir.rstrip("/")))
    if name.endswith(".git"):
        name = name[:-4]
    commit = subprocess.run(
        ["git", "--git-dir", git_dir, "rev-parse", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dest = os.path.join(dest_root, name)
    os.makedirs(dest, exist_ok=True)
    archive = subprocess.run(
        ["git", "--git-dir", git_dir, "archive", "--format=tar", commit],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
    print(f"{name}\t{commit}")


def run_portlint(repo_dir: str) -> list[dict[str, object]]:
    proc = subprocess.run(
        [
            sys.executable,
            "-P",  # never import a module from the repository being judged
            "-m",
            "portlint",
            "check",
            ".",
            "--format",
            "json",
            "--exit-zero",
            "--no-cache",
        ],
        cwd=repo_dir,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{repo_dir}: portlint exited {proc.returncode}: {proc.stderr.strip()}")
    findings = json.loads(proc.stdout)["findings"]
    return [f for f in findings if f["severity"] in ("error", "warning")]


def key_of(repo: str, finding: dict[str, object]) -> Key:
    loc = finding["location"]
    assert isinstance(loc, dict)
    return (repo, str(loc["path"]), int(loc["line"]), int(loc["column"]), str(finding["code"]))


def read_judgments() -> dict[Key, tuple[str, str]]:
    """Every judgments-*.tsv (one per person or batch, so parallel judging never conflicts)."""
    out: dict[Key, tuple[str, str]] = {}
    for name in sorted(os.listdir(EVAL)):
        if not (name.startswith("judgments") and name.endswith(".tsv")):
            continue
        path = os.path.join(EVAL, name)
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["verdict"] not in VERDICTS:
                    raise SystemExit(f"{path}: bad verdict {row['verdict']!r}")
                key = (row["repo"], row["path"], int(row["line"]), int(row["column"]), row["code"])
                out[key] = (row["verdict"], row["reason"])
    return out


def precision(c: Counter[str]) -> str:
    judged = c["TP"] + c["FP"]
    return f"{100 * c['TP'] / judged:.1f} %" if judged else "-"


def table(title: str, groups: dict[str, Counter[str]]) -> Iterable[str]:
    yield f"| {title} | findings | TP | FP | noise | unjudged | precision | noise share |"
    yield "|---|---:|---:|---:|---:|---:|---:|---:|"
    total: Counter[str] = Counter()
    for name in sorted(groups):
        c = groups[name]
        total.update(c)
        yield _row(name, c)
    yield _row("**all**", total)


def _row(name: str, c: Counter[str]) -> str:
    n = sum(c.values())
    share = f"{100 * c['noise'] / n:.1f} %" if n else "-"
    return (
        f"| {name} | {n} | {c['TP']} | {c['FP']} | {c['noise']} | {c['?']} "
        f"| {precision(c)} | {share} |"
    )


def run(roots: list[str], unjudged_out: str | None, reported_out: str | None = None) -> None:
    judged = read_judgments()
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    by_repo: dict[str, Counter[str]] = defaultdict(Counter)
    unjudged: list[str] = []
    reported: list[str] = []
    seen: set[Key] = set()
    folders = sorted((r, os.path.join(root, r)) for root in roots for r in os.listdir(root))
    for repo, path in folders:
        if not os.path.isdir(path):
            continue
        by_repo[repo]  # a clean repository still gets its row
        for f in run_portlint(path):
            key = key_of(repo, f)
            seen.add(key)
            verdict, reason = judged.get(key, ("?", ""))
            reported.append("\t".join([*map(str, key), verdict, reason]))
            by_rule[str(f["code"])][verdict] += 1
            by_repo[repo][verdict] += 1
            if verdict == "?":
                unjudged.append(
                    "\t".join([*map(str, key), str(f.get("port", "")), str(f["message"])])
                )
    print("\n".join(table("rule", by_rule)))
    print()
    print("\n".join(table("repository", by_repo)))
    gone = [k for k in judged if k[0] in by_repo and k not in seen]
    print(f"\n{len(unjudged)} unjudged; {len(gone)} judged findings no longer reported")
    if unjudged_out:
        with open(unjudged_out, "w", encoding="utf-8") as fh:
            fh.write("repo\tpath\tline\tcolumn\tcode\tport\tmessage\n")
            fh.writelines(line + "\n" for line in unjudged)
    if reported_out:
        with open(reported_out, "w", encoding="utf-8") as fh:
            fh.write("repo\tpath\tline\tcolumn\tcode\tverdict\treason\n")
            fh.writelines(line + "\n" for line in reported)
    if gone:
        print("no longer reported (TP among them are lost recall):")
        for k in sorted(gone):
            print("  " + "\t".join(map(str, k)) + "\t" + judged[k][0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="lay out a fetched snapshot as plain files")
    ex.add_argument("git_dir")
    ex.add_argument("dest_root")
    rn = sub.add_parser("run", help="run portlint over every repository and print the tables")
    rn.add_argument("roots", nargs="+", metavar="ROOT")
    rn.add_argument("--unjudged", help="write unjudged findings here (TSV)")
    rn.add_argument("--reported", help="write every reported finding with its verdict (TSV)")
    args = parser.parse_args()
    if args.command == "export":
        export(args.git_dir, args.dest_root)
    else:
        run(args.roots, args.unjudged, args.reported)


if __name__ == "__main__":
    main()
