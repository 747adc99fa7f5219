#!/usr/bin/env python3
"""Fuzz a running MobileSync server with schemathesis over its OpenAPI document.

Pinned: schemathesis==4.32.5 (hypothesis 6.170.27 came with it). Run it with the Python of
the virtualenv that has schemathesis installed; `st` is looked up next to that Python.

    run_schemathesis.py --base-url http://127.0.0.1:18090 \
        --openapi docs/spec/openapi.json --secret "$SYNC_JWT_SECRET" \
        --budget 100 --report out/fuzz-report.md

Authentication, one of:
  --secret S                         mint one HS256 token with a device *and* the operator
                                     role, for a fresh tenant of its own (default prefix
                                     "fuzz"), so every run starts from an empty tenant even
                                     on a reused database: this is what makes runs
                                     repeatable. Recommended.
  --token T                          one token that has device_id and roles [operator].
  --device-token D --operator-token O
                                     two tokens: operator operations (AUTH-6: policy writes,
                                     reviews, audit, device health, analytics) get O,
                                     every other operation D. Results then depend on the
                                     tenant's previous state; use a fresh server database.

What runs: every operation of the document, phases examples, coverage, fuzzing and
stateful, every schemathesis check (`--checks all`), `--max-examples BUDGET`, Hypothesis
derandomized (`--generation-deterministic`; schemathesis then ignores --seed, which is
still passed and recorded), `--continue-on-failure`, one worker by default (more workers
interleave operations against shared tenant state, which makes results order-dependent).
A request that gets no answer within --request-timeout seconds is an error (a hang).

Failures that match known-artefacts.json (operation + check + the entry's conditions) are
dropped by the filter_failure hook in st_hooks.py and listed in the report with their
reason; any other failure, any schemathesis error, and a server that does not answer
/health afterwards make the exit status 1. Exit status 2: the run could not be made
(server unreachable, bad arguments, schemathesis produced no report).

Outputs: the Markdown report at --report, a JSON summary next to it (<report>.json) and
the raw schemathesis reports (JSON, NDJSON, JUnit, console log; tokens redacted) in
<report stem>-raw/.
"""

from __future__ import annotations

import argparse
import base64
import collections
import glob
import hashlib
import hmac
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PINNED_SCHEMATHESIS = "4.32.5"

