#!/usr/bin/env python3
"""Hostile stand-in for the Azure OpenAI Sora (v1 preview) jobs API, plus an auxiliary
"other host" server (redirect target / image host / drip / redirect loop).

Written from the Sora API description only (not from the product code). Standard library only. Binds 127.0.0.1 only.

  FakeSora   /openai/v1/video/generations/jobs            POST (JSON or multipart), GET (list)
             /openai/v1/video/generations/jobs/{job-id}   GET, DELETE (204)
             /openai/v1/video/generations/{gen-id}        GET
             /openai/v1/video/generations/{gen-id}/content/video|thumbnail   GET, HEAD
             every call: ?api-version=preview, `api-key` header (or Authorization: Bearer)
             errors: {"error": {...}} envelope (or top-level {code,message} with envelope="top")
  AuxServer  /img.png            a real 480x480 PNG
             /drip.jpg           headers with Content-Length: 50000, then 1 byte every 5 s
             /loop/...           302 to itself, forever
             /files/{gen}/video.mp4, /files/{gen}/thumb.jpg   the content (redirect target)
             records every request's method, path and headers

Hostile knobs of FakeSora (cfg dict, see DEFAULTS): lose_create_rate (job created, answer lost:
dropped connection or 504), content_redirect (base URL of another server, or "loop"),
create_non_json_first (200 text/html on the first create of each prompt), poll_html_502_rate,
short_download_marker, html_download_marker; prompt markers "[fail]" (job fails, internal_error)
and "[nogens]" (job succeeds with an empty generations list).

Standalone:  python3 hostile_server.py --port 8099 --key secret [--lose-create-rate 0.5]
"""
import argparse
import email.parser
import email.policy
import json
import os
import random
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
PREFIX = "/openai/v1/video/generations"
ALLOWED_SIZES = {(480, 480), (480, 854), (854, 480), (720, 720), (720, 1280), (1280, 720),
                 (1080, 1080), (1080, 1920), (1920, 1080)}


def make_mp4(size=200 * 1024, seed=1):
    r = random.Random(seed)
    head = struct.pack(">I", 24) + b"ftypmp42" + struct.pack(">I", 0) + b"mp42isom"
    body = bytes(r.getrandbits(8) for _ in range(size - len(head) - 8))
    mdat = struct.pack(">I", len(body) + 8) + b"mdat" + body
    return head + mdat


def make_jpeg(size=8 * 1024, seed=2):
    r = random.Random(seed)
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return head + bytes(r.getrandbits(8) for _ in range(size - len(head) - 2)) + b"\xff\xd9"


