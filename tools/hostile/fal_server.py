#!/usr/bin/env python3
"""Hostile stand-in for the fal.ai queue API (queue host, optional second status host, platform API, CDN).

Written from /work/shared/providers-api.md section 3 only (not from the product code). Standard library only.
Binds 127.0.0.1 only.

  queue host   POST /{owner}/{app}[/{path}]                  submit (JSON body; Authorization: Key <key>)
               GET  /{owner}/{app}/requests/{id}/status      ?logs=0|1|true|false; 202 IN_QUEUE / IN_PROGRESS,
                                                             200 COMPLETED (with `error`/`error_type` when failed)
               GET  /{owner}/{app}/requests/{id}             the result, or the model's error replayed
               PUT  /{owner}/{app}/requests/{id}/cancel      202 CANCELLATION_REQUESTED / 400 ALREADY_COMPLETED /
                                                             404 NOT_FOUND
               The URLs in the submit answer drop the sub-path. With cross_host=True they point at a SECOND
               listener (the "status host"); the submit host then answers 404 to status/result/cancel paths and
               records each such call as a violation (the client built the URL instead of following it).
               A status/result/cancel path that keeps the sub-path (/fal-ai/veo3.1/fast/requests/..) is 404 and a
               violation too.
  api host     GET /v1/models/requests/by-endpoint?endpoint_id=&limit=&cursor=&start=&end=   (newest first,
               at most `list_page_size` items per page whatever `limit` says, base64 offset cursors)
               GET /_hostile/stats   (no auth; the recorded counters as JSON, for standalone use)
  files host   GET|HEAD /files/{fid}.mp4   no auth; records every request's headers (an Authorization header here
               is a credential leak)

Every JSON answer carries extra unknown fields. A wrong or missing key is 401 {"detail": ...} and is recorded.

Model behaviour (prompt markers, see DEFAULTS): `[nsfw]` -> 422 content_policy_violation (categories ["sexual"]);
`[timeout]` -> COMPLETED with error "Request timed out"/request_timeout, result 504 flat body;
`[crash]` -> COMPLETED with error, result 500 flat body. Endpoints starting with fal-ai/veo3.1 are validated
against the veo3.1 schema (duration "4s"/"6s"/"8s", aspect_ratio, resolution, ...): 422 with a pydantic detail
array, at submit or at result time (`validation_at`).

Faults: submits answered after the request was created with a dropped connection or an nginx HTML 504
(`submit_lose_rate`, or `submit_lose_first`: the first submit of every prompt); submits refused before
creation with 429 + Retry-After or an nginx HTML 503 (`submit_reject_rate`, or `submit_reject_first`); status
polls answered with a flat 503 runner_scheduling_failure (X-Fal-Retryable, X-Fal-Error-Type), an nginx HTML
502/503 (no x-fal-request-id), a 429 with Retry-After, or a dropped connection (`poll_fault_rate`); result
fetches answered with an HTML 502 or a dropped connection (`result_fault_rate`). Whether a fault happens is
drawn from a seeded generator; which kind it is cycles through the modes, so a run sees every kind.

Over `max_concurrent` running requests, new ones wait IN_QUEUE (0-indexed, rising positions); nothing is ever
rejected for concurrency. Results are gone `retention` seconds after completion (GET response_url -> 404
{"detail": "Request <id> not found"}; the status stays COMPLETED; the CDN file and the list's json_output stay).

Standalone:
  python3 fal_server.py --queue-port 8100 --api-port 8101 --files-port 8102 --key K [--status-port 8103] [...]
  python3 fal_server.py --help
"""
import argparse
import base64
import datetime
import json
import os
import random
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"

VEO_DURATIONS = ("4s", "6s", "8s")
VEO_ASPECTS = ("16:9", "9:16")
VEO_RESOLUTIONS = ("720p", "1080p", "4k")
VEO_TOLERANCES = ("1", "2", "3", "4", "5", "6")

BAD_KEY_DETAIL = "No user found for Key ID and Secret"

NGINX = ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
         "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
REASONS = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}

EXTRA = {"hostile_unknown_field": {"nested": [1, {"a": None}], "note": "clients must ignore unknown fields"},
         "x_served_by": "fal-hostile"}

