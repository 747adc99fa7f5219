#!/usr/bin/env python3
"""Mutation testing of the reference server against the conformance suite.

Applies the operators of operators.py to Sources/SyncServer (one mutant at a time), builds the
mutated `sync-server`, runs every conformance vector against it with the reference profile,
and reports which mutants the suite caught. A mutant is caught when a vector fails or errors,
or, once every vector passed, when it does not shut down as WS-12 asks (shutdown.py); it
survives otherwise; a mutant that does not compile is not counted.

    python3 Tests/Mutation/mutate.py --list                    # every mutant, one per line
    python3 Tests/Mutation/mutate.py --sample 120 --seed 1     # build and run 120 of them
    python3 Tests/Mutation/mutate.py --mutant boundary-0123abcd

By default it works in a git worktree of HEAD at .build-mutation/ (its own build folder, made
once), so the checkout you work in is never touched; --in-place mutates this checkout's files
and reuses its .build (CI's smoke run), restoring each file and the built binary afterwards.
Results are kept in the JSON file given by --results (default .build-mutation/results.json)
and reused by later runs over the same code and vectors (commits that change only other files,
such as equivalent.json or documents, keep them), so a long run can be resumed.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from operators import OPERATORS, mutants_of  # noqa: E402
import shutdown  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCES = "Sources/SyncServer"
# Code the conformance suite is not meant to judge: the PostgreSQL store (a conformance run on
# SQLite never reaches it; its store suite and the PostgreSQL conformance run in `swift test`
# cover it) and the server's start-up configuration (flags, environment, TLS files: how an
# operator starts the server, not what it says on the wire; SyncServerTests cover it).
EXCLUDED = ("Sources/SyncServer/Storage/PostgreSQL/", "Sources/SyncServer/Configuration/")
SECRET = "mutation-secret-0123456789abcdef0123456789abcdef"
# Survivors judged equivalent (conformant either way, or no difference on the wire), each with
# its reason; matched by file, original line and mutated line, so they follow the code.
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.json"


def equivalence_key(mutant):
    return (mutant.path, mutant.original.strip(), mutant.replacement.strip())


def load_equivalent(path: Path = EQUIVALENT) -> dict:
    """The judged-equivalent mutants: (path, original, mutated) -> reason."""
    entries = json.loads(path.read_text()) if path.exists() else []
    return {(e["path"], e["original"], e["mutated"]): e["reason"] for e in entries}


def all_mutants(root: Path):
    mutants = []
    for path in sorted((root / SOURCES).rglob("*.swift")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(EXCLUDED):
            continue
        mutants.extend(mutants_of(relative, path.read_text()))
    return mutants


# What a verdict depends on: the server, the runner, the wire types, the vectors, the profile,
# the spec the runner checks against, the package that builds them, and the shutdown check.
JUDGED_PATHS = ("Sources", "Vectors", "Conformance/reference-server.yaml", "Spec", "Package.swift",
                "Tests/Mutation/shutdown.py")


def results_key(commit: str) -> str:
    """The identity of what `commit` judges: a digest of the trees of JUDGED_PATHS."""
    trees = [subprocess.run(["git", "rev-parse", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip() for path in JUDGED_PATHS]
    return "code-" + hashlib.sha256(" ".join(trees).encode()).hexdigest()[:16]


def tree(commit: str, path: str) -> str | None:
    """The git object `path` names at `commit` (None when it does not exist there)."""
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{commit}:{path}"], cwd=ROOT,
                           capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else None


def vector_paths(commit: str) -> dict:
    """Vector id -> the file that defines it at `commit`."""
    found = subprocess.run(["git", "grep", "-e", "^id: ", commit, "--", "Vectors/*.yaml"], cwd=ROOT,
                           capture_output=True, text=True).stdout
    paths = {}
    for line in found.splitlines():
        location, _, identifier = line.partition(":id: ")
        paths[identifier.strip()] = location.split(":", 1)[1]
    return paths


class Carried:
    """Verdicts of earlier runs that still hold for `commit`: a mutant that did not build, or
    whose server did not start, when the server's sources are the same; a mutant a vector
    caught, when the sources, the spec, the package, the profile and that vector's file are
    all the same (the vector, run alone or with others, meets the same mutated server).
    Survivors are never carried: a new vector may catch them."""

    SAME = ("Sources", "Spec", "Package.swift", "Conformance/reference-server.yaml")

    def __init__(self, stored: dict, commit: str, quick: bool):
        self.commit = commit
        self.vectors = vector_paths(commit)
        here = [tree(commit, path) for path in self.SAME]
        suffix = ":quick" if quick else ""
        self.earlier = []
        for code, old in stored.get("commits", {}).items():
            if code + suffix in stored and [tree(old, path) for path in self.SAME] == here:
                self.earlier.append((old, stored[code + suffix]))

    def verdict(self, mutant_id: str):
        for old, results in self.earlier:
            outcome = results.get(mutant_id)
            if outcome is None or outcome["status"] not in ("caught", "uncompilable"):
                continue
            detail = outcome.get("detail", "")
            if outcome["status"] == "uncompilable" or detail == "the server did not start":
                return outcome | {"carried": old}
            path = self.vectors.get(detail)
            if path and tree(old, path) == tree(self.commit, path):
                return outcome | {"carried": old}
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command, cwd, timeout, log):
    """Runs a command, its output appended to `log`; returns the exit status (None on timeout)."""
    with open(log, "ab") as out:
        try:
            return subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return None


class Workspace:
    """Where mutants are built: a worktree of HEAD, or this checkout (--in-place)."""

    def __init__(self, in_place: bool):
        self.in_place = in_place
        self.root = ROOT if in_place else ROOT / ".build-mutation" / "worktree"
        self.binary = self.root / ".build" / "debug" / "sync-server"
        self.logs = ROOT / ".build-mutation" / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.saved_binary = ROOT / ".build-mutation" / "sync-server.original"

    def prepare(self, commit: str):
        if not self.in_place:
            if not (self.root / ".git").exists():
                subprocess.run(["git", "worktree", "add", "--detach", str(self.root), commit], cwd=ROOT, check=True)
            subprocess.run(["git", "checkout", "--detach", "--force", commit], cwd=self.root, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"building sync-server and sync-conformance in {self.root} ...", flush=True)
        for product in ("sync-server", "sync-conformance"):
            if run(["swift", "build", "--product", product], self.root, 3600, self.logs / "prepare.log") != 0:
                sys.exit(f"the unmutated {product} does not build; see {self.logs / 'prepare.log'}")
        if self.in_place:
            shutil.copy2(self.binary, self.saved_binary)
        with tempfile.TemporaryDirectory(prefix="unmutated-") as workdir:
            servers = Servers(self.binary, Path(workdir), self.logs / "prepare.log")
            try:
                problem = shutdown.check(servers.processes[0], servers.urls[0], SECRET)
            finally:
                servers.stop()
        if problem:
            sys.exit(f"the unmutated server fails the shutdown check: {problem}")

    def finish(self):
        if self.in_place and self.saved_binary.exists():
            shutil.copy2(self.saved_binary, self.binary)


class Servers:
    """The mutated server with test control, and the same binary without it (TEST-1's node)."""

    def __init__(self, binary: Path, workdir: Path, log: Path):
        self.processes = []
        self.urls = []
        for index, control in enumerate((True, False)):
            data = workdir / f"server{index}"
            data.mkdir()
            port = free_port()
            arguments = [str(binary), "serve"] + (["--test-control"] if control else []) + [
                "--host", "127.0.0.1", "--port", str(port), "--db", str(data / "db.sqlite"), "--data-dir", str(data),
                "--jwt-secret", SECRET, "--storage-quota", "1073741824", "--idempotency-cache-entries", "64",
                "--log-level", "warning"]
            self.processes.append(subprocess.Popen(arguments, stdout=open(log, "ab"), stderr=subprocess.STDOUT))
            self.urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(self.urls, self.processes):
            port = int(url.rsplit(":", 1)[1])
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)

    @property
    def started(self) -> bool:
        return all(p.poll() is None for p in self.processes)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait()


