"""Benchmark portlint as users run it: whole processes, several runs, the median.

    python benchmarks/bench.py                    # 1,000 and 10,000 generated files
    python benchmarks/bench.py --files 1000 --runs 3
    python benchmarks/bench.py --repo ~/src/some-project
    python benchmarks/bench.py --files 10000 --dense --large 100000   # issue 14's targets
    python benchmarks/bench.py --write docs/benchmarks.md   # replaces the measured table only

Every figure is a ratio against a floor measured in the same run on the same
machine, so a loaded or slow machine moves both sides together:

- start-up: ``portlint --version`` against ``python -c "import yaml"``;
- a cold ``portlint check`` (no cache) against the parse floor: one Python
  process that only composes every YAML file of the same set with PyYAML's C
  loader, node tree included, and against yamllint (``-d relaxed``), the
  nearest Python peer, on the same YAML files;
- a warm run (cache filled, nothing changed) and a pre-commit style run (one
  changed file named on the command line) against the cold run;
- peak memory (max RSS) of the cold run;
- with ``--large N``: a repository of N files (generated on the fly, not
  committed), its cold run against cold runs of the largest ``--files`` size
  timed before, between and after its own (linear scaling would be N / that
  size), and its peak memory.

The load average before and after is printed under the table: the machine
the figures in docs/benchmarks.md come from is shared.

Timing assertions never go in tests; this script is where speed is measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from generate import generate  # noqa: E402

PARSE_FLOOR = r"""
import os, sys, yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
n = 0
for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
    dirnames[:] = [d for d in dirnames if d not in (".git", ".portlint_cache")]
    for name in filenames:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                for _doc in yaml.compose_all(fh.read(), Loader=loader):
                    n += 1
print(n)
"""


def _env() -> dict[str, str]:
    """The environment of every timed process: bytecode cached, as in an installed portlint.

    Without a bytecode cache (``PYTHONDONTWRITEBYTECODE``, a read-only
    checkout) every run would compile portlint's modules again, which no
    installed copy does; the cache goes to a scratch folder, not the tree.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "portlint-bench-pycache")
    return env


def timed(
    cmd: list[str], cwd: str, runs: int, before: list[str] | None = None
) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system, children included), in seconds.

    ``before`` runs untimed before each run. CPU time is reported beside wall
    time because this machine is shared: a busy neighbour stretches wall time
    but not the CPU a run needs, and parallel runs show their overhead there.
    """
    walls, cpus = [], []
    for _ in range(runs):
        if before:
            subprocess.run(before, cwd=cwd, check=False, capture_output=True, env=_env())
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), check=False
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
        if proc.returncode not in (0, 1):
            err = proc.stderr.decode(errors="replace")[-500:]
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err}")
    return statistics.median(walls), statistics.median(cpus)


def max_rss(cmd: list[str], cwd: str) -> int:
    """Peak resident memory of one run, in MiB (via /usr/bin/time when present)."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if not os.path.exists(gnu_time):
        return -1
    proc = subprocess.run(
        [gnu_time, "-f", "%M", *cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    try:
        return round(int(proc.stderr.strip().splitlines()[-1]) / 1024)
    except (ValueError, IndexError):
        return -1


def yaml_files(root: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".portlint_cache")]
        out += [
            os.path.relpath(os.path.join(dirpath, n), root)
            for n in filenames
            if n.endswith((".yaml", ".yml"))
        ]
    return sorted(out)


def prepare(files: int, base: str, collisions: str = "few") -> str:
    root = os.path.join(base, f"repo-{files}" + ("" if collisions == "few" else f"-{collisions}"))
    if not os.path.isdir(root):
        generate(root, files, collisions=collisions)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "x"],
            cwd=root,
            check=True,
        )
    return root