# AUTH-6: operations that require `operator` in roles (getDeviceHealth only for another
# device than the token's own; generated device ids are almost never the token's, so it
# goes with the operator token). Used only in the two-token mode.
OPERATOR_OPERATIONS = [
    "setDefaultPolicy",
    "setCollectionPolicy",
    "deleteCollectionPolicy",
    "listReviews",
    "getReview",
    "resolveReview",
    "listAuditLog",
    "listDeviceHealth",
    "getTenantAnalytics",
    "getDeviceHealth",
]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(secret: str, tenant: str, user: str, device: str | None, roles: list[str], ttl: int) -> str:
    """HS256 JWT as AUTH-1..8 describe: the key is the secret's UTF-8 bytes as written."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"tenant_id": tenant, "sub": user, "roles": roles, "iat": now, "exp": now + ttl}
    if device:
        claims["device_id"] = device
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + b64url(
        json.dumps(claims, separators=(",", ":")).encode()
    )
    sig = hmac.new(secret.encode("utf-8"), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(sig)


def http_get(url: str, token: str | None = None, timeout: float = 5.0):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_for_health(base: str, seconds: float) -> tuple[bool, str]:
    deadline = time.time() + seconds
    last = ""
    while True:
        try:
            status, body = http_get(base + "/health")
            last = f"{status} {body[:200]!r}"
            if status == 200 and json.loads(body).get("status") == "ok":
                return True, last
        except Exception as exc:  # connection refused, timeout, bad JSON
            last = repr(exc)
        if time.time() >= deadline:
            return False, last
        time.sleep(0.5)


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string for these values


def shell_quote_body(text: str) -> str:
    return "$'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'"


def curl_for(request: dict, tokens: dict[str, str], raw_dir: str, tag: str) -> str:
    """A curl command reproducing a recorded request; tokens become shell variables."""
    parts = ["curl", "-sS", "-i", "-X", request["method"]]
    body_b64 = (request.get("body") or {}).get("$base64") if isinstance(request.get("body"), dict) else None
    for name, values in (request.get("headers") or {}).items():
        if name.lower() in ("content-length", "user-agent", "accept", "accept-encoding", "connection",
                            "x-schemathesis-testcaseid"):
            continue
        for value in values:
            hv = f"{name}: {value}"
            for tok, vname in tokens.items():
                if tok:
                    hv = hv.replace(tok, "$" + vname)
            placeholders = [v for v in tokens.values() if "$" + v in hv]
            if placeholders:
                # Double quotes so the shell expands $TOKEN; everything else stays literal.
                quoted = hv.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
                for v in placeholders:
                    quoted = quoted.replace("\\$" + v, "$" + v)
                parts += ["-H", '"' + quoted + '"']
            else:
                parts += ["-H", shlex.quote(hv)]
    if body_b64:
        raw = base64.b64decode(body_b64)
        try:
            text = raw.decode("utf-8")
            printable = all(ch.isprintable() or ch in "\n\r\t" for ch in text)
        except UnicodeDecodeError:
            printable = False
        if printable and len(text) <= 4000:
            parts += ["--data-binary", shlex.quote(text)]
        elif not printable and len(raw) <= 4000:
            try:
                parts += ["--data-binary", shell_quote_body(raw.decode("utf-8"))]
            except UnicodeDecodeError:
                path = os.path.join(raw_dir, f"body-{tag}.bin")
                with open(path, "wb") as fh:
                    fh.write(raw)
                parts += ["--data-binary", "@" + path]
        else:
            path = os.path.join(raw_dir, f"body-{tag}.bin")
            with open(path, "wb") as fh:
                fh.write(raw)
            parts += ["--data-binary", "@" + path]
    parts.append(shlex.quote(request["uri"]))
    return " ".join(parts)


def redact_file(path: str, tokens: dict[str, str]) -> None:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        return
    for tok, name in tokens.items():
        if tok:
            text = text.replace(tok, "$" + name)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write(text)


def decode_body(obj) -> bytes:
    if isinstance(obj, dict) and "$base64" in obj:
        return base64.b64decode(obj["$base64"])
    return b""


def analyse_ndjson(path: str):
    """Kept failures (one record per failing check of a case), request counts."""
    failures = []
    statuses = collections.Counter()
    per_operation = collections.Counter()
    interactions = 0
    non_fatal = []
    check_stats = collections.Counter()
    for line in open(path, encoding="utf-8"):
        event = json.loads(line)
        kind, data = next(iter(event.items()))
        if kind == "NonFatalError":
            non_fatal.append(data)
            continue
        if kind != "ScenarioFinished":
            continue
        rec = data["recorder"]
        for cid, inter in rec.get("interactions", {}).items():
            interactions += 1
            case = rec["cases"].get(cid, {}).get("value", {})
            resp = inter.get("response")
            statuses[resp["status_code"] if resp else "no response"] += 1
            per_operation[f'{case.get("method", "?")} {case.get("path", "?")}'] += 1
        for cid, checks in rec.get("checks", {}).items():
            for check in checks:
                check_stats[(check["name"], check["status"])] += 1
                if check["status"] != "failure":
                    continue
                info = check["failure_info"]["failure"]
                case = rec["cases"].get(cid, {}).get("value", {})
                inter = rec.get("interactions", {}).get(cid) or {}
                resp = inter.get("response") or {}
                body = decode_body(resp.get("content"))
                try:
                    problem = json.loads(body) if body else {}
                    problem = problem if isinstance(problem, dict) else {}
                except ValueError:
                    problem = {}
                failures.append({
                    "case_id": cid,
                    "phase": data.get("phase"),
                    "operation": info.get("operation") or f'{case.get("method")} {case.get("path")}',
                    "check": check["name"],
                    "code": info.get("code"),
                    "title": info.get("title"),
                    "message": info.get("message"),
                    "status": resp.get("status_code"),
                    "problem_code": problem.get("code"),
                    "detail": problem.get("detail"),
                    "response_body": body[:1500].decode("utf-8", "replace"),
                    "request": inter.get("request") or {},
                })
    return failures, statuses, per_operation, interactions, non_fatal, check_stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", required=True, help="server base URL, e.g. http://127.0.0.1:18090")
    ap.add_argument("--openapi", required=True, help="path of openapi.json")
    ap.add_argument("--report", required=True, help="Markdown report to write (a .json summary goes next to it)")
    ap.add_argument("--budget", type=int, default=100, help="--max-examples per operation (default 100)")
    ap.add_argument("--seed", type=int, default=20261206, help="recorded and passed as --seed (default 20261206)")
    auth = ap.add_argument_group("authentication (one of)")
    auth.add_argument("--secret", help="HS256 secret of the server: mint a device+operator token for a fresh tenant")
    auth.add_argument("--tenant-prefix", default="fuzz", help="with --secret: tenant is <prefix>-<utc time> (default fuzz)")
    auth.add_argument("--token", help="one token with device_id and the operator role")
    auth.add_argument("--device-token", help="token with device_id")
    auth.add_argument("--operator-token", help="token with roles [operator]")
    ap.add_argument("--known-artefacts", default=os.path.join(HERE, "known-artefacts.json"))
    ap.add_argument("--workers", default="1", help="schemathesis workers (default 1, for repeatable results)")
    ap.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    ap.add_argument("--request-timeout", type=float, default=30.0, help="seconds; no answer by then is a hang (error)")
    ap.add_argument("--server-pid", type=int, help="pid of the server process, to report its RSS")
    ap.add_argument("--keep-uploads", type=int, default=8,
                    help="upload sessions the run keeps open; older ones are cancelled (default 8, -1: never cancel)")
    ap.add_argument("--keep-content-length", action="store_true",
                    help="send generated Content-Length headers as they are (lets requests hang, see st_hooks.py)")
    ap.add_argument("--server-log", help="server log file: error/critical lines and 5xx written during the run are reported")
    ap.add_argument("--st", default=os.path.join(os.path.dirname(sys.executable), "st"), help="schemathesis CLI")
    ap.add_argument("--wait", type=float, default=30.0, help="seconds to wait for /health before starting")
    args = ap.parse_args()

    base = args.base_url.rstrip("/")
    tokens: dict[str, str] = {}  # token -> shell variable name used in repros
    if args.secret:
        tenant = f"{args.tenant_prefix}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}"
        combined = mint_token(args.secret, tenant, "fuzz-user", "fuzz-device", ["operator"], 4 * 3600)
        tokens[combined] = "TOKEN"
        auth_mode = f"minted device+operator token, fresh tenant {tenant}"
    elif args.token:
        combined = args.token
        tokens[combined] = "TOKEN"
        auth_mode = "given device+operator token"
    elif args.device_token and args.operator_token:
        combined = None
        tokens[args.device_token] = "DEVICE_TOKEN"
        tokens[args.operator_token] = "OPERATOR_TOKEN"
        auth_mode = "two tokens: operator token for AUTH-6 operator operations, device token for the rest"
    else:
        ap.error("give --secret, --token, or both --device-token and --operator-token")
        return 2

    try:
        version = subprocess.run([args.st, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except Exception as exc:
        print(f"cannot run {args.st}: {exc}", file=sys.stderr)
        return 2
    if PINNED_SCHEMATHESIS not in version:
        print(f"warning: expected schemathesis {PINNED_SCHEMATHESIS}, got {version!r}", file=sys.stderr)

    ok, last = wait_for_health(base, args.wait)
    if not ok:
        print(f"server not healthy at {base}/health: {last}", file=sys.stderr)
        return 2

    report_path = os.path.abspath(args.report)
    stem = os.path.splitext(report_path)[0]
    raw_dir = stem + "-raw"
    shutil.rmtree(raw_dir, ignore_errors=True)
    os.makedirs(raw_dir)
    allow_log = os.path.join(raw_dir, "allowed-artefacts.jsonl")

    work = tempfile.mkdtemp(prefix="msfuzz-")
    config_path = os.path.join(work, "schemathesis.toml")
    lines = [f"hooks = {toml_str(os.path.join(HERE, 'st_hooks.py'))}", ""]
    if combined:
        lines += ["[headers]", f"Authorization = {toml_str('Bearer ' + combined)}", ""]
    else:
        lines += [
            "[[operations]]",
            "include-operation-id = [" + ", ".join(toml_str(o) for o in OPERATOR_OPERATIONS) + "]",
            "[operations.headers]",
            f"Authorization = {toml_str('Bearer ' + args.operator_token)}",
            "",
            "[[operations]]",
            "exclude-operation-id = [" + ", ".join(toml_str(o) for o in OPERATOR_OPERATIONS) + "]",
            "[operations.headers]",
            f"Authorization = {toml_str('Bearer ' + args.device_token)}",
            "",
        ]
    with open(config_path, "w") as fh:
        fh.write("\n".join(lines))

    cmd = [
        args.st, "--config-file", config_path, "run", os.path.abspath(args.openapi),
        "--url", base,
        "--checks", "all",
        "--phases", args.phases,
        "--max-examples", str(args.budget),
        "--seed", str(args.seed),
        "--generation-deterministic",
        "--continue-on-failure",
        "--workers", str(args.workers),
        "--request-timeout", str(args.request_timeout),
        "--report", "json,ndjson,junit",
        "--report-dir", raw_dir,
        "--report-json-path", os.path.join(raw_dir, "schemathesis.json"),
        "--report-ndjson-path", os.path.join(raw_dir, "schemathesis.ndjson"),
        "--report-junit-path", os.path.join(raw_dir, "junit.xml"),
        "--output-sanitize", "false",  # keep Idempotency-Key etc. for exact repros; tokens redacted below
        "--output-truncate", "false",
        "--no-color",
    ]
    env = dict(os.environ)
    env["MSFUZZ_ARTEFACTS"] = os.path.abspath(args.known_artefacts)
    env["MSFUZZ_ALLOW_LOG"] = allow_log
    env["MSFUZZ_KEEP_UPLOADS"] = str(args.keep_uploads)
    env["MSFUZZ_KEEP_CONTENT_LENGTH"] = "1" if args.keep_content_length else "0"
    env.pop("SCHEMATHESIS_HOOKS", None)
    display_cmd = " ".join(shlex.quote(c) for c in cmd).replace(config_path, "<generated schemathesis.toml>")
    print("running:", display_cmd, flush=True)

    rss_before = rss_kib(args.server_pid) if args.server_pid else None
    log_offset = os.path.getsize(args.server_log) if args.server_log and os.path.exists(args.server_log) else 0
    started = time.time()
    log_path = os.path.join(raw_dir, "console.log")
    with open(log_path, "w") as log:
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    wall = time.time() - started
    shutil.rmtree(work, ignore_errors=True)

    healthy, health_detail = wait_for_health(base, 10)
    server_log_lines = []
    if args.server_log and os.path.exists(args.server_log):
        with open(args.server_log, "rb") as fh:
            fh.seek(log_offset)
            for raw in fh.read().decode("utf-8", "replace").splitlines():
                if " error " in raw or " critical " in raw or " status=5" in raw:
                    server_log_lines.append(raw)
    rss_after = rss_kib(args.server_pid) if args.server_pid else None
    alive = None
    if args.server_pid:
        alive = os.path.exists(f"/proc/{args.server_pid}")

    for path in glob.glob(os.path.join(raw_dir, "*")):
        if not path.endswith(".bin"):
            redact_file(path, tokens)

    json_report_path = os.path.join(raw_dir, "schemathesis.json")
    ndjson_path = os.path.join(raw_dir, "schemathesis.ndjson")
    if not (os.path.exists(json_report_path) and os.path.exists(ndjson_path)):
        print(f"schemathesis produced no report (exit {proc.returncode}); see {log_path}", file=sys.stderr)
        return 2
    st_report = json.load(open(json_report_path))
    failures, statuses, per_operation, interactions, non_fatal, check_stats = analyse_ndjson(ndjson_path)

    allowed = []
    if os.path.exists(allow_log):
        allowed = [json.loads(line) for line in open(allow_log, encoding="utf-8")]
    artefacts = json.load(open(args.known_artefacts))["artefacts"]
    allowed_by_id = collections.defaultdict(list)
    for rec in allowed:
        allowed_by_id[rec["artefact"]].append(rec)

    groups = collections.OrderedDict()
    for f in failures:
        key = (f["operation"], f["check"], f["status"], f["problem_code"], (f["message"] or "").split("\n")[0])
        groups.setdefault(key, []).append(f)
    errors = st_report.get("errors") or []

    # schemathesis exits 0 when every failure was dropped as a known artefact; any other exit
    # status without a failure group here means something else went wrong (see console.log).
    bad = (bool(groups) or bool(errors) or bool(non_fatal) or not healthy or alive is False
           or proc.returncode != 0)
    summary = {
        "schemathesis_version": st_report.get("schemathesis_version"),
        "command": display_cmd,
        "auth": auth_mode,
        "budget": args.budget,
        "seed": args.seed,
        "workers": args.workers,
        "wall_seconds": round(wall, 1),
        "schemathesis_running_time": round(st_report.get("running_time") or 0, 1),
        "schemathesis_exit_code": proc.returncode,
        "operations": st_report.get("operations"),
        "test_cases": st_report.get("test_cases"),
        "recorded_requests": interactions,
        "status_codes": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
        "phases": st_report.get("phases"),
        "warnings": {k: v for k, v in (st_report.get("warnings") or {}).items() if v},
        "failure_groups": [
            {"operation": k[0], "check": k[1], "status": k[2], "problem_code": k[3], "message": k[4], "count": len(v)}
            for k, v in groups.items()
        ],
        "errors": errors,
        "non_fatal_errors": non_fatal,
        "allowed_artefacts": {a["id"]: len(allowed_by_id.get(a["id"], [])) for a in artefacts},
        "checks": {f"{name} {status}": n for (name, status), n in sorted(check_stats.items())},
        "server_healthy_after": healthy,
        "server_health_detail": health_detail,
        "server_pid_alive": alive,
        "server_rss_kib_before": rss_before,
        "server_rss_kib_after": rss_after,
        "server_log_problems": server_log_lines[:200],
        "result": "FAIL" if bad else "PASS",
    }
    with open(stem + ".json", "w") as fh:
        json.dump(summary, fh, indent=2, default=str)

    md = []
    md.append(f"# MobileSync schemathesis run: {summary['result']}\n")
    md.append(f"- schemathesis {summary['schemathesis_version']} ({version})")
    md.append(f"- command: `{display_cmd}`")
    md.append(f"- auth: {auth_mode}")
    md.append(f"- budget (--max-examples): {args.budget}, seed {args.seed} (derandomized), workers {args.workers}")
    md.append(f"- wall time: {wall:.1f} s (schemathesis: {summary['schemathesis_running_time']} s), exit code {proc.returncode}")
    ops = st_report.get("operations") or {}
    tc = st_report.get("test_cases") or {}
    md.append(f"- operations: {ops.get('tested')}/{ops.get('total')} tested, {ops.get('errored')} errored, {ops.get('skipped')} skipped")
    md.append(f"- test cases generated: {tc.get('generated')}; recorded requests: {interactions}; status codes: "
              + ", ".join(f"{k}: {v}" for k, v in summary["status_codes"].items()))
    phases = st_report.get("phases") or {}
    md.append("- phases: " + ", ".join(f"{k} {v.get('status')}" for k, v in phases.items()))
    md.append(f"- server after the run: /health {'OK' if healthy else 'NOT OK'} ({health_detail})"
              + (f"; pid {args.server_pid} alive={alive}, RSS {rss_before} KiB before, {rss_after} KiB after" if args.server_pid else ""))
    if args.server_log:
        grouped = collections.Counter(line.split(" ", 1)[1] if " " in line else line for line in server_log_lines)
        md.append(f"- server log during the run: {len(server_log_lines)} error/critical/5xx line(s)"
                  + ("".join(f"\n  - {n} x `{text[:300]}`" for text, n in grouped.most_common(10))))
    if summary["warnings"]:
        md.append("- schemathesis warnings: " + "; ".join(f"{k}: {len(v)}" for k, v in summary["warnings"].items()))
    per_check = collections.defaultdict(dict)
    for (name, status), n in check_stats.items():
        per_check[name][status] = n
    md.append("- check results (a check whose only failures were allowed artefacts counts as success): "
              + "; ".join(f"{name} " + "/".join(f"{st} {n}" for st, n in sorted(v.items()))
                          for name, v in sorted(per_check.items())))
    md.append("")
    md.append(f"## Failures not in known-artefacts ({len(groups)} groups, {len(failures)} failing checks)\n")
    if not groups:
        md.append("None.\n")
    for i, (key, items) in enumerate(groups.items(), 1):
        example = min(items, key=lambda f: len(json.dumps(f["request"])))
        md.append(f"### {i}. {key[0]}: {key[1]} ({items[0]['code']} {items[0]['title']}), status {key[2]}, "
                  f"problem code {key[3]}, {len(items)} case(s)\n")
        md.append("```")
        md.append((example["message"] or "").strip())
        md.append("```")
        md.append("Response: `" + example["response_body"][:600].replace("`", "'") + "`\n")
        md.append("Reproduce (set TOKEN/DEVICE_TOKEN/OPERATOR_TOKEN first):\n")
        md.append("```sh\n" + curl_for(example["request"], tokens, raw_dir, f"{i}") + "\n```\n")
    if errors or non_fatal:
        md.append("## Errors (network errors, timeouts, schemathesis errors)\n")
        for e in errors + non_fatal:
            md.append("```\n" + json.dumps(e, indent=1, default=str)[:3000] + "\n```")
    md.append("\n## Allowed artefacts (known-artefacts.json)\n")
    md.append("| id | operations / check | hits | reason |\n|---|---|---|---|")
    for a in artefacts:
        hits = len(allowed_by_id.get(a["id"], []))
        md.append(f"| {a['id']} | {', '.join(a['operations'])} / `{a['check']}` | {hits} | {a['reason']} |")
    unused = [a["id"] for a in artefacts if not allowed_by_id.get(a["id"])]
    if unused:
        md.append(f"\nEntries that matched nothing in this run (fine at small budgets; prune if they never match): {', '.join(unused)}")
    md.append("\nExample of each allowed artefact that occurred:\n")
    for a in artefacts:
        recs = allowed_by_id.get(a["id"])
        if not recs:
            continue
        r = min(recs, key=lambda x: len(json.dumps(x["request"])))
        body = r["request"].get("body") or ""
        md.append(f"- **{a['id']}** ({len(recs)}): `{r['request']['method']} {r['request']['url']}`"
                  + (f" body `{body[:200]}`" if body else "")
                  + f" -> {r['status']} {r.get('problem_code') or ''} {('(' + r['detail'] + ')') if r.get('detail') else ''}")
    with open(report_path, "w") as fh:
        fh.write("\n".join(md) + "\n")

    print(f"{summary['result']}: {len(groups)} failure group(s), {len(errors) + len(non_fatal)} error(s), "
          f"{len(allowed)} allowed artefact hit(s); server healthy after run: {healthy}; "
          f"wall {wall:.1f} s; report {report_path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
