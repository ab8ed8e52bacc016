#!/usr/bin/env python3
"""Hostile stand-in for Google's two Veo APIs, written from /work/shared/providers-api.md §1 (Gemini API) and §2
(Vertex AI) only, not from the product's code. Python 3 standard library plus the `openssl` command (to make the
service-account RSA key and to check JWT signatures). Every listener binds 127.0.0.1.

Listeners (one process, one shared state; ports chosen by arguments, 0 = any free port):

  vertex   POST /v1[beta1]/projects/{p}/locations/{l}/publishers/google/models/{m}:predictLongRunning
           POST /v1[beta1]/projects/{p}/locations/{l}/publishers/google/models/{m}:fetchPredictOperation
                {"operationName": "projects/{p}/locations/{l}/publishers/google/models/{m}/operations/{uuid}"}
           GET  on an operation name -> 400 "The Operation ID must be a Long" (§2.4), recorded as a violation.
           Bearer token required: only tokens the token listener granted, for as long as they are honoured.
  token    POST /token  grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>
           The JWT's signature is checked with `openssl dgst -verify` against the public half of the service-account
           key this server generated; iss, aud (= token_uri), scope (cloud-platform), iat/exp are checked too.
           -> {"access_token","expires_in","token_type":"Bearer"} or 400 {"error":"invalid_grant",...}.
  gcs      GET /storage/v1/b/{bucket}/o/{url-encoded object}?alt=media   (also /download/storage/v1/...)
           GET /storage/v1/b/{bucket}/o?prefix=...[&pageToken=...]        (listing, newest last, paged)
           Bearer token required (the same tokens as the API).
  gemini   POST /v1beta/models/{m}:predictLongRunning   (x-goog-api-key header, or ?key=)
           GET  /v1beta/models/{m}/operations/{id}
           GET  /v1beta/models/{m}                      (the free model check `doctor` uses)
           GET  /v1beta/files/{fid}:download?alt=media  (key required) -> 302 to the storage listener
  gstore   GET /gen/{fid}.mp4?X-Goog-Signature=...   the redirect target: no key needed, and it records whether any
           key, Authorization, x-goog-api-key or cookie ever arrived (it must never).
  images   GET /img/{name}   PNG / JPEG / WebP / HTML for image_url rows; records headers (no credential may come).

Operations end after `job_seconds` (prompt marker `[slow]`: `slow_seconds`). Prompt markers decide outcomes:
  [rai] filtered (raiMediaFilteredCount + reasons with a support code), [partial-rai] one of two samples filtered,
  [fail] done with error 13 INTERNAL, [fail3] done with error 3 INVALID_ARGUMENT; Vertex personGeneration
  allow_all ends with error 3 (project needs approval). Retired ids (veo-2.0-*, veo-3.0-*; on Gemini also the
  veo-3.1-*-preview ids when `gemini_retire_previews`) answer 404 "... is no longer available", naming the
  replacement.

Scenario switches (see DEFAULTS; on the command line as --name value):
  create_fault            429 | 403-api | 403-iam | 401 | 400-field | 500 | 503 | drop-after-create |
                          503-after-create | 403-leaked | 400-precondition   (applies to creates of both APIs)
  create_fault_marker     only prompts containing this text get the fault (else: the first create_fault_count)
  create_fault_count      how many creates get it (None = every create)
  retry_delay             RetryInfo.retryDelay of a 429 ("2s")
  poll_fault_rate         share of polls answered 503 / 500 / dropped / 429 / HTML 502 (cycled)
  download_fault          truncate-first | 503-first | slow (~64 kB/s)  (GCS media and the Gemini storage host)
  inline_truncate_first   the first done answer of each inline Vertex operation is cut short
  gemini_inline           Gemini returns video.encodedVideo instead of video.uri
  gemini_uri_host         "gstore": video.uri names the storage host instead of the API (the key must not follow)
  token_expires_in        expires_in of granted tokens (short = refresh mid-run)
  token_valid_for         the API honours a token only this many seconds (a clock behind Google's)
  token_refusal           every token request gets 400 invalid_grant with this description
  api_401_always          the APIs refuse every token (401 UNAUTHENTICATED)
  gemini_key_refused      every Gemini key gets 400 API_KEY_INVALID
  gcs_page_size           objects per listing page

Every request is logged (in memory, and as JSON lines to --log FILE): listener, method, path (a `key=` query value
redacted), headers (the values of Authorization, x-goog-api-key and Cookie replaced by what they were: present,
length, known or not), the body (long strings summarised; a JWT assertion replaced by its decoded claims), the
answer's status.

Standalone: python3 google_server.py --vertex-port 8200 --token-port 8201 --gcs-port 8202 --gemini-port 8203 \
            --gstore-port 8204 --images-port 8205 --workdir /tmp/g [--create-fault 429 ...]
It writes the service-account key file into --workdir and prints the settings a run needs.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
SCOPE = "https://www.googleapis.com/auth/cloud-platform"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Google's token endpoint takes these audiences (google-auth-library sends the first whatever token_uri says)
GOOGLE_TOKEN_AUDIENCES = ("https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token",
                          "https://accounts.google.com/o/oauth2/token")

DEFAULTS = dict(
    project="hostile-project-4711",
    location="us-central1",
    gemini_key="AIzaSyHostile0000000000000000000000000",
    job_seconds=2.0,
    slow_seconds=20.0,
    create_fault=None,
    create_fault_marker=None,
    create_fault_count=None,
    create_faults=(),           # more rules: dicts {mode, marker (None = any prompt), count (None = every time)}
    retry_delay="2s",
    poll_fault_rate=0.0,
    poll_fault_modes=("503", "500", "drop", "429", "html502"),
    download_fault=None,
    inline_truncate_first=False,
    gemini_inline=False,
    gemini_uri_host="gemini",   # "gstore": video.uri names another host; the key must still go only to the API
    gemini_retire_previews=False,
    token_expires_in=3599,
    token_valid_for=None,
    token_refusal=None,
    api_401_always=False,
    gemini_key_refused=False,
    gcs_page_size=1000,
    seed=7,
    on_create_answered=None,    # callback(state, op) after a create answer was written (or lost)
    log_file=None,
)

RETIRED = {"veo-2.0-generate-001": "veo-3.1-generate-001", "veo-2.0-generate-exp": "veo-3.1-generate-001",
           "veo-3.0-generate-001": "veo-3.1-generate-001", "veo-3.0-fast-generate-001": "veo-3.1-fast-generate-001",
           "veo-3.0-generate-preview": "veo-3.1-generate-001"}
GEMINI_REPLACEMENT = "gemini-omni-1.1-flash"

RAI_VERTEX = ("The prompt could not be submitted. This prompt contains sensitive words that violate Google's "
              "Responsible AI practices. Try rephrasing the prompt. If you think this was an error, send feedback. "
              "Support codes: 58061214")
RAI_GEMINI = "The input image resembles a public figure.\nPlease use another image."
RAI_GEMINI_TEXT = ("Your prompt may violate our policies on harmful content. Try rephrasing it.\n"
                   "Support codes: 90789179")

JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8Q"
    "EBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEB"
    "AxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAA"
    "Bv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LK"
    "uPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVP"
    "uciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDk"
    "Molvw4KOp1KM6iCNvngZHwetf//Z")
WEBP = base64.b64decode(
    "UklGRqgBAABXRUJQVlA4WAoAAAAQAAAADwAADwAAQUxQSMMAAAABJ6KokSTleucYX+ffKpmImP90cY3gJjDi4Yt3MsjBEVyDKzDosHgVjnhRNcEI"
    "DAJPkqBqsFUZHNa2bUYvTsZ2PLbtd/uvKa4hov9J0f2PkPe6REkkGzolkTTzFG0Ox9PlFiD0CxS+kOGDtxoynjaCfx0pfk52CPuInrOR75lzRugy"
    "gtv4zEiy90UwfSD9NheMITJWLaXWayO8XeOlWRXVnIGk2W6WdYoYMQ+KqixQNPowgt+6a1BSKbUtz+lUFAoBAAAAVlA4IL4AAACQAgCdASoQABAA"
    "AwA0JbACdDBPCIUMfAMdCCz96AD+/XSg/QKbH4r3Q3ycN/bSDK/T/zVo4u6nvclvG/SqxWOuup+XhN9BojvaW+Tv+MvxvX/hr/o/5Qns9LtmX/+q"
    "Kdl/yWznhuasl7nkxvSTI4xf3Y85VSB/lU/8Ofj/b9JrA+ifvIOYZm2x1RP/dhfmsf5diuSfR7+z+r/+HR3zEo/+XM/B+vkYw73Pzx+ROaAB/ZoB"
    "SzEs3rzZe6qsAAAA")


def make_png(w=32, h=18, seed=1):
    r = random.Random(seed)
    raw = b"".join(b"\x00" + bytes(r.randrange(256) for _ in range(w * 3)) for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = make_png()
IMAGES = {"frame.png": (PNG, "image/png"), "frame.jpg": (JPEG, "image/jpeg"), "frame.webp": (WEBP, "image/webp"),
          "login.png": (b"<!doctype html><html><body><form>Sign in</form></body></html>", "text/html")}


def make_mp4(size, seed):
    r = random.Random(seed)
    head = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isommp42"
    body = r.randbytes(size - len(head) - 8)
    return head + struct.pack(">I", len(body) + 8) + b"mdat" + body


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def status_body(code, status, message, details=None):
    e = {"code": code, "message": message, "status": status}
    if details:
        e["details"] = details
    return {"error": e}


def retry_info(delay):
    return {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay}


def error_info(reason, domain, metadata):
    return {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": domain,
            "metadata": metadata}


def bad_request(field, description):
    return {"@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": description}]}


API_KEY_INVALID = {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                             "status": "INVALID_ARGUMENT", "details": [
                                 {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                                  "domain": "googleapis.com",
                                  "metadata": {"service": "generativelanguage.googleapis.com"}},
                                 {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
                                  "message": "API key not valid. Please pass a valid API key."}]}}

GFE_502 = ("<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 502 (Server Error)!!1</title>\n"
           "  <p><b>502.</b> <ins>That's an error.</ins>\n  <p>The server encountered a temporary error and could not "
           "complete your request.<p>Please try again in 30 seconds.  <ins>That's all we know.</ins>\n")


class BadField(Exception):
    def __init__(self, field, description):
        super().__init__(description)
        self.field, self.description = field, description


# ---- the service-account key ------------------------------------------------------------------------------------
class ServiceAccount:
    """An RSA key made with openssl, its public half, and the key file a client reads."""

    def __init__(self, workdir, project, token_url, quota_project=None):
        self.dir = tempfile.mkdtemp(prefix="sa-", dir=workdir)
        self.key_pem = os.path.join(self.dir, "key.pem")
        self.pub_pem = os.path.join(self.dir, "pub.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", self.key_pem], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", self.key_pem, "-pubout", "-out", self.pub_pem], check=True,
                       capture_output=True)
        self.private_key = open(self.key_pem).read()
        self.kid = hashlib.sha1(self.private_key.encode()).hexdigest()
        self.email = "sora-batch-runner@%s.iam.gserviceaccount.com" % project
        self.token_url = token_url
        info = {"type": "service_account", "project_id": project, "private_key_id": self.kid,
                "private_key": self.private_key, "client_email": self.email, "client_id": "104729000000000000421",
                "auth_uri": token_url.rsplit("/", 1)[0] + "/o/oauth2/auth", "token_uri": token_url,
                "auth_provider_x509_cert_url": token_url.rsplit("/", 1)[0] + "/oauth2/v1/certs",
                "client_x509_cert_url": token_url.rsplit("/", 1)[0] + "/robot/v1/metadata/x509/" + self.email,
                "universe_domain": "googleapis.com"}
        if quota_project:
            info["quota_project_id"] = quota_project
        self.file = os.path.join(workdir, "service-account.json")
        with open(self.file, "w") as f:
            json.dump(info, f, indent=2)
        self.private_key_body = [ln for ln in self.private_key.splitlines() if ln and "-----" not in ln]

    def verify(self, signing_input, signature):
        with tempfile.NamedTemporaryFile(dir=self.dir, delete=False) as d, \
                tempfile.NamedTemporaryFile(dir=self.dir, delete=False) as s:
            d.write(signing_input)
            s.write(signature)
        try:
            p = subprocess.run(["openssl", "dgst", "-sha256", "-verify", self.pub_pem, "-signature", s.name, d.name],
                               capture_output=True)
            return p.returncode == 0
        finally:
            os.unlink(d.name)
            os.unlink(s.name)


# ---- shared state ---------------------------------------------------------------------------------------------------
class GoogleState:
    def __init__(self, **cfg):
        unknown = set(cfg) - set(DEFAULTS)
        if unknown:
            raise TypeError("unknown google_server options: %s" % ", ".join(sorted(unknown)))
        self.cfg = dict(DEFAULTS)
        self.cfg.update(cfg)
        self.lock = threading.RLock()
        self.rnd = random.Random(self.cfg["seed"])
        self.sa = None
        self.urls = {}
        self.log = []               # every request (dicts, secrets redacted)
        self.ops = {}               # name -> op
        self.op_order = []
        self.creates = []           # every create attempt: dict(api, prompt, body, outcome, op)
        self.tokens = {}            # access token -> dict(issued, expires_in, honoured_until, claims)
        self.token_requests = []    # dict(ok, why, claims)
        self.violations = []
        self.gcs = {}               # (bucket, object) -> dict(data, created, op)
        self.gcs_gets = {}          # object -> full GETs served
        self.gcs_lists = []         # (bucket, prefix, pageToken)
        self.gstore_gets = {}       # fid -> full GETs served
        self.gfiles = {}            # gemini fid -> bytes
        self.leaks = []             # credential seen where none may go: (listener, what)
        self.faults = {}            # kind -> count
        self.fault_uses = {}        # rule index -> creates it faulted
        self.seq = 0
        self.log_fh = open(self.cfg["log_file"], "a") if self.cfg["log_file"] else None

    def count_fault(self, kind):
        self.faults[kind] = self.faults.get(kind, 0) + 1

    # ---- tokens
    def grant(self, claims):
        tok = "ya29.hostile-" + uuid.uuid4().hex + uuid.uuid4().hex
        now = time.time()
        life = self.cfg["token_expires_in"]
        honoured = life if self.cfg["token_valid_for"] is None else min(life, self.cfg["token_valid_for"])
        self.tokens[tok] = dict(issued=now, expires_in=life, honoured_until=now + honoured, claims=claims, used=0,
                                refused=0)
        return tok, life

    def token_ok(self, auth):
        """-> (ok, description) for an Authorization header value."""
        if not auth:
            return False, "no Authorization header"
        if not auth.startswith("Bearer "):
            return False, "Authorization: %s <...>" % auth.split(" ")[0][:12]
        tok = auth[7:].strip()
        t = self.tokens.get(tok)
        if t is None:
            kind = "a JWT (self-signed?)" if tok.count(".") == 2 and tok.startswith("ey") else "unknown"
            return False, "Bearer %s token, %d chars" % (kind, len(tok))
        if self.cfg["api_401_always"]:
            t["refused"] += 1
            return False, "Bearer token refused (api_401_always)"
        if time.time() >= t["honoured_until"]:
            t["refused"] += 1
            return False, "Bearer token no longer honoured (%.0f s old)" % (time.time() - t["issued"])
        t["used"] += 1
        return True, "Bearer granted token"

    # ---- operations
    def new_op(self, api, model, prompt, body, project=None, location=None):
        self.seq += 1
        if api == "vertex":
            oid = str(uuid.uuid4())
            name = "projects/%s/locations/%s/publishers/google/models/%s/operations/%s" % (project, location, model,
                                                                                          oid)
        else:
            oid = "".join(self.rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
            name = "models/%s/operations/%s" % (model, oid)
        params = body.get("parameters") or {}
        n = params.get("sampleCount", 1) if isinstance(params.get("sampleCount", 1), int) else 1
        dur = self.cfg["slow_seconds"] if "[slow]" in (prompt or "") else self.cfg["job_seconds"]
        outcome = "ok"
        for m in ("[partial-rai]", "[rai]", "[fail3]", "[fail]"):
            if m in (prompt or ""):
                outcome = m.strip("[]")
                break
        if api == "vertex" and params.get("personGeneration") == "allow_all":
            outcome = "approval"
        op = dict(api=api, name=name, id=oid, model=model, prompt=prompt, body=body, t_created=time.time(),
                  duration=dur, outcome=outcome, n=n, polls=0, done_answers=0, storage_uri=params.get("storageUri"),
                  videos=[], seq=self.seq, gcs_written=False, inline_cut=False)
        sizes = [150_000 + (self.seq * 7919 + i * 104_729) % 90_000 for i in range(n)]
        op["videos"] = [make_mp4(s, self.seq * 10 + i) for i, s in enumerate(sizes)]
        if outcome == "partial-rai" and n > 1:
            op["videos"] = op["videos"][:n - 1]
        elif outcome in ("rai", "fail", "fail3", "approval"):
            op["videos"] = []
        self.ops[name] = op
        self.op_order.append(name)
        return op

    def op_done(self, op):
        return time.time() >= op["t_created"] + op["duration"]

    def write_gcs(self, op):
        """At completion Veo writes {storageUri}{op id}/sample_N.mp4."""
        if op["gcs_written"] or not op["storage_uri"]:
            return
        m = re.match(r"gs://([^/]+)/?(.*)$", op["storage_uri"])
        bucket, prefix = m.group(1), m.group(2)
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        op["gcs_objects"] = []
        for i, data in enumerate(op["videos"]):
            obj = "%s%s/sample_%d.mp4" % (prefix, op["id"], i)
            self.gcs[(bucket, obj)] = dict(data=data, created=op["t_created"] + op["duration"], op=op["name"])
            op["gcs_objects"].append((bucket, obj))
        op["gcs_written"] = True

    def tick(self):
        for name in self.op_order:
            op = self.ops[name]
            if op["api"] == "vertex" and not op["gcs_written"] and op["storage_uri"] and self.op_done(op):
                self.write_gcs(op)

    # ---- what scenarios read
    def creates_by_prompt(self, api=None, created_only=True):
        out = {}
        for c in self.creates:
            if (api is None or c["api"] == api) and (c["op"] is not None or not created_only):
                out[c["prompt"]] = out.get(c["prompt"], 0) + 1
        return out

    def requests(self, listener=None, method=None, contains=None):
        return [e for e in self.log if (listener is None or e["listener"] == listener) and
                (method is None or e["method"] == method) and (contains is None or contains in e["path"])]

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def flush_entry(self, entry):
        """The request's JSON line, written once it was answered (so it carries the answer's status)."""
        if self.log_fh:
            with self.lock:
                self.log_fh.write(json.dumps(entry, default=str) + "\n")
                self.log_fh.flush()


def summarise(v):
    """Long strings (base64 images, videos) are summarised in the log."""
    if isinstance(v, dict):
        return {k: summarise(x) for k, x in v.items()}
    if isinstance(v, list):
        return [summarise(x) for x in v]
    if isinstance(v, str) and len(v) > 160:
        return "<%d chars, sha256 %s>" % (len(v), hashlib.sha256(v.encode()).hexdigest()[:16])
    return v


# ---- HTTP plumbing ------------------------------------------------------------------------------------------------
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""

    def log_message(self, fmt, *args):
        if os.environ.get("HOSTILE_VERBOSE"):
            sys.stderr.write("[google-%s] %s\n" % (self.server.role, fmt % args))

    @property
    def st(self):
        return self.server.state

    # -- request intake
    def _read_body(self):
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

    def _begin(self):
        self.raw = self._read_body()
        self.entry = dict(t=round(time.time(), 3), listener=self.server.role, method=self.command,
                          path=self._redacted_path(), headers=self._redacted_headers(), auth=self._auth_summary(),
                          body=None, status=None)
        if self.raw:
            ctype = self.headers.get("Content-Type", "")
            try:
                if "json" in ctype or self.raw[:1] in (b"{", b"["):
                    self.entry["body"] = summarise(json.loads(self.raw))
                elif "x-www-form-urlencoded" in ctype:
                    form = dict(urllib.parse.parse_qsl(self.raw.decode()))
                    if "assertion" in form:
                        form["assertion"] = "<JWT, %d chars>" % len(form["assertion"])
                    self.entry["body"] = form
                else:
                    self.entry["body"] = "<%d bytes %s>" % (len(self.raw), ctype)
            except (ValueError, UnicodeDecodeError):
                self.entry["body"] = "<%d bytes, not JSON: %r>" % (len(self.raw), self.raw[:80])
        self.st.record(self.entry)
        self._leak_check()

    def _redacted_path(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qsl(u.query, keep_blank_values=True)
        if not q:
            return self.path
        q = [(k, "<redacted, %d chars>" % len(v) if k.lower() in ("key", "access_token") else v) for k, v in q]
        return u.path + "?" + urllib.parse.urlencode(q, safe="<>,:/ ")

    def _redacted_headers(self):
        out = {}
        for k, v in self.headers.items():
            lk = k.lower()
            if lk == "authorization":
                scheme = v.split(" ")[0]
                known = v[7:].strip() in self.st.tokens if scheme == "Bearer" else False
                out[k] = "<%s, %d chars, %s>" % (scheme, len(v), "a granted token" if known else "not granted")
            elif lk == "x-goog-api-key":
                out[k] = "<present, %d chars, %s>" % (len(v), "the key" if v.strip() == self.st.cfg["gemini_key"]
                                                      else "another key")
            elif lk in ("cookie", "proxy-authorization"):
                out[k] = "<present, %d chars>" % len(v)
            else:
                out[k] = v
        return out

    def _auth_summary(self):
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        return dict(bearer="authorization" in (k.lower() for k in self.headers.keys()),
                    api_key_header="x-goog-api-key" in (k.lower() for k in self.headers.keys()),
                    api_key_query="key" in q, user_project=self.headers.get("x-goog-user-project"))

    def _leak_check(self):
        """Credential-free listeners: record any credential that arrives."""
        if self.server.role not in ("gstore", "images"):
            return
        key = self.st.cfg["gemini_key"]
        for k, v in self.headers.items():
            lk = k.lower()
            if lk in ("authorization", "x-goog-api-key", "cookie", "proxy-authorization", "api-key"):
                self.st.leaks.append((self.server.role, "header %s" % k))
            elif key in v or any(t in v for t in self.st.tokens):
                self.st.leaks.append((self.server.role, "a credential inside header %s" % k))
        if key in self.path or any(t in self.path for t in self.st.tokens) or "key=" in self.path:
            self.st.leaks.append((self.server.role, "a credential in the URL"))

    # -- answers
    def _send(self, code, body=b"", ctype="application/json; charset=UTF-8", headers=None, cut_at=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, indent=2).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.entry["status"] = code if cut_at is None else "%d (cut at %d of %d bytes)" % (code, cut_at, len(body))
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Origin, X-Origin, Referer")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body if cut_at is None else body[:cut_at])
            self.wfile.flush()
            if cut_at is not None:
                self._drop()
        except OSError:
            self.close_connection = True

    def _error(self, code, status, message, details=None):
        self._send(code, status_body(code, status, message, details))

    def _drop(self):
        self.entry["status"] = self.entry.get("status") or "dropped"
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _split(self):
        u = urllib.parse.urlsplit(self.path)
        return u.path, dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))

    def _handle(self, fn):
        self._begin()
        try:
            fn()
        finally:
            self.st.flush_entry(self.entry)

    def do_GET(self):
        self._handle(getattr(self, "_get_" + self.server.role))

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self._handle(getattr(self, "_post_" + self.server.role))

    def do_PUT(self):
        self._handle(lambda: self._error(405, "METHOD_NOT_ALLOWED", "Method not allowed"))

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def _poll_fault(self):
        """A share of polls get a transient fault; -> True when answered."""
        st = self.st
        with st.lock:
            if not st.cfg["poll_fault_rate"] or st.rnd.random() >= st.cfg["poll_fault_rate"]:
                return False
            modes = st.cfg["poll_fault_modes"]
            mode = modes[sum(v for k, v in st.faults.items() if k.startswith("poll:")) % len(modes)]
            st.count_fault("poll:" + mode)
        if mode == "503":
            self._error(503, "UNAVAILABLE", "The service is currently unavailable.")
        elif mode == "500":
            self._error(500, "INTERNAL", "Internal error encountered.")
        elif mode == "429":
            self._error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).",
                        [retry_info("1s")])
        elif mode == "html502":
            self._send(502, GFE_502, ctype="text/html; charset=UTF-8")
        else:
            self._drop()
        return True

    # ---- create faults (both APIs)
    def _create_fault(self, prompt):
        """The fault this create gets, if any: create_fault (+ _marker / _count), then each create_faults entry."""
        st = self.st
        with st.lock:
            rules = ([dict(mode=st.cfg["create_fault"], marker=st.cfg["create_fault_marker"],
                           count=st.cfg["create_fault_count"])] if st.cfg["create_fault"] else [])
            rules += list(st.cfg["create_faults"] or ())
            for i, r in enumerate(rules):
                if r.get("marker") is not None and r["marker"] not in (prompt or ""):
                    continue
                used = st.fault_uses.get(i, 0)
                if r.get("count") is not None and used >= r["count"]:
                    continue
                st.fault_uses[i] = used + 1
                st.count_fault("create:" + r["mode"])
                return r["mode"]
        return None

    def _answer_create_fault(self, mode, api, model):
        proj, loc = self.st.cfg["project"], self.st.cfg["location"]
        svc = "aiplatform.googleapis.com" if api == "vertex" else "generativelanguage.googleapis.com"
        if mode == "429":
            if api == "vertex":
                msg = ("Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with "
                       "base model: %s. Please submit a quota increase request. "
                       "https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai." % model)
            else:
                msg = ("You exceeded your current quota, please check your plan and billing details. For more "
                       "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.")
            self._error(429, "RESOURCE_EXHAUSTED", msg, [
                {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
                    {"quotaMetric": "%s/predict_long_running_requests" % svc,
                     "quotaId": "PredictLongRunningRequestsPerMinutePerProjectPerModel"}]},
                {"@type": "type.googleapis.com/google.rpc.Help", "links": [
                    {"description": "Learn more about quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
                retry_info(self.st.cfg["retry_delay"])])
        elif mode == "403-api":
            self._error(403, "PERMISSION_DENIED",
                        "Vertex AI API has not been used in project %s before or it is disabled. Enable it by "
                        "visiting https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview"
                        "?project=%s then retry. If you enabled this API recently, wait a few minutes for the action "
                        "to propagate to our systems and retry." % (proj, proj),
                        [error_info("SERVICE_DISABLED", "googleapis.com",
                                    {"service": "aiplatform.googleapis.com", "consumer": "projects/" + proj,
                                     "activationUrl": "https://console.developers.google.com/apis/api/"
                                                      "aiplatform.googleapis.com/overview?project=" + proj,
                                     "containerInfo": proj, "serviceTitle": "Vertex AI API"}),
                         {"@type": "type.googleapis.com/google.rpc.Help", "links": [
                             {"description": "Google developers console API activation",
                              "url": "https://console.developers.google.com/apis/api/aiplatform.googleapis.com/"
                                     "overview?project=" + proj}]}])
        elif mode == "403-iam":
            res = "projects/%s/locations/%s/publishers/google/models/%s" % (proj, loc, model)
            self._error(403, "PERMISSION_DENIED",
                        "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/%s'"
                        " (or it may not exist)." % res,
                        [error_info("IAM_PERMISSION_DENIED", "aiplatform.googleapis.com",
                                    {"permission": "aiplatform.endpoints.predict", "resource": res})])
        elif mode == "401":
            self._unauth(svc)
        elif mode == "400-field":
            self._error(400, "INVALID_ARGUMENT", "Unsupported output video duration 8 seconds for this model "
                        "configuration; supported durations are [4, 6].",
                        [bad_request("parameters.durationSeconds", "durationSeconds must be one of [4, 6] for "
                                     "this request")])
        elif mode == "403-leaked":
            self._error(403, "PERMISSION_DENIED", "Your API key was reported as leaked. Please use another API key.",
                        [error_info("API_KEY_SERVICE_BLOCKED", "googleapis.com",
                                    {"service": "generativelanguage.googleapis.com"})])
        elif mode == "400-precondition":
            self._error(400, "FAILED_PRECONDITION", "Gemini API free tier is not available in your country. Please "
                        "enable billing on your project in Google AI Studio.")
        elif mode in ("500",):
            self._error(500, "INTERNAL", "Internal error encountered.")
        elif mode in ("503",):
            self._error(503, "UNAVAILABLE", "The service is currently unavailable.")
        else:
            raise AssertionError(mode)

    def _unauth(self, svc):
        self._error(401, "UNAUTHENTICATED",
                    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
                    "other valid authentication credential. See "
                    "https://developers.google.com/identity/sign-in/web/devconsole-project.",
                    [error_info("ACCESS_TOKEN_EXPIRED" if svc else "CREDENTIALS_MISSING", "googleapis.com",
                                {"service": svc, "method": "google.cloud.aiplatform.v1.PredictionService."
                                                           "PredictLongRunning"})])

    def _after_create(self, op, lost):
        cb = self.st.cfg["on_create_answered"]
        if cb:
            cb(self.st, op)

    # ===================================================================================================== vertex
    VERTEX_PATH = re.compile(r"^/(v1|v1beta1)/projects/([^/]+)/locations/([^/]+)/publishers/google/models/"
                             r"([^/:]+):(predictLongRunning|fetchPredictOperation)$")

    def _vertex_auth(self):
        ok, why = self.st.token_ok(self.headers.get("Authorization"))
        if not ok:
            with self.st.lock:
                self.st.violations.append("vertex %s %s: %s" % (self.command, self.entry["path"], why))
            self._unauth("aiplatform.googleapis.com")
        return ok

    def _get_vertex(self):
        path, _ = self._split()
        if "/operations/" in path:
            with self.st.lock:
                self.st.violations.append("GET on an operation name (%s): Vertex needs fetchPredictOperation" % path)
            return self._error(400, "INVALID_ARGUMENT", "The Operation ID must be a Long, but was %s" %
                               path.rsplit("/", 1)[-1])
        self._error(404, "NOT_FOUND", "The requested URL %s was not found on this server." % path)

    def _post_vertex(self):
        path, _ = self._split()
        m = self.VERTEX_PATH.match(path)
        if not m:
            with self.st.lock:
                self.st.violations.append("vertex POST to an unknown path %s" % path)
            return self._error(404, "NOT_FOUND", "The requested URL %s was not found on this server." % path)
        if not self._vertex_auth():
            return
        _, project, location, model, verb = m.groups()
        cfg = self.st.cfg
        if project != cfg["project"] or location != cfg["location"]:
            with self.st.lock:
                self.st.violations.append("vertex call for project %s location %s" % (project, location))
            return self._error(403, "PERMISSION_DENIED", "Permission 'aiplatform.endpoints.predict' denied on "
                               "resource '//aiplatform.googleapis.com/projects/%s/locations/%s/publishers/google/"
                               "models/%s' (or it may not exist)." % (project, location, model),
                               [error_info("IAM_PERMISSION_DENIED", "aiplatform.googleapis.com",
                                           {"permission": "aiplatform.endpoints.predict"})])
        try:
            body = json.loads(self.raw or b"null")
        except ValueError:
            return self._error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.")
        if verb == "fetchPredictOperation":
            return self._vertex_fetch(model, body)
        self._vertex_create(project, location, model, body)

    def _model_gone(self, api, model):
        """-> True when answered 404 for a retired or unknown model."""
        proj, loc = self.st.cfg["project"], self.st.cfg["location"]
        if api == "vertex":
            full = "projects/%s/locations/%s/publishers/google/models/%s" % (proj, loc, model)
            if model in RETIRED or model.startswith(("veo-2.0-", "veo-3.0-")):
                rep = RETIRED.get(model, "veo-3.1-generate-001")
                self._error(404, "NOT_FOUND", "Publisher Model `%s` is no longer available. Please use `%s` "
                            "instead (see https://cloud.google.com/vertex-ai/generative-ai/docs/deprecations)." %
                            (full, rep))
                return True
            if not model.startswith("veo-3.1-") or model.endswith("-preview"):
                self._error(404, "NOT_FOUND", "Publisher Model `%s` was not found or your project does not have "
                            "access to it. Please ensure you are using a valid model version." % full)
                return True
            return False
        if model in RETIRED or model.startswith(("veo-2.0-", "veo-3.0-")) or (
                self.st.cfg["gemini_retire_previews"] and model.endswith("-preview")):
            self._error(404, "NOT_FOUND", "models/%s is no longer available. Please use %s instead, or Veo 3.1 on "
                        "Gemini Enterprise Agent Platform." % (model, GEMINI_REPLACEMENT))
            return True
        if not model.startswith("veo-"):
            self._error(404, "NOT_FOUND", "models/%s is not found for API version v1beta, or is not supported for "
                        "predictLongRunning. Call ListModels to see the list of available models and their supported "
                        "methods." % model)
            return True
        return False

    def _vertex_create(self, project, location, model, body):
        st = self.st
        prompt = None
        try:
            prompt = body["instances"][0].get("prompt")
        except (TypeError, KeyError, IndexError, AttributeError):
            pass
        rec = dict(api="vertex", prompt=prompt, body=body, model=model, outcome=None, op=None, t=time.time(),
                   headers=dict(self.headers.items()))
        with st.lock:
            st.creates.append(rec)
        if self._model_gone("vertex", model):
            rec["outcome"] = "404"
            return
        try:
            validate_vertex(body, model)
        except BadField as e:
            rec["outcome"] = "400 " + e.field
            return self._error(400, "INVALID_ARGUMENT", "%s (field %s)" % (e.description, e.field),
                               [bad_request(e.field, e.description)])
        mode = self._create_fault(prompt)
        if mode and not mode.endswith("after-create"):
            rec["outcome"] = "fault " + mode
            return self._answer_create_fault(mode, "vertex", model)
        with st.lock:
            op = st.new_op("vertex", model, prompt, body, project, location)
            rec["op"] = op["name"]
        if mode == "drop-after-create":
            rec["outcome"] = "created, answer dropped"
            self.entry["status"] = "dropped after create"
            self._drop()
        elif mode == "503-after-create":
            rec["outcome"] = "created, answered 503"
            self._error(503, "UNAVAILABLE", "The service is currently unavailable.")
        else:
            rec["outcome"] = "created"
            self._send(200, {"name": op["name"]})
        self._after_create(op, bool(mode))

    def _vertex_fetch(self, model, body):
        st = self.st
        name = body.get("operationName") if isinstance(body, dict) else None
        with st.lock:
            op = st.ops.get(name)
        if op is None:
            return self._error(404, "NOT_FOUND", "Operation %s not found." % name)
        if op["api"] != "vertex" or op["model"] != model:
            with st.lock:
                st.violations.append("fetchPredictOperation for %s posted on model %s" % (name, model))
            return self._error(400, "INVALID_ARGUMENT", "The operation %s does not belong to model %s." % (name,
                                                                                                        model))
        if self._poll_fault():
            return
        with st.lock:
            op["polls"] += 1
            done = st.op_done(op)
            if done:
                st.write_gcs(op)
                op["done_answers"] += 1
        if not done:
            ans = {"name": op["name"]}
            if op["polls"] % 2 == 0:
                ans["done"] = False
                ans["metadata"] = {"@type": "type.googleapis.com/google.cloud.aiplatform.v1."
                                            "GenericOperationMetadata", "createTime": rfc3339(op["t_created"]),
                                   "updateTime": rfc3339(time.time())}
            return self._send(200, ans)
        ans = {"name": op["name"], "done": True}
        o = op["outcome"]
        if o == "fail":
            ans["error"] = {"code": 13, "message": "Internal error occurred while generating the video. Please "
                                                   "retry later."}
        elif o == "fail3":
            ans["error"] = {"code": 3, "message": "The prompt was blocked by our safety policy."}
        elif o == "approval":
            ans["error"] = {"code": 3, "message": "Your Google Cloud project needs to be approved for person or "
                                                  "child generation (personGeneration=allow_all). Contact your "
                                                  "Google Cloud account team."}
        else:
            resp = {"@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
                    "raiMediaFilteredCount": op["n"] - len(op["videos"])}
            if o in ("rai", "partial-rai"):
                resp["raiMediaFilteredReasons"] = [RAI_VERTEX]
            if op["videos"]:
                if op["storage_uri"]:
                    resp["videos"] = [{"gcsUri": "gs://%s/%s" % bo, "mimeType": "video/mp4"}
                                      for bo in op["gcs_objects"]]
                else:
                    resp["videos"] = [{"bytesBase64Encoded": base64.b64encode(v).decode(), "mimeType": "video/mp4"}
                                      for v in op["videos"]]
            ans["response"] = resp
        cut = None
        if st.cfg["inline_truncate_first"] and not op["storage_uri"] and op["videos"] and not op["inline_cut"]:
            op["inline_cut"] = True
            st.count_fault("inline-truncated")
            cut = 60_000
        self._send(200, ans, cut_at=cut)

    # ===================================================================================================== token
    def _get_token(self):
        with self.st.lock:
            self.st.violations.append("GET on the token host: %s" % self.path)
        self._send(404, {"error": "not_found"})

    def _post_token(self):
        st = self.st
        path, _ = self._split()
        if path != "/token":
            with st.lock:
                st.violations.append("POST to %s on the token host" % path)
            return self._send(404, {"error": "not_found"})
        form = dict(urllib.parse.parse_qsl(self.raw.decode("utf-8", "replace")))
        why, claims = self._check_assertion(form)
        if why is None and st.cfg["token_refusal"]:
            why = st.cfg["token_refusal"]
        with st.lock:
            st.token_requests.append(dict(t=time.time(), ok=why is None, why=why, claims=claims,
                                          ctype=self.headers.get("Content-Type")))
            self.entry["body"] = dict(grant_type=form.get("grant_type"), assertion_claims=claims)
        if why is not None:
            return self._send(400, {"error": "invalid_grant", "error_description": why})
        with st.lock:
            tok, life = st.grant(claims)
        self._send(200, {"access_token": tok, "expires_in": life, "token_type": "Bearer"},
                   headers={"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate", "Pragma": "no-cache"})

    def _check_assertion(self, form):
        """-> (None, claims) when the grant is good, else (Google-style error_description, claims)."""
        st = self.st
        if form.get("grant_type") != JWT_GRANT:
            return "Invalid grant_type: %s" % form.get("grant_type"), None
        a = form.get("assertion", "")
        parts = a.split(".")
        if len(parts) != 3:
            return "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe", None
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            sig = b64url_decode(parts[2])
        except (ValueError, TypeError):
            return "Invalid JWT: not base64url JSON", None
        if header.get("alg") != "RS256":
            return "Invalid JWT: alg %s (want RS256)" % header.get("alg"), claims
        if not st.sa.verify((parts[0] + "." + parts[1]).encode(), sig):
            return "Invalid JWT Signature.", claims
        now = time.time()
        if claims.get("iss") != st.sa.email:
            return "Invalid JWT: iss %s is not the service account" % claims.get("iss"), claims
        if claims.get("aud") not in GOOGLE_TOKEN_AUDIENCES + (st.sa.token_url,):
            return "Invalid JWT: aud %s is not Google's token endpoint" % claims.get("aud"), claims
        if SCOPE not in str(claims.get("scope", "")).split():
            return "Invalid JWT: scope %r lacks %s" % (claims.get("scope"), SCOPE), claims
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or exp - iat > 3600 or iat > now + 300 or \
                exp < now - 300:
            return ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                    "Check your iat and exp values in the JWT claim."), claims
        if header.get("kid") not in (None, st.sa.kid):
            return "Invalid JWT: kid %s is not this key" % header.get("kid"), claims
        return None, claims

    # ===================================================================================================== gcs
    def _post_gcs(self):
        self._send(405, {"error": {"code": 405, "message": "Method not allowed"}})

    def _gcs_unauth(self, why):
        with self.st.lock:
            self.st.violations.append("gcs %s %s: %s" % (self.command, self.entry["path"], why))
        self._send(401, {"error": {"code": 401, "message": "Invalid Credentials", "errors": [
            {"message": "Invalid Credentials", "domain": "global", "reason": "authError",
             "locationType": "header", "location": "Authorization"}]}},
            headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})

    def _get_gcs(self):
        st = self.st
        raw_path = urllib.parse.urlsplit(self.path).path
        _, q = self._split()
        m = re.match(r"^(?:/download)?/storage/v1/b/([^/]+)/o(?:/(.+))?$", raw_path)
        if not m:
            with st.lock:
                st.violations.append("gcs GET of an unknown path %s" % raw_path)
            return self._send(404, b"Not Found", ctype="text/html")
        ok, why = st.token_ok(self.headers.get("Authorization"))
        if not ok:
            return self._gcs_unauth(why)
        bucket, enc_obj = m.group(1), m.group(2)
        with st.lock:
            st.tick()
        if enc_obj is None:
            return self._gcs_list(bucket, q)
        if "/" in enc_obj:
            with st.lock:
                st.violations.append("gcs object name not URL-encoded: %s" % enc_obj)
            return self._send(404, b"Not Found", ctype="text/html")
        obj = urllib.parse.unquote(enc_obj)
        with st.lock:
            o = st.gcs.get((bucket, obj))
        if o is None:
            return self._send(404, {"error": {"code": 404, "message": "No such object: %s/%s" % (bucket, obj),
                                              "errors": [{"message": "No such object: %s/%s" % (bucket, obj),
                                                          "domain": "global", "reason": "notFound"}]}})
        if q.get("alt") != "media":
            return self._send(200, self._gcs_meta(bucket, obj, o))
        with st.lock:
            n = st.gcs_gets.get(obj, 0)
            st.gcs_gets[obj] = n + 1
        self._serve_media(o["data"], n, "gcs")

    def _serve_media(self, data, n_before, kind):
        mode = self.st.cfg["download_fault"]
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
        hdrs = {"x-goog-hash": "crc32c=AAAAAA==,md5=" + md5, "x-goog-stored-content-length": str(len(data)),
                "Accept-Ranges": "bytes"}
        if mode == "truncate-first" and n_before == 0:
            with self.st.lock:
                self.st.count_fault(kind + ":truncated")
            return self._send(200, data, ctype="video/mp4", headers=hdrs, cut_at=len(data) * 2 // 5)
        if mode == "slow":
            return self._send_slowly(data, hdrs, kind)
        if mode == "503-first" and n_before == 0:
            with self.st.lock:
                self.st.count_fault(kind + ":503")
            return self._send(503, b"Service Unavailable", ctype="text/plain")
        self._send(200, data, ctype="video/mp4", headers=hdrs)

    def _send_slowly(self, data, hdrs, kind):
        """About 64 kB/s in 16 kB pieces: a download that takes seconds (to be killed in the middle)."""
        self.entry["status"] = "200 (slow)"
        with self.st.lock:
            self.st.count_fault(kind + ":slow")
        try:
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(data)))
            for k, v in hdrs.items():
                self.send_header(k, v)
            self.end_headers()
            for i in range(0, len(data), 16384):
                self.wfile.write(data[i:i + 16384])
                self.wfile.flush()
                time.sleep(0.25)
        except OSError:
            self.close_connection = True

    def _gcs_meta(self, bucket, obj, o):
        return {"kind": "storage#object", "id": "%s/%s/%d" % (bucket, obj, int(o["created"] * 1e6)),
                "selfLink": "%s/storage/v1/b/%s/o/%s" % (self.st.urls["gcs"], bucket, urllib.parse.quote(obj, "")),
                "mediaLink": "%s/download/storage/v1/b/%s/o/%s?generation=%d&alt=media" % (
                    self.st.urls["gcs"], bucket, urllib.parse.quote(obj, ""), int(o["created"] * 1e6)),
                "name": obj, "bucket": bucket, "generation": str(int(o["created"] * 1e6)), "metageneration": "1",
                "contentType": "video/mp4", "storageClass": "STANDARD", "size": str(len(o["data"])),
                "md5Hash": base64.b64encode(hashlib.md5(o["data"]).digest()).decode(),
                "timeCreated": rfc3339(o["created"]), "updated": rfc3339(o["created"])}

    def _gcs_list(self, bucket, q):
        st = self.st
        prefix = q.get("prefix", "")
        with st.lock:
            st.gcs_lists.append((bucket, prefix, q.get("pageToken")))
            names = sorted(o for (b, o) in st.gcs if b == bucket and o.startswith(prefix))
        off = int(q.get("pageToken") or 0)
        size = min(st.cfg["gcs_page_size"], int(q.get("maxResults") or 1000))
        page = names[off:off + size]
        ans = {"kind": "storage#objects"}
        if page:
            ans["items"] = [self._gcs_meta(bucket, n, st.gcs[(bucket, n)]) for n in page]
        if off + size < len(names):
            ans["nextPageToken"] = str(off + size)
        self._send(200, ans)

    # ===================================================================================================== gemini
    def _gemini_key(self):
        st = self.st
        got = self.headers.get("x-goog-api-key")
        if got is None:
            got = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)).get("key")
        if got is None:
            with st.lock:
                st.violations.append("gemini %s %s without a key" % (self.command, self.entry["path"]))
            self._error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without "
                        "established identity). Please use API Key or other form of API consumer identity to call "
                        "this API.", [error_info("API_KEY_MISSING",
                                                 "googleapis.com", {"service": "generativelanguage.googleapis.com"})])
            return False
        if got.strip() != st.cfg["gemini_key"] or st.cfg["gemini_key_refused"]:
            with st.lock:
                st.violations.append("gemini %s %s with a wrong key" % (self.command, self.entry["path"]))
            self._send(400, API_KEY_INVALID)
            return False
        return True

    def _post_gemini(self):
        path, _ = self._split()
        m = re.match(r"^/v1beta/(?:models/)?([^/:]+):predictLongRunning$", path)
        if not m:
            with self.st.lock:
                self.st.violations.append("gemini POST to an unknown path %s" % path)
            return self._error(404, "NOT_FOUND", "The requested URL %s was not found on this server." % path)
        if not self._gemini_key():
            return
        model = m.group(1)
        try:
            body = json.loads(self.raw or b"null")
        except ValueError:
            return self._error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        st = self.st
        prompt = None
        try:
            prompt = body["instances"][0].get("prompt")
        except (TypeError, KeyError, IndexError, AttributeError):
            pass
        rec = dict(api="gemini", prompt=prompt, body=body, model=model, outcome=None, op=None, t=time.time(),
                   headers=dict(self.headers.items()))
        with st.lock:
            st.creates.append(rec)
        if self._model_gone("gemini", model):
            rec["outcome"] = "404"
            return
        try:
            validate_gemini(body, model)
        except BadField as e:
            rec["outcome"] = "400 " + e.field
            return self._error(400, "INVALID_ARGUMENT", e.description, [bad_request(e.field, e.description)])
        mode = self._create_fault(prompt)
        if mode and not mode.endswith("after-create"):
            rec["outcome"] = "fault " + mode
            return self._answer_create_fault(mode, "gemini", model)
        with st.lock:
            op = st.new_op("gemini", model, prompt, body)
            rec["op"] = op["name"]
            for i, v in enumerate(op["videos"]):
                fid = "%s%d" % (op["id"][:10], i)
                st.gfiles[fid] = v
            op["fids"] = ["%s%d" % (op["id"][:10], i) for i in range(len(op["videos"]))]
        if mode == "drop-after-create":
            rec["outcome"] = "created, answer dropped"
            self.entry["status"] = "dropped after create"
            self._drop()
        elif mode == "503-after-create":
            rec["outcome"] = "created, answered 503"
            self._error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
        else:
            rec["outcome"] = "created"
            self._send(200, {"name": op["name"]})
        self._after_create(op, bool(mode))

    def _get_gemini(self):
        st = self.st
        path, q = self._split()
        m = re.match(r"^/v1beta/files/([a-z0-9]+):download$", path)
        if m:
            return self._gemini_download(m.group(1), q)
        m = re.match(r"^/v1beta/(models/[^/]+/operations/[^/]+)$", path)
        if m:
            if not self._gemini_key():
                return
            return self._gemini_poll(m.group(1))
        m = re.match(r"^/v1beta/models/([^/:]+)$", path)
        if m:
            if not self._gemini_key():
                return
            model = m.group(1)
            if self._model_gone("gemini", model):
                return
            return self._send(200, {"name": "models/" + model, "version": "3.1", "displayName": "Veo 3.1",
                                    "description": "Veo video generation (hostile stand-in)",
                                    "inputTokenLimit": 1024, "outputTokenLimit": 0,
                                    "supportedGenerationMethods": ["predictLongRunning"]})
        with st.lock:
            st.violations.append("gemini GET of an unknown path %s" % path)
        self._error(404, "NOT_FOUND", "The requested URL %s was not found on this server." % path)

    def _gemini_poll(self, name):
        st = self.st
        with st.lock:
            op = st.ops.get(name)
        if op is None or op["api"] != "gemini":
            return self._error(404, "NOT_FOUND", "Operation %s not found." % name)
        if self._poll_fault():
            return
        with st.lock:
            op["polls"] += 1
            done = st.op_done(op)
            if done:
                op["done_answers"] += 1
        if not done:
            ans = {"name": op["name"]}
            if op["polls"] % 2 == 0:
                ans["done"] = False
            return self._send(200, ans)
        ans = {"name": op["name"], "done": True}
        o = op["outcome"]
        if o == "fail":
            ans["error"] = {"code": 13, "message": "Video generation failed due to an internal error. Please try "
                                                   "again."}
        elif o == "fail3":
            ans["error"] = {"code": 3, "message": "The prompt was blocked by our safety policy."}
        else:
            gvr = {}
            if op["videos"]:
                if st.cfg["gemini_inline"]:
                    gvr["generatedSamples"] = [{"video": {"encodedVideo": base64.b64encode(v).decode(),
                                                          "encoding": "video/mp4"}} for v in op["videos"]]
                else:
                    gvr["generatedSamples"] = [{"video": {"uri": "%s/v1beta/files/%s:download?alt=media" % (
                        st.urls[st.cfg["gemini_uri_host"]], fid)}} for fid in op["fids"]]
            if o in ("rai", "partial-rai"):
                gvr["raiMediaFilteredCount"] = op["n"] - len(op["videos"])
                img = (op["body"].get("instances") or [{}])[0].get("image")
                gvr["raiMediaFilteredReasons"] = [RAI_GEMINI if img else RAI_GEMINI_TEXT]
            ans["response"] = {"@type": "type.googleapis.com/google.ai.generativelanguage.v1beta."
                                        "PredictLongRunningResponse", "generateVideoResponse": gvr}
        self._send(200, ans)

    def _gemini_download(self, fid, q):
        st = self.st
        if not self._gemini_key():
            return
        if q.get("alt") != "media":
            return self._send(200, {"name": "files/" + fid, "source": "GENERATED", "mimeType": "video/mp4",
                                    "state": "ACTIVE"})
        with st.lock:
            ok = fid in st.gfiles
        if not ok:
            return self._error(404, "NOT_FOUND", "File files/%s not found." % fid)
        exp = int(time.time()) + 600
        sig = hashlib.sha256(("%s:%d" % (fid, exp)).encode()).hexdigest()
        loc = "%s/gen/%s.mp4?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Expires=600&X-Goog-Date=%d&" \
              "X-Goog-Signature=%s" % (st.urls["gstore"], fid, exp, sig)
        self._send(302, b"", ctype="text/html; charset=UTF-8", headers={"Location": loc})

    # ===================================================================================================== gstore
    def _post_gstore(self):
        self._send(405, b"", ctype="text/plain")

    def _get_gstore(self):
        st = self.st
        path, q = self._split()
        m = re.match(r"^/gen/([a-z0-9]+)\.mp4$", path)
        if path.startswith("/v1beta/"):
            with st.lock:
                st.violations.append("the storage host got an API path %s (video.uri followed as given?)" % path)
        if not m:
            return self._send(404, b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code></Error>",
                              ctype="application/xml; charset=UTF-8")
        fid = m.group(1)
        want = hashlib.sha256(("%s:%s" % (fid, q.get("X-Goog-Date"))).encode()).hexdigest()
        if q.get("X-Goog-Signature") != want:
            return self._send(403, b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code>"
                                   b"</Error>", ctype="application/xml; charset=UTF-8")
        with st.lock:
            data = st.gfiles.get(fid)
            n = st.gstore_gets.get(fid, 0)
            st.gstore_gets[fid] = n + 1
        self._serve_media(data, n, "gstore")

    # ===================================================================================================== images
    def _post_images(self):
        self._send(405, b"", ctype="text/plain")

    def _get_images(self):
        path, _ = self._split()
        name = path.rsplit("/", 1)[-1]
        if name not in IMAGES:
            return self._send(404, b"not found", ctype="text/plain")
        data, ctype = IMAGES[name]
        self._send(200, data, ctype=ctype)


# ---- request validation (the documented shapes, §1.3 and §2.3) -----------------------------------------------------
def _check_image(img, where, gemini):
    if not isinstance(img, dict):
        raise BadField(where, "%s must be an object" % where)
    keys = set(img) - {"mimeType"}
    if gemini and "gcsUri" in img:
        raise BadField(where + ".gcsUri", "gcsUri is not supported by the Gemini API; send bytesBase64Encoded")
    if keys != {"bytesBase64Encoded"} and keys != {"gcsUri"}:
        raise BadField(where, "%s needs exactly one of bytesBase64Encoded or gcsUri (got %s)" % (where,
                                                                                                sorted(img)))
    mt = img.get("mimeType")
    if mt not in ("image/jpeg", "image/png"):
        raise BadField(where + ".mimeType", "mimeType %r is not supported; use image/jpeg or image/png" % mt)
    if "bytesBase64Encoded" in img:
        try:
            data = base64.b64decode(img["bytesBase64Encoded"], validate=True)
        except (ValueError, TypeError):
            raise BadField(where + ".bytesBase64Encoded", "bytesBase64Encoded is not valid base64")
        magic_ok = data.startswith(b"\x89PNG") if mt == "image/png" else data.startswith(b"\xff\xd8")
        if not magic_ok:
            raise BadField(where + ".mimeType", "the image bytes are not %s" % mt)


def _typed(params, name, kind, allowed=None, rng=None):
    if name not in params:
        return
    v = params[name]
    if kind is int and (isinstance(v, bool) or not isinstance(v, int)):
        raise BadField("parameters." + name, "Invalid value for %s: %r is not an integer" % (name, v))
    if kind is bool and not isinstance(v, bool):
        raise BadField("parameters." + name, "Invalid value for %s: %r is not a boolean" % (name, v))
    if kind is str and not isinstance(v, str):
        raise BadField("parameters." + name, "Invalid value for %s: %r is not a string" % (name, v))
    if allowed is not None and v not in allowed:
        raise BadField("parameters." + name, "Unsupported %s %r; supported values are %s" % (name, v,
                                                                                         list(allowed)))
    if rng is not None and not rng[0] <= v <= rng[1]:
        raise BadField("parameters." + name, "%s %r is out of range [%d, %d]" % (name, v, rng[0], rng[1]))


def _instance(body):
    if not isinstance(body, dict) or not isinstance(body.get("instances"), list) or len(body["instances"]) != 1:
        raise BadField("instances", "instances must be a list with one instance")
    inst = body["instances"][0]
    if not isinstance(inst, dict):
        raise BadField("instances[0]", "instance must be an object")
    if not isinstance(inst.get("prompt"), str) or not inst["prompt"].strip():
        if "image" not in inst:
            raise BadField("instances[0].prompt", "prompt is required for text-to-video")
    params = body.get("parameters", {})
    if not isinstance(params, dict):
        raise BadField("parameters", "parameters must be an object")
    return inst, params


def validate_vertex(body, model):
    inst, params = _instance(body)
    for k in inst:
        if k not in ("prompt", "image", "lastFrame", "video", "referenceImages", "mask"):
            raise BadField("instances[0].%s" % k, "Invalid JSON payload received. Unknown name \"%s\"" % k)
    if "image" in inst:
        _check_image(inst["image"], "instances[0].image", False)
    _typed(params, "durationSeconds", int, (4, 6, 8))
    _typed(params, "aspectRatio", str, ("16:9", "9:16"))
    _typed(params, "resolution", str, ("720p", "1080p") if "lite" in model else ("720p", "1080p", "4k"))
    _typed(params, "sampleCount", int, rng=(1, 4))
    _typed(params, "seed", int, rng=(0, 4294967295))
    _typed(params, "generateAudio", bool)
    _typed(params, "enhancePrompt", bool)
    _typed(params, "negativePrompt", str)
    _typed(params, "personGeneration", str, ("allow_adult", "dont_allow", "allow_all"))
    _typed(params, "fps", int, (24,))
    if "storageUri" in params and (not isinstance(params["storageUri"], str) or
                                   not re.match(r"^gs://[a-z0-9][a-z0-9._-]{1,61}[a-z0-9](/.*)?$",
                                                params["storageUri"])):
        raise BadField("parameters.storageUri", "storageUri must be gs://BUCKET/PREFIX/ (got %r)" %
                       params["storageUri"])


GEMINI_ONLY_VERTEX = ("seed", "generateAudio", "storageUri", "fps", "pubsubTopic", "compressionQuality",
                      "resizeMode", "outputGcsUri")


def validate_gemini(body, model):
    inst, params = _instance(body)
    for k in inst:
        if k not in ("prompt", "image", "lastFrame", "video", "referenceImages"):
            raise BadField("instances[0].%s" % k, "Invalid JSON payload received. Unknown name \"%s\"" % k)
    for k in GEMINI_ONLY_VERTEX:
        if k in params:
            raise BadField("parameters.%s" % k, "`%s` isn't supported by this model." % k)
    if "image" in inst:
        _check_image(inst["image"], "instances[0].image", True)
    _typed(params, "durationSeconds", int, (4, 6, 8))
    _typed(params, "aspectRatio", str, ("16:9", "9:16"))
    _typed(params, "resolution", str, ("720p", "1080p", "4k"))
    _typed(params, "sampleCount", int, rng=(1, 4))
    _typed(params, "enhancePrompt", bool)
    _typed(params, "negativePrompt", str)
    _typed(params, "personGeneration", str, ("allow_all", "allow_adult", "dont_allow"))
    if params.get("resolution") in ("1080p", "4k") and params.get("durationSeconds", 8) != 8:
        raise BadField("parameters.durationSeconds", "Video duration must be 8 seconds for resolution %s; got %s."
                       % (params["resolution"], params.get("durationSeconds")))
    pg = params.get("personGeneration")
    if pg is not None:
        want = "allow_adult" if "image" in inst else "allow_all"
        if pg != want:
            raise BadField("parameters.personGeneration", "personGeneration %r is not supported for %s; use %r."
                           % (pg, "image-to-video" if "image" in inst else "text-to-video", want))


# ---- wiring ---------------------------------------------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


ROLES = ("vertex", "token", "gcs", "gemini", "gstore", "images")


class GoogleServers:
    """The six listeners around one GoogleState. .state.sa is the service account (its key file: .sa_file)."""

    def __init__(self, workdir, ports=None, quota_project=None, **cfg):
        self.state = GoogleState(**cfg)
        ports = ports or {}
        self.servers = {}
        for role in ROLES:
            s = _Server((HOST, ports.get(role, 0)), Handler)
            s.role = role
            s.state = self.state
            threading.Thread(target=s.serve_forever, daemon=True).start()
            self.servers[role] = s
            self.state.urls[role] = "http://%s:%d" % (HOST, s.server_port)
        self.state.sa = ServiceAccount(workdir, self.state.cfg["project"], self.state.urls["token"] + "/token",
                                       quota_project)
        self.sa_file = self.state.sa.file
        self._stop = threading.Event()
        threading.Thread(target=self._ticker, daemon=True).start()

    def _ticker(self):
        while not self._stop.wait(0.1):
            with self.state.lock:
                self.state.tick()

    @property
    def vertex_base(self):
        return self.state.urls["vertex"] + "/v1"

    @property
    def gemini_base(self):
        return self.state.urls["gemini"] + "/v1beta"

    def image_url(self, name):
        return "%s/img/%s" % (self.state.urls["images"], name)

    def vertex_args(self):
        return ["--sora.vertex.base-url=" + self.vertex_base, "--sora.vertex.storage-url=" + self.state.urls["gcs"],
                "--sora.vertex.location=" + self.state.cfg["location"]]

    def stop(self):
        self._stop.set()
        for s in self.servers.values():
            s.shutdown()
            s.server_close()
        if self.state.log_fh:
            self.state.log_fh.close()


def start(workdir, **kw):
    return GoogleServers(workdir, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for role, p in zip(ROLES, range(8200, 8206)):
        ap.add_argument("--%s-port" % role, type=int, default=p)
    ap.add_argument("--workdir", default=None, help="where the service-account key file is written")
    ap.add_argument("--quota-project", default=None)
    ap.add_argument("--log", default=None, help="append every request as a JSON line to this file")
    for k, v in DEFAULTS.items():
        if k in ("on_create_answered", "log_file", "poll_fault_modes", "create_faults"):
            continue
        flag = "--" + k.replace("_", "-")
        if isinstance(v, bool):
            ap.add_argument(flag, action="store_true", default=v)
        elif isinstance(v, (int, float)) and v is not None:
            ap.add_argument(flag, type=type(v), default=v)
        else:
            ap.add_argument(flag, default=v)
    a = ap.parse_args()
    cfg = {k: getattr(a, k) for k in DEFAULTS if k not in ("on_create_answered", "log_file", "poll_fault_modes",
                                                           "create_faults")}
    for k in ("create_fault_count", "token_valid_for"):
        if cfg[k] is not None:
            cfg[k] = float(cfg[k]) if k == "token_valid_for" else int(cfg[k])
    wd = a.workdir or tempfile.mkdtemp(prefix="google-server-")
    g = GoogleServers(wd, ports={r: getattr(a, r + "_port") for r in ROLES}, quota_project=a.quota_project,
                      log_file=a.log, **cfg)
    for r in ROLES:
        print("%-7s %s" % (r, g.state.urls[r]))
    print("service-account key file: %s (token_uri %s/token)" % (g.sa_file, g.state.urls["token"]))
    print("vertex: GOOGLE_CLOUD_PROJECT=%s GOOGLE_APPLICATION_CREDENTIALS=%s %s" % (
        g.state.cfg["project"], g.sa_file, " ".join(g.vertex_args())))
    print("gemini: GEMINI_API_KEY=%s --sora.gemini.base-url=%s" % (g.state.cfg["gemini_key"], g.gemini_base),
          flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        g.stop()


if __name__ == "__main__":
    main()
