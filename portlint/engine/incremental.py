"""Project rules again on the ports a change touched, and only there.

A pre-commit run that edits one port used to rerun every project rule over
every binding: a collision is cross-file, so any file may meet the edit. But
the collision rules (``Rule.by_port``: PL401-PL404, PL406, and the contested
count) only ever relate bindings that share a port number, directly or
through each other. Bindings fall into *components*: two bindings are in
one when their ports (host side ``port..end_port``, container side
``target..target_end``) overlap, or one took its number from the other
(``origin``); a binding's two sides join their components. A finding on a
port lies in one component and depends on nothing outside it, except facts
of the whole run that no port edit changes (which projects run together,
which copy of a workload is applied: ``evidence_digest``), and the free
ports a fix proposes.

So a run whose files changed re-checks only the components holding the
changed files' ports, old and new, and keeps the previous run's findings on
every other port. It falls back to checking everything when that argument
does not hold: a file added or removed (the folder placement and the path
order change), evidence changed, the ``run-together`` option set (it joins
by path whatever the ports), an old finding without a port, a rule that
offered as many fixes as it may, or too few free ports for the fixes to be
sure to find one. A finding that proposes a free port is always re-checked:
the edit may have taken or freed the port it proposed. Should a rule run on
the touched bindings report a port outside them, that rule is run again on
everything: the assumption failed, and the answer must not depend on it.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from portlint.bindings import PortBinding
from portlint.engine.reuse import ProjectRecord
from portlint.findings import Finding
from portlint.registry.free import DEFAULT_START, is_free, used_frozen
from portlint.rules.base import Rule, Settings
from portlint.rules.fixes import PortPicker

Span = tuple[int, int]
Contest = tuple[int, str]  # a contested port and its protocol


def spans_of(binding: PortBinding) -> list[Span]:
    """The port numbers a binding names: its host (or only) side and its container side."""
    out = []
    if binding.port is not None:
        end = binding.end_port if binding.end_port is not None else binding.port
        out.append((min(binding.port, end), max(binding.port, end)))
    if binding.target is not None:
        end = binding.target_end if binding.target_end is not None else binding.target
        out.append((min(binding.target, end), max(binding.target, end)))
    return out


def flat_spans(bindings: Iterable[PortBinding]) -> list[int]:
    """One file's spans, merged where they touch, flattened ``[lo, hi, lo, hi, ...]``."""
    spans = sorted({span for b in bindings for span in spans_of(b)})
    out: list[int] = []
    for lo, hi in spans:
        if out and lo <= out[-1] + 1:
            out[-1] = max(out[-1], hi)
        else:
            out += [lo, hi]
    return out


def evidence_digest(bindings: Sequence[PortBinding]) -> str:
    """The facts of the whole run that ``by_port`` rules read beside ports.

    Run groups (PL402) come from compose services' projects, files,
    ``together`` facts and env files; the applied copy of a workload (PL403)
    from pod namespaces and their files. None of them is a port: a port edit
    leaves this digest as it was.
    """
    facts: set[tuple[object, ...]] = set()
    for b in bindings:
        if b.service is not None and b.project is not None:
            facts.add(("s", b.project, b.service, b.location.path, b.together, b.env_files))
        space = b.namespace
        if space is not None and space.kind == "pod":
            facts.add(("p", space.kind, space.id, b.location.path))
    text = "\0".join(sorted(map(repr, facts)))  # each fact written once, hashed once
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass
class Touched:
    """The ports a change touched (closed over components) and what is kept elsewhere."""

    starts: list[int]  # disjoint port intervals, sorted
    ends: list[int]
    bindings: list[PortBinding]  # the bindings on those ports, in run order
    kept: dict[str, list[Finding]] = field(default_factory=dict)
    contested: list[Contest] = field(default_factory=list)

    def covers(self, port: int | None) -> bool:
        if port is None:
            return False
        i = bisect_right(self.starts, port) - 1
        return i >= 0 and port <= self.ends[i]


