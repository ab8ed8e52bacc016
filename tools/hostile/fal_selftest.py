#!/usr/bin/env python3
"""Self-test of fal_server.py with urllib only (no product involved): checks the stand-in behaves as
providers-api.md section 3 says, whatever the product does. Prints PASS/FAIL lines; exit 1 on any FAIL.

  python3 fal_selftest.py            (about 15 s)
"""
import http.client
import json
import os
import sys
import time
import urllib.error
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fal_server as fs  # noqa: E402

RESULTS = []
KEY = "0f3c9a4e-7b1d-4c5e-9a2f-1e2d3c4b5a69:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"


def result(name, ok, evidence):
    RESULTS.append(("selftest-" + name, ok, evidence))
    print("%s selftest-%s: %s" % ("PASS" if ok else "FAIL", name, evidence), flush=True)


def call(method, url, body=None, key=KEY, raw=False):
    """-> (code, headers dict lower-case, parsed JSON or text) ; code None on a dropped connection."""
    data = json.dumps(body).encode() if body is not None and not raw else body
    req = urllib.request.Request(url, data=data, method=method)
    if key is not None:
        req.add_header("Authorization", "Key " + key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            code, hdrs, payload = r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        code, hdrs, payload = e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()
    except (urllib.error.URLError, http.client.RemoteDisconnected, ConnectionError) as e:
        return None, {}, repr(e)
    ct = hdrs.get("content-type", "")
    if ct.startswith("application/json"):
        return code, hdrs, json.loads(payload.decode())
    return code, hdrs, payload


def wait_status(url, want, timeout=10):
    t0 = time.time()
    while time.time() - t0 < timeout:
        c, h, b = call("GET", url + "?logs=1")
        if isinstance(b, dict) and b.get("status") == want:
            return c, h, b
        time.sleep(0.05)
    return None, {}, None


def check(name, cond, evidence):
    result(name, bool(cond), evidence)


def t_basic():
    f = fs.start(key=KEY, run_seconds=0.6, max_concurrent=1)
    try:
        q = f.queue_url
        c, h, b = call("POST", q + "/fal-ai/veo3.1/fast", {"prompt": "x"}, key=None)
        c2, h2, b2 = call("POST", q + "/fal-ai/veo3.1/fast", {"prompt": "x"}, key="wrong")
        st = f.state.stats()
        check("bad-key-401", c == 401 and c2 == 401 and isinstance(b, dict) and "detail" in b
              and len(st["bad_auth"]) == 2 and st["created"] == 0,
              "no key -> %s %s; wrong key -> %s; recorded %d; created %d" % (c, b, c2, len(st["bad_auth"]),
                                                                              st["created"]))
        subs = []
        for p in ("one", "two", "three"):
            subs.append(call("POST", q + "/fal-ai/veo3.1/fast", {"prompt": p, "duration": "8s", "seed": 4}))
        c, h, b = subs[0]
        ok = (c == 200 and all(k in b for k in ("request_id", "response_url", "status_url", "cancel_url"))
              and h.get("x-fal-request-id") == b["request_id"] and "/fast/" not in b["status_url"]
              and b["status_url"] == q + "/fal-ai/veo3.1/requests/%s/status" % b["request_id"]
              and b["response_url"] == q + "/fal-ai/veo3.1/requests/%s" % b["request_id"]
              and b["cancel_url"].endswith("/cancel") and "hostile_unknown_field" in b)
        check("submit-answer", ok, "200 %s" % json.dumps(b)[:300])
        pos = [s[2].get("queue_position") for s in subs]
        check("queue-positions", pos == [0, 0, 1], "submit queue_position of three submits with cap 1: %s" % pos)
        c, h, b = call("GET", subs[2][2]["status_url"] + "?logs=0")
        check("status-in-queue", c == 202 and b["status"] == "IN_QUEUE" and b["queue_position"] == 1,
              "%s %s" % (c, json.dumps(b)[:200]))
        c, h, b = wait_status(subs[0][2]["status_url"], "IN_PROGRESS")
        c0, _, b0 = call("GET", subs[0][2]["status_url"] + "?logs=false")
        check("status-in-progress", c == 202 and isinstance(b.get("logs"), list) and b["logs"]
              and (b0.get("status") != "IN_PROGRESS" or b0.get("logs") is None),
              "logs=1 -> %s %s; logs=false -> logs %r" % (c, json.dumps(b)[:200], b0.get("logs")))
        c, h, b = call("GET", subs[0][2]["response_url"])
        check("result-early-400", c == 400 or (c == 200 and f.state.stats()["requests"][0]["status"] == "COMPLETED"),
              "%s %s" % (c, b))
        c, h, b = wait_status(subs[0][2]["status_url"], "COMPLETED")
        check("status-completed", c == 200 and "metrics" in b and "error" not in b, "%s %s" % (c, json.dumps(b)[:200]))
        c, h, b = call("GET", subs[0][2]["response_url"])
        v = b.get("video", {}) if isinstance(b, dict) else {}
        fc, fh, fb = call("GET", v.get("url", "http://127.0.0.1:1/"), key=None)
        check("result-and-file", c == 200 and v.get("content_type") == "video/mp4" and v["url"].startswith(
            f.files_url + "/files/") and fc == 200 and len(fb) == v["file_size"] and fb[4:8] == b"ftyp"
              and fh.get("content-type") == "video/mp4",
              "result %s %s; file %s %d bytes (file_size %s)" % (c, json.dumps(b)[:200], fc, len(fb or b""),
                                                                 v.get("file_size")))
        call("GET", v["url"], key=KEY)  # a client that sends the key to the CDN is recorded
        leaks = f.state.stats()["files_auth_headers"]
        check("files-record-auth", len(leaks) == 1, "one GET with the key -> recorded %s" % leaks)
        # cancel: queued -> 202, completed -> 400, unknown -> 404
        c3, _, b3 = call("PUT", subs[2][2]["cancel_url"])
        c1, _, b1 = call("PUT", subs[0][2]["cancel_url"])
        cu, _, bu = call("PUT", q + "/fal-ai/veo3.1/requests/00000000-0000-0000-0000-000000000000/cancel")
        check("cancel", (c3, b3.get("status"), c1, b1.get("status"), cu, bu.get("status")) ==
              (202, "CANCELLATION_REQUESTED", 400, "ALREADY_COMPLETED", 404, "NOT_FOUND"),
              "queued %s %s; completed %s %s; unknown %s %s" % (c3, b3.get("status"), c1, b1.get("status"), cu,
                                                                 bu.get("status")))
        # built URLs: with the sub-path
        c, _, _ = call("GET", q + "/fal-ai/veo3.1/fast/requests/%s/status" % subs[1][2]["request_id"])
        check("subpath-status-404", c == 404 and any("sub-path" in x for x in f.state.stats()["violations"]),
              "%s; violations %s" % (c, f.state.stats()["violations"]))
    finally:
        f.stop()


def t_errors():
    for where in ("submit", "result"):
        f = fs.start(key=KEY, run_seconds=0.3, validation_at=where, policy_at=where)
        try:
            q = f.queue_url
            c, h, b = call("POST", q + "/fal-ai/veo3.1/fast", {"prompt": "p", "duration": "7s"})
            if where == "result":
                sc, _, sb = wait_status(b["status_url"], "COMPLETED")
                c, h, b = call("GET", b["response_url"])
                extra = "; status %s error=%r" % (sc, (sb or {}).get("error"))
            else:
                extra = ""
            d = (b.get("detail") or [{}])[0] if isinstance(b, dict) else {}
            check("validation-" + where, c == 422 and d.get("loc") == ["body", "duration"] and d.get("type") ==
                  "literal_error" and d.get("msg") == "Input should be '4s', '6s' or '8s'" and d.get("input") == "7s"
                  and h.get("x-fal-retryable") == "false",
                  "%s %s%s" % (c, json.dumps(b)[:240], extra))
            c, h, b = call("POST", q + "/fal-ai/veo3.1/fast", {"prompt": "a [nsfw] thing"})
            if where == "result":
                wait_status(b["status_url"], "COMPLETED")
                c, h, b = call("GET", b["response_url"])
            d = (b.get("detail") or [{}])[0] if isinstance(b, dict) else {}
            check("policy-" + where, c == 422 and d.get("type") == "content_policy_violation"
                  and d.get("categories") == ["sexual"], "%s %s" % (c, json.dumps(b)[:240]))
            c, h, b = call("POST", q + "/fal-ai/veo3.1", {"prompt": "x", "seed": "42", "generate_audio": "false",
                                                           "duration": 8})
            ok = c == 422 if where == "submit" else c == 200
            check("types-" + where, ok and len(f.state.stats()["type_notes"]) == 2,
                  "%s; lax notes %s" % (c, f.state.stats()["type_notes"]))
        finally:
            f.stop()
    f = fs.start(key=KEY, run_seconds=0.3)
    try:
        c, h, b = call("POST", f.queue_url + "/fal-ai/veo3.1/fast", {"prompt": "slow [timeout]"})
        sc, _, sb = wait_status(b["status_url"], "COMPLETED")
        c, h, b = call("GET", b["response_url"])
        check("completed-with-error", sc == 200 and sb.get("error") == "Request timed out" and sb.get("error_type") ==
              "request_timeout" and c == 504 and b == {"detail": "Request timed out", "error_type": "request_timeout"}
              and h.get("x-fal-error-type") == "request_timeout",
              "status %s; result %s %s %s" % (json.dumps(sb)[:160], c, b, h.get("x-fal-error-type")))
    finally:
        f.stop()


def t_list_retention_crosshost():
    f = fs.start(key=KEY, run_seconds=0.2, max_concurrent=10, retention=1.0, cross_host=True, list_page_size=2)
    try:
        q = f.queue_url
        subs = [call("POST", q + "/fal-ai/veo3.1/fast", {"prompt": "p%d" % i})[2] for i in range(5)]
        call("POST", q + "/fal-ai/kling-video/v2.1/standard/image-to-video", {"prompt": "other", "image_url": "x"})
        check("crosshost-urls", all(s["status_url"].startswith(f.status_url + "/fal-ai/veo3.1/requests/") for s in subs)
              and f.status_url != q, "status_url %s (queue host %s)" % (subs[0]["status_url"], q))
        c, _, _ = call("GET", q + "/fal-ai/veo3.1/requests/%s/status" % subs[0]["request_id"])
        check("crosshost-built-url-404", c == 404 and f.state.stats()["violations"],
              "%s; %s" % (c, f.state.stats()["violations"]))
        seen, cursor, pages = [], None, 0
        while True:
            url = f.api_url + "/models/requests/by-endpoint?endpoint_id=fal-ai/veo3.1/fast&limit=50"
            if cursor:
                url += "&cursor=" + cursor
            c, _, b = call("GET", url)
            pages += 1
            seen += [i["request_id"] for i in b["items"]]
            if not b["has_more"]:
                break
            cursor = b["next_cursor"]
        want = [s["request_id"] for s in reversed(subs)]
        check("list-pagination", seen == want and pages == 3, "%d pages, newest first: %s" % (pages, seen == want))
        c, _, b = call("GET", f.api_url + "/models/requests/by-endpoint?endpoint_id=fal-ai/veo3.1/fast&limit=101")
        c2, _, _ = call("GET", f.api_url + "/models/requests/by-endpoint?endpoint_id=fal-ai/veo3.1/fast", key="bad")
        check("list-limits-auth", c == 422 and c2 == 401, "limit=101 -> %s; bad key -> %s" % (c, c2))
        wait_status(subs[0]["status_url"], "COMPLETED")
        c, _, b = call("GET", f.api_url + "/models/requests/by-endpoint?endpoint_id=fal-ai/veo3.1/fast&start=" +
                       time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60)))
        it = [i for i in b["items"]]
        check("list-item-shape", c == 200 and it and all(k in it[0] for k in (
            "request_id", "endpoint_id", "started_at", "sent_at", "ended_at", "status_code", "duration", "json_input",
            "json_output")), json.dumps(it[:1])[:300])
        c, _, b = call("GET", subs[0]["response_url"])
        time.sleep(1.3)
        ce, _, be = call("GET", subs[0]["response_url"])
        cs, _, bs = call("GET", subs[0]["status_url"])
        check("retention", c == 200 and ce == 404 and cs == 200 and bs["status"] == "COMPLETED",
              "fresh %s; after retention %s %s; status %s %s" % (c, ce, be, cs, bs.get("status")))
    finally:
        f.stop()


