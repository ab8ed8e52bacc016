#!/usr/bin/env python3
"""Hostile scenarios for sora-batch's fal.ai provider (black box: the README, the fal CLI contract and
providers-api.md section 3 only). Used by run_fal_scenarios.sh.

  python3 fal_scenarios.py TARGET SCENARIO...   -> evidence and PASS/FAIL lines, exit 1 if any FAIL
TARGET is the jar (run as `java -jar TARGET`), or a .py file run with python3 (fal_refclient.py, the harness's
own reference client, to check the checks). Scenarios: happy crosshost infer validation policy badkey transient
dropped expiry failed kill9. Every server binds 127.0.0.1; every product run is in a fresh temp working
directory and is killed after at most 180 s.
"""
import csv
import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fal_server as fs  # noqa: E402

TARGET = None
MODEL = "fal-ai/veo3.1/fast"
FAST = ["--sora.poll.interval=1s", "--sora.retry.initial-delay=200ms", "--sora.retry.max-delay=1s",
        "--sora.requests-per-minute=0", "--sora.retry.orphan-settle=1s", "--sora.progress=log"]
RESULTS = []   # (name, ok, evidence)
TIMEOUT = 180


def new_key():
    """A key shaped like fal's FAL_KEY_ID:FAL_KEY_SECRET."""
    h = lambda n: "".join(random.choice("0123456789abcdef") for _ in range(n))  # noqa: E731
    return "%s-%s-4%s-a%s-%s:%s" % (h(8), h(4), h(3), h(3), h(12), h(32))


def secrets_of(key):
    return [key, key.split(":", 1)[-1]]


def log(msg):
    print("    " + msg, flush=True)


def result(name, ok, evidence):
    ok = bool(ok)
    RESULTS.append((name, ok, evidence))
    print("%s %s: %s" % ("PASS" if ok else "FAIL", name, evidence), flush=True)


def workdir(tag):
    return tempfile.mkdtemp(prefix="hostile-fal-%s-" % tag)