DEFAULTS = dict(
    key="test-key",
    run_seconds=3.0,            # IN_PROGRESS time of one request, once it runs
    max_concurrent=2,           # running at once; the rest wait IN_QUEUE (never rejected)
    retention=3600.0,           # seconds a result stays fetchable after completion
    expired_code=404,
    validation_at="result",     # "submit": 422 on the POST itself | "result": COMPLETED+error, result replays 422
    policy_at="result",         # same choice for the content checker
    policy_marker="[nsfw]",
    timeout_marker="[timeout]",
    crash_marker="[crash]",
    seed=42,
    submit_lose_rate=0.0,       # created, then the answer is lost
    submit_lose_first=False,    # the first POST of every distinct prompt: created, answer lost
    lose_modes=("drop", "html504"),
    submit_reject_rate=0.0,     # refused before anything is created: 429 (Retry-After) or nginx 503 HTML
    submit_reject_first=False,  # the first POST of every distinct prompt is refused that way
    reject_modes=("429", "html503"),
    poll_fault_rate=0.0,
    poll_fault_modes=("flat503", "html502", "html503", "429", "drop"),
    result_fault_rate=0.0,
    result_fault_modes=("html502", "drop"),
    list_page_size=2,           # items per page of the request list, whatever `limit` asks
    list_lag=0.0,               # seconds before a new request shows in the request list
    cross_host=False,           # status/result/cancel URLs on a second listener
    retry_after="1",
    on_submit_answered=None,    # callback(state, req) after a submit answer was written (or lost)
)


def iso(t):
    if t is None:
        return None
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(s):
    """ISO-8601 (Z, offset, date only) or epoch seconds / milliseconds; None if unparseable."""
    s = s.strip()
    try:
        v = float(s)
        return v / 1000.0 if v > 1e11 else v
    except ValueError:
        pass
    try:
        d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
        if d.tzinfo is None:
            d = d.replace(tzinfo=datetime.timezone.utc)
        return d.timestamp()
    except ValueError:
        return None


def make_mp4(size, seed):
    r = random.Random(seed)
    head = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isommp42"
    body = r.randbytes(size - len(head) - 8)
    return head + struct.pack(">I", len(body) + 8) + b"mdat" + body


