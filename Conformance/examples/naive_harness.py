#!/usr/bin/env python3
"""A deliberately naive MobileSync client behind the harness protocol (Conformance/harness.md).

It proves the protocol is language-neutral, and shows what the client vectors catch: it keeps its
outbox in a JSON file, numbers writes gap-free and acknowledges only what it saved, but sends
every retry under a new idempotency key, retries after a fixed 50 ms whatever the server says,
applies changes whatever their version, lets them overwrite pending edits, never resyncs, bases
chained writes on the wrong version, keeps deleted records, cannot start again once stopped,
never asks for a new token, and cannot upload files. Needs `pip install websocket-client`.
"""
import json, os, sys, threading, time, uuid
import websocket  # websocket-client

out_lock = threading.Lock()
def emit(message):
    with out_lock:
        sys.stdout.write(json.dumps(message) + "\n"); sys.stdout.flush()

class Client:
    def __init__(self, case):
        self.url = case["server_url"].replace("http", "ws", 1) + "/v1/sync"
        self.token, self.path = case["token"], os.path.join(case["data_dir"], "state.json")
        self.state = {"records": {}, "outbox": [], "next_seq": 1, "settled": 0, "cursor": None, "rejected": [], "results": {}}
        if os.path.exists(self.path):
            self.state = json.load(open(self.path))
        self.lock, self.running, self.stopped, self.ws = threading.RLock(), False, False, None

    def save(self):
        with open(self.path + ".tmp", "w") as f: json.dump(self.state, f)
        os.replace(self.path + ".tmp", self.path)

    def write(self, op, collection, record_id, fields, save=True):
        with self.lock:
            key = collection + "/" + record_id
            base = self.state["records"].get(key, {}).get("version", 0)
            seq = self.state["next_seq"]
            self.state["next_seq"] += 1
            mutation = {"seq": seq, "collection": collection, "record_id": record_id, "base_version": base,
                        "op": {"put": "update" if key in self.state["records"] else "create"}.get(op, op),
                        "client_time": int(time.time() * 1000)}
            if op != "delete": mutation["fields"] = fields or {}
            self.state["outbox"].append(mutation)
            record = self.state["records"].setdefault(key, {"collection": collection, "id": record_id, "fields": {}, "version": 0})
            record["fields"] = {} if op == "delete" else {**record["fields"], **(fields or {})}
            if save: self.save()
            return seq

    def start(self):
        if not self.running and not self.stopped:  # naive: once stopped, it never starts again
            self.running = True
            threading.Thread(target=self.loop, daemon=True).start()

    def send(self, message):
        self.ws.send(json.dumps(message))

    def loop(self):
        while self.running:
            try:
                self.ws = websocket.create_connection(self.url + "?token=" + self.token, subprotocols=["mobilesync.v1"], timeout=60)
                self.send({"type": "hello", "protocol_version": "1.2.0", "cursor": self.state["cursor"],
                           "client": {"platform": "python", "app_version": "naive", "os_version": "any", "network_type": "unknown"}})
                self.pushed = False
                while self.running:
                    message = json.loads(self.ws.recv())
                    self.handle(message)
            except Exception:
                time.sleep(0.05)

    def handle(self, message):
        kind = message.get("type")
        if kind == "welcome":
            self.send({"type": "pull", "request_id": "p", "cursor": self.state["cursor"]} if self.state["cursor"] else {"type": "pull", "request_id": "p"})
            self.push()
        elif kind == "ping":
            self.send({"type": "pong", "nonce": message.get("nonce")})
        elif kind in ("changes", "change"):
            changes = message["changes"] if kind == "changes" else [message["change"]]
            cursor = message["cursor"] if kind == "changes" else message["change"]["cursor"]
            with self.lock:
                for change in changes:  # naive: whatever arrives last wins, whatever its version
                    record = change["record"]
                    self.state["records"][record["collection"] + "/" + record["id"]] = {
                        "collection": record["collection"], "id": record["id"], "fields": record["fields"], "version": record["version"]}
                self.state["cursor"] = cursor
                self.save()
            self.send({"type": "ack", "request_id": "a", "cursor": cursor})
            if kind == "changes" and message.get("has_more"):
                self.send({"type": "pull", "request_id": "p", "cursor": cursor})
        elif kind == "push_result":
            with self.lock:
                for result in message["results"]:
                    if result["status"] == "rejected": self.state["rejected"].append({"seq": result["seq"], "error": result.get("error")})
                    self.state["settled"] = max(self.state["settled"], result["seq"])
                    self.state["results"][str(result["seq"])] = result
                    record = result.get("record")
                    if record: self.state["records"][record["collection"] + "/" + record["id"]].update(fields=record["fields"], version=record["version"])
                done = {r["seq"] for r in message["results"]}
                self.state["outbox"] = [m for m in self.state["outbox"] if m["seq"] not in done]
                self.save()
            self.push()
        elif kind == "error":
            time.sleep(0.05)
            self.push()

    def push(self):
        with self.lock:
            batch = self.state["outbox"][:500]
        if batch:
            self.send({"type": "push", "request_id": "r", "idempotency_key": str(uuid.uuid4()), "mutations": batch})

