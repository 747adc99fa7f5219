"""Schemathesis hooks for the MobileSync fuzz run (loaded by run_schemathesis.py).

Pinned to schemathesis 4.32.5 (the hook signatures and `run_checks` internals used
below are that version's).

Hooks:

* ``filter_failure``: a failure that matches an entry of known-artefacts.json exactly
  (operation + check, and the entry's extra conditions: status, problem code, detail
  regex, failure-message regex, JSON null member) is dropped from the run and written to
  an allow log (JSON lines) instead, so the run report can still list it with its reason.
  Everything else is kept and fails the run. Dropping (rather than ignoring afterwards)
  also means an allowed artefact never ends a scenario early and so cannot hide a real
  failure later in the same operation.

* ``before_load_schema``: removes ``Content-Length`` header parameters (see the hook).

* ``map_case``: gives most positive uploadChunk cases the body's true Content-Digest.

* ``after_call``: keeps at most 8 of the upload sessions the run opens and cancels
  older ones with ``DELETE /v1/uploads/{upload_id}`` and the same token. Without it the
  device's cap of open uploads (``max_uploads_per_device``, 16) is reached after a few
  cases and the rest of ``initUpload`` only sees 429.

Configuration comes from environment variables set by run_schemathesis.py:
  MSFUZZ_ARTEFACTS  path of known-artefacts.json
  MSFUZZ_ALLOW_LOG  path of the JSON-lines allow log to append to
  MSFUZZ_KEEP_UPLOADS  upload sessions to keep open (default 8; -1: never cancel)
  MSFUZZ_KEEP_CONTENT_LENGTH  "1": send generated Content-Length headers as they are
"""

from __future__ import annotations

import base64
import collections
import hashlib
import inspect
import json
import os
import re
import threading
import time

import schemathesis

_LOCK = threading.Lock()
_ARTEFACTS: list[dict] | None = None


def _artefacts() -> list[dict]:
    global _ARTEFACTS
    if _ARTEFACTS is None:
        path = os.environ.get("MSFUZZ_ARTEFACTS")
        entries = []
        if path:
            with open(path, encoding="utf-8") as fh:
                entries = json.load(fh)["artefacts"]
        for entry in entries:
            for key in ("detail_regex", "message_regex"):
                if entry.get(key):
                    entry["_" + key] = re.compile(entry[key], re.S)
        _ARTEFACTS = entries
    return _ARTEFACTS


def _check_name(failure) -> str | None:
    """The name of the check that raised `failure`.

    `filter_failure` is not given the check's name; schemathesis' `run_checks` holds it in
    its local `name` while it calls the hook, so read it from there. Fall back to the
    failure class's own list of checks when it names exactly one.
    """
    frame = inspect.currentframe()
    try:
        while frame is not None:
            if frame.f_code.co_name == "run_checks" and "name" in frame.f_locals:
                return frame.f_locals["name"]
            frame = frame.f_back
    finally:
        del frame
    checks = getattr(type(failure), "checks", ())
    return checks[0] if len(checks) == 1 else None


def _problem(response) -> dict:
    try:
        ctype = (response.headers.get("content-type") or [""])
        ctype = ctype[0] if isinstance(ctype, list) else ctype
        if "json" not in ctype:
            return {}
        data = json.loads(response.content or b"")
        return data if isinstance(data, dict) else {}
    except Exception:
        return {}


def _null_member(failure, case) -> str | None:
    """For a negative_data_rejection failure whose invalid component is a body member of
    the wrong type: the member's name when the generated value is JSON null, else None."""
    # Two phrasings: coverage phase "in body - NAME: Incorrect type", fuzzing phase
    # "in body - violates `type` at /properties/NAME".
    message = failure.message or ""
    m = re.search(r"Invalid component: in body - ([A-Za-z0-9_]+): Incorrect type", message) or re.search(
        r"Invalid component: in body - violates `type` at /properties/([A-Za-z0-9_]+)(?:\s|$)", message
    )
    if not m:
        return None
    name = m.group(1)
    body = case.body
    if isinstance(body, dict) and name in body and body[name] is None:
        return name
    return None


def _matches(entry: dict, label: str, check: str | None, failure, case, response, problem: dict) -> bool:
    ops = entry["operations"]
    if label not in ops:
        return False
    if entry["check"] != check:
        return False
    if "status" in entry and response.status_code not in entry["status"]:
        return False
    if "problem_code" in entry and problem.get("code") not in entry["problem_code"]:
        return False
    if "_detail_regex" in entry and not entry["_detail_regex"].search(str(problem.get("detail", ""))):
        return False
    if "_message_regex" in entry and not entry["_message_regex"].search(failure.message or ""):
        return False
    if entry.get("require_query_params"):
        query = case.query or {}
        if not all(name in query for name in entry["require_query_params"]):
            return False
    if entry.get("forbid_query_params"):
        query = case.query or {}
        if any(name in query for name in entry["forbid_query_params"]):
            return False
    if entry.get("only_null_body_member"):
        member = _null_member(failure, case)
        if member is None or member not in entry["only_null_body_member"]:
            return False
    return True