class FalState:
    def __init__(self, **cfg):
        unknown = set(cfg) - set(DEFAULTS)
        if unknown:
            raise TypeError("unknown fal_server options: %s" % ", ".join(sorted(unknown)))
        self.cfg = dict(DEFAULTS)
        self.cfg.update(cfg)
        self.lock = threading.RLock()
        self.rnd = random.Random(self.cfg["seed"])
        self.reqs = {}              # id -> request dict
        self.order = []             # ids in submit order (created requests only)
        self.requests = []          # (t, role, method, path, headers list) every HTTP request
        self.bad_auth = []          # (t, role, method, path, what was sent)
        self.violations = []        # strings
        self.posts_by_prompt = {}   # prompt -> POSTs with a good key (created or not)
        self.post_inputs = {}       # prompt -> the JSON input of its last POST (created or not)
        self.created_by_prompt = {} # prompt -> requests created
        self.lost = []              # (id, mode)
        self.rejected = []          # (prompt, mode)
        self.faults = {}            # mode -> count (status/result faults served)
        self.list_calls = []        # dict of the query of each list call
        self.files_requests = []    # (t, method, path, headers list)
        self.files_served = {}      # fid -> full GETs
        self.cancels = []           # (id, answer)
        self.early_results = []     # ids whose result was fetched before COMPLETED
        self.expired_hits = []      # (id, seconds after completion)
        self.logs_values = set()    # values of ?logs= seen
        self.type_notes = []        # inputs accepted only by lax coercion (e.g. seed "42")
        self.max_running = 0
        self.max_queued = 0
        self.max_in_system = 0
        self.positions_served = []  # queue positions answered on status polls
        self.seq = 0
        self.urls = {}              # role -> base URL (set by start())
        self._stop = threading.Event()
        threading.Thread(target=self._ticker, daemon=True).start()

    # ---- the queue model ------------------------------------------------------------
    def _ticker(self):
        while not self._stop.wait(0.02):
            with self.lock:
                self.advance()

    def advance(self, now=None):
        now = now or time.time()
        run = self.cfg["run_seconds"]
        running = 0
        for rid in self.order:
            r = self.reqs[rid]
            if r["t_start"] is not None and r["t_end"] is None:
                if now >= r["t_start"] + run:
                    r["t_end"] = r["t_start"] + run
                else:
                    running += 1
        queued = [self.reqs[i] for i in self.order if self.reqs[i]["t_start"] is None]
        for r in queued:
            if running >= self.cfg["max_concurrent"]:
                break
            r["t_start"] = now
            running += 1
        nq = sum(1 for i in self.order if self.reqs[i]["t_start"] is None)
        self.max_running = max(self.max_running, running)
        self.max_queued = max(self.max_queued, nq)
        self.max_in_system = max(self.max_in_system, running + nq)

    def status_of(self, r):
        if r["t_start"] is None:
            return "IN_QUEUE"
        if r["t_end"] is None:
            return "IN_PROGRESS"
        return "COMPLETED"

    def queue_position(self, r):
        pos = 0
        for i in self.order:
            if i == r["id"]:
                return pos
            if self.reqs[i]["t_start"] is None:
                pos += 1
        return pos

    def urls_of(self, r):
        base = self.urls["status" if self.cfg["cross_host"] else "queue"]
        u = "%s/%s/requests/%s" % (base, r["owner_app"], r["id"])
        return {"request_id": r["id"], "response_url": u, "status_url": u + "/status", "cancel_url": u + "/cancel"}

    def create(self, endpoint, owner_app, inp, headers, outcome, now=None, noise=False):
        """Create a request (also used for background 'noise' from other clients)."""
        with self.lock:
            self.seq += 1
            rid = str(uuid.uuid4())
            size = 200_000 + (self.seq * 7919) % 60_000
            fid = "%s-%04d" % (uuid.uuid4().hex[:12], self.seq)
            r = dict(id=rid, seq=self.seq, endpoint=endpoint, owner_app=owner_app, input=inp,
                     prompt=inp.get("prompt") if isinstance(inp, dict) else None,
                     t_sent=now or time.time(), t_start=None, t_end=None, outcome=outcome,
                     store_io=(dict((k.lower(), v) for k, v in headers).get("x-fal-store-io", "1").strip() != "0"),
                     fid=fid, size=size, seed=self.rnd.randrange(1, 2 ** 31), noise=noise,
                     polls=0, result_gets=0, first_result_get=None, completed_seen=None)
            self.reqs[rid] = r
            self.order.append(rid)
            if not noise:
                self.created_by_prompt[r["prompt"]] = self.created_by_prompt.get(r["prompt"], 0) + 1
            self.advance()
            return r

    def file_bytes(self, fid):
        r = next((x for x in self.reqs.values() if x["fid"] == fid), None)
        if r is None:
            return None
        if "_mp4" not in r:
            r["_mp4"] = make_mp4(r["size"], r["seq"])
        return r["_mp4"]

    def result_body(self, r):
        return dict({"video": {"url": "%s/files/%s.mp4" % (self.urls["files"], r["fid"]),
                               "content_type": "video/mp4", "file_name": "output.mp4", "file_size": r["size"]},
                     "seed": r["seed"]}, **EXTRA)

    # ---- what the scenarios read ----------------------------------------------------
    def stats(self):
        with self.lock:
            mine = [self.reqs[i] for i in self.order if not self.reqs[i]["noise"]]
            return {
                "created": len(mine),
                "created_by_prompt": dict(self.created_by_prompt),
                "posts_by_prompt": dict(self.posts_by_prompt),
                "post_inputs": dict(self.post_inputs),
                "requests": [{"id": r["id"], "endpoint": r["endpoint"], "prompt": r["prompt"],
                              "status": self.status_of(r), "outcome": r["outcome"][0], "size": r["size"],
                              "fid": r["fid"], "polls": r["polls"], "result_gets": r["result_gets"],
                              "t_end": r["t_end"], "first_result_get": r["first_result_get"],
                              "input": r["input"]} for r in mine],
                "lost": list(self.lost), "rejected": list(self.rejected), "faults": dict(self.faults),
                "bad_auth": [(round(t, 3), role, m, p, what) for t, role, m, p, what in self.bad_auth],
                "violations": list(self.violations), "list_calls": list(self.list_calls),
                "files_served": dict(self.files_served), "cancels": list(self.cancels),
                "early_results": list(self.early_results), "expired_hits": list(self.expired_hits),
                "logs_values": sorted(self.logs_values), "type_notes": list(self.type_notes),
                "max_running": self.max_running, "max_queued": self.max_queued,
                "max_in_system": self.max_in_system,
                "max_position_served": max(self.positions_served) if self.positions_served else None,
                "files_auth_headers": self.files_auth_leaks(),
            }

    def files_auth_leaks(self):
        out = []
        for t, m, p, hdrs in self.files_requests:
            for k, v in hdrs:
                if k.lower() in ("authorization", "x-fal-key", "api-key", "proxy-authorization", "cookie") or (
                        self.cfg["key"] and self.cfg["key"] in v):
                    out.append("%s %s: %s" % (m, p, k))
            if self.cfg["key"] and self.cfg["key"] in p:
                out.append("%s %s: key in URL" % (m, p))
        return out

    def stop(self):
        self._stop.set()


# ---- the veo3.1 schema ------------------------------------------------------------------
def _lit_msg(values):
    q = ["'%s'" % v for v in values]
    return "Input should be " + (", ".join(q[:-1]) + " or " + q[-1] if len(q) > 1 else q[0])