def profile(quick: bool) -> str:
    """The reference profile; with `quick`, without the vectors that wait out heartbeat timers."""
    if not quick:
        return "Conformance/reference-server.yaml"
    text = (ROOT / "Conformance/reference-server.yaml").read_text().replace(", heartbeat-timing", "")
    path = ROOT / ".build-mutation" / "quick-profile.yaml"
    path.write_text(text)
    return str(path)


def conformance(workspace: Workspace, servers: Servers, profile_path: str, timeout: int, log: Path):
    """Runs the suite; stops at the first failing vector. Returns (caught, detail)."""
    command = [str(workspace.root / ".build" / "debug" / "sync-conformance"), "run", "--server", servers.urls[0],
               "--secret", SECRET, "--profile", profile_path, "--parallel", "4",
               "--node", f"no-test-control={servers.urls[1]}"]
    deadline = time.monotonic() + timeout
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=workspace.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            for raw in process.stdout:
                out.write(raw)
                line = raw.decode(errors="replace")
                if line.startswith(("FAIL ", "ERROR ", "UNEXPECTED-PASS ")):
                    return True, line.split()[1]
                if time.monotonic() > deadline:
                    return True, f"timeout after {timeout} s"
            status = process.wait()
            return (status != 0, "exit status %d" % status if status != 0 else "every vector passed")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def evaluate(mutant, workspace: Workspace, profile_path: str, timeout: int) -> dict:
    path = workspace.root / mutant.path
    original = path.read_text()
    lines = original.splitlines(keepends=True)
    if lines[mutant.line - 1] != mutant.original:
        return {"status": "stale", "detail": "the line changed since the mutant was listed"}
    log = workspace.logs / f"{mutant.id}.log"
    log.unlink(missing_ok=True)
    lines[mutant.line - 1] = mutant.replacement
    start = time.monotonic()
    try:
        path.write_text("".join(lines))
        built = run(["swift", "build", "--product", "sync-server"], workspace.root, 1800, log)
        if built != 0:
            return {"status": "uncompilable", "detail": "build failed" if built is not None else "build timed out"}
        with tempfile.TemporaryDirectory(prefix="mutant-") as workdir:
            servers = Servers(workspace.binary, Path(workdir), log)
            try:
                if not servers.started:
                    return {"status": "caught", "detail": "the server did not start", "seconds": round(time.monotonic() - start)}
                caught, detail = conformance(workspace, servers, profile_path, timeout, log)
                if not caught and (problem := shutdown.check(servers.processes[0], servers.urls[0], SECRET)):
                    caught, detail = True, problem
            finally:
                servers.stop()
        return {"status": "caught" if caught else "survived", "detail": detail, "seconds": round(time.monotonic() - start)}
    finally:
        path.write_text(original)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print every mutant and exit")
    parser.add_argument("--sample", type=int, help="run this many mutants, drawn at random (with --seed)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample (default 1)")
    parser.add_argument("--mutant", action="append", default=[], help="run this mutant id (repeatable)")
    parser.add_argument("--operator", action="append", default=[], choices=sorted(OPERATORS), help="only mutants of this operator")
    parser.add_argument("--in-place", action="store_true", help="mutate this checkout and reuse its .build (restored afterwards)")
    parser.add_argument("--results", default=str(ROOT / ".build-mutation" / "results.json"), help="results file, reused across runs")
    parser.add_argument("--timeout", type=int, default=900, help="seconds one conformance run may take (default 900)")
    parser.add_argument("--min-score", type=float,
                        help="exit 1 when the detection rate (percent) of mutants not judged equivalent is below this")
    parser.add_argument("--quick", action="store_true",
                        help="leave out the vectors that wait out heartbeat timers (minutes each); results are "
                             "stored apart from full runs")
    args = parser.parse_args()
    # Stopped with SIGTERM, still restore the mutated file (and, in place, the binary).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    mutants = all_mutants(ROOT)
    if args.operator:
        mutants = [m for m in mutants if m.operator in args.operator]
    if args.list:
        for m in mutants:
            print(f"{m.id}  {m.path}:{m.line}  {m.replacement.strip()}")
        print(f"{len(mutants)} mutants", file=sys.stderr)
        return 0
    if args.mutant:
        by_id = {m.id: m for m in mutants}
        unknown = [i for i in args.mutant if i not in by_id]
        if unknown:
            sys.exit(f"unknown mutant id(s): {', '.join(unknown)} (see --list)")
        chosen = [by_id[i] for i in args.mutant]
    elif args.sample:
        chosen = random.Random(args.seed).sample(mutants, min(args.sample, len(mutants)))
    else:
        sys.exit("give --sample N, --mutant ID or --list")

    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    results_path = Path(args.results)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    stored = json.loads(results_path.read_text()) if results_path.exists() else {}
    # Quick results (no heartbeat vectors) are kept apart from full ones; in-place runs keep none.
    code = results_key(commit)
    key = code + (":quick" if args.quick else "")
    keep = not args.in_place
    results = stored.get(key, {}) if keep else {}
    if keep and not args.quick:
        # A mutant a quick run of this code caught (or could not build) is caught by the whole
        # suite too: the vectors a quick run leaves out only add ways to fail.
        for mutant_id, outcome in stored.get(code + ":quick", {}).items():
            if mutant_id not in results and outcome["status"] in ("caught", "uncompilable"):
                results[mutant_id] = outcome | {"detail": f"{outcome.get('detail', '')} (quick run)"}
    if keep:
        stored.setdefault("commits", {})[code] = commit
        carried = Carried(stored, commit, args.quick)
        for mutant in chosen:
            if mutant.id not in results and (outcome := carried.verdict(mutant.id)):
                results[mutant.id] = outcome
        stored[key] = results
        results_path.write_text(json.dumps(stored, indent=1, sort_keys=True))
    workspace = Workspace(args.in_place)
    pending = [m for m in chosen if m.id not in results]
    if pending:
        workspace.prepare(commit)
    try:
        for index, mutant in enumerate(chosen, start=1):
            if mutant.id not in results:
                outcome = evaluate(mutant, workspace, profile(args.quick), args.timeout)
                outcome.update(path=mutant.path, line=mutant.line, operator=mutant.operator, diff=mutant.diff())
                results[mutant.id] = outcome
                if keep:
                    stored[key] = results
                    results_path.write_text(json.dumps(stored, indent=1, sort_keys=True))
            outcome = results[mutant.id]
            print(f"[{index}/{len(chosen)}] {outcome['status'].upper():12} {mutant.id}  {mutant.path}:{mutant.line}  "
                  f"{outcome.get('detail', '')}" + (f" (carried from {outcome['carried'][:7]})" if "carried" in outcome else ""),
                  flush=True)
    finally:
        workspace.finish()
    equivalent = load_equivalent()
    return report([results[m.id] | {"id": m.id, "equivalent": equivalent.get(equivalence_key(m))} for m in chosen],
                  args.min_score, args.quick)