class _Union:
    __slots__ = ("parent",)

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def touch(
    bindings: Sequence[PortBinding],
    changed: Iterable[int],
    extra: Iterable[Span],
) -> Touched:
    """The ports of the components that hold an ``extra`` span, and their bindings.

    A component is a maximal run of overlapping spans, joined with another
    where a binding took its number from a binding there (``origin``) or
    two bindings sit at one location. A binding's host and container sides
    are not joined: a finding on one side never reads the other side's
    neighbours, only the binding itself, which is taken whenever either
    side is touched. ``extra``: every span of the changed files, old and
    new, and the ports of findings that proposed a fix; ``changed``: indexes
    of the changed files' bindings (one without a port of its own touches
    the binding it took its number from).
    """
    own = [spans_of(b) for b in bindings]
    extra = list(extra)
    seg_lo: list[int] = []
    seg_hi: list[int] = []
    for lo, hi in sorted({span for spans in own for span in spans}.union(extra)):
        if not seg_hi or lo > seg_hi[-1]:
            seg_lo.append(lo)
            seg_hi.append(hi)
        elif hi > seg_hi[-1]:
            seg_hi[-1] = hi

    def seg(port: int) -> int:
        return bisect_right(seg_lo, port) - 1

    union = _Union(len(seg_hi))
    at: dict[tuple[str, int, int], int] = {}
    for spans, b in zip(own, bindings, strict=True):
        if spans:
            here = seg(spans[0][0])
            where = (b.location.path, b.location.line, b.location.column)
            union.join(at.setdefault(where, here), here)
    for spans, b in zip(own, bindings, strict=True):
        if b.origin is not None:
            source = at.get((b.origin.path, b.origin.line, b.origin.column))
            if source is not None:
                for lo, _hi in spans:
                    union.join(seg(lo), source)
    dirty = {union.find(seg(lo)) for lo, _hi in extra}
    for i in changed:
        b = bindings[i]
        if not own[i] and b.origin is not None:
            source = at.get((b.origin.path, b.origin.line, b.origin.column))
            if source is not None:
                dirty.add(union.find(source))
    starts, ends = [], []
    for i in range(len(seg_hi)):
        if union.find(i) in dirty:
            starts.append(seg_lo[i])
            ends.append(seg_hi[i])
    touched = Touched(starts, ends, [])
    for spans, b in zip(own, bindings, strict=True):
        if spans:
            if any(touched.covers(lo) for lo, _hi in spans):
                touched.bindings.append(b)
        elif b.origin is not None:
            source = at.get((b.origin.path, b.origin.line, b.origin.column))
            if source is not None and union.find(source) in dirty:
                touched.bindings.append(b)
    return touched


def spans_length(spans: Iterable[Span]) -> int:
    return sum(hi - lo + 1 for lo, hi in spans)


def unflatten(flat: Sequence[int]) -> list[Span]:
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]


def kept(
    touched: Touched, old: Mapping[str, Sequence[Finding]], codes: Iterable[str]
) -> dict[str, list[Finding]]:
    """The previous run's findings of ``codes`` on ports the change did not touch."""
    return {code: [f for f in old.get(code, ()) if not touched.covers(f.port)] for code in codes}


def enough_free(bindings: Sequence[PortBinding], settings: Settings, need: int) -> bool:
    """Whether at least ``need`` ports are free for the fixes to propose.

    A fix search that finds no free port still counts against the rule's
    limit; with enough free ports none fails, in this run or the previous
    one (which differed by the changed ports only), so findings off the
    touched ports never asked.
    """
    used = settings.derive("used", bindings, used_frozen)  # the fix pickers' too
    found = 0
    for port in (*range(DEFAULT_START, 49152), *range(1024, DEFAULT_START)):
        if is_free(port, used, settings.allocations, settings.ephemeral_range):
            found += 1
            if found >= need:
                return True
    return False


def plan(
    previous: ProjectRecord,
    files: Sequence[tuple[str, str, list[int]]],
    slices: Sequence[tuple[int, int]],
    bindings: Sequence[PortBinding],
    evidence: str,
    rules: Sequence[Rule],
    settings: Settings,
    run_together: bool,
) -> Touched | None:
    """What to check again after the previous run, or None to check everything.

    ``files`` as ``ProjectRecord.files`` for this run; ``slices``: each
    file's bindings in ``bindings``; ``rules``: the selected rules.
    """
    if run_together or previous.evidence != evidence or len(previous.files) != len(files):
        return None
    changed: list[int] = []
    extra: list[Span] = []
    for (path, text, spans), (old_path, old_text, old_spans), (lo, hi) in zip(
        files, previous.files, slices, strict=True
    ):
        if path != old_path:
            return None  # a file added, removed or renamed: placement and path order move
        if text != old_text:
            changed.extend(range(lo, hi))
            extra += unflatten(old_spans)
            extra += unflatten(spans)
    if not extra and not changed:
        return None
    codes = [r.code for r in rules if r.scope == "project" and r.by_port and r.check is not None]
    for code in codes:
        old = previous.findings.get(code)
        if old is None:
            return None
        fixes = 0
        for finding in old:
            if finding.port is None:
                return None
            if finding.fix is not None:
                fixes += 1
                extra.append((finding.port, finding.port))
        if fixes >= PortPicker.LIMIT:
            return None
    if not enough_free(bindings, settings, PortPicker.LIMIT + 1 + spans_length(extra)):
        return None
    touched = touch(bindings, changed, extra)
    touched.kept = kept(touched, previous.findings, codes)
    touched.contested = [c for c in previous.contested if not touched.covers(c[0])]
    return touched