def validate(endpoint, inp, notes):
    """Pydantic-like errors for the fal-ai/veo3.1 family; [] when valid. Extra fields are ignored."""
    if not isinstance(inp, dict):
        return [{"loc": ["body"], "msg": "Input should be a valid dictionary", "type": "dict_type", "input": inp}]
    errs = []
    if not endpoint.startswith("fal-ai/veo3.1"):
        if not isinstance(inp.get("prompt"), str):
            errs.append({"loc": ["body", "prompt"], "msg": "Field required", "type": "missing", "input": inp})
        return errs
    i2v = "image-to-video" in endpoint
    lite = "/lite" in endpoint

    def lit(field, values):
        if field in inp and inp[field] not in values:
            errs.append({"loc": ["body", field], "msg": _lit_msg(values), "type": "literal_error",
                         "input": inp[field], "ctx": {"expected": _lit_msg(values)[len("Input should be "):]}})

    if "prompt" not in inp:
        errs.append({"loc": ["body", "prompt"], "msg": "Field required", "type": "missing", "input": inp})
    elif not isinstance(inp["prompt"], str):
        errs.append({"loc": ["body", "prompt"], "msg": "Input should be a valid string", "type": "string_type",
                     "input": inp["prompt"]})
    lit("aspect_ratio", VEO_ASPECTS + (("auto",) if i2v else ()))
    lit("duration", VEO_DURATIONS)
    lit("resolution", tuple(v for v in VEO_RESOLUTIONS if not (lite and v == "4k")))
    lit("safety_tolerance", VEO_TOLERANCES)
    for f in ("negative_prompt",):
        if f in inp and inp[f] is not None and not isinstance(inp[f], str):
            errs.append({"loc": ["body", f], "msg": "Input should be a valid string", "type": "string_type",
                         "input": inp[f]})
    for f in ("generate_audio", "auto_fix"):
        if f in inp:
            v = inp[f]
            if isinstance(v, bool):
                continue
            if v in (0, 1) or (isinstance(v, str) and v.lower() in ("true", "false", "0", "1", "yes", "no")):
                notes.append("%s=%r accepted by lax coercion (not a JSON boolean)" % (f, v))
                continue
            errs.append({"loc": ["body", f], "msg": "Input should be a valid boolean", "type": "bool_parsing",
                         "input": v})
    if "seed" in inp and inp["seed"] is not None:
        v = inp["seed"]
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            errs.append({"loc": ["body", "seed"], "msg": "Input should be a valid integer", "type": "int_type",
                         "input": v})
        elif isinstance(v, float) and not v.is_integer():
            errs.append({"loc": ["body", "seed"], "msg": "Input should be a valid integer, got a number with a "
                                                         "fractional part", "type": "int_from_float", "input": v})
        elif isinstance(v, str):
            if v.strip().lstrip("-").isdigit():
                notes.append("seed=%r accepted by lax coercion (not a JSON integer)" % v)
            else:
                errs.append({"loc": ["body", "seed"], "msg": "Input should be a valid integer, unable to parse "
                                                             "string as an integer", "type": "int_parsing",
                             "input": v})
        elif isinstance(v, float):
            notes.append("seed=%r accepted by lax coercion (a float)" % v)
    if i2v and not isinstance(inp.get("image_url"), str):
        errs.append({"loc": ["body", "image_url"], "msg": "Field required", "type": "missing", "input": inp})
    return errs


def policy_error(prompt):
    return {"detail": [{"loc": ["body", "prompt"], "msg": "The content was flagged by a content checker.",
                        "type": "content_policy_violation",
                        "url": "https://docs.fal.ai/errors#content_policy_violation",
                        "input": prompt, "categories": ["sexual"]}]}


