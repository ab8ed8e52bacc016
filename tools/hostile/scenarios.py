#!/usr/bin/env python3
"""Hostile scenarios A..G against a sora-batch jar (black box, docs only). Used by run_scenarios.sh.

  python3 scenarios.py JAR SCENARIO      -> prints evidence and PASS/FAIL lines, exit 1 if any FAIL
Every server binds 127.0.0.1; every product run is in a fresh temp working directory and is killed
after at most 180 s.
"""
import csv
import hashlib
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import hostile_server as hs

JAR = None
FAST = ["--sora.poll.interval=1s", "--sora.retry.initial-delay=200ms", "--sora.retry.max-delay=1s",
        "--sora.requests-per-minute=0", "--sora.retry.orphan-settle=1s", "--sora.progress=log"]
RESULTS = []   # (name, ok, evidence)


def new_key():
    return "hk" + "".join(random.choice("abcdef0123456789") for _ in range(38))


def log(msg):
    print("    " + msg, flush=True)


def result(name, ok, evidence):
    RESULTS.append((name, ok, evidence))
    print("%s %s: %s" % ("PASS" if ok else "FAIL", name, evidence), flush=True)


def workdir(tag):
    d = tempfile.mkdtemp(prefix="hostile-%s-" % tag)
    return d


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

    def tail(self, n=3):
        lines = [l for l in self.text.strip().splitlines() if l.strip()]
        return " | ".join(l.strip()[:220] for l in lines[-n:])