def write(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


class Run:
    def __init__(self, rc, out, err, elapsed, wd):
        self.rc, self.out, self.err, self.elapsed, self.wd = rc, out, err, elapsed, wd

    @property
    def text(self):
        return self.out + "\n" + self.err

    def tail(self, n=3, hide=()):
        lines = [ln for ln in self.text.strip().splitlines() if ln.strip()]
        t = " | ".join(ln.strip()[:220] for ln in lines[-n:])
        for s in hide:
            t = t.replace(s, "<KEY>")
        return t


def product_cmd():
    if TARGET.endswith(".py"):
        return [sys.executable, TARGET]
    return ["java", "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar", TARGET]


def start(wd, args, env_add, fast=True, tag=""):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AZURE_", "OPENAI_", "SORA_", "FAL_")) and k.lower() not in (
               "http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(env_add)
    cmd = product_cmd() + list(args) + (FAST if fast else [])
    out = open(os.path.join(wd, ".hostile-stdout" + tag), "wb")
    err = open(os.path.join(wd, ".hostile-stderr" + tag), "wb")
    p = subprocess.Popen(cmd, cwd=wd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    p._t0, p._wd, p._tag = time.time(), wd, tag
    return p


def kill9(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def finish(p, timeout=TIMEOUT):
    try:
        rc = p.wait(timeout=max(1, timeout - (time.time() - p._t0)))
    except subprocess.TimeoutExpired:
        kill9(p)
        p.wait()
        rc = "KILLED(timeout %d s)" % timeout
    el = time.time() - p._t0
    rd = lambda n: open(os.path.join(p._wd, n + p._tag), "rb").read().decode("utf-8", "replace")  # noqa: E731
    return Run(rc, rd(".hostile-stdout"), rd(".hostile-stderr"), el, p._wd)


def run(wd, args, env_add, timeout=TIMEOUT, **kw):
    return finish(start(wd, args, env_add, **kw), timeout)


def fal_args(provider=True, extra=()):
    a = ["--input=in.csv", "--output=out", "--sora.model=" + MODEL]
    if provider:
        a.insert(2, "--provider=fal")
    return a + list(extra)


def report(wd, name="out/report.csv"):
    path = os.path.join(wd, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def col(row, *names):
    for n in names:
        if row.get(n):
            return row[n]
    return ""


def job_of(row):
    return col(row, "job_id", "request_id")


def text_of(row):
    return " ".join(col(row, n) for n in ("error_code", "error_message", "diagnosis", "error"))


def rows_brief(rows):
    if rows is None:
        return "no report"
    return "; ".join("%s %s" % (r.get("id") or r.get("row"), r.get("status")) for r in rows)


def by_id(rows):
    return {r.get("id"): r for r in (rows or [])}


def leak_scan(wd, secrets, runs=()):
    hits = []
    secrets = [s for s in secrets if s]
    for r in runs:
        for nm, txt in (("stdout", r.out), ("stderr", r.err)):
            if any(s in txt for s in secrets):
                hits.append(nm)
    for root, _, files in os.walk(wd):
        for fn in files:
            if fn.startswith(".hostile-"):
                continue
            fp = os.path.join(root, fn)
            try:
                data = open(fp, "rb").read()
            except OSError:
                continue
            if any(s.encode() in data for s in secrets):
                hits.append(os.path.relpath(fp, wd))
    return sorted(set(hits))


def check_leaks(name, wd, key, runs):
    hits = leak_scan(wd, secrets_of(key), runs)
    result(name, not hits, "key (or its secret half) found in: %s" % ", ".join(hits) if hits else
           "the key is in no console output and no file of %s (H2 repository included)" % wd)


def reqs_by_prompt(st):
    out = {}
    for r in st["requests"]:
        out.setdefault(r["prompt"], []).append(r)
    return out


def req_for(rp, row, prompt):
    """The server request a report row stands for: the one named by its job id, else the prompt's first."""
    cands = rp.get(prompt) or []
    return next((c for c in cands if row and c["id"] == job_of(row)), cands[0] if cands else None)


def file_check(srv, wd, row, req):
    """-> (ok, evidence) the row's video on disk is byte for byte what the CDN served for req."""
    if req is None:
        return False, "no request at the server"
    want = srv.state.file_bytes(req["fid"])
    names = [x for x in col(row, "video_files", "video_file", "files").split(";") if x] if row else []
    if not names:
        names = ["%s.mp4" % (row.get("id") if row else "?")]
    for n in names:
        for base in (wd, os.path.join(wd, "out")):
            p = os.path.join(base, n)
            if os.path.isfile(p):
                got = open(p, "rb").read()
                if hashlib.sha256(got).digest() == hashlib.sha256(want).digest():
                    return True, "%s %d bytes = served" % (n, len(got))
                return False, "%s is %d bytes, the CDN served %d (%s)" % (
                    n, len(got), len(want), "same size, other bytes" if len(got) == len(want) else "size differs")
    return False, "no file %s (looked in . and out/)" % names


def once_check(name, st, prompts, posts=True):
    """Every prompt created exactly once (and POSTed once when posts=True)."""
    created = st["created_by_prompt"]
    sent = st["posts_by_prompt"]
    bad = [p for p in prompts if created.get(p, 0) != 1 or (posts and sent.get(p, 0) != 1)]
    ev = "; ".join("%r created %d, POSTed %d" % (p[:28], created.get(p, 0), sent.get(p, 0)) for p in prompts)
    result(name, not bad, ev)


def log_stats(srv):
    st = srv.state.stats()
    log("server saw: %d requests created (%s POSTs), lost answers %s, refused before creation %d, faults %s, "
        "max running %s / queued %s / in system %s, max queue_position %s, list calls %d, bad-auth calls %d, "
        "violations %d, CDN GETs %d" % (
            st["created"], sum(st["posts_by_prompt"].values()), [m for _, m in st["lost"]], len(st["rejected"]),
            st["faults"] or "none", st["max_running"], st["max_queued"], st["max_in_system"],
            st["max_position_served"], len(st["list_calls"]), len(st["bad_auth"]), len(st["violations"]),
            sum(st["files_served"].values())))


def env_of(srv, key=None):
    return srv.env(key)


def server(**cfg):
    return fs.start(**cfg)


def rows_csv(header, rows):
    def q(v):
        v = "" if v is None else str(v)
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
    return ",".join(header) + "\n" + "".join(",".join(q(r.get(h)) for h in header) + "\n" for r in rows)


# ======================================================================================
HAPPY_HEADER = ["id", "prompt", "aspect_ratio", "resolution", "negative_prompt", "seed", "param.generate_audio",
                "param.hostile_list", "model"]
HAPPY_ROWS = [
    dict(id="fox", prompt="A red fox running through fresh snow", aspect_ratio="16:9", resolution="720p", seed="42",
         **{"param.generate_audio": "false"}),
    dict(id="owl", prompt="An owl gliding over a moonlit forest", aspect_ratio="9:16", resolution="1080p",
         negative_prompt="blurry", **{"param.generate_audio": "true", "param.hostile_list": '[1,"two"]'}),
    dict(id="boat", prompt="A small boat drifting on a calm lake", seed="7", model="fal-ai/veo3.1"),
    dict(id="lamp", prompt="A paper lantern floating into the night sky"),
    dict(id="bee", prompt="A bee landing on a sunflower, macro shot"),
]


def expected_input(row):
    exp = {"prompt": row["prompt"]}
    for k in ("aspect_ratio", "resolution", "negative_prompt"):
        if row.get(k):
            exp[k] = row[k]
    if row.get("seed"):
        exp["seed"] = int(row["seed"])
    if row.get("param.generate_audio"):
        exp["generate_audio"] = row["param.generate_audio"] == "true"
    if row.get("param.hostile_list"):
        exp["hostile_list"] = [1, "two"]
    return exp


def same_typed(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same_typed(x, y) for x, y in zip(a, b))
    return a == b


def happy_run(tag, cross_host, rows, extra=()):
    key = new_key()
    srv = server(key=key, run_seconds=2.5, max_concurrent=2, cross_host=cross_host)
    wd = workdir(tag)
    write(wd + "/in.csv", rows_csv(HAPPY_HEADER, rows))
    r = run(wd, fal_args(extra=["--sora.max-in-flight=4"] + list(extra)), env_of(srv))
    return key, srv, wd, r, report(wd)


def scenario_happy():
    """Happy path: 5 rows, two endpoints (with and without a sub-path), typed param.* columns."""
    key, srv, wd, r, rows = happy_run("happy", False, HAPPY_ROWS)
    st = srv.state.stats()
    rp = reqs_by_prompt(st)
    ids = by_id(rows)
    result("H-exit-0", r.rc == 0, "rc=%s after %.0f s; %s%s" % (r.rc, r.elapsed, rows_brief(rows),
                                                                 "" if r.rc == 0 else "; " + r.tail(2, [key])))
    bad, ev = [], []
    for hr in HAPPY_ROWS:
        row = ids.get(hr["id"])
        req = req_for(rp, row, hr["prompt"])
        okf, e = file_check(srv, wd, row, req)
        st_ok = row is not None and row.get("status") == "SUCCEEDED"
        job_ok = row is not None and req is not None and job_of(row) == req["id"]
        if not (okf and st_ok and job_ok):
            bad.append(hr["id"])
        ev.append("%s: %s, job %s, %s" % (hr["id"], row.get("status") if row else "no row",
                                           "= request id" if job_ok else repr(job_of(row) if row else None)[:40], e))
    result("H-rows-and-files", rows is not None and not bad, "; ".join(ev))
    leaks = st["files_auth_headers"]
    result("H-no-credential-at-cdn", not leaks and st["files_served"],
           "%d file GETs at the CDN; credential headers there: %s" % (sum(st["files_served"].values()),
                                                                     leaks or "none"))
    n_auth = sum(1 for t, role, m, p, h in srv.state.requests if role in ("queue", "api", "status"))
    result("H-auth-header", not st["bad_auth"] and n_auth, "%d calls at the queue/API hosts; with a wrong or missing "
           "`Authorization: Key <FAL_KEY>`: %s" % (n_auth, st["bad_auth"][:3] or "none"))
    polled = [x for x in st["requests"] if x["polls"] == 0 or x["result_gets"] == 0]
    result("H-urls-followed", not st["violations"] and not polled and st["requests"],
           "violations: %s; requests never polled or never fetched: %d of %d; ?logs= values seen: %s" % (
               st["violations"][:3] or "none", len(polled), len(st["requests"]), st["logs_values"]))
    diffs = []
    for hr in HAPPY_ROWS:
        req = req_for(rp, ids.get(hr["id"]), hr["prompt"])
        want_ep = hr.get("model") or MODEL
        if req is None:
            diffs.append("%s: not sent" % hr["id"])
            continue
        if req["endpoint"] != want_ep:
            diffs.append("%s: sent to %s, not %s" % (hr["id"], req["endpoint"], want_ep))
        exp = expected_input(hr)
        for k, v in exp.items():
            if not same_typed(req["input"].get(k), v):
                diffs.append("%s: %s=%r (want %r)" % (hr["id"], k, req["input"].get(k), v))
        empties = [k for k, v in req["input"].items() if v in ("", None)]
        if empties:
            diffs.append("%s: empty fields sent %s" % (hr["id"], empties))
    result("H-model-input", not diffs, "; ".join(diffs) if diffs else "every row's input as written, typed "
           "(seed int, generate_audio bool, hostile_list array), to its endpoint; e.g. %s" % (
               (rp.get(HAPPY_ROWS[1]["prompt"]) or [{}])[0].get("input")))
    once_check("H-each-prompt-once", st, [h["prompt"] for h in HAPPY_ROWS])
    check_leaks("H-key-not-printed", wd, key, [r])
    log_stats(srv)
    srv.stop()


def scenario_crosshost():
    """Status/result/cancel URLs on another host:port than the submit host: they must be followed as given."""
    key, srv, wd, r, rows = happy_run("crosshost", True, HAPPY_ROWS[:3])
    st = srv.state.stats()
    rp = reqs_by_prompt(st)
    ids = by_id(rows)
    status_host_hits = sum(1 for t, role, m, p, h in srv.state.requests if role == "status")
    okrows = all(ids.get(h["id"], {}).get("status") == "SUCCEEDED" and file_check(
        srv, wd, ids.get(h["id"]), req_for(rp, ids.get(h["id"]), h["prompt"]))[0] for h in HAPPY_ROWS[:3])
    result("XH-rows", r.rc == 0 and okrows, "rc=%s; %s%s" % (r.rc, rows_brief(rows), "" if okrows else
                                                            "; " + r.tail(2, [key])))
    result("XH-urls-followed", not st["violations"] and status_host_hits > 0,
           "%d requests at the status host %s; built URLs sent to the submit host or with the sub-path: %s" % (
               status_host_hits, srv.status_url, st["violations"][:3] or "none"))
    result("XH-no-credential-at-cdn", not st["files_auth_headers"], str(st["files_auth_headers"] or "none"))
    check_leaks("XH-key-not-printed", wd, key, [r])
    log_stats(srv)
    srv.stop()


def scenario_infer():
    """No --provider: FAL_KEY alone (no Azure/OpenAI variables) must mean fal."""
    key = new_key()
    srv = server(key=key, run_seconds=1.5)
    wd = workdir("infer")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox running through fresh snow\n")
    r = run(wd, fal_args(provider=False), env_of(srv))
    rows = report(wd)
    st = srv.state.stats()
    ok = r.rc == 0 and rows and rows[0]["status"] == "SUCCEEDED" and st["created"] == 1
    result("I-provider-inferred", ok, "rc=%s; %s; requests at the fake fal: %d; %s" % (
        r.rc, rows_brief(rows), st["created"], "" if ok else r.tail(2, [key])))
    check_leaks("I-key-not-printed", wd, key, [r])
    log_stats(srv)
    srv.stop()


def sent_field(st, prompt, field):
    inp = st["post_inputs"].get(prompt)
    if inp is None:
        return "(never POSTed)"
    return inp.get(field, "(absent)") if isinstance(inp, dict) else inp


V_ROWS = [dict(id="ok1", prompt="A red fox running through fresh snow"),
          dict(id="bad-duration", prompt="A heron standing in a misty marsh", seconds="7"),
          dict(id="eight", prompt="A hot air balloon rising at dawn", seconds="8"),
          dict(id="bad-aspect", prompt="A lighthouse in a storm", aspect_ratio="4:3"),
          dict(id="ok2", prompt="Rain on a window at night")]


def scenario_validation():
    """422 validation refusals (duration 7 for a model taking 4s/6s/8s; aspect 4:3), at submit and at result."""
    for where in ("submit", "result"):
        key = new_key()
        srv = server(key=key, run_seconds=1.5, max_concurrent=3, validation_at=where)
        wd = workdir("validation-" + where)
        write(wd + "/in.csv", rows_csv(["id", "prompt", "seconds", "aspect_ratio"], V_ROWS))
        r = run(wd, fal_args(), env_of(srv))
        rows = report(wd)
        st = srv.state.stats()
        ids = by_id(rows)
        tag = "V-%s-" % where
        d = ids.get("bad-duration", {})
        t = text_of(d)
        allowed = all(v in t for v in ("4s", "6s", "8s")) or re.search(r"\b4\b.*\b6\b.*\b8\b", t)
        result(tag + "duration-diagnosis", d.get("status") in ("FAILED", "SKIPPED") and "duration" in t and allowed,
               "row bad-duration %s; sent duration=%r; text: %s" % (
                   d.get("status") or "no row", sent_field(st, V_ROWS[1]["prompt"], "duration"),
                   t[:300] or r.tail(2, [key])))
        a = ids.get("bad-aspect", {})
        ta = text_of(a)
        result(tag + "aspect-diagnosis", a.get("status") in ("FAILED", "SKIPPED") and "aspect_ratio" in ta
               and "16:9" in ta, "row bad-aspect %s; text: %s" % (a.get("status") or "no row", ta[:240]))
        goes_on = all(ids.get(i, {}).get("status") == "SUCCEEDED" for i in ("ok1", "ok2"))
        result(tag + "run-goes-on", goes_on and r.rc == 3, "rc=%s (want 3); %s" % (r.rc, rows_brief(rows)))
        posts = st["posts_by_prompt"]
        result(tag + "no-retry", all(posts.get(V_ROWS[i]["prompt"], 0) <= 1 for i in (1, 3)),
               "POSTs of the refused rows: duration %d, aspect %d (a 422 is not retryable)" % (
                   posts.get(V_ROWS[1]["prompt"], 0), posts.get(V_ROWS[3]["prompt"], 0)))
        if where == "submit":
            e = ids.get("eight", {})
            sent = sent_field(st, V_ROWS[2]["prompt"], "duration")
            result("V-seconds-8-as-8s", e.get("status") == "SUCCEEDED" and sent == "8s",
                   "CSV seconds=8 for %s was sent as duration=%r; row %s %s" % (
                       MODEL, sent, e.get("status") or "no row", text_of(e)[:200]))
        check_leaks(tag + "key-not-printed", wd, key, [r])
        log_stats(srv)
    srv.stop()


def scenario_policy():
    """422 content_policy_violation (categories ["sexual"]), at result and at submit: FAILED, never retried."""
    rows_in = [dict(id="ok1", prompt="A red fox running through fresh snow"),
               dict(id="flagged", prompt="Two people on a beach at sunset [nsfw]"),
               dict(id="ok2", prompt="Rain on a window at night")]
    for where in ("result", "submit"):
        key = new_key()
        srv = server(key=key, run_seconds=1.5, max_concurrent=3, policy_at=where)
        wd = workdir("policy-" + where)
        write(wd + "/in.csv", rows_csv(["id", "prompt"], rows_in))
        r = run(wd, fal_args(), env_of(srv))
        rows = report(wd)
        st = srv.state.stats()
        ids = by_id(rows)
        tag = "P-%s-" % where
        f = ids.get("flagged", {})
        t = text_of(f)
        result(tag + "diagnosis", f.get("status") == "FAILED" and re.search(
            r"content|moderat|policy|flagged", t, re.I) and "sexual" in t,
            "row flagged %s; text: %s" % (f.get("status") or "no row", t[:300] or r.tail(2, [key])))
        n = st["posts_by_prompt"].get(rows_in[1]["prompt"], 0)
        result(tag + "submitted-once", n == 1, "the flagged prompt was POSTed %d time(s)" % n)
        goes_on = all(ids.get(i, {}).get("status") == "SUCCEEDED" for i in ("ok1", "ok2"))
        result(tag + "run-goes-on", goes_on and r.rc == 3, "rc=%s (want 3); %s" % (r.rc, rows_brief(rows)))
        check_leaks(tag + "key-not-printed", wd, key, [r])
        log_stats(srv)
    srv.stop()


def scenario_badkey():
    """FAL_KEY wrong: 401 on the first call; the run stops at once (exit 1), at most a couple of submits."""
    key, wrong = new_key(), new_key()
    srv = server(key=key, run_seconds=1.5)
    wd = workdir("badkey")
    write(wd + "/in.csv", rows_csv(["id", "prompt"], [dict(id="r%d" % i, prompt="Prompt number %d" % i)
                                                       for i in range(1, 7)]))
    r = run(wd, fal_args(), env_of(srv, key=wrong))
    rows = report(wd)
    st = srv.state.stats()
    posts = sum(1 for b in st["bad_auth"] if b[2] == "POST")
    result("BK-exit-1", r.rc == 1, "rc=%s (README: 1 = systemic fault such as a rejected key) after %.0f s" % (
        r.rc, r.elapsed))
    result("BK-stops-at-once", st["bad_auth"] and posts <= 2 and r.elapsed < 90,
           "%d submits refused with 401 (of 6 rows), %d calls in all, run took %.0f s" % (
               posts, len(st["bad_auth"]), r.elapsed))
    said = re.search(r"FAL_KEY", r.text) and re.search(r"401|key", r.text, re.I)
    result("BK-says-why", said, "console: %s" % (first_line(r.text, "FAL_KEY") or r.tail(2, secrets_of(wrong))))
    nosucc = rows is not None and not any(x.get("status") == "SUCCEEDED" for x in rows)
    result("BK-report", nosucc, "report: %s" % rows_brief(rows))
    check_leaks("BK-key-not-printed", wd, wrong, [r])
    log_stats(srv)
    srv.stop()


def first_line(text, *words):
    for ln in text.splitlines():
        if all(w.lower() in ln.lower() for w in words):
            return ln.strip()[:240]
    return None


def scenario_transient():
    """Status polls: flat 503, nginx 502/503, 429+Retry-After, dropped (40 %); results: HTML 502, dropped (30 %);
    the first submit of every prompt refused before creation (429, HTML 503). Every row must still succeed, each
    prompt created once."""
    key = new_key()
    srv = server(key=key, run_seconds=2.0, max_concurrent=2, seed=11, poll_fault_rate=0.4, result_fault_rate=0.3,
                 submit_reject_first=True)
    wd = workdir("transient")
    rows_in = [dict(id="r%d" % i, prompt=p) for i, p in enumerate(
        ["A red fox running through fresh snow", "An owl gliding over a moonlit forest",
         "A small boat drifting on a calm lake", "Rain on a window at night"], 1)]
    write(wd + "/in.csv", rows_csv(["id", "prompt"], rows_in))
    r = run(wd, fal_args(), env_of(srv))
    rows = report(wd)
    st = srv.state.stats()
    rp = reqs_by_prompt(st)
    ids = by_id(rows)
    ev, bad = [], []
    for x in rows_in:
        ok, e = file_check(srv, wd, ids.get(x["id"]), req_for(rp, ids.get(x["id"]), x["prompt"]))
        if not (ok and ids.get(x["id"], {}).get("status") == "SUCCEEDED"):
            bad.append(x["id"])
        ev.append("%s %s %s" % (x["id"], ids.get(x["id"], {}).get("status"), e))
    result("T-rows-succeed", r.rc == 0 and not bad, "rc=%s after %.0f s; faults served %s; submits refused before "
           "creation %d; %s" % (r.rc, r.elapsed, st["faults"], len(st["rejected"]), "; ".join(ev)))
    once_check("T-each-prompt-created-once", st, [x["prompt"] for x in rows_in], posts=False)
    check_leaks("T-key-not-printed", wd, key, [r])
    log_stats(srv)
    srv.stop()


def scenario_dropped():
    """The first submit of every prompt is created but its answer is lost (dropped connection / nginx 504). The
    request list holds decoys (the same prompt sent 3 h ago; the same prompt with other parameters) and newer
    requests of other clients, 2 per page: the product must find its own request and never POST a prompt twice."""
    key = new_key()
    srv = None
    decoys = []

    def noise(st, req):
        # after each lost answer, other clients' requests land on the same endpoint (pushing ours to page 2+)
        # and one of them has the same prompt with other parameters
        if not any(i == req["id"] for i, _ in st.lost):
            return
        now = time.time()
        d = st.create(MODEL, "fal-ai/veo3.1", dict(req["input"], aspect_ratio="9:16", seed=999), [], ("ok",),
                      now=now + 0.05, noise=True)
        decoys.append(d["id"])
        for k in range(3):
            st.create(MODEL, "fal-ai/veo3.1", {"prompt": "another client's video %d" % random.randrange(10 ** 6)},
                      [], ("ok",), now=now + 0.1 + k * 0.01, noise=True)

    srv = server(key=key, run_seconds=2.0, max_concurrent=4, submit_lose_first=True, list_page_size=2,
                 list_lag=0.5, on_submit_answered=noise, seed=5)
    rows_in = [dict(id="r%d" % i, prompt=p) for i, p in enumerate(
        ["A red fox running through fresh snow", "An owl gliding over a moonlit forest",
         "A small boat drifting on a calm lake", "Rain on a window at night"], 1)]
    for x in rows_in:      # yesterday's run of the same prompts, by this same user (must not be adopted)
        d = srv.state.create(MODEL, "fal-ai/veo3.1", {"prompt": x["prompt"]}, [], ("ok",), now=time.time() - 3 * 3600,
                             noise=True)
        decoys.append(d["id"])
    with srv.state.lock:
        for i in srv.state.order:
            r_ = srv.state.reqs[i]
            if r_["noise"]:
                r_["t_start"] = r_["t_sent"]
                r_["t_end"] = r_["t_sent"] + 1
    # decoys created later also finish at once and take no slot
    def finisher():
        while not stop.is_set():
            with srv.state.lock:
                for i in srv.state.order:
                    r_ = srv.state.reqs[i]
                    if r_["noise"] and r_["t_end"] is None:
                        r_["t_start"] = r_["t_start"] or r_["t_sent"]
                        r_["t_end"] = r_["t_start"] + 0.5
            time.sleep(0.05)
    stop = threading.Event()
    threading.Thread(target=finisher, daemon=True).start()
    wd = workdir("dropped")
    write(wd + "/in.csv", rows_csv(["id", "prompt"], rows_in))
    r = run(wd, fal_args(), env_of(srv))
    stop.set()
    rows = report(wd)
    st = srv.state.stats()
    rp = reqs_by_prompt(st)
    ids = by_id(rows)
    once_check("D-never-posted-twice", st, [x["prompt"] for x in rows_in])
    ev, bad = [], []
    for x in rows_in:
        row = ids.get(x["id"])
        req = req_for(rp, row, x["prompt"])
        ok, e = file_check(srv, wd, row, req)
        job_ok = row is not None and req is not None and job_of(row) == req["id"]
        if not (ok and job_ok and row.get("status") == "SUCCEEDED"):
            bad.append(x["id"])
        ev.append("%s %s job %s %s" % (x["id"], row.get("status") if row else "no row",
                                       "= the lost request" if job_ok else (
                                           "= a DECOY" if row and job_of(row) in decoys else repr(
                                               job_of(row) if row else None)[:40]), e))
    result("D-recovered", r.rc == 0 and not bad, "rc=%s; lost answers %s; %s" % (
        r.rc, [m for _, m in st["lost"]], "; ".join(ev)))
    with srv.state.lock:
        decoy_fetched = [i for i in decoys if srv.state.reqs[i]["result_gets"] or srv.state.files_served.get(
            srv.state.reqs[i]["fid"])]
    result("D-no-decoy-adopted", not decoy_fetched and not any(job_of(x) in decoys for x in rows or []),
           "decoys (same prompt 3 h ago; same prompt, other aspect_ratio/seed): %d, fetched: %d" % (
               len(decoys), len(decoy_fetched)))
    calls = st["list_calls"]
    eps = sorted({c.get("endpoint_id") for c in calls})
    cursors = sum(1 for c in calls if c.get("cursor"))
    result("D-list-used", calls and eps == [MODEL] and cursors > 0,
           "%d list calls, endpoint_id %s, %d with a cursor; e.g. %s" % (len(calls), eps, cursors,
                                                                          calls[:1]))
    check_leaks("D-key-not-printed", wd, key, [r])
    log_stats(srv)
    srv.stop()


def scenario_expiry():
    """Results kept 3 s after completion only (fal: 1 h, 6 min for >= 10 KB): fetch promptly, or say so."""
    key = new_key()
    srv = server(key=key, run_seconds=2.0, max_concurrent=4, retention=3.0)
    wd = workdir("expiry")
    rows_in = [dict(id="r%d" % i, prompt=p) for i, p in enumerate(
        ["A red fox running through fresh snow", "An owl gliding over a moonlit forest",
         "A small boat drifting on a calm lake", "Rain on a window at night"], 1)]
    write(wd + "/in.csv", rows_csv(["id", "prompt"], rows_in))
    r = run(wd, fal_args(), env_of(srv))
    rows = report(wd)
    st = srv.state.stats()
    rp = reqs_by_prompt(st)
    ids = by_id(rows)
    lat = []
    for x in st["requests"]:
        if x["t_end"] and x["first_result_get"]:
            lat.append(round(x["first_result_get"] - x["t_end"], 2))
        elif x["t_end"]:
            lat.append("never")
    bad, ev = [], []
    for x in rows_in:
        row = ids.get(x["id"]) or {}
        ok, e = file_check(srv, wd, row, req_for(rp, row, x["prompt"]))
        t = text_of(row)
        if row.get("status") == "SUCCEEDED" and ok:
            ev.append("%s SUCCEEDED %s" % (x["id"], e))
        elif row.get("status") == "FAILED" and re.search(r"expir|retention|no longer|not found|gone|404|deleted", t,
                                                         re.I):
            ev.append("%s FAILED naming the expiry: %s" % (x["id"], t[:120]))
        else:
            bad.append(x["id"])
            ev.append("%s %s %s %s" % (x["id"], row.get("status") or "no row", e, t[:120]))
    result("X-outcome", not bad and r.rc in (0, 3), "rc=%s; seconds from completion to the first result GET: %s; "
           "results asked after expiry: %d; %s" % (r.rc, lat, len(st["expired_hits"]), "; ".join(ev)))
    result("X-fetched-within-retention", not st["expired_hits"] and all(isinstance(v, float) and v < 3.0 for v in lat),
           "completion -> result GET: %s s (retention 3 s); expired answers served: %s" % (lat, st["expired_hits"]))
    twice = [p for p, n in st["created_by_prompt"].items() if n > 1]
    silent = [p for p in twice if not re.search(r"again|resubmit|expired", text_of(
        next((x for x in rows or [] if x.get("prompt") == p), {})), re.I)]
    result("X-no-silent-repay", not silent, "prompts created twice: %d, without the report saying so: %d" % (
        len(twice), len(silent)))
    check_leaks("X-key-not-printed", wd, key, [r])
    log_stats(srv)
    srv.stop()


def scenario_failed():
    """COMPLETED with error / error_type: 504 request_timeout and a 500 model crash; the service's text reported."""
    key = new_key()
    srv = server(key=key, run_seconds=1.5, max_concurrent=3)
    wd = workdir("failed")
    rows_in = [dict(id="ok", prompt="A red fox running through fresh snow"),
               dict(id="slow", prompt="A glacier calving into the sea [timeout]"),
               dict(id="crash", prompt="A city of glass at noon [crash]")]
    write(wd + "/in.csv", rows_csv(["id", "prompt"], rows_in))
    r = run(wd, fal_args(), env_of(srv))
    rows = report(wd)
    st = srv.state.stats()
    ids = by_id(rows)
    for rid, want in (("slow", "Request timed out"), ("crash", "CUDA error: out of memory")):
        row = ids.get(rid, {})
        t = text_of(row)
        n = st["posts_by_prompt"].get(next(x["prompt"] for x in rows_in if x["id"] == rid), 0)
        result("E-%s-service-text" % rid, row.get("status") == "FAILED" and want.lower() in t.lower()
               and "unknown error" not in t.lower(),
               "row %s %s (http_status %s, POSTed %d time(s)); text: %s" % (
                   rid, row.get("status") or "no row", row.get("http_status"), n, t[:260] or r.tail(2, [key])))
    result("E-run-goes-on", ids.get("ok", {}).get("status") == "SUCCEEDED" and r.rc == 3,
           "rc=%s (want 3); %s" % (r.rc, rows_brief(rows)))
    check_leaks("E-key-not-printed", wd, key, [r])
    log_stats(srv)
    srv.stop()


def scenario_kill9():
    """kill -9 right after the 3rd submit's answer was written, then the same command again: every prompt
    created exactly once over both runs, every row SUCCEEDED, exit 0."""
    key = new_key()
    holder = {}

    def killer(st, req):
        if len(st.order) == 3 and "p" in holder and not holder.get("killed"):
            holder["killed"] = time.time()
            kill9(holder["p"])

    srv = server(key=key, run_seconds=4.0, max_concurrent=2, on_submit_answered=killer)
    wd = workdir("kill9")
    rows_in = [dict(id="r%d" % i, prompt=p) for i, p in enumerate(
        ["A red fox running through fresh snow", "An owl gliding over a moonlit forest",
         "A small boat drifting on a calm lake", "Rain on a window at night", "A bee landing on a sunflower",
         "A paper lantern floating into the night sky"], 1)]
    write(wd + "/in.csv", rows_csv(["id", "prompt"], rows_in))
    args = fal_args(extra=["--sora.max-in-flight=3"])
    holder["p"] = start(wd, args, env_of(srv), tag="-1")
    r1 = finish(holder["p"])
    n1 = dict(srv.state.stats()["created_by_prompt"])
    result("K-first-run-killed", holder.get("killed") and r1.rc == -9,
           "rc=%s; killed %s; requests created before the kill: %d" % (
               r1.rc, "%.1f s after start" % (holder["killed"] - holder["p"]._t0) if holder.get("killed") else
               "NEVER (fewer than 3 submits)", sum(n1.values())))
    time.sleep(1)
    r2 = run(wd, args, env_of(srv), tag="-2")
    rows = report(wd)
    st = srv.state.stats()
    rp = reqs_by_prompt(st)
    ids = by_id(rows)
    once_check("K-each-prompt-created-once", st, [x["prompt"] for x in rows_in], posts=False)
    ev, bad = [], []
    for x in rows_in:
        ok, e = file_check(srv, wd, ids.get(x["id"]), req_for(rp, ids.get(x["id"]), x["prompt"]))
        if not (ok and ids.get(x["id"], {}).get("status") == "SUCCEEDED"):
            bad.append(x["id"])
        ev.append("%s %s %s" % (x["id"], ids.get(x["id"], {}).get("status"), e))
    result("K-second-run-completes", r2.rc == 0 and not bad, "rc=%s after %.0f s; %s%s" % (
        r2.rc, r2.elapsed, "; ".join(ev), "" if r2.rc == 0 else "; " + r2.tail(2, [key])))
    check_leaks("K-key-not-printed", wd, key, [r1, r2])
    log_stats(srv)
    srv.stop()


SCENARIOS = ["happy", "crosshost", "infer", "validation", "policy", "badkey", "transient", "dropped", "expiry",
             "failed", "kill9"]


def main():
    global TARGET
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    TARGET = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or SCENARIOS
    for s in names:
        fn = globals().get("scenario_" + s.lower())
        if not fn:
            print("unknown scenario %s (known: %s)" % (s, " ".join(SCENARIOS)))
            return 2
        print("=== fal scenario %s: %s" % (s, " ".join((fn.__doc__ or "").split())), flush=True)
        t0 = time.time()
        try:
            fn()
        except Exception as e:  # a broken scenario is a FAIL of the harness, say so
            import traceback
            traceback.print_exc()
            result(s + "-harness", False, "scenario crashed: %r" % e)
        print("    (scenario %s took %.0f s)" % (s, time.time() - t0), flush=True)
    with open(os.environ.get("HOSTILE_RESULTS", os.devnull), "a") as f:
        for n, ok, ev in RESULTS:
            f.write("%s\t%s\t%s\n" % (n, "PASS" if ok else "FAIL", ev.replace("\n", " ").replace("\t", " ")))
    return 0 if all(ok for _, ok, _ in RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