# ---- HTTP ----------------------------------------------------------------------------------
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fal-hostile/1.0"

    def log_message(self, fmt, *args):
        if os.environ.get("HOSTILE_VERBOSE"):
            sys.stderr.write("[fal-%s] %s\n" % (self.server.role, fmt % args))

    @property
    def st(self):
        return self.server.state

    def _body(self):
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            data = b""
            while True:
                line = self.rfile.readline().strip()
                n = int(line.split(b";")[0], 16)
                if n == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(n)
                self.rfile.readline()
            return data
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, code, body=b"", ctype="application/json", headers=None, rid=None, head=False):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        try:
            self.send_response(code)
            if rid:
                self.send_header("x-fal-request-id", rid)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if not head:
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _html(self, code):
        self._send(code, NGINX % (code, REASONS[code], code, REASONS[code]), ctype="text/html")

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _record(self):
        with self.st.lock:
            self.st.requests.append((time.time(), self.server.role, self.command, self.path,
                                     list(self.headers.items())))

    def _auth_ok(self):
        got = self.headers.get("Authorization")
        key = self.st.cfg["key"]
        if got == "Key " + key:
            return True
        if got is None:
            what = "no Authorization header"
        elif got.startswith("Key "):
            what = "Authorization: Key <wrong key, %d chars>" % (len(got) - 4)
        else:
            what = "Authorization: %s <...>" % got.split(" ")[0][:12]
        with self.st.lock:
            self.st.bad_auth.append((time.time(), self.server.role, self.command, self.path, what))
        self._send(401, dict({"detail": BAD_KEY_DETAIL}))
        return False

    def _split(self):
        u = urllib.parse.urlsplit(self.path)
        return [urllib.parse.unquote(s) for s in u.path.split("/") if s], urllib.parse.parse_qs(u.query)

    def _fault(self, rate, modes, kind):
        st = self.st
        with st.lock:
            if not rate or st.rnd.random() >= rate:
                return False
            mode = modes[sum(v for k, v in st.faults.items() if k.startswith(kind + ":")) % len(modes)]
            st.faults[kind + ":" + mode] = st.faults.get(kind + ":" + mode, 0) + 1
        if mode == "drop":
            self._drop()
        elif mode == "429":
            self._send(429, {"detail": "Too many requests"}, headers={"Retry-After": st.cfg["retry_after"]})
        elif mode == "flat503":
            self._send(503, {"detail": "Runner scheduling failure", "error_type": "runner_scheduling_failure"},
                       headers={"X-Fal-Retryable": "true", "X-Fal-Error-Type": "runner_scheduling_failure"})
        elif mode.startswith("html"):
            self._html(int(mode[4:]))
        return True

    # ---- dispatch -------------------------------------------------------------------
    def do_POST(self):
        self._record()
        body = self._body()
        if self.server.role in ("queue", "status"):
            return self._submit(body)
        self._send(405, {"detail": "Method Not Allowed"})

    def do_GET(self, head=False):
        self._record()
        role = self.server.role
        if role == "files":
            return self._file(head)
        if role == "api":
            return self._api()
        return self._queue_get()

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_PUT(self):
        self._record()
        self._body()
        if self.server.role not in ("queue", "status"):
            return self._send(405, {"detail": "Method Not Allowed"})
        segs, _ = self._split()
        r = self._locate(segs, "cancel")
        if r is None:
            return
        st = self.st
        with st.lock:
            st.advance()
            s = st.status_of(r)
            if s == "COMPLETED":
                ans = (400, {"status": "ALREADY_COMPLETED"})
            else:
                now = time.time()
                if r["t_start"] is None:
                    r["t_start"] = now
                r["t_end"] = now
                r["outcome"] = ("error", 400, {"detail": "Request was cancelled"}, {}, "Request was cancelled",
                                "request_cancelled")
                ans = (202, {"status": "CANCELLATION_REQUESTED"})
            st.cancels.append((r["id"], ans[1]["status"]))
        self._send(ans[0], dict(ans[1], **EXTRA), rid=r["id"])

    # ---- submit ---------------------------------------------------------------------
    def _submit(self, body):
        st = self.st
        segs, q = self._split()
        if len(segs) < 2:
            return self._send(404, {"detail": "Application not found"})
        if "requests" in segs:
            with st.lock:
                st.violations.append("POST to a request path %s" % self.path)
            return self._send(405, {"detail": "Method Not Allowed"})
        if not self._auth_ok():
            return
        endpoint = "/".join(segs)
        owner_app = "/".join(segs[:2])
        if not (self.headers.get("Content-Type") or "").lower().startswith("application/json"):
            with st.lock:
                st.violations.append("submit with Content-Type %r" % self.headers.get("Content-Type"))
        try:
            inp = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return self._send(422, {"detail": [{"loc": ["body"], "msg": "JSON decode error",
                                                "type": "json_invalid"}]}, headers={"X-Fal-Retryable": "false"})
        prompt = inp.get("prompt") if isinstance(inp, dict) else None
        with st.lock:
            st.posts_by_prompt[prompt] = st.posts_by_prompt.get(prompt, 0) + 1
            st.post_inputs[prompt] = inp
            reject = (st.cfg["submit_reject_first"] and st.posts_by_prompt[prompt] == 1) or (
                st.cfg["submit_reject_rate"] and st.rnd.random() < st.cfg["submit_reject_rate"])
            modes = st.cfg["reject_modes"]
            rmode = modes[len(st.rejected) % len(modes)] if reject else None
        if rmode:
            with st.lock:
                st.rejected.append((prompt, rmode))
            if rmode == "429":
                return self._send(429, {"detail": "Too many requests"}, headers={"Retry-After": st.cfg["retry_after"]})
            return self._html(503)
        notes = []
        errs = validate(endpoint, inp, notes)
        with st.lock:
            st.type_notes.extend("%s: %s" % (prompt, n) for n in notes)
        marker = lambda m: isinstance(prompt, str) and m in prompt  # noqa: E731
        if errs and st.cfg["validation_at"] == "submit":
            return self._send(422, {"detail": errs}, headers={"X-Fal-Retryable": "false"})
        if marker(st.cfg["policy_marker"]) and st.cfg["policy_at"] == "submit":
            return self._send(422, policy_error(prompt), headers={"X-Fal-Retryable": "false"})
        if errs:
            outcome = ("error", 422, {"detail": errs}, {"X-Fal-Retryable": "false"},
                       "; ".join("%s: %s" % (".".join(map(str, e["loc"])), e["msg"]) for e in errs), None)
        elif marker(st.cfg["policy_marker"]):
            outcome = ("error", 422, policy_error(prompt), {"X-Fal-Retryable": "false"},
                       "The content was flagged by a content checker.", None)
        elif marker(st.cfg["timeout_marker"]):
            outcome = ("error", 504, {"detail": "Request timed out", "error_type": "request_timeout"},
                       {"X-Fal-Error-Type": "request_timeout", "X-Fal-Retryable": "false"},
                       "Request timed out", "request_timeout")
        elif marker(st.cfg["crash_marker"]):
            msg = "Model inference failed: CUDA error: out of memory (hostile crash marker)"
            outcome = ("error", 500, {"detail": msg, "error_type": "internal_server_error"},
                       {"X-Fal-Error-Type": "internal_server_error", "X-Fal-Retryable": "false"},
                       msg, "internal_server_error")
        else:
            outcome = ("ok",)
        r = st.create(endpoint, owner_app, inp, list(self.headers.items()), outcome)
        with st.lock:
            lose = (st.cfg["submit_lose_first"] and st.created_by_prompt.get(prompt) == 1) or (
                st.cfg["submit_lose_rate"] and st.rnd.random() < st.cfg["submit_lose_rate"])
            modes = st.cfg["lose_modes"]
            mode = modes[len(st.lost) % len(modes)] if lose else None
            if mode:
                st.lost.append((r["id"], mode))
            ans = dict(st.urls_of(r), status="IN_QUEUE", queue_position=st.queue_position(r), **EXTRA)
        if mode == "drop":
            self._drop()
        elif mode == "html504":
            self._html(504)
        else:
            self._send(200, ans, rid=r["id"])
        cb = st.cfg["on_submit_answered"]
        if cb:
            cb(st, r)

    # ---- status / result ------------------------------------------------------------
    def _locate(self, segs, kind):
        """segs must be owner/app/requests/id[/status|/cancel]; None (answered) when not."""
        st = self.st
        want_role = "status" if st.cfg["cross_host"] else "queue"
        try:
            i = segs.index("requests")
        except ValueError:
            self._send(405 if kind != "result" else 404, {"detail": "Not Found"})
            return None
        tail = segs[i + 2:]
        ok_tail = {"status": [["status"], ["status", "stream"]], "result": [[]], "cancel": [["cancel"]]}[kind]
        rid = segs[i + 1] if len(segs) > i + 1 else None
        with st.lock:
            r = st.reqs.get(rid)
        if self.server.role != want_role:
            with st.lock:
                st.violations.append("%s %s on the %s host, not at the URL the submit answer gave (%s host)" % (
                    self.command, self.path, self.server.role, want_role))
            self._send(404, {"detail": "Not Found"})
            return None
        if not self._auth_ok():
            return None
        if i != 2 or tail not in ok_tail:
            with st.lock:
                st.violations.append("%s %s: not a URL the submit answer gave (%s)" % (
                    self.command, self.path, "keeps the sub-path" if i > 2 else "bad shape"))
            self._send(404, {"detail": "Not Found"})
            return None
        if r is None:
            if kind == "cancel":
                self._send(404, dict({"status": "NOT_FOUND"}, **EXTRA))
            else:
                self._send(404, {"detail": "Request %s not found" % rid})
            return None
        if "/".join(segs[:2]) != r["owner_app"]:
            with st.lock:
                st.violations.append("%s %s: request %s belongs to %s" % (self.command, self.path, rid,
                                                                          r["owner_app"]))
            self._send(404, {"detail": "Request %s not found" % rid})
            return None
        return r

    def _queue_get(self):
        st = self.st
        segs, q = self._split()
        kind = "status" if segs and segs[-1] in ("status", "stream") else "result"
        r = self._locate(segs, kind)
        if r is None:
            return
        if kind == "status":
            return self._status(r, q)
        return self._result(r)

    def _status(self, r, q):
        st = self.st
        logs_q = q.get("logs", [None])[0]
        with st.lock:
            st.logs_values.add(logs_q)
            r["polls"] += 1
        if self._fault(st.cfg["poll_fault_rate"], st.cfg["poll_fault_modes"], "status"):
            return
        want_logs = (logs_q or "").lower() in ("1", "true")
        with st.lock:
            st.advance()
            s = st.status_of(r)
            body = dict(st.urls_of(r), status=s, **EXTRA)
            if s == "IN_QUEUE":
                body["queue_position"] = st.queue_position(r)
                st.positions_served.append(body["queue_position"])
                code = 202
            elif s == "IN_PROGRESS":
                body["logs"] = [{"message": "step %d of 50" % int(1 + 49 * min(1, (time.time() - r["t_start"]) /
                                                                          st.cfg["run_seconds"])),
                                 "level": "INFO", "source": "USER", "timestamp": iso(time.time()),
                                 "hostile_extra": True}] if want_logs else None
                code = 202
            else:
                if r["completed_seen"] is None:
                    r["completed_seen"] = time.time()
                body["logs"] = [] if want_logs else None
                body["metrics"] = {"inference_time": round(r["t_end"] - r["t_start"], 3),
                                   "hostile_metric": 1}
                if r["outcome"][0] == "error":
                    body["error"] = r["outcome"][4]
                    if r["outcome"][5]:
                        body["error_type"] = r["outcome"][5]
                code = 200
        self._send(code, body, rid=r["id"])

    def _result(self, r):
        st = self.st
        now = time.time()
        with st.lock:
            r["result_gets"] += 1
            st.advance()
            s = st.status_of(r)
            if s != "COMPLETED":
                st.early_results.append(r["id"])
            elif r["first_result_get"] is None:
                r["first_result_get"] = now
        if s != "COMPLETED":
            return self._send(400, dict({"detail": "Request is still in progress"}, **EXTRA), rid=r["id"])
        if now > r["t_end"] + st.cfg["retention"]:
            with st.lock:
                st.expired_hits.append((r["id"], round(now - r["t_end"], 2)))
            return self._send(st.cfg["expired_code"], {"detail": "Request %s not found" % r["id"]})
        if self._fault(st.cfg["result_fault_rate"], st.cfg["result_fault_modes"], "result"):
            return
        if r["outcome"][0] == "ok":
            return self._send(200, st.result_body(r), rid=r["id"])
        _, code, body, hdrs, _, _ = r["outcome"]
        self._send(code, body, headers=hdrs, rid=r["id"])

    # ---- platform API ---------------------------------------------------------------
    def _api(self):
        st = self.st
        segs, q = self._split()
        if segs == ["_hostile", "stats"]:
            return self._send(200, st.stats())
        if segs != ["v1", "models", "requests", "by-endpoint"]:
            return self._send(404, {"detail": "Not Found"})
        if not self._auth_ok():
            return
        one = {k: v[0] for k, v in q.items()}
        with st.lock:
            st.list_calls.append(one)
        ep = one.get("endpoint_id")
        if not ep:
            return self._send(422, {"detail": [{"loc": ["query", "endpoint_id"], "msg": "Field required",
                                                "type": "missing"}]})
        try:
            limit = int(one.get("limit", "50"))
        except ValueError:
            return self._send(422, {"detail": [{"loc": ["query", "limit"], "msg": "Input should be a valid integer",
                                                "type": "int_parsing", "input": one.get("limit")}]})
        if not 1 <= limit <= 100:
            return self._send(422, {"detail": [{"loc": ["query", "limit"], "msg": "Input should be less than or "
                                                "equal to 100" if limit > 100 else "Input should be greater than "
                                                "or equal to 1", "type": "less_than_equal" if limit > 100 else
                                                "greater_than_equal", "input": one.get("limit")}]})
        now = time.time()
        start = now - 86400
        end = None
        for name in ("start", "end"):
            if name in one:
                t = parse_time(one[name])
                if t is None:
                    with st.lock:
                        st.violations.append("list with unparseable %s=%r" % (name, one[name]))
                    return self._send(422, {"detail": [{"loc": ["query", name], "msg": "Input should be a valid "
                                                        "datetime", "type": "datetime_parsing", "input": one[name]}]})
                if name == "start":
                    start = t
                else:
                    end = t
        offset = 0
        if one.get("cursor"):
            try:
                offset = int(base64.b64decode(one["cursor"]).decode())
            except Exception:  # noqa
                return self._send(400, {"detail": "Invalid cursor"})
        with st.lock:
            st.advance()
            lag = st.cfg["list_lag"]
            rs = [st.reqs[i] for i in st.order if st.reqs[i]["endpoint"] == ep
                  and st.reqs[i]["t_sent"] + lag <= now and st.reqs[i]["t_sent"] >= start
                  and (end is None or st.reqs[i]["t_sent"] <= end)]
            rs.sort(key=lambda r: r["t_sent"], reverse=True)
            n = min(limit, st.cfg["list_page_size"])
            page = rs[offset:offset + n]
            items = []
            for r in page:
                done = st.status_of(r) == "COMPLETED"
                it = {"request_id": r["id"], "endpoint_id": r["endpoint"], "sent_at": iso(r["t_sent"]),
                      "started_at": iso(r["t_start"]), "ended_at": iso(r["t_end"]),
                      "status_code": (200 if r["outcome"][0] == "ok" else r["outcome"][1]) if done else None,
                      "duration": round(r["t_end"] - r["t_start"], 3) if done else None, "hostile_item_extra": 1}
                if r["store_io"]:
                    it["json_input"] = r["input"]
                    it["json_output"] = (st.result_body(r) if r["outcome"][0] == "ok" else r["outcome"][2]) \
                        if done else None
                items.append(it)
            more = offset + n < len(rs)
        self._send(200, dict({"items": items, "next_cursor": base64.b64encode(str(offset + n).encode()).decode()
                              if more else None, "has_more": more}, **EXTRA))

    # ---- CDN ------------------------------------------------------------------------
    def _file(self, head):
        st = self.st
        with st.lock:
            st.files_requests.append((time.time(), self.command, self.path, list(self.headers.items())))
        segs, _ = self._split()
        if len(segs) == 2 and segs[0] == "files" and segs[1].endswith(".mp4"):
            fid = segs[1][:-4]
            with st.lock:
                data = st.file_bytes(fid)
            if data is not None:
                self._send(200, data, ctype="video/mp4", head=head,
                           headers={"Accept-Ranges": "bytes", "Cache-Control": "public, max-age=604800"})
                if not head:
                    with st.lock:
                        st.files_served[fid] = st.files_served.get(fid, 0) + 1
                return
        self._send(404, b"<Error><Code>NoSuchKey</Code></Error>", ctype="application/xml", head=head)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FalServers:
    """The four listeners around one FalState. .queue_url, .api_url (with /v1), .files_url, .status_url."""

    def __init__(self, queue_port=0, api_port=0, files_port=0, status_port=0, **cfg):
        self.state = FalState(**cfg)
        self.servers = {}
        roles = [("queue", queue_port), ("api", api_port), ("files", files_port)]
        if self.state.cfg["cross_host"]:
            roles.append(("status", status_port))
        for role, port in roles:
            s = _Server((HOST, port), Handler)
            s.role = role
            s.state = self.state
            threading.Thread(target=s.serve_forever, daemon=True).start()
            self.servers[role] = s
            self.state.urls[role] = "http://%s:%d" % (HOST, s.server_port)
        self.queue_url = self.state.urls["queue"]
        self.api_url = self.state.urls["api"] + "/v1"
        self.files_url = self.state.urls["files"]
        self.status_url = self.state.urls.get("status", self.queue_url)

    def env(self, key=None):
        return {"FAL_KEY": self.state.cfg["key"] if key is None else key, "FAL_QUEUE_URL": self.queue_url,
                "FAL_API_URL": self.api_url}

    def stop(self):
        self.state.stop()
        for s in self.servers.values():
            s.shutdown()
            s.server_close()