def start(wd, args, endpoint=None, key=None, extra_env=None, fast=True):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AZURE_", "OPENAI_", "SORA_"))}
    if endpoint is not None:
        env["AZURE_SORA_ENDPOINT"] = endpoint
    if key is not None:
        env["AZURE_API_KEY"] = key
    env.update(extra_env or {})
    cmd = ["java", "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar", JAR] + list(args) + (FAST if fast else [])
    out = open(os.path.join(wd, ".hostile-stdout"), "wb")
    err = open(os.path.join(wd, ".hostile-stderr"), "wb")
    p = subprocess.Popen(cmd, cwd=wd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    p._t0 = time.time()
    p._wd = wd
    return p


def finish(p, timeout=180):
    try:
        rc = p.wait(timeout=max(1, timeout - (time.time() - p._t0)))
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        rc = "KILLED(timeout)"
    el = time.time() - p._t0
    rd = lambda n: open(os.path.join(p._wd, n), "rb").read().decode("utf-8", "replace")
    return Run(rc, rd(".hostile-stdout"), rd(".hostile-stderr"), el, p._wd)


def run(wd, args, endpoint=None, key=None, timeout=180, **kw):
    return finish(start(wd, args, endpoint, key, **kw), timeout)


def report(wd, name="out/report.csv"):
    path = os.path.join(wd, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def rows_brief(rows):
    if rows is None:
        return "no report"
    return "; ".join("row %s %s %s" % (r.get("row"), r.get("id"), r.get("status")) for r in rows)


def leak_scan(wd, secrets, run_obj=None):
    """Return list of places a secret appears (console + every file of the working directory)."""
    hits = []
    secrets = [s for s in secrets if s]
    if run_obj:
        for nm, txt in (("stdout", run_obj.out), ("stderr", run_obj.err)):
            for s in secrets:
                if s in txt:
                    hits.append(nm)
    for root, _, files in os.walk(wd):
        for fn in files:
            fp = os.path.join(root, fn)
            if fn.startswith(".hostile-"):
                continue
            try:
                data = open(fp, "rb").read()
            except OSError:
                continue
            for s in secrets:
                if s.encode() in data:
                    hits.append(os.path.relpath(fp, wd))
    return sorted(set(hits))


def endpoint_of(srv):
    return "http://127.0.0.1:%d" % srv.server_port


def first_line_with(text, *words):
    for l in text.splitlines():
        if all(w.lower() in l.lower() for w in words):
            return l.strip()[:240]
    return None


STACK = re.compile(r"^\s+at [\w$.]+\(.*\)\s*$|Exception in thread|^[\w.]+(Exception|Error): ", re.M)


# ======================================================================================
def scenario_A():
    """Redirecting proxy: content 302 -> second server; no api-key/Authorization may follow."""
    for label, host in (("A-127.0.0.1", "127.0.0.1"), ("A-localhost", "localhost")):
        key = new_key()
        aux = hs.start_aux()
        sora = hs.start_sora(key=key, content_redirect="http://%s:%d" % (host, aux.server_port))
        wd = workdir("A")
        write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\nowl,An owl at night\n")
        r = run(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key)
        rows = report(wd)
        bad = []
        for (_, m, path, hdrs) in aux.state.requests:
            for k, v in hdrs:
                if k.lower() in ("api-key", "authorization", "ocp-apim-subscription-key") or key in v:
                    bad.append("%s: %s=%s..." % (path.split("?")[0], k, v[:6]))
            if key in path:
                bad.append("key in URL " + path)
        vids = [os.path.getsize(os.path.join(wd, "out", n + ".mp4")) if os.path.exists(
            os.path.join(wd, "out", n + ".mp4")) else 0 for n in ("fox", "owl")]
        arrived = all(v == len(hs.MP4) for v in vids)
        leaks = leak_scan(wd, [key], r)
        hosts = sorted({dict((k.lower(), v) for k, v in h[3]).get("host", "?") for h in aux.state.requests})
        names = sorted({b.split(": ")[1].split("=")[0] for b in bad if ": " in b})
        nbad = len({b.split(":")[0] for b in bad})
        ev = ("credentials forwarded to the other host (%s): %s; rc=%s; videos %s %s; %d requests at the "
              "other server; e.g. %s" % (",".join(hosts) or "-",
                                         ("%s on %d of %d requests" % ("+".join(names), nbad, len(
                                             aux.state.requests))) if bad else "none",
                                         r.rc, "arrived" if arrived else "MISSING", vids,
                                         len(aux.state.requests), (sorted(set(bad)) or ["-"])[0]))
        if leaks:
            ev += "; key printed in " + ",".join(leaks)
        if not arrived or rows is None:
            ev += "; " + r.tail(2)
        result(label, not bad and arrived and not leaks and r.rc == 0, ev)
        hs.stop(aux)
        hs.stop(sora)


def scenario_B():
    """API key with a trailing CR, or an inner control character."""
    key = new_key()
    sora = hs.start_sora(key=key)
    ep = endpoint_of(sora)
    # B1: trailing carriage return (CRLF file read with $(cat key.txt))
    wd = workdir("B")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\n")
    r = run(wd, ["--input=in.csv", "--output=out"], ep, key + "\r")
    rows = report(wd)
    leaks = leak_scan(wd, [key], r)
    worked = r.rc == 0 and rows and rows[0]["status"] == "SUCCEEDED"
    named = r.rc == 2 and "AZURE_API_KEY" in r.text
    ev = "rc=%s; %s; %s" % (r.rc, rows_brief(rows), "worked (trimmed)" if worked else
                            ("exit 2 naming AZURE_API_KEY" if named else r.tail(2)))
    if leaks:
        ev += "; KEY PRINTED in " + ",".join(leaks) + " (" + (first_line_with(r.text, key) or "")[:160].replace(
            key, "<KEY>") + ")"
    result("B-key-with-CR", (worked or named) and not leaks, ev)

    # B2: inner control character
    bad_key = key[:20] + "\x01" + key[20:]
    wd = workdir("B")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\n")
    n0 = len(sora.state.order)
    r = run(wd, ["--input=in.csv", "--output=out"], ep, bad_key)
    leaks = leak_scan(wd, [key[:20], key[20:]], r)
    ok = r.rc == 2 and "AZURE_API_KEY" in r.text and not leaks
    ev = "rc=%s; names AZURE_API_KEY: %s; creates: %d; %s" % (
        r.rc, "AZURE_API_KEY" in r.text, len(sora.state.order) - n0, r.tail(2).replace(key[:20], "<KEY1>").replace(
            key[20:], "<KEY2>"))
    if leaks:
        ev += "; KEY PRINTED in " + ",".join(leaks)
    result("B-key-with-\\x01", ok, ev)

    # B3: doctor with both keys
    for label, k, parts in (("B-doctor-CR", key + "\r", [key]), ("B-doctor-\\x01", bad_key, [key[:20], key[20:]])):
        wd = workdir("B")
        r = run(wd, ["doctor"], ep, k, timeout=120, fast=False)
        leaks = leak_scan(wd, parts, r)
        stack = STACK.search(r.text)
        txt = r.text
        for p in parts:
            txt = txt.replace(p, "<KEY>")
        ev = "rc=%s; stack trace: %s; key printed: %s; %s" % (
            r.rc, repr(stack.group(0).strip()[:120]) if stack else "no", ",".join(leaks) or "no",
            (first_line_with(txt, "API_KEY") or first_line_with(txt, "FAIL") or txt.strip()[-200:])[:200])
        result(label, not stack and not leaks, ev)
    hs.stop(sora)


def scenario_C():
    """Dripping image host for row 2."""
    for label, sigterm in (("C-drip", False), ("C-drip-SIGTERM", True)):
        key = new_key()
        sora = hs.start_sora(key=key)
        aux = hs.start_aux()
        wd = workdir("C")
        write(wd + "/in.csv", "id,prompt,image_url\n"
                              "one,A red fox in the snow,\n"
                              "two,A boat on a lake,http://127.0.0.1:%d/drip.jpg\n"
                              "three,An owl at night,\n" % aux.server_port)
        p = start(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key)
        if not sigterm:
            r = finish(p, 180)
            rows = report(wd)
            ok = (r.rc != "KILLED(timeout)" and rows is not None and rows[0]["status"] == "SUCCEEDED"
                  and rows[2]["status"] == "SUCCEEDED")
            r2 = rows[1] if rows else {}
            console = "; ".join(re.findall(r"row \d+: (?:SUCCEEDED|FAILED|SKIPPED)", r.text)) or "no row finished"
            result(label, ok, "rc=%s after %.0f s; %s; console: %s; creates at the server: %d of 2 image-less rows"
                              "%s" % (r.rc, r.elapsed, rows_brief(rows), console, len(sora.state.order),
                                      ("; row 2: " + (r2.get("diagnosis") or "")[:160]) if rows else ""))
        else:
            try:
                p.wait(timeout=20)
                early = True
            except subprocess.TimeoutExpired:
                early = False
                os.kill(p.pid, signal.SIGTERM)
            t_term = time.time()
            seen = None
            while time.time() - t_term < 60:
                if os.path.exists(os.path.join(wd, "out/report.csv")):
                    seen = time.time() - t_term
                    break
                time.sleep(0.5)
            exited = p.poll()
            r = finish(p, 1 if exited is not None else time.time() - p._t0 + 5)
            rows = report(wd)
            ev = ("SIGTERM at 20 s; report %s; process %s; rc=%s; %s" % (
                ("written %.1f s after SIGTERM" % seen) if seen is not None else "NOT written within 60 s",
                "exited" if exited is not None else "still running at +60 s (killed)", r.rc, rows_brief(rows)))
            if early:
                ev = "run ended before 20 s (rc=%s); %s" % (r.rc, rows_brief(rows))
            if seen is None:
                ev += "; " + r.tail(2)
            result(label, seen is not None or (early and rows is not None), ev)
        hs.stop(aux)
        hs.stop(sora)


def scenario_D():
    """Redirect loops: content download, then image URL."""
    # D1 content download loops
    key = new_key()
    sora = hs.start_sora(key=key, content_redirect="loop")
    wd = workdir("D")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\n")
    r = run(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key)
    rows = report(wd)
    red = sora.state.redirects
    span = (red[-1][0] - red[0][0]) if red else 0
    diag = ((rows[0].get("diagnosis") or "") + " " + (rows[0].get("error_message") or "")) if rows else ""
    ok = (rows is not None and rows[0]["status"] == "FAILED" and "redirect" in diag.lower()
          and "loop" in diag.lower() and "connection dropped" not in diag.lower() and span <= 20)
    result("D-download-loop", ok, "rc=%s; %d redirects served over %.1f s (run %.0f s); %s; diagnosis: %s" % (
        r.rc, len(red), span, r.elapsed, rows_brief(rows), diag.strip()[:200] or r.tail(2)))
    hs.stop(sora)
    # D2 image URL loops
    key = new_key()
    sora = hs.start_sora(key=key)
    aux = hs.start_aux()
    wd = workdir("D")
    write(wd + "/in.csv", "id,prompt,image_url\nfox,A red fox in the snow,http://127.0.0.1:%d/loop/fox.png\n"
          % aux.server_port)
    r = run(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key)
    rows = report(wd)
    reqs = aux.state.requests
    span = (reqs[-1][0] - reqs[0][0]) if reqs else 0
    diag = ((rows[0].get("diagnosis") or "") + " " + (rows[0].get("error_message") or "")) if rows else ""
    ok = (rows is not None and rows[0]["status"] == "FAILED" and "redirect" in diag.lower()
          and "loop" in diag.lower() and "connection dropped" not in diag.lower() and span <= 20)
    result("D-image-loop", ok, "rc=%s; %d loop requests over %.1f s (run %.0f s); %s; diagnosis: %s" % (
        r.rc, len(reqs), span, r.elapsed, rows_brief(rows), diag.strip()[:200] or r.tail(2)))
    hs.stop(aux)
    hs.stop(sora)


def sora_t0(r):
    return os.path.getmtime(os.path.join(r.wd, ".hostile-stdout")) - r.elapsed  # approx start


def scenario_E():
    """Two processes, one resource, half the create answers lost."""
    key = new_key()
    sora = hs.start_sora(key=key, lose_create_rate=0.5, seed=7, job_duration=3)
    prompts = ["A red fox running through fresh snow", "A red fox running through fresh snow",
               "A red fox running through fresh snow.", "A red fox running through fresh snow ",
               "a red fox running through fresh snow", "A Red Fox running through fresh snow"]
    body = "id,prompt\n" + "".join("fox%d,%s\n" % (i + 1, p) for i, p in enumerate(prompts))
    wds = [workdir("E1"), workdir("E2")]
    procs = []
    for wd in wds:
        write(wd + "/in.csv", body)
        procs.append(start(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key))
    runs = [finish(p, 180) for p in procs]
    reps = [report(wd) or [] for wd in wds]
    ids = [set(j for r in rep for j in (r.get("job_id") or "").split(";") if j) for rep in reps]
    both = ids[0] & ids[1]
    st = sora.state.stats()
    collected = sora.state.collected_jobs()
    created = {j["id"] for j in st["jobs"]}
    uncollected = created - collected
    lost = st["lost"]
    ev = ("rc=%s/%s; server created %d jobs, lost %d create answers (%s); distinct jobs downloaded %d; "
          "job ids in both reports: %s; created but never collected: %s; statuses: [%s] [%s]" % (
              runs[0].rc, runs[1].rc, len(created), len(lost),
              ",".join(sorted({m for _, m in lost})), len(collected),
              ",".join(sorted(both)) or "none", (",".join(sorted(uncollected)) + (
                  " (%d of them deleted at the service)" % sum(1 for j in st["jobs"] if j["id"] in uncollected
                                                              and j["deleted"]))) if uncollected else "none",
              rows_brief(reps[0]), rows_brief(reps[1])))
    leaks = leak_scan(wds[0], [key], runs[0]) + leak_scan(wds[1], [key], runs[1])
    if leaks:
        ev += "; key printed in " + ",".join(leaks)
    # A paid job nobody collected is acceptable only when a FAILED row names it (an ambiguous lost answer that
    # the product reports instead of guessing); any other uncollected job is a paid video lost in silence.
    named = " ".join((r.get("diagnosis") or "") + " " + (r.get("error_message") or "")
                     for rep in reps for r in rep if r.get("status") == "FAILED")
    silent = sorted(j for j in uncollected if j not in named)
    ev += "; uncollected and named by no FAILED row: %s" % (",".join(silent) or "none")
    result("E-two-processes", not both and not silent and not leaks, ev)
    hs.stop(sora)


def scenario_F():
    """Input damage: report over input, existing files, colliding ids, empty/odd CSVs, typo'd option."""
    key = new_key()
    sora = hs.start_sora(key=key)
    ep = endpoint_of(sora)

    def creates():
        return len(sora.state.order)

    # F1 --report equal to --input
    for label, rep in (("F1-report=input", "in.csv"), ("F1-report=./out/../in.csv", "./out/../in.csv")):
        wd = workdir("F1")
        data = b"id,prompt\nfox,A red fox in the snow\nowl,An owl at night\n"
        write(wd + "/in.csv", data)
        os.makedirs(wd + "/out", exist_ok=True)
        n0 = creates()
        r = run(wd, ["--input=in.csv", "--output=out", "--report=" + rep], ep, key)
        same = open(wd + "/in.csv", "rb").read() == data
        result(label, r.rc == 2 and same and creates() == n0,
               "rc=%s; input %s; creates %d; %s" % (r.rc, "unchanged" if same else "CHANGED (now %d bytes: %r)" % (
                   len(open(wd + "/in.csv", "rb").read()), open(wd + "/in.csv", "rb").read()[:60]),
                   creates() - n0, r.tail(1)))

    # F2 pre-existing out/lake.mp4
    wd = workdir("F2")
    mine = b"MY OWN VIDEO, DO NOT TOUCH " * 1000
    write(wd + "/out/lake.mp4", mine)
    write(wd + "/in.csv", "id,prompt\nlake,A calm lake at dawn\n")
    r = run(wd, ["--input=in.csv", "--output=out"], ep, key)
    rows = report(wd)
    kept = open(wd + "/out/lake.mp4", "rb").read() == mine
    result("F2-existing-lake.mp4", kept, "rc=%s; out/lake.mp4 %s; report video_files=%s; %s" % (
        r.rc, "unchanged" if kept else "OVERWRITTEN (%d bytes now)" % os.path.getsize(wd + "/out/lake.mp4"),
        rows[0].get("video_files") if rows else "-", rows_brief(rows)))

    # F3 ids x-row-0003, x, x
    wd = workdir("F3")
    write(wd + "/in.csv", "id,prompt\nx-row-0003,A red fox in the snow\nx,An owl at night\nx,A boat on a lake\n")
    r = run(wd, ["--input=in.csv", "--output=out"], ep, key)
    rows = report(wd) or []
    files = [r_.get("video_files") or "" for r_ in rows]
    def exists(f):
        return any(os.path.exists(os.path.join(b, f)) and os.path.getsize(os.path.join(b, f)) == len(hs.MP4)
                   for b in (wd, wd + "/out"))
    missing = [f for f in files if not f or not all(exists(x) for x in f.split(";"))]
    dup = len(set(files)) != len(files)
    result("F3-colliding-ids", rows and not dup and not missing,
           "rc=%s; video_files=%s; %s%s" % (r.rc, files, "DUPLICATE file names; " if dup else "",
                                            ("missing/short: %s" % missing) if missing else "all present"))

    # F4 header only
    wd = workdir("F4")
    write(wd + "/in.csv", "id,prompt\n")
    r = run(wd, ["--input=in.csv", "--output=out"], ep, key)
    result("F4-header-only", r.rc == 2, "rc=%s; %s" % (r.rc, r.tail(1)))

    # F5 semicolon CSV
    wd = workdir("F5")
    write(wd + "/in.csv", "id;prompt\nfox;A red fox in the snow\nowl;An owl at night\n")
    n0 = creates()
    r = run(wd, ["--input=in.csv", "--output=out"], ep, key)
    rows = report(wd)
    worked = r.rc == 0 and rows and all(x["status"] == "SUCCEEDED" for x in rows) and len(rows) == 2
    clear = r.rc == 2 and re.search(r"';'|semicolon|separat|delimit|point-virgule", r.text, re.I)
    result("F5-semicolon-csv", bool(worked or clear), "rc=%s; creates %d; %s; %s" % (
        r.rc, creates() - n0, rows_brief(rows), r.tail(1)))

    # F6 Windows-1252
    wd = workdir("F6")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\ncafe,Un caf\u00e9 sur une terrasse\n"
          .encode("cp1252"))
    n0 = creates()
    r = run(wd, ["--input=in.csv", "--output=out"], ep, key)
    utf = "utf-8" in r.text.lower() or "utf8" in r.text.lower()
    result("F6-windows-1252", r.rc == 2 and creates() == n0 and utf, "rc=%s; creates %d; says UTF-8: %s; %s" % (
        r.rc, creates() - n0, utf, rows_brief(report(wd))))

    # F7 unquoted comma
    wd = workdir("F7")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\n"
                          "cafe,Un caf\u00e9 cr\u00e8me sur une terrasse \u00e0 Paris, \u00e9t\u00e9\n"
                          "owl,An owl at night\n")
    n0 = len(sora.state.order)
    r = run(wd, ["--input=in.csv", "--output=out"], ep, key)
    sent = [j["prompt"] for j in list(sora.state.jobs.values()) if "terrasse" in j["prompt"]]
    rows = report(wd) or []
    st2 = rows[1]["status"] if len(rows) > 1 else "-"
    result("F7-unquoted-comma", not sent, "rc=%s; row 2 %s; sent to server: %s" % (
        r.rc, st2, repr(sent[0]) if sent else "no"))

    # F8 typo'd property
    wd = workdir("F8")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\n")
    n0 = creates()
    r = run(wd, ["--input=in.csv", "--output=out", "--sora.max-inflite=4"], ep, key)
    named = "max-inflite" in r.text
    result("F8-property-typo", r.rc == 2 and named, "rc=%s; names it: %s; creates %d; %s" % (
        r.rc, named, creates() - n0, r.tail(1)))
    hs.stop(sora)