def make_png(w=480, h=480):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    rows = []
    for y in range(h):
        rows.append(b"\x00" + b"".join(bytes((x * 255 // w, y * 255 // h, 128)) for x in range(w)))
    raw = b"".join(rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


MP4 = make_mp4()
JPEG = make_jpeg()
PNG = make_png()

_ALPH = "0123456789abcdefghjkmnpqrstvwxyz"


def _rid(prefix, rnd):
    return prefix + "01" + "".join(rnd.choice(_ALPH) for _ in range(24))


DEFAULTS = dict(
    key="test-key",
    deployment="sora",
    job_duration=2.5,          # seconds from create to succeeded
    lose_create_rate=0.0,      # job is created, answer lost
    lose_modes=("drop", "504"),
    seed=42,
    content_redirect=None,     # None | "loop" | "http://host:port" (302 to {base}/files/{gen}/...)
    envelope="wrapped",        # wrapped | top
    create_non_json_first=False,
    poll_html_502_rate=0.0,
    short_download_marker="[short]",   # prompt marker: video Content-Length larger than sent
    html_download_marker="[htmlvideo]",  # prompt marker: 200 text/html login page as the video
    max_running=0,             # 0 = no cap; else 429 "Too many running tasks"
)


class SoraState:
    def __init__(self, **cfg):
        self.cfg = dict(DEFAULTS)
        self.cfg.update(cfg)
        self.lock = threading.RLock()
        self.rnd = random.Random(self.cfg["seed"])      # fault decisions: repeatable
        self.idrnd = random.SystemRandom()               # ids: unique across servers
        self.jobs = {}          # id -> dict
        self.gens = {}          # gen id -> job id
        self.order = []         # job ids in creation order
        self.requests = []      # (t, method, path, headers dict-list)
        self.lost = []          # (job id, mode)
        self.downloads = {}     # gen id -> complete video downloads served (full length)
        self.redirects = []     # (t, path)
        self.violations = []
        self.non_json_prompts = set()

    # ---- job model -------------------------------------------------------------------
    def status_of(self, job, now=None):
        if job.get("deleted"):
            return None
        now = now or time.time()
        if job.get("fixed_status"):
            return job["fixed_status"]
        age = now - job["t"]
        d = self.cfg["job_duration"]
        if age < d * 0.2:
            return "queued"
        if age < d * 0.4:
            return "preprocessing"
        if age < d * 0.8:
            return "running"
        if age < d:
            return "processing"
        return "failed" if "[fail]" in job["prompt"] else "succeeded"

    def job_json(self, job):
        st = self.status_of(job)
        gens = []
        fin = None
        if st == "succeeded":
            fin = int(job["t"] + self.cfg["job_duration"])
            for g in ([] if "[nogens]" in job["prompt"] else job["gen_ids"]):
                gens.append(self.gen_json(g))
        out = {"object": "video.generation.job", "id": job["id"], "status": st,
               "created_at": int(job["t"]), "finished_at": fin,
               "expires_at": int(job["t"]) + 86400 if fin else None,
               "generations": gens, "prompt": job["prompt"], "model": job["model"],
               "n_variants": job["n_variants"], "n_seconds": job["n_seconds"],
               "height": job["height"], "width": job["width"], "inpaint_items": job.get("inpaint_items"),
               "failure_reason": "internal_error" if st == "failed" else None}
        return out

    def gen_json(self, g):
        job = self.jobs[self.gens[g]]
        return {"object": "video.generation", "id": g, "job_id": job["id"], "created_at": int(job["t"]),
                "width": job["width"], "height": job["height"], "n_seconds": job["n_seconds"],
                "prompt": job["prompt"]}

    def stats(self):
        with self.lock:
            return {
                "created": len(self.order),
                "jobs": [{"id": j, "prompt": self.jobs[j]["prompt"], "gens": self.jobs[j]["gen_ids"],
                          "deleted": bool(self.jobs[j].get("deleted"))} for j in self.order],
                "lost": list(self.lost),
                "downloads": dict(self.downloads),
                "violations": list(self.violations),
            }

    def collected_jobs(self):
        with self.lock:
            return {self.gens[g] for g, n in self.downloads.items() if n > 0}


class SoraHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeAzureSora/1.0"

    def log_message(self, fmt, *args):
        if os.environ.get("HOSTILE_VERBOSE"):
            sys.stderr.write("[sora] " + fmt % args + "\n")

    @property
    def st(self):
        return self.server.state

    # ---- helpers --------------------------------------------------------------------
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

    def _send(self, code, body=b"", ctype="application/json", headers=None, head_only=False):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        rid = "%08x-0000-4000-8000-%012x" % (random.getrandbits(32), random.getrandbits(48))
        self.send_header("apim-request-id", rid)
        if code != 204:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if code != 204 and not head_only:
            self.wfile.write(body)

    def _err(self, code, ecode, msg, headers=None):
        if self.st.cfg["envelope"] == "top":
            body = {"code": ecode, "message": msg}
        else:
            body = {"error": {"code": ecode, "message": msg, "param": None, "type": "invalid_request_error"}}
        self._send(code, body, headers=headers)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _record(self):
        with self.st.lock:
            self.st.requests.append((time.time(), self.command, self.path, list(self.headers.items())))

    def _auth_ok(self):
        key = self.st.cfg["key"]
        got = self.headers.get("api-key")
        auth = self.headers.get("Authorization")
        if got == key or auth == "Bearer " + key:
            return True
        self._err(401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
                               "provide a valid key for an active subscription and use a correct regional API "
                               "endpoint for your resource.")
        return False

    def _route(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        return u.path.rstrip("/"), q

    def _check_version(self, q):
        v = q.get("api-version", [None])[0]
        if v != "preview":
            with self.st.lock:
                self.st.violations.append("%s %s: api-version=%r" % (self.command, self.path, v))
            if v is None:
                self._err(404, "404", "Resource not found")
            else:
                self._err(400, "BadRequest", "API version not supported")
            return False
        return True

    # ---- verbs ----------------------------------------------------------------------
    def do_POST(self):
        self._record()
        path, q = self._route()
        body = self._body()
        if path != PREFIX + "/jobs":
            return self._err(404, "404", "Resource not found")
        if not self._check_version(q) or not self._auth_ok():
            return
        ctype = self.headers.get("Content-Type", "")
        try:
            if ctype.startswith("application/json"):
                req = json.loads(body.decode("utf-8"))
                files = []
            elif ctype.startswith("multipart/form-data"):
                msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                    b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
                req, files = {}, []
                for part in msg.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    if name == "files":
                        files.append((part.get_filename(), part.get_content_type(), part.get_payload(decode=True)))
                    else:
                        req[name] = part.get_payload(decode=True).decode("utf-8")
                if not files:
                    return self._err(400, "invalid_request", "files is required for multipart requests")
            else:
                return self._err(415, "UnsupportedMediaType", "Unsupported Content-Type " + ctype)
            prompt = req["prompt"]
            width, height = int(req["width"]), int(req["height"])
            n_seconds = int(req.get("n_seconds", 5))
            n_variants = int(req.get("n_variants", 1))
            model = req["model"]
        except Exception as e:  # noqa
            return self._err(400, "invalid_request", "Invalid request body: %s" % type(e).__name__)
        if model != self.st.cfg["deployment"]:
            return self._err(404, "DeploymentNotFound",
                             "The API deployment for this resource does not exist.")
        if (width, height) not in ALLOWED_SIZES:
            return self._err(400, "invalid_request", "Unsupported resolution %dx%d" % (width, height))
        if not 1 <= n_seconds <= 20:
            return self._err(400, "invalid_request", "n_seconds must be between 1 and 20")
        st = self.st
        with st.lock:
            if st.cfg["max_running"]:
                running = sum(1 for j in st.jobs.values() if st.status_of(j) in
                              ("queued", "preprocessing", "running", "processing"))
                if running >= st.cfg["max_running"]:
                    return self._err(429, "too_many_requests", "Too many running tasks",
                                     headers={"Retry-After": "1"})
            jid = _rid("task_", st.idrnd)
            gens = [_rid("gen_", st.idrnd) for _ in range(n_variants)]
            job = dict(id=jid, t=time.time(), prompt=prompt, model=model, width=width, height=height,
                       n_seconds=n_seconds, n_variants=n_variants, gen_ids=gens,
                       files=[(f[0], f[1], len(f[2] or b"")) for f in files])
            st.jobs[jid] = job
            st.order.append(jid)
            for g in gens:
                st.gens[g] = jid
            lose = st.rnd.random() < st.cfg["lose_create_rate"]
            mode = st.rnd.choice(st.cfg["lose_modes"]) if lose else None
            non_json = st.cfg["create_non_json_first"] and prompt not in st.non_json_prompts
            if non_json:
                st.non_json_prompts.add(prompt)
            if lose:
                st.lost.append((jid, mode))
            answer = st.job_json(job)
        if mode == "drop":
            return self._drop()
        if mode == "504":
            return self._send(504, "<html><body><h1>504 Gateway Time-out</h1></body></html>", ctype="text/html")
        if non_json:
            return self._send(200, "<html><body>Request accepted</body></html>", ctype="text/html")
        self._send(200, answer)

    def do_GET(self, head=False):
        self._record()
        path, q = self._route()
        st = self.st
        if not path.startswith(PREFIX):
            return self._err(404, "404", "Resource not found")
        if not self._check_version(q) or not self._auth_ok():
            return
        rest = path[len(PREFIX):].strip("/").split("/")
        if rest == ["jobs"]:
            return self._list(q)
        if len(rest) == 2 and rest[0] == "jobs":
            with st.lock:
                job = st.jobs.get(rest[1])
                if not job or job.get("deleted"):
                    return self._err(404, "NotFound", "The specified job %s was not found." % rest[1])
                if st.cfg["poll_html_502_rate"] and st.rnd.random() < st.cfg["poll_html_502_rate"]:
                    return self._send(502, "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                                           "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx"
                                           "</center></body></html>", ctype="text/html")
                return self._send(200, st.job_json(job))
        if len(rest) == 1:
            with st.lock:
                if rest[0] not in st.gens:
                    return self._err(404, "NotFound", "generation not found")
                return self._send(200, st.gen_json(rest[0]))
        if len(rest) == 3 and rest[1] == "content" and rest[2] in ("video", "thumbnail"):
            return self._content(rest[0], rest[2], head)
        return self._err(404, "404", "Resource not found")

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_DELETE(self):
        self._record()
        path, q = self._route()
        if not self._check_version(q) or not self._auth_ok():
            return
        rest = path[len(PREFIX):].strip("/").split("/")
        if len(rest) == 2 and rest[0] == "jobs":
            with self.st.lock:
                job = self.st.jobs.get(rest[1])
                if not job or job.get("deleted"):
                    return self._err(404, "NotFound", "job not found")
                job["deleted"] = True
            return self._send(204)
        return self._err(404, "404", "Resource not found")

    def _list(self, q):
        st = self.st
        limit = int(q.get("limit", ["10"])[0])
        after = q.get("after", [None])[0]
        before = q.get("before", [None])[0]
        statuses = q.get("statuses", [None])[0]
        with st.lock:
            ids = [j for j in reversed(st.order) if not st.jobs[j].get("deleted")]  # newest first
            if after and after in ids:
                ids = ids[ids.index(after) + 1:]
            if before and before in ids:
                ids = ids[:ids.index(before)]
            if statuses:
                want = set(statuses.split(","))
                ids = [j for j in ids if st.status_of(st.jobs[j]) in want]
            page = ids[:limit]
            data = [st.job_json(st.jobs[j]) for j in page]
        self._send(200, {"object": "list", "data": data, "has_more": len(ids) > limit,
                         "first_id": page[0] if page else None, "last_id": page[-1] if page else None})

    def _content(self, gen, kind, head):
        st = self.st
        with st.lock:
            jid = st.gens.get(gen)
            job = st.jobs.get(jid) if jid else None
            if not job or st.status_of(job) != "succeeded":
                return self._err(404, "NotFound", "generation content not found")
            redirect = st.cfg["content_redirect"]
        if redirect == "loop":
            with st.lock:
                st.redirects.append((time.time(), self.path))
            loc = "http://%s:%d%s" % (HOST, self.server.server_port, self.path)
            return self._send(302, "", ctype="text/plain", headers={"Location": loc})
        if redirect:
            with st.lock:
                st.redirects.append((time.time(), self.path))
            name = "video.mp4" if kind == "video" else "thumb.jpg"
            loc = "%s/files/%s/%s?se=2099-01-01&sig=abc123" % (redirect.rstrip("/"), gen, name)
            return self._send(302, "", ctype="text/plain", headers={"Location": loc})
        data, ctype = (MP4, "video/mp4") if kind == "video" else (JPEG, "image/jpg")
        hdrs = {"Last-Modified": "Mon, 01 Dec 2025 09:00:00 GMT", "Accept-Ranges": "bytes"}
        if kind == "video" and st.cfg["html_download_marker"] in job["prompt"]:
            page = b"<!DOCTYPE html><html><body><form action='/login'>Sign in to continue</form></body></html>"
            return self._send(200, page, ctype="text/html", head_only=head)
        if kind == "video" and st.cfg["short_download_marker"] in job["prompt"] and not head:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data[:len(data) // 2])
                self.wfile.flush()
            except OSError:
                pass
            return self._drop()
        self._send(200, data, ctype=ctype, headers=hdrs, head_only=head)
        if kind == "video" and not head:
            with st.lock:
                st.downloads[gen] = st.downloads.get(gen, 0) + 1


class AuxState:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []   # (t, method, path, headers list)
        self.stop = threading.Event()
        self.served = {}     # gen -> full video downloads


class AuxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OtherHost/1.0"

    def log_message(self, fmt, *args):
        if os.environ.get("HOSTILE_VERBOSE"):
            sys.stderr.write("[aux] " + fmt % args + "\n")

    def _send(self, code, body=b"", ctype="text/plain", headers=None, head=False):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        st = self.server.state
        with st.lock:
            st.requests.append((time.time(), self.command, self.path, list(self.headers.items())))
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/loop"):
            host = self.headers.get("Host") or "%s:%d" % (HOST, self.server.server_port)
            return self._send(302, b"", headers={"Location": "http://%s%s" % (host, self.path)}, head=head)
        if path == "/img.png":
            return self._send(200, PNG, "image/png", head=head)
        if path == "/drip.jpg":
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", "50000")
            self.end_headers()
            if head:
                return
            payload = JPEG + b"\0" * 50000
            try:
                for i in range(50000):
                    self.wfile.write(payload[i:i + 1])
                    self.wfile.flush()
                    if st.stop.wait(5):
                        break
            except OSError:
                pass
            self.close_connection = True
            return
        if path.startswith("/files/"):
            parts = path.split("/")
            if len(parts) == 4 and parts[3] == "video.mp4":
                self._send(200, MP4, "video/mp4", head=head)
                if not head:
                    with st.lock:
                        st.served[parts[2]] = st.served.get(parts[2], 0) + 1
                return
            if len(parts) == 4 and parts[3] == "thumb.jpg":
                return self._send(200, JPEG, "image/jpeg", head=head)
        self._send(404, b"not found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start_sora(port=0, **cfg):
    srv = _Server((HOST, port), SoraHandler)
    srv.state = SoraState(**cfg)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def start_aux(port=0):
    srv = _Server((HOST, port), AuxHandler)
    srv.state = AuxState()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def stop(srv):
    st = srv.state
    if hasattr(st, "stop"):
        st.stop.set()
    srv.shutdown()
    srv.server_close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8099)
    ap.add_argument("--aux-port", type=int, default=0)
    ap.add_argument("--key", default="test-key")
    ap.add_argument("--lose-create-rate", type=float, default=0.0)
    ap.add_argument("--content-redirect", default=None)
    ap.add_argument("--job-duration", type=float, default=2.5)
    a = ap.parse_args()
    s = start_sora(a.port, key=a.key, lose_create_rate=a.lose_create_rate,
                   content_redirect=a.content_redirect, job_duration=a.job_duration)
    print("fake Azure Sora on http://%s:%d (key %s)" % (HOST, s.server_port, "<given>"), flush=True)
    if a.aux_port:
        x = start_aux(a.aux_port)
        print("aux server on http://%s:%d" % (HOST, x.server_port), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