def start(**kw):
    return FalServers(**kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queue-port", type=int, default=8100)
    ap.add_argument("--api-port", type=int, default=8101)
    ap.add_argument("--files-port", type=int, default=8102)
    ap.add_argument("--status-port", type=int, default=None,
                    help="serve status/result/cancel URLs on this second port (cross-host)")
    ap.add_argument("--key", default="test-key")
    ap.add_argument("--max-concurrent", type=int, default=DEFAULTS["max_concurrent"])
    ap.add_argument("--run-seconds", type=float, default=DEFAULTS["run_seconds"])
    ap.add_argument("--retention", type=float, default=DEFAULTS["retention"])
    ap.add_argument("--validation-at", choices=("submit", "result"), default=DEFAULTS["validation_at"])
    ap.add_argument("--policy-at", choices=("submit", "result"), default=DEFAULTS["policy_at"])
    ap.add_argument("--submit-lose-rate", type=float, default=0.0)
    ap.add_argument("--submit-lose-first", action="store_true")
    ap.add_argument("--submit-reject-rate", type=float, default=0.0)
    ap.add_argument("--submit-reject-first", action="store_true")
    ap.add_argument("--poll-fault-rate", type=float, default=0.0)
    ap.add_argument("--result-fault-rate", type=float, default=0.0)
    ap.add_argument("--list-page-size", type=int, default=DEFAULTS["list_page_size"])
    ap.add_argument("--list-lag", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    f = FalServers(queue_port=a.queue_port, api_port=a.api_port, files_port=a.files_port,
                   status_port=a.status_port or 0, cross_host=a.status_port is not None, key=a.key,
                   max_concurrent=a.max_concurrent, run_seconds=a.run_seconds, retention=a.retention,
                   validation_at=a.validation_at, policy_at=a.policy_at, submit_lose_rate=a.submit_lose_rate,
                   submit_lose_first=a.submit_lose_first, submit_reject_rate=a.submit_reject_rate,
                   submit_reject_first=a.submit_reject_first,
                   poll_fault_rate=a.poll_fault_rate, result_fault_rate=a.result_fault_rate,
                   list_page_size=a.list_page_size, list_lag=a.list_lag, seed=a.seed)
    print("fal queue host:   %s" % f.queue_url)
    if a.status_port is not None:
        print("fal status host:  %s   (status/result/cancel URLs point here)" % f.status_url)
    print("fal platform API: %s   (request list: %s/models/requests/by-endpoint)" % (f.api_url, f.api_url))
    print("fal files (CDN):  %s   (no auth)" % f.files_url)
    print("counters:         %s/_hostile/stats" % f.state.urls["api"])
    print("export FAL_QUEUE_URL=%s FAL_API_URL=%s FAL_KEY=<the --key value>" % (f.queue_url, f.api_url), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        f.stop()


if __name__ == "__main__":
    main()