def portlint_supports(flag: str) -> bool:
    proc = subprocess.run(
        [sys.executable, "-m", "portlint", "check", "--help"],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    return flag in proc.stdout


def measure(root: str, runs: int, with_yamllint: bool) -> dict[str, tuple[float, float]]:
    """Every figure for one repository: name -> (median wall s, median CPU s)."""
    py = sys.executable
    lint = [py, "-m", "portlint", "check", "-q", "--no-color", "--exit-zero"]
    has_cache = portlint_supports("--no-cache")
    clean = [py, "-m", "portlint", "clean"] if has_cache else None
    r: dict[str, tuple[float, float]] = {}
    r["version"] = timed([py, "-m", "portlint", "--version"], root, runs * 3)
    r["import_yaml"] = timed([py, "-c", "import yaml"], root, runs * 3)
    cold = [*lint, *(["--no-cache"] if has_cache else []), "."]
    r["cold"] = timed(cold, root, runs)
    r["parse_floor"] = timed([py, "-c", PARSE_FLOOR, "."], root, runs)
    if has_cache:
        r["cold_fill"] = timed([*lint, "."], root, runs, before=clean)  # first run, cache empty
        timed([*lint, "."], root, 1)  # make sure it is filled
        r["warm"] = timed([*lint, "."], root, runs)
        files = yaml_files(root)
        changed = next((p for p in files if p.endswith("compose.yaml")), files[0])
        path = os.path.join(root, changed)
        with open(path, "rb") as fh:
            original = fh.read()
        # A new edit before every timed run: the same edit twice would let the
        # second run reuse the first one's result (engine.reuse), which is the
        # warm figure, not this one.
        touch = [py, "-c", f"import time; open({changed!r}, 'a').write(f'# {{time.time_ns()}}\\n')"]
        # A port edit changes the file's scan result: every project rule runs again.
        port = [
            py,
            "-c",
            "import re, time\n"
            f"p = {changed!r}\n"
            "t = open(p).read()\n"
            "n = 20000 + time.time_ns() // 1000 % 9000\n"
            "open(p, 'w').write(re.sub(r'- \"\\d+:', f'- \"{n}:', t, count=1))\n",
        ]
        try:
            r["one_changed"] = timed([*lint, changed], root, runs, before=touch)
            r["one_port"] = timed([*lint, changed], root, runs, before=port)
        finally:
            with open(path, "wb") as fh:
                fh.write(original)
    yamllint = os.path.join(os.path.dirname(sys.executable), "yamllint")
    yamllint = yamllint if os.path.exists(yamllint) else shutil.which("yamllint") or ""
    if with_yamllint and yamllint:
        # The same YAML files the parse floor reads, named explicitly (no discovery cost).
        listing = os.path.join(tempfile.gettempdir(), "portlint-bench-yaml-list")
        with open(listing, "w", encoding="utf-8") as fh:
            fh.write("\n".join(yaml_files(root)) + "\n")
        r["yamllint"] = timed(
            [
                "sh",
                "-c",
                f"xargs -a {listing} {yamllint} -d relaxed -f parsable >/dev/null; exit 0",
            ],
            root,
            max(1, runs // 2),
        )
    r["peak_mib"] = (max_rss(cold, root), 0.0)
    if has_cache:
        r["peak_warm_mib"] = (max_rss([*lint, "."], root), 0.0)
    r["yaml_files"] = (len(yaml_files(root)), 0.0)
    return r


def measure_large(root: str, base: str, runs: int) -> dict[str, tuple[float, float]]:
    """The size row: cold runs of ``root`` between cold runs of ``base``, and peak memory.

    The speed of this shared machine drifts by 20 % over the minutes a full
    benchmark takes, so the ratio is not taken against the ``base`` figure
    measured earlier: ``base`` is timed again before, between and after the
    large runs, and the row compares medians of these (warm figures are per
    size above).
    """
    py = sys.executable
    cold = [py, "-m", "portlint", "check", "-q", "--no-color", "--exit-zero", "--no-cache", "."]
    small: list[tuple[float, float]] = [timed(cold, base, 1)]
    large: list[tuple[float, float]] = []
    waited = [0.0, 0.0]  # the machine's steal and I/O wait during the large runs
    for _ in range(runs):
        before = machine_waits()
        large.append(timed(cold, root, 1))
        after = machine_waits()
        waited = [w + a - b for w, a, b in zip(waited, after, before, strict=True)]
        small.append(timed(cold, base, 1))

    def median(values: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)

    r = {"cold": median(large), "base_cold": median(small), "large": (float(runs), 0.0)}
    r["waited"] = (waited[0], waited[1])
    r["peak_mib"] = (max_rss(cold, root), 0.0)
    return r


def machine_waits() -> tuple[float, float]:
    """Seconds all CPUs spent stolen by the hypervisor and waiting for I/O (Linux), so
    far: wall time that is neither the process's CPU nor anything it could speed up."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = fh.readline().split()
        tick = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0, 0.0
    # cpu user nice system idle iowait irq softirq steal ...
    return int(fields[8]) / tick, int(fields[5]) / tick


def load_average() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as fh:
            return " ".join(fh.read().split()[:3])
    except OSError:
        return "n/a"


LOADS: list[str] = []


def write_region(path: str, name: str, text: str) -> None:
    """Put ``text`` between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path``.

    The prose around the measured table (what the figures mean, what is in
    the way of a target) is written by hand; only the region is replaced.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    try:
        with open(path, encoding="utf-8") as fh:
            doc = fh.read()
    except FileNotFoundError:
        doc = f"# portlint benchmarks\n\n{start}\n{end}\n"
    if start not in doc or end not in doc:
        doc = doc.rstrip("\n") + f"\n\n{start}\n{end}\n"
    head, rest = doc.split(start, 1)
    _old, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{head}{start}\n{text.rstrip()}\n{end}{tail}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            mem = f", {round(int(fh.readline().split()[1]) / 1024 / 1024)} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark portlint (see module docstring).")
    parser.add_argument("--files", default="1000,10000", help="comma-separated repo sizes")
    parser.add_argument("--repo", help="benchmark this directory instead of generated ones")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "portlint-bench"))
    parser.add_argument("--no-yamllint", action="store_true")
    parser.add_argument(
        "--dense",
        action="store_true",
        help="also measure the largest size with dense collisions (most claims collide)",
    )
    parser.add_argument(
        "--large",
        type=int,
        default=0,
        metavar="N",
        help="also generate N files (e.g. 100000) and measure a cold run and its peak memory "
        "against the largest --files size (slow: minutes)",
    )
    parser.add_argument("--write", metavar="MARKDOWN", help="also write the table here")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    targets = (
        [(args.repo, os.path.abspath(args.repo))]
        if args.repo
        else [(f"{int(n):,} files", prepare(int(n), args.workdir)) for n in args.files.split(",")]
    )
    if args.dense and not args.repo:
        largest = max(int(n) for n in args.files.split(","))
        targets.append((f"{largest:,} files, dense", prepare(largest, args.workdir, "dense")))
    results = {}
    LOADS.append(load_average())
    for label, root in targets:
        print(f"measuring {label} ...", file=sys.stderr)
        results[label] = measure(root, args.runs, not args.no_yamllint)
    if args.large and not args.repo:
        label = f"{args.large:,} files"
        print(f"measuring {label} (cold only) ...", file=sys.stderr)
        base = prepare(max(int(n) for n in args.files.split(",")), args.workdir)
        results[label] = measure_large(
            prepare(args.large, args.workdir), base, max(2, args.runs // 2)
        )
    LOADS.append(load_average())
    text = render(results, args)
    print(text)
    if args.write:
        write_region(args.write, "bench", text)


def render(results: dict[str, dict[str, tuple[float, float]]], args: argparse.Namespace) -> str:
    def ms(v: float | None) -> str:
        return "n/a" if v is None or v != v else f"{v * 1000:.0f} ms"

    def ratio(a: float | None, b: float | None) -> str:
        return "n/a" if not a or not b or a != a or b != b else f"{a / b:.2f}x"

    cmd = "python benchmarks/bench.py " + " ".join(
        a for a in sys.argv[1:] if not a.startswith("--write") and a != args.write
    )
    lines = [
        f"Machine: {machine()}. Measured {time.strftime('%Y-%m-%d %H:%M')} with",
        f"`{cmd.strip()}` (median of {args.runs} runs; start-up figures median of",
        f"{args.runs * 3}; yamllint median of {max(1, args.runs // 2)}). Ratios compare",
        "wall times measured in the same run; CPU is user + system time of the",
        "process and its children (the helpers of a parallel run included).",
        "",
        "| repo | figure | wall | CPU | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    # the largest default-shape size measured in full: what the --large row is compared with
    full = [x for x, r in results.items() if "dense" not in x and "large" not in r]
    base = full[-1] if full else None
    for label, r in results.items():
        wall = {k: v[0] for k, v in r.items()}
        cpu = {k: v[1] for k, v in r.items()}
        if "large" in r:
            n = int(wall["large"])
            lines.append(
                f"| {label} | cold of {base}, timed around it ({n + 1} runs) | "
                f"{ms(wall['base_cold'])} | {ms(cpu['base_cold'])} | |  |"
            )
            lines.append(
                f"| {label} | cold `portlint check --no-cache` ({n} runs) | {ms(wall['cold'])} | "
                f"{ms(cpu['cold'])} | {ratio(wall['cold'], wall['base_cold'])} of cold {base} "
                f"(CPU {ratio(cpu['cold'], cpu['base_cold'])}) | <= 11x |"
            )
            lines.append(
                f"| {label} | peak memory, cold | | | {int(wall['peak_mib'])} MiB | < 400 MiB |"
            )
            steal, iowait = r.get("waited", (0.0, 0.0))
            lines += [
                "",
                f"During the {n} large runs the hypervisor took {steal:.1f} s of CPU time "
                f"from this machine (steal) and its CPUs sat waiting for I/O for {iowait:.1f} s "
                "(`/proc/stat`, summed over all CPUs).",
                "",
            ]
            continue
        floor = wall["parse_floor"]
        table: list[tuple[str, str, str, str]] = [
            ("`python -c 'import yaml'`", "import_yaml", "", ""),
            (
                "`portlint --version`",
                "version",
                ratio(wall["version"], wall["import_yaml"]) + " of import yaml",
                "<= 1.0x",
            ),
            (
                "parse floor (C loader, node trees)",
                "parse_floor",
                f"{int(wall['yaml_files'])} YAML files",
                "",
            ),
            (
                "cold `portlint check --no-cache`",
                "cold",
                ratio(wall["cold"], floor) + " of the parse floor",
                "<= 1.2x",
            ),
            (
                "yamllint -d relaxed (same YAML files)",
                "yamllint",
                ratio(wall.get("yamllint"), wall["cold"]) + " of cold portlint",
                ">= 5x",
            ),
            (
                "first run, filling the cache",
                "cold_fill",
                ratio(wall.get("cold_fill"), wall["cold"]) + " of cold",
                "",
            ),
            (
                "warm (cache, nothing changed)",
                "warm",
                ratio(wall.get("warm"), wall["cold"]) + " of cold",
                "<= 0.10x",
            ),
            (
                "one changed file (pre-commit)",
                "one_changed",
                ratio(wall.get("one_changed"), wall["cold"]) + " of cold",
                "<= 0.15x",
            ),
            (
                "one changed port (pre-commit)",
                "one_port",
                ratio(wall.get("one_port"), wall["cold"]) + " of cold",
                "",
            ),
        ]
        for name, key, rel, target in table:
            if key in r:
                lines.append(
                    f"| {label} | {name} | {ms(wall[key])} | {ms(cpu[key])} | {rel} | {target} |"
                )
        peaks = [
            ("peak memory, cold", "peak_mib"),
            ("peak memory, warm", "peak_warm_mib"),
        ]
        for name, key in peaks:
            if key in r:
                lines.append(f"| {label} | {name} | | | {int(wall[key])} MiB | < 150 MiB |")
    lines += ["", f"Load (`uptime`) before and after: {' -> '.join(LOADS)}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
