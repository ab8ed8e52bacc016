#!/usr/bin/env python3
"""A minimal REFERENCE fal client with sora-batch's intended fal CLI, used only to check the harness: the
fal scenarios run against it must PASS (`run_fal_scenarios.sh tools/hostile/fal_refclient.py`). It is not the
product and shares nothing with it; it was written from providers-api.md section 3.

  python3 fal_refclient.py --input=in.csv --output=out [--provider=fal] [--sora.model=fal-ai/veo3.1/fast]
                           [--sora.max-in-flight=N] [other --sora.* ignored]
  env FAL_KEY, FAL_QUEUE_URL (https://queue.fal.run), FAL_API_URL (https://api.fal.ai/v1)

What it does: submits rows (marking each SUBMITTING in a ledger file first), follows the URLs the answer gives,
treats a lost/ambiguous submit answer by looking for the request in the request list (same endpoint, same
json_input, sent inside the call's window) before it ever submits again, resumes from its ledger after a kill,
reads failures from the result (422 detail arrays, flat {detail, error_type}), recovers an expired result from
the list's json_output, and writes out/report.csv. Exit 0 / 3 / 1 (systemic: a refused key) / 2 (usage).
"""
import csv
import datetime
import hashlib
import http.client as httpclient
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

LEDGER = ".sora-batch/refclient-ledger.json"
# deliberate bugs, to see the scenarios catch them (mutation check of the harness), comma-separated:
# build-urls (status URL built with the sub-path), cdn-key (key sent to the CDN), resubmit (a lost answer is
# submitted again blindly), unknown-error (failures reported as "Unknown error"), no-ledger (a restart forgets)
BUGS = set(filter(None, os.environ.get("REFCLIENT_BUGS", "").split(",")))


class Systemic(Exception):
    pass


def now():
    return time.time()