def t_faults():
    f = fs.start(key=KEY, run_seconds=5, submit_lose_first=True, lose_modes=("drop",))
    try:
        c, h, b = call("POST", f.queue_url + "/fal-ai/veo3.1/fast", {"prompt": "lost"})
        c2, _, b2 = call("GET", f.api_url + "/models/requests/by-endpoint?endpoint_id=fal-ai/veo3.1/fast")
        c3, _, b3 = call("POST", f.queue_url + "/fal-ai/veo3.1/fast", {"prompt": "lost"})
        st = f.state.stats()
        check("lose-first", c is None and len(b2["items"]) == 1 and b2["items"][0]["json_input"] == {"prompt": "lost"}
              and c3 == 200 and st["created_by_prompt"]["lost"] == 2 and st["posts_by_prompt"]["lost"] == 2,
              "first submit -> %s; list has %d item(s); second submit -> %s; created %s" % (
                  b if c is None else c, len(b2["items"]), c3, st["created_by_prompt"]))
    finally:
        f.stop()
    f = fs.start(key=KEY, run_seconds=5, submit_lose_first=True, lose_modes=("html504",))
    try:
        c, h, b = call("POST", f.queue_url + "/fal-ai/veo3.1/fast", {"prompt": "lost"})
        check("lose-html504", c == 504 and "x-fal-request-id" not in h and b"nginx" in b
              and f.state.stats()["created"] == 1, "%s %s created %d" % (c, h.get("content-type"),
                                                                         f.state.stats()["created"]))
    finally:
        f.stop()
    f = fs.start(key=KEY, run_seconds=5, submit_reject_rate=1.0)
    try:
        got = [call("POST", f.queue_url + "/fal-ai/veo3.1/fast", {"prompt": "r%d" % i}) for i in range(16)]
        codes = sorted({g[0] for g in got})
        ra = [g[1].get("retry-after") for g in got if g[0] == 429]
        check("reject-before-create", codes == [429, 503] and f.state.stats()["created"] == 0 and all(ra),
              "codes %s, Retry-After %s, created %d" % (codes, ra, f.state.stats()["created"]))
    finally:
        f.stop()
    for mode in ("flat503", "html502", "html503", "429", "drop"):
        f = fs.start(key=KEY, run_seconds=5, poll_fault_rate=1.0, poll_fault_modes=(mode,))
        try:
            _, _, b = call("POST", f.queue_url + "/fal-ai/veo3.1/fast", {"prompt": "p"})
            c, h, body = call("GET", b["status_url"])
            ok = {"flat503": lambda: c == 503 and body.get("error_type") == "runner_scheduling_failure"
                  and h.get("x-fal-retryable") == "true" and h.get("x-fal-error-type") == "runner_scheduling_failure",
                  "html502": lambda: c == 502 and b"nginx" in body and "x-fal-request-id" not in h,
                  "html503": lambda: c == 503 and b"nginx" in body and "x-fal-request-id" not in h,
                  "429": lambda: c == 429 and h.get("retry-after") == "1",
                  "drop": lambda: c is None}[mode]()
            check("poll-fault-" + mode, ok, "%s %s" % (c, str(body)[:120]))
        finally:
            f.stop()


def main():
    t0 = time.time()
    for t in (t_basic, t_errors, t_list_retention_crosshost, t_faults):
        try:
            t()
        except Exception as e:  # noqa
            import traceback
            traceback.print_exc()
            result(t.__name__ + "-crashed", False, repr(e))
    print("    (self-test took %.0f s)" % (time.time() - t0))
    with open(os.environ.get("HOSTILE_RESULTS", os.devnull), "a") as fh:
        for n, ok, ev in RESULTS:
            fh.write("%s\t%s\t%s\n" % (n, "PASS" if ok else "FAIL", ev.replace("\n", " ").replace("\t", " ")))
    return 0 if all(ok for _, ok, _ in RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