def scenario_G():
    """Misc: short download, 200 HTML on create, HTML 502 polls, HTML as the MP4, no generations."""
    # G1 download shorter than its Content-Length, every time
    key = new_key()
    sora = hs.start_sora(key=key)
    wd = workdir("G1")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\nshort,A boat on a lake [short]\n")
    r = run(wd, ["--input=in.csv", "--output=out", "--sora.retry.max-download-rounds=2"], endpoint_of(sora), key)
    rows = report(wd) or []
    f = wd + "/out/short.mp4"
    size = os.path.getsize(f) if os.path.exists(f) else None
    ok = len(rows) == 2 and rows[0]["status"] == "SUCCEEDED" and rows[1]["status"] == "FAILED" and size in (
        None, len(hs.MP4))
    result("G1-short-download", ok, "rc=%s (%.0f s); %s; out/short.mp4 %s; diagnosis: %s" % (
        r.rc, r.elapsed, rows_brief(rows), size, (rows[1].get("diagnosis") if len(rows) > 1 else "")[:160]))
    hs.stop(sora)

    # G2 a 200 text/html answer to a create that DID create the job
    key = new_key()
    sora = hs.start_sora(key=key, create_non_json_first=True)
    wd = workdir("G2")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\nowl,An owl at night\n")
    r = run(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key)
    rows = report(wd) or []
    created = {j for j in sora.state.order}
    coll = sora.state.collected_jobs()
    ok = len(created) == len(coll)
    result("G2-200-html-on-create", ok,
           "rc=%s; server created %d jobs, collected %d (uncollected paid jobs: %d); %s; diag: %s" % (
               r.rc, len(created), len(coll), len(created - coll), rows_brief(rows),
               "; ".join((x.get("diagnosis") or "")[:100] for x in rows if x.get("status") != "SUCCEEDED")))
    hs.stop(sora)

    # G3 HTML 502 pages on a third of the polls
    key = new_key()
    sora = hs.start_sora(key=key, poll_html_502_rate=0.35, seed=3)
    wd = workdir("G3")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\nowl,An owl at night\nboat,A boat on a lake\n")
    r = run(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key)
    rows = report(wd) or []
    ok = r.rc == 0 and all(x["status"] == "SUCCEEDED" for x in rows) and len(rows) == 3
    result("G3-html-502-on-polls", ok, "rc=%s; %s; %s" % (r.rc, rows_brief(rows), "" if ok else r.tail(2)))
    hs.stop(sora)

    # G4 200 text/html login page instead of the MP4
    key = new_key()
    sora = hs.start_sora(key=key)
    wd = workdir("G4")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\nlogin,A boat on a lake [htmlvideo]\n")
    r = run(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key)
    rows = report(wd) or []
    f = wd + "/out/login.mp4"
    html = os.path.exists(f) and b"<html" in open(f, "rb").read(200).lower()
    st2 = rows[1]["status"] if len(rows) > 1 else "-"
    result("G4-html-instead-of-mp4", not (st2 == "SUCCEEDED" and html),
           "rc=%s; row 2 %s; out/login.mp4 %s; diag: %s" % (
               r.rc, st2, "is an HTML page" if html else ("absent" if not os.path.exists(f) else "not HTML"),
               (rows[1].get("diagnosis") if len(rows) > 1 else "")[:140]))
    hs.stop(sora)

    # G5 a job that 'succeeded' with no generations at all
    key = new_key()
    sora = hs.start_sora(key=key)
    wd = workdir("G5")
    write(wd + "/in.csv", "id,prompt\nfox,A red fox in the snow\nnone,A boat on a lake [nogens]\n")
    r = run(wd, ["--input=in.csv", "--output=out"], endpoint_of(sora), key, timeout=120)
    rows = report(wd) or []
    st2 = rows[1]["status"] if len(rows) > 1 else "-"
    vf = rows[1].get("video_files") if len(rows) > 1 else ""
    ok = r.rc != "KILLED(timeout)" and not (st2 == "SUCCEEDED" and not vf) and r.rc != 0
    result("G5-succeeded-without-generations", ok, "rc=%s (%.0f s); row 2 %s, video_files=%r; diag: %s" % (
        r.rc, r.elapsed, st2, vf, (rows[1].get("diagnosis") if len(rows) > 1 else r.tail(1))[:160]))
    hs.stop(sora)


def main():
    global JAR
    JAR = os.path.abspath(sys.argv[1])
    for s in sys.argv[2:]:
        fn = globals().get("scenario_" + s.upper())
        if not fn:
            print("unknown scenario " + s)
            return 2
        print("=== scenario %s: %s" % (s.upper(), (fn.__doc__ or "").strip()), flush=True)
        t0 = time.time()
        try:
            fn()
        except Exception as e:  # a broken scenario is a FAIL of the harness, say so
            import traceback
            traceback.print_exc()
            result(s.upper() + "-harness", False, "scenario crashed: %r" % e)
        print("    (scenario %s took %.0f s)" % (s.upper(), time.time() - t0), flush=True)
    with open(os.environ.get("HOSTILE_RESULTS", os.devnull), "a") as f:
        for n, ok, ev in RESULTS:
            f.write("%s\t%s\t%s\n" % (n, "PASS" if ok else "FAIL", ev.replace("\n", " ").replace("\t", " ")))
    return 0 if all(ok for _, ok, _ in RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