def http(method, url, key=None, body=None, timeout=30):
    """-> (code, headers, bytes); code None on a network error."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if key:
        req.add_header("Authorization", "Key " + key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()
    except (urllib.error.URLError, httpclient.HTTPException, OSError) as e:
        return None, {}, repr(e).encode()


def js(b):
    try:
        return json.loads(b.decode("utf-8"))
    except Exception:  # noqa
        return None


def error_text(code, body):
    j = js(body)
    if isinstance(j, dict):
        d = j.get("detail")
        if isinstance(d, list):
            parts = []
            for e in d:
                loc = ".".join(str(x) for x in e.get("loc", []) if x != "body")
                s = "%s: %s" % (loc, e.get("msg"))
                if e.get("type"):
                    s += " [%s]" % e["type"]
                if e.get("categories"):
                    s += " categories: %s" % ", ".join(e["categories"])
                if "input" in e and not isinstance(e["input"], dict):
                    s += " (sent %r)" % (e["input"],)
                parts.append(s)
            return "HTTP %s: %s" % (code, "; ".join(parts))
        if d is not None:
            return "HTTP %s: %s%s" % (code, d, " (%s)" % j["error_type"] if j.get("error_type") else "")
    return "HTTP %s: %s" % (code, body[:200].decode("utf-8", "replace"))


def typed(v):
    s = v.strip()
    if s in ("true", "false", "null") or s[:1] in "[{" or s.lstrip("-").replace(".", "", 1).isdigit():
        try:
            return json.loads(s)
        except ValueError:
            pass
    return v


def build_input(row, model):
    inp = {"prompt": row["prompt"]}
    for k in ("image_url", "aspect_ratio", "resolution", "negative_prompt"):
        if row.get(k):
            inp[k] = row[k]
    if row.get("seed"):
        inp["seed"] = int(row["seed"])
    if row.get("seconds"):
        inp["duration"] = row["seconds"] + "s" if model.startswith("fal-ai/veo3") else row["seconds"]
    for k, v in row.items():
        if k and k.startswith("param.") and v != "":
            inp[k[6:]] = typed(v)
    return inp


class Client:
    def __init__(self, args):
        self.key = os.environ.get("FAL_KEY", "").strip()
        self.queue = os.environ.get("FAL_QUEUE_URL", "https://queue.fal.run").rstrip("/")
        self.api = os.environ.get("FAL_API_URL", "https://api.fal.ai/v1").rstrip("/")
        self.inp = args["input"]
        self.out = args.get("output", "output")
        self.report = args.get("report", os.path.join(self.out, "report.csv"))
        self.model = args.get("sora.model", "fal-ai/veo3.1/fast")
        self.cap = int(args.get("sora.max-in-flight", "2"))
        raw = open(self.inp, "rb").read()
        self.run_id = hashlib.sha256(os.path.abspath(self.inp).encode() + raw).hexdigest()[:16]
        self.rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        self.ledger = self._load()

    # ---- ledger ---------------------------------------------------------------------
    def _load(self):
        try:
            led = json.load(open(LEDGER))
        except (OSError, ValueError):
            led = {}
        if led.get("run_id") != self.run_id or led.get("done") or "no-ledger" in BUGS:
            led = {"run_id": self.run_id, "rows": {}}
        return led

    def save(self):
        os.makedirs(os.path.dirname(LEDGER), exist_ok=True)
        tmp = LEDGER + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.ledger, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, LEDGER)

    def e(self, i):
        return self.ledger["rows"].setdefault(str(i), {"state": "NEW", "attempts": 0})

    # ---- calls ----------------------------------------------------------------------
    def call(self, method, url, body=None, auth=True):
        code, hdrs, data = http(method, url, self.key if auth else None, body)
        if code in (401, 403):
            raise Systemic("fal refused FAL_KEY (HTTP %d: %s); set FAL_KEY to a valid key" % (
                code, error_text(code, data)))
        return code, hdrs, data

    def find_orphan(self, row_i, ent):
        """Look for our request in the request list: same endpoint, same json_input, inside the window."""
        ep = ent["endpoint"]
        lo, hi = ent["t_send"] - 10, ent.get("t_gave_up", now()) + 10
        start = datetime.datetime.fromtimestamp(lo - 60, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        cursor, found = None, []
        for _ in range(50):
            url = "%s/models/requests/by-endpoint?endpoint_id=%s&limit=100&start=%s" % (
                self.api, urllib.parse.quote(ep, safe=""), start)
            if cursor:
                url += "&cursor=" + urllib.parse.quote(cursor)
            code, hdrs, data = self.call("GET", url)
            if code != 200:
                time.sleep(0.3)
                continue
            j = js(data)
            for it in j.get("items", []):
                t = it.get("sent_at")
                ts = datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() if t else 0
                if it.get("json_input") == ent["input"] and lo <= ts <= hi:
                    found.append(it)
            if not j.get("has_more"):
                break
            cursor = j.get("next_cursor")
        held = {e.get("request_id") for e in self.ledger["rows"].values()}
        found = [f for f in found if f["request_id"] not in held]
        return found

    def adopt(self, ent, rid):
        owner_app = "/".join(ent["endpoint"].split("/")[:2])
        base = "%s/%s/requests/%s" % (self.queue, owner_app, rid)
        ent.update(state="SUBMITTED", request_id=rid, status_url=base + "/status", response_url=base,
                   adopted=True)

    def submit(self, i, row):
        ent = self.e(i)
        model = row.get("model") or self.model
        ent["endpoint"] = model
        ent["input"] = build_input(row, model)
        while True:
            if ent["state"] == "SUBMITTING" and "resubmit" not in BUGS:
                time.sleep(max(0, ent.get("t_gave_up", ent["t_send"]) + 1.0 - now()))
                found = self.find_orphan(i, ent)
                if len(found) == 1:
                    self.adopt(ent, found[0]["request_id"])
                    self.save()
                    return
                if len(found) > 1:
                    ent.update(state="FAILED", error="ambiguous_orphan: %s" % ", ".join(f["request_id"] for f in found))
                    self.save()
                    return
            ent.update(state="SUBMITTING", t_send=now(), attempts=ent["attempts"] + 1)
            ent.pop("t_gave_up", None)
            self.save()
            code, hdrs, data = self.call("POST", "%s/%s" % (self.queue, model), ent["input"])
            ent["t_gave_up"] = now()
            j = js(data)
            if code == 200 and isinstance(j, dict) and j.get("request_id"):
                ent.update(state="SUBMITTED", request_id=j["request_id"], status_url=j["status_url"],
                           response_url=j["response_url"])
                if "build-urls" in BUGS:
                    ent.update(status_url="%s/%s/requests/%s/status" % (self.queue, model, j["request_id"]),
                               response_url="%s/%s/requests/%s" % (self.queue, model, j["request_id"]))
                self.save()
                return
            if code is not None and 400 <= code < 500 and code not in (408, 409, 429):
                ent.update(state="FAILED", http_status=code, error=error_text(code, data))
                self.save()
                return
            if ent["attempts"] >= 8:
                ent.update(state="FAILED", http_status=code, error="submit failed: " + error_text(code, data))
                self.save()
                return
            self.save()  # still SUBMITTING: the next turn looks for the request before sending again
            time.sleep(0.3)

    def poll(self, i, row):
        ent = self.e(i)
        code, hdrs, data = self.call("GET", ent["status_url"] + "?logs=0")
        j = js(data)
        if code not in (200, 202) or not isinstance(j, dict):
            return
        if j.get("status") != "COMPLETED":
            return
        code, hdrs, data = self.call("GET", ent["response_url"])
        j2 = js(data)
        if code == 200 and isinstance(j2, dict) and isinstance(j2.get("video"), dict):
            return self.download(i, row, ent, j2)
        if code == 404:
            out = self.list_output(ent)
            if out and isinstance(out.get("video"), dict):
                return self.download(i, row, ent, out)
            ent.update(state="FAILED", http_status=404, error="the result expired at fal (404 after COMPLETED) "
                                                              "and the request list has no output")
            self.save()
            return
        if code is None or (code in (502, 503, 504, 429) and not hdrs.get("content-type", "").startswith(
                "application/json")):
            return
        ent.update(state="FAILED", http_status=code, error=error_text(code, data) + (
            "; status said: %s" % j["error"] if j.get("error") else ""))
        self.save()

    def list_output(self, ent):
        cursor = None
        for _ in range(50):
            url = "%s/models/requests/by-endpoint?endpoint_id=%s&limit=100" % (
                self.api, urllib.parse.quote(ent["endpoint"], safe=""))
            if cursor:
                url += "&cursor=" + urllib.parse.quote(cursor)
            code, _, data = self.call("GET", url)
            j = js(data) if code == 200 else None
            if not j:
                return None
            for it in j.get("items", []):
                if it.get("request_id") == ent["request_id"]:
                    return it.get("json_output")
            if not j.get("has_more"):
                return None
            cursor = j.get("next_cursor")

    def download(self, i, row, ent, res):
        v = res["video"]
        code, hdrs, data = http("GET", v["url"], self.key if "cdn-key" in BUGS else None)
        if code != 200 or (v.get("file_size") and len(data) != v["file_size"]):
            return
        os.makedirs(self.out, exist_ok=True)
        name = "%s.mp4" % (row.get("id") or "row-%d" % (i + 1))
        tmp = os.path.join(self.out, "." + name + ".part")
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.out, name))
        ent.update(state="SUCCEEDED", file=name)
        self.save()

    def run(self):
        try:
            while True:
                todo = [i for i in range(len(self.rows)) if self.e(i)["state"] not in ("SUCCEEDED", "FAILED")]
                if not todo:
                    break
                inflight = [i for i in todo if self.e(i)["state"] == "SUBMITTED"]
                for i in todo:
                    if self.e(i)["state"] == "SUBMITTING" or (
                            self.e(i)["state"] == "NEW" and len(inflight) < self.cap):
                        self.submit(i, self.rows[i])
                        if self.e(i)["state"] == "SUBMITTED":
                            inflight.append(i)
                for i in inflight:
                    self.poll(i, self.rows[i])
                time.sleep(0.3)
            self.ledger["done"] = True
            self.save()
            rc = 0 if all(self.e(i)["state"] == "SUCCEEDED" for i in range(len(self.rows))) else 3
        except Systemic as s:
            print("refclient: run stopped: %s" % s, file=sys.stderr)
            rc = 1
        self.write_report()
        ok = sum(1 for i in range(len(self.rows)) if self.e(i)["state"] == "SUCCEEDED")
        print("refclient: %d succeeded, %d not; report %s" % (ok, len(self.rows) - ok, self.report))
        return rc

    def write_report(self):
        os.makedirs(os.path.dirname(self.report) or ".", exist_ok=True)
        cols = ["row", "id", "prompt", "status", "job_id", "video_files", "http_status", "error_message",
                "diagnosis", "attempts"]
        with open(self.report + ".tmp", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(cols)
            for i, row in enumerate(self.rows):
                e = self.e(i)
                st = e["state"] if e["state"] in ("SUCCEEDED", "FAILED") else "PENDING"
                err = "Unknown error" if "unknown-error" in BUGS and e.get("error") else e.get("error", "")
                w.writerow([i + 1, row.get("id", ""), row["prompt"], st, e.get("request_id", ""), e.get("file", ""),
                            e.get("http_status", ""), err,
                            "adopted after a lost submit answer" if e.get("adopted") else "", e["attempts"]])
        os.replace(self.report + ".tmp", self.report)


def main():
    args = {}
    for a in sys.argv[1:]:
        if a.startswith("--") and "=" in a:
            k, v = a[2:].split("=", 1)
            args[k] = v
    if "input" not in args:
        print("usage: fal_refclient.py --input=CSV [--output=DIR]", file=sys.stderr)
        return 2
    if args.get("provider", "fal") != "fal" or not os.environ.get("FAL_KEY"):
        print("refclient: only --provider=fal with FAL_KEY set", file=sys.stderr)
        return 2
    return Client(args).run()


if __name__ == "__main__":
    sys.exit(main())