def _request_record(case, response) -> dict:
    req = response.request
    body = req.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    headers = {k: v for k, v in req.headers.items() if k.lower() != "authorization"}
    return {
        "method": req.method,
        "url": req.url,
        "headers": headers,
        "body": (body[:2000] if isinstance(body, str) else None),
    }


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    label = case.operation.label
    check = _check_name(failure)
    problem = _problem(response)
    for entry in _artefacts():
        if _matches(entry, label, check, failure, case, response, problem):
            log = os.environ.get("MSFUZZ_ALLOW_LOG")
            if log:
                record = {
                    "artefact": entry["id"],
                    "operation": label,
                    "check": check,
                    "code": failure.code,
                    "status": response.status_code,
                    "problem_code": problem.get("code"),
                    "detail": problem.get("detail"),
                    "message": failure.message,
                    "phase": getattr(getattr(case.meta, "phase", None), "name", None) if case.meta else None,
                    "request": _request_record(case, response),
                    "time": time.time(),
                }
                with _LOCK, open(log, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, default=str) + "\n")
            return False
    return True


_OPEN_UPLOADS: "collections.deque[tuple[str, str | None, str]]" = collections.deque()


@schemathesis.hook
def before_load_schema(context, raw_schema) -> None:
    """Let the HTTP client frame the body: drop `Content-Length` header parameters.

    uploadChunk declares `Content-Length` as a header parameter, so schemathesis would
    generate values for it that do not match the body it sends. A value the server
    accepts (the chunk's expected size) with a shorter body makes the server wait for the
    rest of the body, as HTTP/1.1 requires, until the client times out: a framing error
    of the client, not data. Without the parameter the HTTP client sends the body's true
    length. (Changing the header in before_call instead would make schemathesis
    revalidate the case and re-add the Authorization header that a "missing
    Authorization" case leaves out.) The server's handling of wrong Content-Length values
    is covered by hand in REPORT.md.
    """
    if os.environ.get("MSFUZZ_KEEP_CONTENT_LENGTH") == "1":
        return
    for item in (raw_schema.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for operation in [item] + [v for v in item.values() if isinstance(v, dict)]:
            params = operation.get("parameters")
            if isinstance(params, list):
                operation["parameters"] = [
                    p for p in params
                    if not (isinstance(p, dict) and p.get("in") == "header"
                            and str(p.get("name", "")).lower() == "content-length")
                ]


@schemathesis.hook
def map_case(context, case):
    """uploadChunk: give three of four positive cases the body's true Content-Digest.

    A generated Content-Digest is never the SHA-256 of the generated body, so without this
    every chunk upload stops at digest_missing/digest_mismatch and the rest of the chunk
    logic (session lookup, index, size, storage, conflicts) is never reached. Which cases
    keep their generated digest is decided by the body's hash, so runs stay repeatable.
    Negative cases are left alone (their header may be the point of the case).
    """
    if os.environ.get("MSFUZZ_FIX_DIGEST", "1") != "1":
        return case
    if case.operation.label != "PUT /v1/uploads/{upload_id}/chunks/{index}":
        return case
    meta = case.meta
    if meta is None or meta.generation.mode.is_negative:
        return case
    try:
        from schemathesis.transport.serialization import serialize_binary

        body = serialize_binary(case.body) if case.body is not None else b""
    except Exception:
        return case
    digest = hashlib.sha256(body).digest()
    if digest[0] % 4 == 0:
        return case
    headers = dict(case.headers or {})
    for name in [n for n in headers if n.lower() == "content-digest"]:
        del headers[name]
    headers["Content-Digest"] = "sha-256=:" + base64.b64encode(digest).decode() + ":"
    case.headers = headers
    return case


@schemathesis.hook
def after_call(context, case, response) -> None:
    """Keep at most MSFUZZ_KEEP_UPLOADS (default 8, at least 1) of the upload sessions the
    run opened, cancelling the oldest.

    The session just created is never the one cancelled, so the checks that follow the
    response (ensure_resource_availability reads it back) still find it. (after_validate
    would be the natural place, but the schemathesis engine does not call it.) Without
    this the device's cap of open uploads (max_uploads_per_device, 16) is reached early
    and initUpload only sees 429 for the rest of the run; keeping a few open lets the
    other upload operations reach sessions that exist.
    """
    keep = int(os.environ.get("MSFUZZ_KEEP_UPLOADS", "8"))
    if keep >= 0:
        keep = max(keep, 1)
    if keep < 0 or case.operation.label != "POST /v1/uploads" or response.status_code != 201:
        return
    if case.method.upper() != "POST":
        return
    try:
        upload_id = json.loads(response.content)["upload_id"]
    except Exception:
        return
    req = response.request
    auth = req.headers.get("Authorization")
    base = req.url.split("/v1/uploads", 1)[0]
    to_cancel = []
    with _LOCK:
        _OPEN_UPLOADS.append((upload_id, auth, base))
        while len(_OPEN_UPLOADS) > keep:
            to_cancel.append(_OPEN_UPLOADS.popleft())
    import requests

    for old_id, old_auth, old_base in to_cancel:
        try:
            requests.delete(
                f"{old_base}/v1/uploads/{old_id}",
                headers={"Authorization": old_auth} if old_auth else {},
                timeout=10,
            )
        except Exception:
            pass