def wait(condition, timeout_ms):
    deadline = time.time() + timeout_ms / 1000
    while time.time() < deadline:
        if condition(): return True
        time.sleep(0.02)
    return False

client = None
for line in sys.stdin:
    i = None
    try:
        i = json.loads(line)
        kind, answer = i["type"], {"id": i.get("id")}
        if kind == "case":
            client = Client(i); answer.update(type="ready", case_id=i.get("case_id"))
        elif kind == "write":
            ids = [f"{i['record_id']}-{n}" for n in range(i["count"])] if "count" in i else [i["record_id"]]
            seqs = [client.write(i["op"], i["collection"], rid, i.get("fields"), save=False) for rid in ids]
            client.save()
            answer.update(type="written", seq=seqs[-1], **({"first_seq": seqs[0]} if "count" in i else {}))
            if client.running and client.ws: client.push()
        elif kind == "start":
            client.start(); answer.update(type="started")
        elif kind == "stop":
            client.running, client.stopped = False, True
            if client.ws: client.ws.close()
            time.sleep(0.1); answer.update(type="stopped")
        elif kind in ("sync", "wait_settled"):
            client.start()
            done = (lambda: not client.state["outbox"]) if kind == "sync" else (lambda: client.state["settled"] >= i["seq"])
            ok = wait(done, i.get("timeout_ms", 30000))
            answer.update(type=("synced" if kind == "sync" else "settled"), pending=len(client.state["outbox"]), seq=i.get("seq"),
                                 result=client.state["results"].get(str(i.get("seq")))) if ok \
                else answer.update(type="error", code="timed_out", message="not settled in time")
        elif kind == "new_token":
            answer.update(type="token_set")  # naive: keeps using the first token
        elif kind == "snapshot":
            records = [{"collection": r["collection"], "id": r["id"], "fields": r["fields"], "version": r["version"],
                        "pending": sum(1 for m in client.state["outbox"] if m["record_id"] == r["id"])}
                       for r in client.state["records"].values() if r["collection"] == i.get("collection")]
            answer.update(type="snapshot", records=records, pending=len(client.state["outbox"]), rejected=client.state["rejected"],
                          next_seq=client.state["next_seq"], last_settled_seq=client.state["settled"],
                          cursor=client.state["cursor"], acknowledged_cursor=client.state["cursor"])
        else:
            answer.update(type="error", code="bad_instruction", message=f"{kind} is not supported by this naive client")
    except Exception as error:
        answer = {"type": "error", "id": i.get("id") if isinstance(i, dict) else None, "code": "failed", "message": str(error)}
    emit(answer)