def report(outcomes, min_score, quick=False):
    """Prints the counts, the rate over every compiled mutant and over those not judged
    equivalent (the score --min-score checks), and every survivor's diff."""
    counted = [o for o in outcomes if o["status"] in ("caught", "survived")]
    caught = [o for o in counted if o["status"] == "caught"]
    survivors = [o for o in counted if o["status"] == "survived"]
    judged = [o for o in survivors if o.get("equivalent")]
    uncompilable = sum(1 for o in outcomes if o["status"] == "uncompilable")
    score = 100.0 * len(caught) / len(counted) if counted else 0.0
    relevant = len(counted) - len(judged)
    relevant_score = 100.0 * len(caught) / relevant if relevant else 0.0
    print(f"\n{len(outcomes)} mutants: {len(caught)} caught, {len(survivors)} survived "
          f"({len(judged)} of them judged equivalent), {uncompilable} did not compile, "
          f"{len(outcomes) - len(counted) - uncompilable} stale")
    print(f"detection rate: {score:.1f}% of {len(counted)} compiled mutants; {relevant_score:.1f}% of the {relevant} "
          f"not judged equivalent" + (" (quick run: the heartbeat-timing vectors were left out)" if quick else ""))
    for o in caught:
        if o.get("equivalent"):
            print(f"\nNOTE {o['id']} is judged equivalent in {EQUIVALENT.name} but was caught ({o.get('detail')}): "
                  f"the judgment is wrong, or the vector is flaky")
    for o in judged:
        print(f"\nEQUIVALENT {o['id']} ({o['operator']}): {o['equivalent']}\n{o['diff']}", end="")
    for o in survivors:
        if not o.get("equivalent"):
            print(f"\nSURVIVED {o['id']} ({o['operator']})\n{o['diff']}", end="")
    if min_score is not None and relevant_score < min_score:
        print(f"\ndetection rate {relevant_score:.1f}% is below --min-score {min_score}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
