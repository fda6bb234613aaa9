"""Concurrent ``portlint suggest --claim`` runs in one project: is every claim kept?

    python benchmarks/claims.py                  # 20 claims with this checkout
    python benchmarks/claims.py --claims 50
    python benchmarks/claims.py --source /tmp/old-checkout   # compare another version

Starts N processes at once, each claiming a port for its own service in the
same ``ports.toml``, then reads the file back with portlint's allocation
parser: how many entries were recorded, on how many distinct ports, and
whether the file still loads (two services on one port make it invalid, and
every later run then exits 2). Wall time is printed for context only; on a
shared machine it mostly measures the load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20)
    parser.add_argument("--source", default=str(HERE), help="portlint checkout to run")
    args = parser.parse_args()
    sys.path.insert(0, args.source)
    from portlint.errors import ConfigError
    from portlint.registry.allocations import merge, parse_allocations

    with tempfile.TemporaryDirectory() as folder:
        team = '[[allocation]]\nport = 10001\nservice = "billing"\n'
        (Path(folder) / "ports.toml").write_text(team, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": args.source}
        start = time.monotonic()
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "portlint", "suggest", "--count", "1", "--claim", f"s{i}"],
                cwd=folder,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for i in range(args.claims)
        ]
        codes = []
        for child in children:
            child.communicate()
            codes.append(child.returncode)
        elapsed = time.monotonic() - start
        text = (Path(folder) / "ports.toml").read_text(encoding="utf-8")
        entries = [e for e in parse_allocations(text, "ports.toml") if e.service != "billing"]
        try:
            merge(parse_allocations(text, "ports.toml"))
            state = "loads"
        except ConfigError:
            state = "does NOT load (two services on one port)"
    print(
        f"{args.claims} concurrent claims: {codes.count(0)} exited 0; {len(entries)} recorded "
        f"on {len({e.port for e in entries})} distinct ports; the file {state}; "
        f"{elapsed:.1f} s wall"
    )


if __name__ == "__main__":
    main()
