#!/usr/bin/env python3
"""Hostile scenarios for sora-batch's Google providers (vertex-veo, gemini-veo). Black box: written from README.md
("Vertex AI: Veo 3.1 on Google Cloud", "The Gemini API", "The report", "Exit codes") and providers-api.md §1-§2
only. Used by run_google_scenarios.sh.

  python3 google_scenarios.py JAR [SCENARIO ...]     (no scenario = all; `list` prints them)

Each product run gets a fresh temp directory (/tmp/hostile-google-<scenario>-*, kept), a fresh google_server
(every listener on 127.0.0.1), a fresh service-account key whose token_uri is that server, its own H2 job
repository inside the temp directory, and is killed after at most TIMEOUT s. Runs are sequential (one JVM at a time).
"""
import base64
import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import google_server as gs  # noqa: E402

JAR = None
TIMEOUT = 150
RESULTS = []
FAST = ["--sora.poll.interval=1s", "--sora.retry.initial-delay=200ms", "--sora.retry.max-delay=1s",
        "--sora.requests-per-minute=0", "--sora.retry.orphan-settle=1s", "--sora.progress=log"]
BUCKET = "hostile-veo-bucket"


# ---- plumbing ---------------------------------------------------------------------------------------------------
def log(msg):
    print("    " + msg, flush=True)


def result(name, ok, evidence):
    ok = bool(ok)
    RESULTS.append((name, ok, evidence))
    print("%s %s: %s" % ("PASS" if ok else "FAIL", name, evidence), flush=True)
    out = os.environ.get("HOSTILE_RESULTS")
    if out:
        with open(out, "a") as f:
            f.write("%s\t%s\t%s\n" % (name, "PASS" if ok else "FAIL", evidence.replace("\t", " ").replace("\n", " ")))


def workdir(tag):
    return tempfile.mkdtemp(prefix="hostile-google-%s-" % tag)


def write(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def rows_csv(header, rows):
    def q(v):
        v = "" if v is None else str(v)
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
    return ",".join(header) + "\n" + "".join(",".join(q(r.get(h)) for h in header) + "\n" for r in rows)


def write_csv(wd, rows, name="in.csv"):
    header = []
    for r in rows:
        for k in r:
            if k not in header:
                header.append(k)
    write(os.path.join(wd, name), rows_csv(header, rows))


class Run:
    def __init__(self, rc, out, err, elapsed, wd):
        self.rc, self.out, self.err, self.elapsed, self.wd = rc, out, err, elapsed, wd

    @property
    def text(self):
        return self.out + "\n" + self.err

    def tail(self, n=2):
        lines = [ln.strip() for ln in self.text.strip().splitlines() if ln.strip()]
        return " | ".join(ln[:300] for ln in lines[-n:])

    def line(self, *words):
        for ln in self.text.splitlines():
            if all(w.lower() in ln.lower() for w in words):
                return ln.strip()[:400]
        return None


def clean_env(extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AZURE_", "OPENAI_", "SORA_", "FAL_", "GOOGLE_", "GEMINI_", "GCLOUD", "CLOUDSDK"))
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    # never let Google's library look for a metadata server or gcloud's own credentials
    env["NO_GCE_CHECK"] = "true"
    env["GCE_METADATA_HOST"] = env["GCE_METADATA_IP"] = "127.0.0.1:9"
    env.update(extra)
    return env


def start(wd, args, env_extra, tag=""):
    os.makedirs(os.path.join(wd, ".gcloud-empty"), exist_ok=True)
    env = clean_env(dict({"CLOUDSDK_CONFIG": os.path.join(wd, ".gcloud-empty")}, **env_extra))
    cmd = ["java", "-XX:TieredStopAtLevel=1", "-Xmx384m", "-jar", JAR] + list(args)
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


def repo_arg(wd):
    return "--spring.datasource.url=jdbc:h2:file:%s/repo;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE" % wd


def fast_minus(extra):
    """FAST without the settings `extra` gives itself (Spring would join two values of one property with a comma)."""
    keys = set(x.split("=", 1)[0] for x in extra)
    return [x for x in FAST if x.split("=", 1)[0] not in keys]


def vertex_cmd(srv, wd, extra=(), provider=True, creds="property", model=None, fast=True, command=None):
    a = [command, repo_arg(wd)] if command else ["--input=in.csv", "--output=out", repo_arg(wd)]
    if provider:
        a.append("--provider=vertex-veo")
    a += srv.vertex_args()
    if creds == "property":
        a.append("--sora.vertex.credentials-file=" + srv.sa_file)
    if model:
        a.append("--sora.model=" + model)
    env = {"GOOGLE_CLOUD_PROJECT": srv.state.cfg["project"]}
    if creds == "env":
        env["GOOGLE_APPLICATION_CREDENTIALS"] = srv.sa_file
    return a + (fast_minus(extra) if fast and not command else []) + list(extra), env


def gemini_cmd(srv, wd, extra=(), provider=True, key=None, model=None, command=None):
    a = [command, repo_arg(wd)] if command else ["--input=in.csv", "--output=out", repo_arg(wd)]
    if provider:
        a.append("--provider=gemini-veo")
    a.append("--sora.gemini.base-url=" + srv.gemini_base)
    if model:
        a.append("--sora.model=" + model)
    env = {"GEMINI_API_KEY": srv.state.cfg["gemini_key"] if key is None else key}
    return a + ([] if command else fast_minus(extra)) + list(extra), env


def go(wd, args_env, tag="", timeout=TIMEOUT):
    a, e = args_env
    return finish(start(wd, a, e, tag=tag), timeout)


def report(wd, name="out/report.csv"):
    path = os.path.join(wd, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def by_id(rows):
    return {r.get("id"): r for r in (rows or [])}


def text_of(row):
    return " ".join((row or {}).get(n, "") for n in ("error_code", "error_message", "diagnosis"))


def brief(rows):
    if rows is None:
        return "no report"
    return "; ".join("%s %s%s" % (r.get("id") or r.get("row"), r.get("status"),
                                  "(%s)" % r["error_code"] if r.get("error_code") else "") for r in rows)


def served_videos(srv, row):
    op = srv.state.ops.get((row or {}).get("job_id"))
    return op["videos"] if op else None


def files_check(srv, wd, row, want=None):
    """-> (ok, evidence): the row's video files are byte for byte what the server generated for its operation."""
    if row is None:
        return False, "no report row"
    want = served_videos(srv, row) if want is None else want
    names = [x for x in (row.get("video_files") or "").split(";") if x]
    if want is None:
        return False, "job_id %r is no operation of the server" % (row.get("job_id") or "")[-40:]
    if len(names) != len(want):
        return False, "%d files in the report, %d videos served" % (len(names), len(want))
    ev = []
    for n, w in zip(names, want):
        p = n if os.path.isabs(n) else os.path.join(wd, "out", n)
        if not os.path.isfile(p):
            return False, "%s missing" % n
        got = open(p, "rb").read()
        if hashlib.sha256(got).digest() != hashlib.sha256(w).digest():
            return False, "%s is %d bytes, served %d%s" % (os.path.basename(n), len(got), len(w),
                                                          " (same size, other bytes)" if len(got) == len(w) else "")
        ev.append("%s %d B" % (os.path.basename(n), len(got)))
    return True, ", ".join(ev)


def stray_files(wd, expected):
    """Files in out/ besides the reported videos, thumbnails and reports (partial or temporary files)."""
    out = os.path.join(wd, "out")
    if not os.path.isdir(out):
        return []
    keep = set(os.path.basename(x) for x in expected) | {"report.csv", "report.html"}
    return sorted(f for f in os.listdir(out) if f not in keep)


def all_files(rows):
    fs = []
    for r in rows or []:
        for c in ("video_files", "thumbnail_files"):
            fs += [x for x in (r.get(c) or "").split(";") if x]
    return fs


def secrets(srv):
    s = [srv.state.cfg["gemini_key"]] + list(srv.state.tokens)
    if srv.state.sa:
        body = srv.state.sa.private_key_body
        s += [body[3], body[10]]     # two lines of the private key's base64
    return [x for x in s if x]


def leak_scan(wd, srv, runs, extra=()):
    sec = secrets(srv) + [x for x in extra if x]
    hits = []
    for r in runs:
        for nm, txt in (("stdout", r.out), ("stderr", r.err)):
            if any(x in txt for x in sec):
                hits.append(nm)
    skip = {os.path.basename(srv.sa_file)}
    for root, dirs, files in os.walk(wd):
        if os.path.basename(root).startswith("sa-"):
            continue
        for fn in files:
            if fn in skip or fn.startswith(".hostile-"):
                continue
            fp = os.path.join(root, fn)
            try:
                data = open(fp, "rb").read()
            except OSError:
                continue
            if any(x.encode() in data for x in sec):
                hits.append(os.path.relpath(fp, wd))
    return sorted(set(hits))


def check_leaks(name, wd, srv, runs, extra=()):
    hits = leak_scan(wd, srv, runs, extra)
    result(name, not hits, ("a secret (API key, access token or private key) found in: %s" % ", ".join(hits))
           if hits else "no API key, access token (%d granted) or private-key line in the console, report, logs or "
                        "H2 repository" % len(srv.state.tokens))


def creates(srv, prompt, created_only=True):
    return sum(1 for c in srv.state.creates if c["prompt"] == prompt and (c["op"] or not created_only))


def create_posts(srv):
    return [e for e in srv.state.log if e["method"] == "POST" and e["path"].endswith(":predictLongRunning")]


def once_check(name, srv, prompts, allow_zero=()):
    bad, ev = [], []
    for p in prompts:
        n, tries = creates(srv, p), creates(srv, p, created_only=False)
        if n > 1 or (n == 0 and p not in allow_zero):
            bad.append(p)
        ev.append("%r: %d created (%d POSTs)" % (p[:30], n, tries))
    result(name, not bad, "; ".join(ev))


def server_summary(srv):
    st = srv.state
    log("server saw: %d requests; %d creates (%d made an operation); %d token grants (%d refused); polls %d; "
        "faults %s; GCS media GETs %d, listings %d; Gemini storage GETs %d; violations %d%s; credential leaks %s" % (
            len(st.log), len(st.creates), sum(1 for c in st.creates if c["op"]),
            sum(1 for t in st.token_requests if t["ok"]), sum(1 for t in st.token_requests if not t["ok"]),
            sum(o["polls"] for o in st.ops.values()), st.faults or "none", sum(st.gcs_gets.values()),
            len(st.gcs_lists), sum(st.gstore_gets.values()), len(st.violations),
            (": " + "; ".join(st.violations[:3])) if st.violations else "", st.leaks or "none"))


def new_server(wd, **cfg):
    qp = cfg.pop("quota_project", None)
    return gs.start(wd, quota_project=qp, log_file=os.path.join(wd, "google-requests.jsonl"), **cfg)


def create_bodies(srv, prompt):
    return [c for c in srv.state.creates if c["prompt"] == prompt]


def typed_param(v):
    if v in ("true", "false"):
        return v == "true"
    if re.fullmatch(r"-?\d+", v):
        return int(v)
    return v


def camel(name):
    p = name.split("_")
    return p[0] + "".join(x.title() for x in p[1:])


def expected_params(row, api):
    """What README says a row becomes in `parameters` (sampleCount may be left out when n_variants is empty)."""
    p = {}
    if row.get("seconds"):
        p["durationSeconds"] = int(row["seconds"])
    if row.get("aspect_ratio"):
        p["aspectRatio"] = row["aspect_ratio"]
    if row.get("resolution"):
        p["resolution"] = row["resolution"]
    p["sampleCount"] = int(row.get("n_variants") or 1)
    if row.get("negative_prompt"):
        p["negativePrompt"] = row["negative_prompt"]
    if api == "vertex":
        if row.get("seed"):
            p["seed"] = int(row["seed"])
        p["generateAudio"] = True
        p["personGeneration"] = "allow_adult"
    for k, v in row.items():
        if k.startswith("param.") and v:
            p[camel(k[6:])] = typed_param(v)
    return p


def same_typed(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_typed(a[k], b[k]) for k in a)
    return a == b


def body_diff(srv, row, api, image=None, storage=None):
    """-> list of differences between the create body sent for `row` and what README/§ say."""
    cs = [c for c in create_bodies(srv, row["prompt"]) if c["op"]] or create_bodies(srv, row["prompt"])
    if not cs:
        return ["%s: never sent" % row["id"]]
    body = cs[0]["body"]
    d = []
    inst = body.get("instances") or [{}]
    if len(inst) != 1:
        d.append("%s: %d instances" % (row["id"], len(inst)))
    i0 = inst[0]
    if i0.get("prompt") != row["prompt"]:
        d.append("%s: prompt %r" % (row["id"], i0.get("prompt")))
    if image is not None:
        img = i0.get("image") or {}
        data, mime = image
        try:
            got = base64.b64decode(img.get("bytesBase64Encoded") or "")
        except ValueError:
            got = b""
        if got != data or img.get("mimeType") != mime or set(img) != {"bytesBase64Encoded", "mimeType"}:
            d.append("%s: image %s (want bytesBase64Encoded of the %d bytes served, mimeType %s)" % (
                row["id"], {k: (v if len(str(v)) < 40 else "<%d chars>" % len(v)) for k, v in img.items()},
                len(data), mime))
    elif "image" in i0:
        d.append("%s: an image was sent" % row["id"])
    extra_inst = set(i0) - {"prompt", "image"}
    if extra_inst:
        d.append("%s: instance fields %s" % (row["id"], sorted(extra_inst)))
    want = expected_params(row, api)
    got = dict(body.get("parameters") or {})
    if storage is not None:
        su = got.pop("storageUri", None)
        if not (isinstance(su, str) and su.startswith(storage)):
            d.append("%s: storageUri %r (want under %s)" % (row["id"], su, storage))
    if not row.get("n_variants") and "sampleCount" not in got:
        want.pop("sampleCount")
    if not same_typed(got, want):
        miss = {k: want[k] for k in want if k not in got}
        extra = {k: got[k] for k in got if k not in want}
        wrong = {k: (got[k], want[k]) for k in want if k in got and not same_typed(got[k], want[k])}
        d.append("%s: parameters %s%s%s" % (row["id"], ("missing %s " % miss) if miss else "",
                                            ("unexpected %s " % extra) if extra else "",
                                            ("got/want %s" % wrong) if wrong else ""))
    top = set(body) - {"instances", "parameters"}
    if top:
        d.append("%s: top-level fields %s" % (row["id"], sorted(top)))
    return d


def exit_check(name, r, want, rows):
    result(name, r.rc == want, "rc=%s (want %s) after %.0f s; %s%s" % (r.rc, want, r.elapsed, brief(rows),
                                                                     "" if r.rc == want else " | " + r.tail(2)))


def api_calls(srv, listener):
    return [e for e in srv.state.log if e["listener"] == listener]


# ====================================================================================================== Vertex
V_HAPPY = [
    dict(id="harbour", prompt="A fishing harbour at dawn, gulls circling the masts", seconds="8", aspect_ratio="16:9",
         resolution="720p"),
    dict(id="market", prompt="A night market in the rain seen from above", seconds="6", aspect_ratio="9:16",
         resolution="1080p", negative_prompt="blurry", seed="42", **{"param.generate_audio": "false"}),
    dict(id="png", prompt="The kite in this picture lifts into the wind", seconds="8", image_url="@frame.png"),
    dict(id="jpg", prompt="The stones in this picture roll downhill", image_url="@frame.jpg"),
    dict(id="glacier", prompt="A glacier calving into a turquoise sea", seconds="8", resolution="4k", n_variants="2",
         model="veo-3.1-generate-001"),
    dict(id="typed", prompt="A paper boat in a gutter stream", seconds="4",
         **{"param.enhance_prompt": "false", "param.compression_quality": "optimized",
            "param.person_generation": "dont_allow"}),
]


def resolve_images(srv, rows):
    out = []
    for r in rows:
        r = dict(r)
        if r.get("image_url", "").startswith("@"):
            r["image_url"] = srv.image_url(r["image_url"][1:])
        out.append(r)
    return out


def image_of(row):
    u = row.get("image_url") or ""
    name = u.rsplit("/", 1)[-1]
    return gs.IMAGES.get(name) if name else None


def rows_files_check(name, srv, wd, rows_in, rows, ids=None):
    ids = ids or [r["id"] for r in rows_in]
    m = by_id(rows)
    bad, ev = [], []
    for i in ids:
        row = m.get(i)
        ok, e = files_check(srv, wd, row)
        ok = ok and row.get("status") == "SUCCEEDED"
        if not ok:
            bad.append(i)
        ev.append("%s %s: %s" % (i, (row or {}).get("status"), e))
    result(name, rows is not None and not bad, "; ".join(ev))


def scenario_v_happy():
    """Six rows of every kind; quota project in the key file; inline videos."""
    wd = workdir("v-happy")
    srv = new_server(wd, job_seconds=2.5, quota_project="hostile-billing-77")
    rows_in = resolve_images(srv, V_HAPPY)
    write_csv(wd, rows_in)
    r = go(wd, vertex_cmd(srv, wd, extra=["--sora.max-in-flight=4"]))
    rows = report(wd)
    exit_check("V-happy-exit-0", r, 0, rows)
    rows_files_check("V-happy-files-whole", srv, wd, rows_in, rows)
    diffs = []
    for row in rows_in:
        diffs += body_diff(srv, row, "vertex", image=image_of(row))
    sample = next((c["body"] for c in srv.state.creates if c["prompt"] == rows_in[1]["prompt"]), None)
    result("V-happy-request-body", not diffs, "; ".join(diffs) if diffs else "every field as README §Vertex says, "
           "typed; e.g. market: %s" % json.dumps(gs.summarise(sample))[:300])
    paths = {c["prompt"]: c["model"] for c in srv.state.creates}
    wrong = ["%s -> %s" % (row["id"], paths.get(row["prompt"])) for row in rows_in
             if paths.get(row["prompt"]) != (row.get("model") or "veo-3.1-fast-generate-001")]
    fetch_wrong = [v for v in srv.state.violations if "fetchPredictOperation" in v or "GET on an operation" in v]
    result("V-happy-model-and-poll", not wrong and not fetch_wrong and all(
        o["polls"] >= 1 for o in srv.state.ops.values()),
           "model in each create path: %s; polls by fetchPredictOperation on the op's own model, GETs on op names: "
           "%s; polls per op %s" % ("as expected (default veo-3.1-fast-generate-001, glacier veo-3.1-generate-001)"
                                    if not wrong else wrong, fetch_wrong or "none",
                                    [o["polls"] for o in srv.state.ops.values()]))
    calls = api_calls(srv, "vertex")
    no_up = [e["path"][-40:] for e in calls if e["auth"]["user_project"] != "hostile-billing-77"]
    bad_auth = [v for v in srv.state.violations if v.startswith("vertex")]
    result("V-happy-bearer-and-quota-project", calls and not bad_auth and not no_up,
           "%d Vertex calls, refused bearer: %s; without x-goog-user-project: %s" % (
               len(calls), bad_auth[:2] or "none", no_up[:2] or "none"))
    tr = srv.state.token_requests
    result("V-happy-token-grant", tr and all(t["ok"] for t in tr) and len(tr) <= 2,
           "%d token requests (JWT RS256 signature verified with openssl against the key file's public key): %s" % (
               len(tr), [(t["ok"], t["why"], (t["claims"] or {}).get("scope")) for t in tr][:2]))
    result("V-happy-image-host-clean", not srv.state.leaks and any(e["listener"] == "images" for e in srv.state.log),
           "image host GETs %d, credentials there: %s" % (len(api_calls(srv, "images")), srv.state.leaks or "none"))
    st_files = stray_files(wd, all_files(rows))
    result("V-happy-no-stray-files", not st_files, "files in out/ besides the report's: %s" % (st_files or "none"))
    once_check("V-happy-each-row-created-once", srv, [x["prompt"] for x in rows_in])
    wh = sorted(set((x.get("width"), x.get("height")) for x in rows or []))
    log("report width/height of Veo rows: %s (the console says '0 x 0')" % wh)
    check_leaks("V-happy-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


def scenario_v_gcs():
    """storage-uri: every create names its own sub-prefix; videos fetched through the GCS JSON API with the bearer;
    the first GET of every object is cut short (Content-Length announced, connection closed at 40 %)."""
    wd = workdir("v-gcs")
    srv = new_server(wd, job_seconds=2.0, download_fault="truncate-first", gcs_page_size=1)
    rows_in = [dict(id="one", prompt="Fog rolling over a mountain pass", seconds="8"),
               dict(id="two", prompt="A tram crossing a bridge at night", seconds="6", n_variants="2"),
               dict(id="three", prompt="Lanterns on a river", seconds="4")]
    write_csv(wd, rows_in)
    uri = "gs://%s/veo-out" % BUCKET
    r = go(wd, vertex_cmd(srv, wd, extra=["--sora.vertex.storage-uri=" + uri]))
    rows = report(wd)
    exit_check("V-gcs-exit-0", r, 0, rows)
    rows_files_check("V-gcs-files-whole-after-cut-download", srv, wd, rows_in, rows)
    sus = {}
    for c in srv.state.creates:
        sus.setdefault(c["prompt"], c["body"].get("parameters", {}).get("storageUri"))
    pat = re.compile(r"^gs://%s/veo-out/row-(\d+)-[^/]+/$" % BUCKET)
    bad = ["%s: %r" % (x["id"], sus.get(x["prompt"])) for i, x in enumerate(rows_in, 1)
           if not (pat.match(sus.get(x["prompt"]) or "") and pat.match(sus[x["prompt"]]).group(1) == str(i))]
    result("V-gcs-storage-uri-per-row", not bad and len(set(sus.values())) == len(rows_in),
           "storageUri sent: %s%s" % (list(sus.values()), ("; not row-<n>-<fp>/: %s" % bad) if bad else ""))
    inline = [o for o in srv.state.ops.values() if not o["storage_uri"]]
    gets = [e for e in api_calls(srv, "gcs") if "alt=media" in e["path"]]
    unauth = [v for v in srv.state.violations if v.startswith("gcs")]
    result("V-gcs-downloads-via-json-api", gets and not unauth and not inline,
           "%d GCS media GETs (cut short on purpose: %s), all with a granted bearer: %s; URL-encoded object names; "
           "sample path %s" % (len(gets), srv.state.faults.get("gcs:truncated", 0), "yes" if not unauth else unauth[:2],
                               gets[0]["path"][:110] if gets else "-"))
    up = [x["path"][-40:] for x in api_calls(srv, "vertex") + api_calls(srv, "gcs") if x["auth"]["user_project"]]
    result("V-gcs-no-quota-project-header", not up, "key file without quota_project_id: calls with "
           "x-goog-user-project: %s" % (up[:2] or "none"))
    st_files = stray_files(wd, all_files(rows))
    result("V-gcs-no-partial-file", not st_files, "files in out/ besides the report's: %s" % (st_files or "none"))
    once_check("V-gcs-each-row-created-once", srv, [x["prompt"] for x in rows_in])
    check_leaks("V-gcs-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


def scenario_v_env():
    """No --provider; GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION in the environment, and
    GOOGLE_APPLICATION_CREDENTIALS only in .env (README: 'this one also reads the variable from .env')."""
    wd = workdir("v-env")
    srv = new_server(wd, job_seconds=1.5, location="europe-west4")
    rows_in = [dict(id="a", prompt="Dew on a spider web at sunrise", seconds="4")]
    write_csv(wd, rows_in)
    write(os.path.join(wd, ".env"), "GOOGLE_APPLICATION_CREDENTIALS=%s\n" % srv.sa_file)
    a, e = vertex_cmd(srv, wd, provider=False, creds="none")
    a = [x for x in a if not x.startswith("--sora.vertex.location")]
    e["GOOGLE_CLOUD_LOCATION"] = "europe-west4"
    r = go(wd, (a, e))
    rows = report(wd)
    paths = sorted(set(c["model"] for c in srv.state.creates))
    locs = sorted(set(re.sub(r".*/locations/([^/]+)/.*", r"\1", x["path"]) for x in api_calls(srv, "vertex")))
    ok = r.rc == 0 and rows and rows[0]["status"] == "SUCCEEDED" and locs == ["europe-west4"]
    result("V-env-inferred-dotenv-credentials", ok, "rc=%s; %s; Vertex calls in locations %s, models %s; token "
           "grants %d%s" % (r.rc, brief(rows), locs, paths, len(srv.state.tokens), "" if ok else " | " + r.tail(2)))
    check_leaks("V-env-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


def stop_check(prefix, srv, wd, r, rows, patterns, max_creates=2, want_rc=1):
    exit_check(prefix + "-exit-%d" % want_rc, r, want_rc, rows)
    n = len(create_posts(srv))
    result(prefix + "-stops-at-once", n <= max_creates and r.elapsed < 60,
           "%d create attempts for %d rows, %d made an operation; %.0f s" % (
               n, len(rows or []), sum(1 for c in srv.state.creates if c["op"]), r.elapsed))
    txt = r.text + " ".join(text_of(x) for x in rows or [])
    miss = [p for p in patterns if not re.search(p, txt, re.I | re.S)]
    said = r.line("sora-batch") or ""
    first = next((ln.strip() for ln in r.text.splitlines() if re.search(patterns[0], ln, re.I)), said)
    result(prefix + "-diagnosis", not miss, "%s%s" % ("missing %s; " % miss if miss else "", first[:420]))
    check_leaks(prefix + "-no-secret-printed", wd, srv, [r])
    server_summary(srv)


FOUR = [dict(id="r%d" % i, prompt=p, seconds="4") for i, p in enumerate(
    ["A red fox running through fresh snow", "An owl gliding over a moonlit forest",
     "A small boat drifting on a calm lake", "Rain on a window at night"], 1)]


def scenario_v_invalid_grant():
    """Every token request: 400 invalid_grant 'Invalid JWT Signature.' (a deleted key)."""
    wd = workdir("v-invalid-grant")
    srv = new_server(wd, token_refusal="Invalid JWT Signature.")
    write_csv(wd, FOUR)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    stop_check("V-invalid-grant", srv, wd, r, rows, [r"invalid_grant", r"Invalid JWT Signature", r"new key|keys create"],
               max_creates=0)
    pend = [x for x in rows or [] if x["status"] == "PENDING"]
    log("report after invalid_grant: %s; first row's diagnosis: %r, cost %r" % (
        brief(rows), (pend[0]["diagnosis"] if pend else "")[:160], pend[0]["cost"] if pend else None))
    srv.stop()


def scenario_v_token_refresh():
    """Short tokens (expires_in 228 s: google-auth-library renews 3 min 45 s before the end) over a run of ~12 s."""
    wd = workdir("v-token-refresh")
    srv = new_server(wd, job_seconds=3.0, token_expires_in=228)
    write_csv(wd, FOUR)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    exit_check("V-token-refresh-exit-0", r, 0, rows)
    grants = sum(1 for t in srv.state.token_requests if t["ok"])
    refused = [v for v in srv.state.violations if v.startswith("vertex")]
    result("V-token-refresh-renewed", grants >= 2 and not refused,
           "%d tokens granted during a %.0f s run; calls with a refused token: %s" % (grants, r.elapsed,
                                                                                    refused[:2] or "none"))
    once_check("V-token-refresh-created-once", srv, [x["prompt"] for x in FOUR])
    check_leaks("V-token-refresh-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


def scenario_v_clock_behind():
    """Tokens say 3599 s, but the API honours each for 3 s only (this machine's clock behind Google's): 401
    UNAUTHENTICATED mid-run. README: renewed once and the call made again."""
    wd = workdir("v-clock-behind")
    srv = new_server(wd, job_seconds=3.0, token_valid_for=2.5)
    write_csv(wd, FOUR)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    exit_check("V-clock-behind-exit-0", r, 0, rows)
    grants = sum(1 for t in srv.state.token_requests if t["ok"])
    n401 = sum(1 for e in api_calls(srv, "vertex") if e["status"] == 401)
    result("V-clock-behind-token-renewed-on-401", grants >= 2 and r.rc == 0,
           "%d tokens granted, %d calls answered 401 then made again" % (grants, n401))
    once_check("V-clock-behind-created-once", srv, [x["prompt"] for x in FOUR])
    check_leaks("V-clock-behind-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


def scenario_v_401_always():
    """The API refuses every token (401): renewed once, then the run stops, exit 1, naming the credentials."""
    wd = workdir("v-401")
    srv = new_server(wd, api_401_always=True)
    write_csv(wd, FOUR)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    stop_check("V-401", srv, wd, r, rows, [r"401|UNAUTHENTICATED", r"credential|token"], max_creates=3)
    log("token requests: %d" % len(srv.state.token_requests))
    srv.stop()


def gap_after_429(srv):
    """Seconds between each 429 answer and the next create of the same prompt."""
    gaps = []
    cs = srv.state.creates
    for i, c in enumerate(cs):
        if c["outcome"] == "fault 429":
            nxt = next((d for d in cs[i + 1:] if d["prompt"] == c["prompt"]), None)
            gaps.append(round(nxt["t"] - c["t"], 1) if nxt else None)
    return gaps


def scenario_v_429():
    """The first 2 creates: 429 RESOURCE_EXHAUSTED with RetryInfo retryDelay 3s (no Retry-After header)."""
    wd = workdir("v-429")
    srv = new_server(wd, job_seconds=1.5, create_fault="429", create_fault_count=2, retry_delay="2s")
    write_csv(wd, FOUR[:3])
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    exit_check("V-429-exit-0", r, 0, rows)
    gaps = gap_after_429(srv)
    result("V-429-retry-delay-honoured", gaps and all(g is not None and g >= 1.8 for g in gaps),
           "seconds from each 429 to the next create of that prompt: %s (RetryInfo asked 2s; no Retry-After)" % gaps)
    once_check("V-429-created-once", srv, [x["prompt"] for x in FOUR[:3]])
    server_summary(srv)
    srv.stop()


def scenario_v_403_api():
    wd = workdir("v-403-api")
    srv = new_server(wd, create_fault="403-api")
    write_csv(wd, FOUR)
    r = go(wd, vertex_cmd(srv, wd))
    stop_check("V-403-api-disabled", srv, wd, r, report(wd), [r"not (been )?enabled|disabled|enable",
                                                              r"aiplatform\.googleapis\.com"])
    srv.stop()


def scenario_v_403_iam():
    wd = workdir("v-403-iam")
    srv = new_server(wd, create_fault="403-iam")
    write_csv(wd, FOUR)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    stop_check("V-403-iam-role", srv, wd, r, rows, [r"roles/aiplatform\.user", r"aiplatform\.endpoints\.predict|"
                                                                               r"permission"])
    txt = r.text
    result("V-403-iam-not-called-api-disabled", not re.search(r"not enabled|API has not been used", txt, re.I),
           "the IAM refusal is not diagnosed as 'API not enabled': %s" % (r.line("roles/") or r.tail(1))[:300])
    srv.stop()


def scenario_v_404_retired():
    wd = workdir("v-404")
    srv = new_server(wd)
    write_csv(wd, FOUR)
    r = go(wd, vertex_cmd(srv, wd, model="veo-3.0-generate-001"))
    stop_check("V-404-retired-model", srv, wd, r, report(wd), [r"no longer available", r"veo-3\.1-generate-001"],
               max_creates=1)
    srv.stop()


def scenario_v_row_errors():
    """A row naming a retired model (404: that row only) and a row whose param.fps=30 is refused with 400
    INVALID_ARGUMENT + BadRequest field parameters.fps (that row only, not retried)."""
    wd = workdir("v-row-errors")
    srv = new_server(wd, job_seconds=1.5)
    rows_in = [dict(id="ok1", prompt="Steam rising from a cup of tea", seconds="4"),
               dict(id="retired", prompt="A hummingbird at a feeder", seconds="4", model="veo-3.0-fast-generate-001"),
               dict(id="fps", prompt="A windmill turning slowly", seconds="4", **{"param.fps": "30"}),
               dict(id="ok2", prompt="Snow falling on a quiet street", seconds="4")]
    write_csv(wd, rows_in)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    m = by_id(rows)
    exit_check("V-row-errors-exit-3", r, 3, rows)
    t = text_of(m.get("retired"))
    ok_rows = all((m.get(i) or {}).get("status") == "SUCCEEDED" for i in ("ok1", "ok2"))
    result("V-row-404-fails-row-only", (m.get("retired") or {}).get("status") == "FAILED" and
           "no longer available" in t and "veo-3.1-fast-generate-001" in t and ok_rows,
           "retired row %s; other rows SUCCEEDED: %s" % ((m.get("retired") or {}).get("status"), ok_rows))
    own = ((m.get("retired") or {}).get("diagnosis") or "").split("Google said")[0]
    result("V-row-404-diagnosis-names-the-rows-model", "veo-3.0-fast-generate-001" in own,
           "the row's model is veo-3.0-fast-generate-001 (the default veo-3.1-fast-generate-001 served the other "
           "rows); diagnosis before the quote: %r" % own[:260])
    t = text_of(m.get("fps"))
    n = creates(srv, rows_in[2]["prompt"], created_only=False)
    result("V-row-400-names-field", (m.get("fps") or {}).get("status") == "FAILED" and "fps" in t and n == 1,
           "fps row %s after %d POST(s): %s" % ((m.get("fps") or {}).get("status"), n, t[:300]))
    server_summary(srv)
    srv.stop()


def scenario_v_outcomes():
    """Operations done: filtered ([rai]), one of two samples filtered, error 13, error 3, personGeneration allow_all
    (needs approval), and a good row."""
    wd = workdir("v-outcomes")
    srv = new_server(wd, job_seconds=1.5)
    rows_in = [dict(id="ok", prompt="Waves on a pebble beach", seconds="4"),
               dict(id="rai", prompt="[rai] A crowd at a famous person's concert", seconds="4"),
               dict(id="partial", prompt="[partial-rai] Two dancers on a stage", seconds="4", n_variants="2"),
               dict(id="err13", prompt="[fail] A clock tower at noon", seconds="4"),
               dict(id="err3", prompt="[fail3] A train in the desert", seconds="4"),
               dict(id="allowall", prompt="A family picnic in a park", seconds="4",
                    **{"param.person_generation": "allow_all"})]
    write_csv(wd, rows_in)
    r = go(wd, vertex_cmd(srv, wd, extra=["--sora.max-in-flight=4"]))
    rows = report(wd)
    m = by_id(rows)
    exit_check("V-outcomes-exit-3", r, 3, rows)
    t = text_of(m.get("rai"))
    result("V-rai-filtered-quoted", (m.get("rai") or {}).get("status") == "FAILED" and "58061214" in t and
           "Responsible AI" in t, "rai row %s: %s" % ((m.get("rai") or {}).get("status"), t[:300]))
    t = text_of(m.get("err13"))
    result("V-done-error-13", (m.get("err13") or {}).get("status") == "FAILED" and "13" in t and
           "Internal error occurred" in t, "err13 row: %s" % t[:260])
    t = text_of(m.get("allowall"))
    result("V-allow-all-needs-approval", (m.get("allowall") or {}).get("status") == "FAILED" and
           re.search(r"approv", t, re.I), "allowall row: %s" % t[:300])
    p = m.get("partial") or {}
    names = [x for x in (p.get("video_files") or "").split(";") if x]
    op = next((o for o in srv.state.ops.values() if o["prompt"] == rows_in[2]["prompt"]), None)
    kept = op is not None and len(names) == 1 and os.path.isfile(names[0]) and open(names[0], "rb").read() == \
        op["videos"][0]
    result("V-partial-rai-keeps-delivered-video", kept and re.search(r"filter|58061214", text_of(p), re.I),
           "2 samples asked, 1 delivered + 1 filtered (raiMediaFilteredCount 1 with a reason): row %s, files %s, "
           "cost %s, report text: %r" % (p.get("status"), [os.path.basename(x) for x in names], p.get("cost"),
                                         text_of(p).strip()[:240]))
    once_check("V-outcomes-not-resent", srv, [x["prompt"] for x in rows_in])
    check_leaks("V-outcomes-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


LOST_ROWS = [dict(id="ok", prompt="A kettle coming to the boil", seconds="4"),
             dict(id="lost", prompt="[lose] A hot air balloon over vineyards", seconds="4")]


def lost_first_run(tag, prefix):
    wd = workdir(tag)
    srv = new_server(wd, job_seconds=1.5, create_fault="drop-after-create", create_fault_marker="[lose]")
    write_csv(wd, LOST_ROWS)
    cmd = vertex_cmd(srv, wd)
    r1 = go(wd, cmd, tag="-1")
    rows = report(wd)
    m = by_id(rows)
    exit_check(prefix + "-exit-3", r1, 3, rows)
    lost = m.get("lost") or {}
    t = text_of(lost)
    n = creates(srv, LOST_ROWS[1]["prompt"], False)
    result(prefix + "-reported-not-resent", lost.get("status") == "FAILED" and lost.get("error_code") ==
           "unanswered_create" and n == 1 and "--resend-unanswered" in t,
           "lost row %s %s after %d POST(s) (the operation was made); %s" % (lost.get("status"),
                                                                             lost.get("error_code"), n, t[:200]))
    srv.state.cfg["create_fault"] = None
    return wd, srv, cmd, r1


def scenario_v_lost_inline():
    """The create of row 'lost' is made, then its connection dropped (no storage-uri). README: FAILED
    unanswered_create, 'never sent again on its own', 'resent only with --resend-unanswered'. Then the same command
    again, without the flag."""
    wd, srv, cmd, r1 = lost_first_run("v-lost-inline", "V-lost-inline")
    r2 = go(wd, cmd, tag="-2")
    n2 = creates(srv, LOST_ROWS[1]["prompt"], False)
    result("V-lost-inline-plain-rerun-does-not-resend", n2 == 1 and creates(srv, LOST_ROWS[0]["prompt"], False) == 1,
           "second run, same command, rc=%s: the lost row POSTed %d time(s) in all (its first operation exists at "
           "the service: %d operations made for it), the delivered row %d; report %s; console: %s" % (
               r2.rc, n2, creates(srv, LOST_ROWS[1]["prompt"]), creates(srv, LOST_ROWS[0]["prompt"], False),
               brief(report(wd)), (r2.line("row 2") or "")[:160]))
    check_leaks("V-lost-inline-no-secret-printed", wd, srv, [r1, r2])
    server_summary(srv)
    srv.stop()


def scenario_v_resend():
    """As v-lost-inline, then --resend-unanswered: the lost row is sent once more, the delivered row not at all."""
    wd, srv, cmd, r1 = lost_first_run("v-resend", "V-resend")
    a, e = cmd
    r3 = go(wd, (a + ["--resend-unanswered"], e), tag="-2")
    m3 = by_id(report(wd))
    n3 = creates(srv, LOST_ROWS[1]["prompt"], False)
    ok3, ev3 = files_check(srv, wd, m3.get("lost"))
    result("V-resend-unanswered-sends-once", r3.rc == 0 and n3 == 2 and ok3 and
           creates(srv, LOST_ROWS[0]["prompt"], False) == 1 and (m3.get("ok") or {}).get("status") == "SUCCEEDED",
           "--resend-unanswered rc=%s: lost row POSTed %d time(s) in all (want 2), %s; ok row %s, POSTed %d" % (
               r3.rc, n3, ev3, (m3.get("ok") or {}).get("status"), creates(srv, LOST_ROWS[0]["prompt"], False)))
    server_summary(srv)
    srv.stop()


def scenario_v_lost_gcs():
    """storage-uri; the create's answer is dropped after the operation was made; orphan-settle (4 s) is longer than
    the operation (2 s): the row's sub-prefix is listed and its video adopted, nothing sent again."""
    wd = workdir("v-lost-gcs")
    srv = new_server(wd, job_seconds=2.0, create_fault="drop-after-create", create_fault_marker="[lose]",
                     gcs_page_size=1)
    rows_in = [dict(id="ok", prompt="Bubbles rising in a glass of water", seconds="4"),
               dict(id="lost", prompt="[lose] A koi pond in autumn", seconds="4", n_variants="2")]
    write_csv(wd, rows_in)
    r = go(wd, vertex_cmd(srv, wd, extra=["--sora.vertex.storage-uri=gs://%s/lost/" % BUCKET,
                                          "--sora.retry.orphan-settle=4s"]))
    rows = report(wd)
    m = by_id(rows)
    op = next((o for o in srv.state.ops.values() if o["prompt"] == rows_in[1]["prompt"]), None)
    lost = m.get("lost")
    ok, ev = files_check(srv, wd, dict(lost or {}, job_id=op["name"]) if op else lost, want=op and op["videos"])
    su = op["storage_uri"] if op else None
    lists = [p for b, p, t in srv.state.gcs_lists]
    result("V-lost-gcs-adopted", r.rc == 0 and (lost or {}).get("status") == "SUCCEEDED" and ok and
           creates(srv, rows_in[1]["prompt"], False) == 1,
           "rc=%s; lost row %s (%s), POSTed %d time(s); files: %s" % (
               r.rc, (lost or {}).get("status"), (lost or {}).get("error_code") or "-",
               creates(srv, rows_in[1]["prompt"], False), ev))
    prefix = su[len("gs://%s/" % BUCKET):] if su else None
    result("V-lost-gcs-listed-own-prefix", lists and all(p == prefix for p in lists),
           "listings with prefix %s (the row's storageUri sub-prefix: %s)" % (sorted(set(lists)), prefix))
    check_leaks("V-lost-gcs-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


def scenario_v_lost_gcs_slow():
    """storage-uri; the answer is dropped and the operation is slow (8 s), orphan-settle 1 s: nothing there yet, so
    FAILED unanswered_create. Once the video is written, --resend-unanswered must adopt it, not pay again."""
    wd = workdir("v-lost-gcs-slow")
    srv = new_server(wd, job_seconds=1.5, slow_seconds=8.0, create_fault="drop-after-create",
                     create_fault_marker="[lose]")
    rows_in = [dict(id="ok", prompt="A candle flickering in a draught", seconds="4"),
               dict(id="lost", prompt="[lose][slow] A sailboat rounding a buoy", seconds="4")]
    write_csv(wd, rows_in)
    cmd = vertex_cmd(srv, wd, extra=["--sora.vertex.storage-uri=gs://%s/slow" % BUCKET])
    r1 = go(wd, cmd, tag="-1")
    m = by_id(report(wd))
    lost = m.get("lost") or {}
    result("V-lost-gcs-slow-reported", lost.get("status") == "FAILED" and lost.get("error_code") == "unanswered_create"
           and r1.rc == 3, "rc=%s; lost row %s %s: %s" % (r1.rc, lost.get("status"), lost.get("error_code"),
                                                          text_of(lost)[:200]))
    op = next((o for o in srv.state.ops.values() if o["prompt"] == rows_in[1]["prompt"]), None)
    if op:
        time.sleep(max(0, op["t_created"] + op["duration"] + 0.5 - time.time()))
    srv.state.cfg["create_fault"] = None
    a, e = cmd
    r2 = go(wd, (a + ["--resend-unanswered"], e), tag="-2")
    m2 = by_id(report(wd))
    ok, ev = files_check(srv, wd, dict(m2.get("lost") or {}, job_id=op["name"]) if op else m2.get("lost"),
                         want=op and op["videos"])
    n = creates(srv, rows_in[1]["prompt"], False)
    result("V-lost-gcs-slow-resend-adopts", r2.rc == 0 and n == 1 and ok,
           "--resend-unanswered rc=%s: lost row %s, POSTed %d time(s) in all (want 1: its video was in its "
           "sub-prefix); %s" % (r2.rc, (m2.get("lost") or {}).get("status"), n, ev))
    server_summary(srv)
    srv.stop()


def scenario_v_transient():
    """40 % of polls: 503 / 500 / dropped / 429 / Google HTML 502; the first create of row 'u' answers 503 before
    anything is made; the create of row 'x' is made and then answered 503."""
    wd = workdir("v-transient")
    srv = new_server(wd, job_seconds=2.0, poll_fault_rate=0.4,
                     create_faults=[dict(mode="503", marker="[u503]", count=1),
                                    dict(mode="503-after-create", marker="[x503]")])
    rows_in = FOUR[:2] + [dict(id="u", prompt="[u503] Ducks on a frozen pond", seconds="4"),
                          dict(id="x", prompt="[x503] A fountain in a square", seconds="4")]
    write_csv(wd, rows_in)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    m = by_id(rows)
    rows_files_check("V-transient-polls-retried", srv, wd, rows_in, rows, ids=["r1", "r2"])
    x = m.get("x") or {}
    result("V-transient-5xx-after-create-not-resent", creates(srv, rows_in[3]["prompt"]) == 1 and
           x.get("status") in ("FAILED", "SUCCEEDED"),
           "row x (made, answered 503): %s %s, operations made %d, POSTs %d" % (
               x.get("status"), x.get("error_code"), creates(srv, rows_in[3]["prompt"]),
               creates(srv, rows_in[3]["prompt"], False)))
    u = m.get("u") or {}
    log("row u (503 before anything was made): %s %s, POSTs %d, operations %d" % (
        u.get("status"), u.get("error_code"), creates(srv, rows_in[2]["prompt"], False),
        creates(srv, rows_in[2]["prompt"])))
    once_check("V-transient-never-paid-twice", srv, [x["prompt"] for x in rows_in], allow_zero=[rows_in[2]["prompt"]])
    server_summary(srv)
    srv.stop()


def scenario_v_inline_cut():
    """The first done answer of every inline operation is cut at 60 kB of ~270 kB (Content-Length announced)."""
    wd = workdir("v-inline-cut")
    srv = new_server(wd, job_seconds=1.5, inline_truncate_first=True)
    write_csv(wd, FOUR[:3])
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    exit_check("V-inline-cut-exit-0", r, 0, rows)
    rows_files_check("V-inline-cut-files-whole", srv, wd, FOUR[:3], rows)
    st_files = stray_files(wd, all_files(rows))
    result("V-inline-cut-no-partial-file", not st_files, "files in out/ besides the report's: %s; cut answers %d" % (
        st_files or "none", srv.state.faults.get("inline-truncated", 0)))
    once_check("V-inline-cut-created-once", srv, [x["prompt"] for x in FOUR[:3]])
    srv.stop()


def kill_after_creates(holder, n, delay=0.6):
    def cb(state, op):
        holder["n"] = holder.get("n", 0) + 1
        if holder["n"] == n and holder.get("p"):
            threading.Timer(delay, kill9, args=(holder["p"],)).start()
            holder["killed_at"] = time.time() + delay
    return cb


SIX = [dict(id="k%d" % i, prompt="Kill test scene number %d: a %s" % (i, w), seconds="4") for i, w in enumerate(
    ["river delta", "pine forest", "city skyline", "wheat field", "coral reef", "volcano"], 1)]


def kill_scenario(prefix, srv, wd, cmd, holder):
    a, e = cmd
    p = start(wd, a, e, tag="-1")
    holder["p"] = p
    r1 = finish(p)
    result(prefix + "-first-run-killed", holder.get("killed_at") is not None and r1.rc not in (0, 3),
           "rc=%s (SIGKILL to the process group 0.6 s after the 3rd create was answered)" % r1.rc)
    before = {x["prompt"]: creates(srv, x["prompt"]) for x in SIX}
    r2 = go(wd, cmd, tag="-2")
    rows = report(wd)
    exit_check(prefix + "-second-run-exit-0", r2, 0, rows)
    rows_files_check(prefix + "-second-run-files", srv, wd, SIX, rows)
    result(prefix + "-never-paid-twice", all(creates(srv, x["prompt"]) == 1 for x in SIX),
           "operations made per row before the restart %s, after %s" % (
               list(before.values()), [creates(srv, x["prompt"]) for x in SIX]))
    check_leaks(prefix + "-no-secret-printed", wd, srv, [r1, r2])
    server_summary(srv)


def scenario_v_kill9():
    wd = workdir("v-kill9")
    holder = {}
    srv = new_server(wd, job_seconds=4.0, on_create_answered=kill_after_creates(holder, 3))
    write_csv(wd, SIX)
    kill_scenario("V-kill9", srv, wd, vertex_cmd(srv, wd, extra=["--sora.max-in-flight=3"]), holder)
    srv.stop()


def scenario_v_kill_download():
    """storage-uri; GCS sends each video at ~64 kB/s; kill -9 1.2 s into the first download. No partial file may be
    left under a video's name; the same command again completes without paying twice."""
    wd = workdir("v-kill-download")
    srv = new_server(wd, job_seconds=1.5, download_fault="slow")
    rows_in = FOUR[:2]
    write_csv(wd, rows_in)
    cmd = vertex_cmd(srv, wd, extra=["--sora.vertex.storage-uri=gs://%s/kill" % BUCKET])
    a, e = cmd
    p = start(wd, a, e, tag="-1")
    t0 = time.time()
    while time.time() - t0 < 60 and not any("alt=media" in x["path"] for x in api_calls(srv, "gcs")):
        time.sleep(0.05)
    time.sleep(1.2)
    kill9(p)
    r1 = finish(p)
    out = os.path.join(wd, "out")
    present = sorted(os.listdir(out)) if os.path.isdir(out) else []
    served = [v for o in srv.state.ops.values() for v in o["videos"]]
    partial = []
    for f in present:
        if f.endswith(".mp4") and not f.startswith("."):
            data = open(os.path.join(out, f), "rb").read()
            if data not in served:
                partial.append("%s (%d bytes)" % (f, len(data)))
    result("V-kill-download-no-partial-under-final-name", r1.rc == -9 and not partial,
           "killed (rc=%s) mid-download; out/ then held %s; partial files under a video's name: %s" % (
               r1.rc, present or "nothing", partial or "none"))
    srv.state.cfg["download_fault"] = None
    r2 = go(wd, cmd, tag="-2")
    rows = report(wd)
    exit_check("V-kill-download-rerun-exit-0", r2, 0, rows)
    rows_files_check("V-kill-download-rerun-files", srv, wd, rows_in, rows)
    once_check("V-kill-download-created-once", srv, [x["prompt"] for x in rows_in])
    left = stray_files(wd, all_files(rows))
    log("files in out/ after the second run besides the report's: %s" % (left or "none"))
    srv.stop()


def scenario_v_timeout():
    """An operation that runs 40 s against --sora.job-timeout=4s. Vertex has no cancel or delete for Veo (§2.6):
    the row must fail naming the time-out and the operation (which still runs, and bills, at Google), once."""
    wd = workdir("v-timeout")
    srv = new_server(wd, job_seconds=1.5, slow_seconds=40.0)
    rows_in = [dict(id="ok", prompt="A quick good row", seconds="4"),
               dict(id="stuck", prompt="[slow] A very slow row", seconds="4")]
    write_csv(wd, rows_in)
    r = go(wd, vertex_cmd(srv, wd, extra=["--sora.job-timeout=4s"]))
    rows = report(wd)
    m = by_id(rows)
    s = m.get("stuck") or {}
    op = next((o for o in srv.state.ops.values() if o["prompt"] == rows_in[1]["prompt"]), None)
    t = text_of(s)
    result("V-timeout-row-fails-naming-operation", r.rc == 3 and s.get("status") == "FAILED" and
           re.search(r"time", t, re.I) and op is not None and op["id"] in t and r.elapsed < 40,
           "rc=%s after %.0f s; stuck row %s %s" % (r.rc, r.elapsed, s.get("status"), s.get("error_code")))
    odd = sorted(set("%s %s" % (x["method"], x["path"][-60:]) for x in srv.state.log
                     if not x["path"].endswith((":predictLongRunning", ":fetchPredictOperation")) and
                     x["listener"] == "vertex"))
    d = s.get("diagnosis") or ""
    result("V-timeout-diagnosis-true-to-vertex", not odd and not re.search(r"deleted at the service", d) and
           re.search(r"bill|still run|keeps running|continues", d, re.I),
           "calls other than create/fetch sent (a delete or cancel): %s; cost %s; diagnosis: %r" % (
               odd or "none", s.get("cost"), d[:330]))
    once_check("V-timeout-not-resent", srv, [x["prompt"] for x in rows_in])
    srv.stop()


def scenario_v_invalid_rows():
    """Rows that cannot be sent to Vertex: size, 5 seconds, 4:3, an HTML 'image', a dead image URL, a fal model id."""
    wd = workdir("v-invalid-rows")
    srv = new_server(wd, job_seconds=1.5)
    rows_in = [dict(id="ok", prompt="A heron taking off from a lake", seconds="4"),
               dict(id="size", prompt="A size row", size="1280x720"),
               dict(id="five", prompt="A five second row", seconds="5"),
               dict(id="ratio", prompt="A four by three row", aspect_ratio="4:3"),
               dict(id="html", prompt="An html image row", image_url="@login.png"),
               dict(id="dead", prompt="A dead image link row", image_url="@missing.png"),
               dict(id="falmodel", prompt="A fal model row", model="fal-ai/veo3.1")]
    rows_in = resolve_images(srv, rows_in)
    write_csv(wd, rows_in)
    r = go(wd, vertex_cmd(srv, wd))
    rows = report(wd)
    m = by_id(rows)
    exit_check("V-invalid-rows-exit-3", r, 3, rows)
    col = {"size": "size", "five": "seconds", "ratio": "aspect_ratio", "html": "image", "dead": "404",
           "falmodel": "model"}
    bad = []
    for i, c in col.items():
        row = m.get(i) or {}
        sent = creates(srv, next(x["prompt"] for x in rows_in if x["id"] == i), False)
        if row.get("status") not in ("SKIPPED", "FAILED") or sent or c not in text_of(row).lower():
            bad.append("%s: %s, %d POST(s), %r" % (i, row.get("status"), sent, text_of(row)[:120]))
    result("V-invalid-rows-not-sent-and-named", not bad and (m.get("ok") or {}).get("status") == "SUCCEEDED",
           "; ".join(bad) if bad else "each refused before sending, its text naming the column or cause: " +
           "; ".join("%s: %s" % (i, text_of(m.get(i))[:90]) for i in ("five", "html")))
    nocode = [i for i in col if not (m.get(i) or {}).get("error_code")]
    log("rows refused without an error_code: %s" % (nocode or "none"))
    srv.stop()


def webp_scenario(prefix, api):
    """One image row whose image_url is a WebP (README's CSV table allows JPEG, PNG or WebP; the Google sections say
    JPEG or PNG) between two good rows. It must fail that row only, before anything is sent."""
    wd = workdir(prefix.lower())
    srv = new_server(wd, job_seconds=1.5)
    rows_in = resolve_images(srv, [dict(id="ok", prompt="A good row before the webp", seconds="4"),
                                   dict(id="webp", prompt="The bird in this webp picture flies off",
                                        image_url="@frame.webp"),
                                   dict(id="ok2", prompt="A good row after the webp", seconds="4")])
    write_csv(wd, rows_in)
    cmd = vertex_cmd(srv, wd) if api == "vertex" else gemini_cmd(srv, wd)
    r1 = go(wd, cmd, tag="-1")
    rows = report(wd)
    m = by_id(rows)
    w = m.get("webp") or {}
    sent = creates(srv, rows_in[1]["prompt"], False)
    result(prefix + "-fails-row-not-run", r1.rc == 3 and w.get("status") in ("FAILED", "SKIPPED") and sent == 0,
           "rc=%s (want 3); %s; webp row POSTed %d time(s); console: %s" % (
               r1.rc, brief(rows), sent, (r1.line("stopped") or r1.line("webp") or r1.tail(1))[:300]))
    r2 = go(wd, cmd, tag="-2")
    rows2 = report(wd)
    w2 = by_id(rows2).get("webp") or {}
    result(prefix + "-not-reported-as-possibly-billed", w2.get("error_code") != "unanswered_create" and
           w.get("error_code") != "unanswered_create",
           "after the same command again rc=%s: %s; webp row: %s %s (POSTs %d): %s" % (
               r2.rc, brief(rows2), w2.get("status"), w2.get("error_code"), creates(srv, rows_in[1]["prompt"], False),
               text_of(w2)[:200]))
    once_check(prefix + "-good-rows-created-once", srv, [rows_in[0]["prompt"], rows_in[2]["prompt"]])
    server_summary(srv)
    srv.stop()


def scenario_v_webp():
    webp_scenario("V-webp", "vertex")


def scenario_g_webp():
    webp_scenario("G-webp", "gemini")


def scenario_v_doctor():
    """`doctor --provider=vertex-veo`: with a good key file (exit 0, a free call, nothing created), and with a key
    Google refuses (invalid_grant: not 0)."""
    wd = workdir("v-doctor")
    srv = new_server(wd)
    write_csv(wd, FOUR[:1])
    a, e = vertex_cmd(srv, wd, command="doctor")
    r = go(wd, (a, e), tag="-1")
    ok = r.rc == 0 and not srv.state.creates and srv.state.cfg["project"] in r.text and \
        re.search(r"service.?account", r.text, re.I)
    result("V-doctor-ok", ok, "rc=%s; creates %d; token grants %d; %s" % (r.rc, len(srv.state.creates),
                                                                          len(srv.state.tokens), r.tail(3)))
    srv.state.cfg["token_refusal"] = "Invalid JWT Signature."
    r2 = go(wd, (a, e), tag="-2")
    result("V-doctor-invalid-grant", r2.rc not in (0,) and "Traceback" not in r2.text and
           not re.search(r"\bat [a-z]+\.[a-zA-Z.]+\(", r2.text) and re.search(r"invalid_grant|key", r2.text),
           "rc=%s; %s" % (r2.rc, (r2.line("invalid_grant") or r2.tail(2))[:300]))
    check_leaks("V-doctor-no-secret-printed", wd, srv, [r, r2])
    srv.stop()


# ====================================================================================================== Gemini
G_HAPPY = [
    dict(id="harbour", prompt="A fishing harbour at dawn, gulls circling the masts", seconds="8", aspect_ratio="16:9",
         resolution="720p"),
    dict(id="market", prompt="A night market in the rain seen from above", seconds="8", aspect_ratio="9:16",
         resolution="1080p", negative_prompt="blurry"),
    dict(id="png", prompt="The kite in this picture lifts into the wind", seconds="6", image_url="@frame.png",
         **{"param.person_generation": "allow_adult"}),
    dict(id="jpg", prompt="The stones in this picture roll downhill", image_url="@frame.jpg"),
    dict(id="twins", prompt="Two paper lanterns drifting upwards", seconds="4", n_variants="2",
         **{"param.enhance_prompt": "false"}),
]


def gemini_auth_check(name, srv):
    calls = api_calls(srv, "gemini")
    nokey = [e["path"][:60] for e in calls if not (e["auth"]["api_key_header"] or e["auth"]["api_key_query"])]
    inq = [e["path"][:60] for e in calls if e["auth"]["api_key_query"]]
    store = api_calls(srv, "gstore")
    result(name, calls and store and not nokey and not srv.state.leaks,
           "%d API calls (without a key: %s; key in the URL: %s); %d storage-host GETs, credentials there: %s" % (
               len(calls), nokey[:2] or "none", inq[:1] or "none", len(store), srv.state.leaks or "none"))


def scenario_g_happy():
    wd = workdir("g-happy")
    srv = new_server(wd, job_seconds=2.5)
    rows_in = resolve_images(srv, G_HAPPY)
    write_csv(wd, rows_in)
    r = go(wd, gemini_cmd(srv, wd, extra=["--sora.max-in-flight=4"]))
    rows = report(wd)
    exit_check("G-happy-exit-0", r, 0, rows)
    rows_files_check("G-happy-files-whole", srv, wd, rows_in, rows)
    diffs = []
    for row in rows_in:
        diffs += body_diff(srv, row, "gemini", image=image_of(row))
    sample = next((c["body"] for c in srv.state.creates if c["prompt"] == rows_in[1]["prompt"]), None)
    result("G-happy-request-body", not diffs, "; ".join(diffs) if diffs else "every field as README §Gemini says "
           "(no generateAudio, no personGeneration unless asked, no seed); e.g. %s" % json.dumps(
               gs.summarise(sample))[:260])
    models = sorted(set(c["model"] for c in srv.state.creates))
    result("G-happy-model-and-poll", models == ["veo-3.1-fast-generate-preview"] and not srv.state.violations,
           "models in the create path %s; violations %s" % (models, srv.state.violations[:3] or "none"))
    gemini_auth_check("G-happy-key-only-to-api", srv)
    st_files = stray_files(wd, all_files(rows))
    result("G-happy-no-stray-files", not st_files, "files in out/ besides the report's: %s" % (st_files or "none"))
    once_check("G-happy-each-row-created-once", srv, [x["prompt"] for x in rows_in])
    check_leaks("G-happy-no-secret-printed", wd, srv, [r])
    server_summary(srv)
    srv.stop()


def scenario_g_google_api_key():
    """No --provider; GEMINI_API_KEY holds a wrong key and GOOGLE_API_KEY the right one: README says
    GOOGLE_API_KEY wins, as Google's SDK does."""
    wd = workdir("g-google-api-key")
    srv = new_server(wd, job_seconds=1.5)
    write_csv(wd, FOUR[:1])
    a, e = gemini_cmd(srv, wd, provider=False, key="AIzaSyWrongWrongWrongWrongWrongWrong00")
    e["GOOGLE_API_KEY"] = srv.state.cfg["gemini_key"]
    r = go(wd, (a, e))
    rows = report(wd)
    ok = r.rc == 0 and rows and rows[0]["status"] == "SUCCEEDED"
    result("G-google-api-key-wins-and-inferred", ok, "rc=%s; %s; wrong-key calls %d%s" % (
        r.rc, brief(rows), sum(1 for v in srv.state.violations if "wrong key" in v), "" if ok else " | " + r.tail(2)))
    check_leaks("G-google-api-key-no-secret-printed", wd, srv, [r], extra=["AIzaSyWrongWrongWrongWrongWrongWrong00"])
    srv.stop()


def scenario_g_bad_key():
    wd = workdir("g-bad-key")
    srv = new_server(wd)
    wrong = "AIzaSyBadBadBadBadBadBadBadBadBadBad000"
    write_csv(wd, FOUR)
    r = go(wd, gemini_cmd(srv, wd, key=wrong))
    stop_check("G-bad-key", srv, wd, r, report(wd), [r"GEMINI_API_KEY", r"API_KEY_INVALID|not valid"])
    result("G-bad-key-not-printed", not leak_scan(wd, srv, [r], [wrong]), "the wrong key appears in: %s" % (
        leak_scan(wd, srv, [r], [wrong]) or "nothing"))
    srv.stop()


def scenario_g_leaked():
    wd = workdir("g-leaked")
    srv = new_server(wd, create_fault="403-leaked")
    write_csv(wd, FOUR)
    r = go(wd, gemini_cmd(srv, wd))
    stop_check("G-403-leaked-key", srv, wd, r, report(wd), [r"leaked", r"GEMINI_API_KEY|new key|another"])
    srv.stop()


def scenario_g_precondition():
    wd = workdir("g-precondition")
    srv = new_server(wd, create_fault="400-precondition")
    write_csv(wd, FOUR)
    r = go(wd, gemini_cmd(srv, wd))
    stop_check("G-400-failed-precondition", srv, wd, r, report(wd), [r"FAILED_PRECONDITION|not available in your "
                                                                     r"country", r"billing"])
    srv.stop()


def scenario_g_429():
    wd = workdir("g-429")
    srv = new_server(wd, job_seconds=1.5, create_fault="429", create_fault_count=2, retry_delay="2s")
    write_csv(wd, FOUR[:3])
    r = go(wd, gemini_cmd(srv, wd))
    rows = report(wd)
    exit_check("G-429-exit-0", r, 0, rows)
    gaps = gap_after_429(srv)
    result("G-429-retry-delay-honoured", gaps and all(g is not None and g >= 1.8 for g in gaps),
           "seconds from each 429 to the next create of that prompt: %s (RetryInfo asked 2s; no Retry-After)" % gaps)
    once_check("G-429-created-once", srv, [x["prompt"] for x in FOUR[:3]])
    srv.stop()


def scenario_g_retired():
    wd = workdir("g-retired")
    srv = new_server(wd, gemini_retire_previews=True)
    write_csv(wd, FOUR)
    r = go(wd, gemini_cmd(srv, wd))
    stop_check("G-404-retired", srv, wd, r, report(wd), [r"no longer available", r"vertex-veo",
                                                         r"gemini-omni-1\.1-flash"], max_creates=1)
    srv.stop()


def scenario_g_row_errors():
    """A row on veo-2.0-generate-001 (404: that row only); seconds=4 at 1080p (400 naming
    parameters.durationSeconds: that row only, naming its column); a seed row (refused before sending)."""
    wd = workdir("g-row-errors")
    srv = new_server(wd, job_seconds=1.5)
    rows_in = [dict(id="ok1", prompt="Steam rising from a cup of tea", seconds="4"),
               dict(id="retired", prompt="A hummingbird at a feeder", model="veo-2.0-generate-001"),
               dict(id="short1080", prompt="A windmill turning slowly", seconds="4", resolution="1080p"),
               dict(id="seed", prompt="A lighthouse beam sweeping", seed="7"),
               dict(id="ok2", prompt="Snow falling on a quiet street", seconds="6")]
    write_csv(wd, rows_in)
    r = go(wd, gemini_cmd(srv, wd))
    rows = report(wd)
    m = by_id(rows)
    exit_check("G-row-errors-exit-3", r, 3, rows)
    t = text_of(m.get("retired"))
    result("G-row-404-fails-row-only", (m.get("retired") or {}).get("status") == "FAILED" and
           "no longer available" in t and all((m.get(i) or {}).get("status") == "SUCCEEDED" for i in ("ok1", "ok2")),
           "retired row %s: %s" % ((m.get("retired") or {}).get("status"), t[:160]))
    own = ((m.get("retired") or {}).get("diagnosis") or "").split("Google said")[0]
    result("G-row-404-diagnosis-names-the-rows-model", "veo-2.0-generate-001" in own,
           "the row's model is veo-2.0-generate-001 (the default served the other rows); diagnosis before the "
           "quote: %r" % own[:260])
    t = text_of(m.get("short1080"))
    n = creates(srv, rows_in[2]["prompt"], False)
    result("G-row-400-names-column", (m.get("short1080") or {}).get("status") == "FAILED" and "durationSeconds" in t
           and "seconds" in t.replace("durationSeconds", "") and n == 1,
           "short1080 row %s after %d POST(s): %s" % ((m.get("short1080") or {}).get("status"), n, t[:300]))
    s = m.get("seed") or {}
    result("G-seed-refused-before-sending", s.get("status") in ("SKIPPED", "FAILED") and
           creates(srv, rows_in[3]["prompt"], False) == 0 and "seed" in text_of(s),
           "seed row %s, %d POST(s): %s" % (s.get("status"), creates(srv, rows_in[3]["prompt"], False),
                                            text_of(s)[:200]))
    srv.stop()


def scenario_g_outcomes():
    wd = workdir("g-outcomes")
    srv = new_server(wd, job_seconds=1.5)
    rows_in = resolve_images(srv, [
        dict(id="ok", prompt="Waves on a pebble beach", seconds="4"),
        dict(id="raiimg", prompt="[rai] The person in this photo waves", image_url="@frame.jpg",
             **{"param.person_generation": "allow_adult"}),
        dict(id="raitxt", prompt="[rai] A violent scene", seconds="4"),
        dict(id="err13", prompt="[fail] A clock tower at noon", seconds="4"),
        dict(id="err3", prompt="[fail3] A train in the desert", seconds="4")])
    write_csv(wd, rows_in)
    r = go(wd, gemini_cmd(srv, wd, extra=["--sora.max-in-flight=3"]))
    rows = report(wd)
    m = by_id(rows)
    exit_check("G-outcomes-exit-3", r, 3, rows)
    t1, t2 = text_of(m.get("raiimg")), text_of(m.get("raitxt"))
    result("G-rai-reasons-quoted", (m.get("raiimg") or {}).get("status") == "FAILED" and "public figure" in t1 and
           (m.get("raitxt") or {}).get("status") == "FAILED" and "90789179" in t2,
           "raiimg: %s || raitxt: %s" % (t1[:200], t2[:200]))
    t = text_of(m.get("err13")) + " || " + text_of(m.get("err3"))
    result("G-done-error-code", (m.get("err13") or {}).get("status") == "FAILED" and "13" in text_of(m.get("err13"))
           and "3" in text_of(m.get("err3")) and "blocked by our safety policy" in text_of(m.get("err3")), t[:400])
    once_check("G-outcomes-not-resent", srv, [x["prompt"] for x in rows_in])
    srv.stop()


def scenario_g_lost():
    """Two creates made and their answers lost: one connection dropped, one answered 503 after the operation was
    made. FAILED unanswered_create, never resent; a second plain run must not resend them either."""
    wd = workdir("g-lost")
    srv = new_server(wd, job_seconds=1.5, create_faults=[dict(mode="drop-after-create", marker="[lose]"),
                                                         dict(mode="503-after-create", marker="[x503]")])
    rows_in = [dict(id="ok", prompt="A kettle coming to the boil", seconds="4"),
               dict(id="lost", prompt="[lose] A hot air balloon over vineyards", seconds="4"),
               dict(id="x503", prompt="[x503] A fountain in a square", seconds="4")]
    write_csv(wd, rows_in)
    cmd = gemini_cmd(srv, wd)
    r1 = go(wd, cmd, tag="-1")
    rows = report(wd)
    m = by_id(rows)
    exit_check("G-lost-exit-3", r1, 3, rows)
    bad = []
    for i, row in (("lost", rows_in[1]), ("x503", rows_in[2])):
        x = m.get(i) or {}
        if x.get("status") != "FAILED" or x.get("error_code") != "unanswered_create" or \
                creates(srv, row["prompt"], False) != 1:
            bad.append("%s: %s %s, %d POST(s)" % (i, x.get("status"), x.get("error_code"),
                                                  creates(srv, row["prompt"], False)))
    result("G-lost-reported-not-resent", not bad, "; ".join(bad) if bad else "both FAILED unanswered_create after one "
           "POST each: %s" % text_of(m.get("lost"))[:200])
    srv.state.cfg["create_faults"] = ()
    r2 = go(wd, cmd, tag="-2")
    n = [creates(srv, x["prompt"], False) for x in rows_in]
    result("G-lost-plain-rerun-does-not-resend", n[1] == 1 and n[2] == 1,
           "second plain run rc=%s: POSTs per row in all %s (README: never resent on its own); report %s" % (
               r2.rc, n, brief(report(wd))))
    check_leaks("G-lost-no-secret-printed", wd, srv, [r1, r2])
    server_summary(srv)
    srv.stop()


def scenario_g_transient():
    """40 % of polls faulted; the first GET of every video at the storage host cut short."""
    wd = workdir("g-transient")
    srv = new_server(wd, job_seconds=2.0, poll_fault_rate=0.4, download_fault="truncate-first")
    write_csv(wd, FOUR)
    r = go(wd, gemini_cmd(srv, wd))
    rows = report(wd)
    exit_check("G-transient-exit-0", r, 0, rows)
    rows_files_check("G-transient-files-whole", srv, wd, FOUR, rows)
    st_files = stray_files(wd, all_files(rows))
    result("G-transient-no-partial-file", not st_files, "files in out/ besides the report's: %s; cut downloads %d" % (
        st_files or "none", srv.state.faults.get("gstore:truncated", 0)))
    once_check("G-transient-created-once", srv, [x["prompt"] for x in FOUR])
    gemini_auth_check("G-transient-key-only-to-api", srv)
    srv.stop()


def scenario_g_inline():
    wd = workdir("g-inline")
    srv = new_server(wd, job_seconds=1.5, gemini_inline=True)
    rows_in = FOUR[:1] + [dict(id="two", prompt="Two kites over a beach", seconds="4", n_variants="2")]
    write_csv(wd, rows_in)
    r = go(wd, gemini_cmd(srv, wd))
    rows = report(wd)
    exit_check("G-inline-exit-0", r, 0, rows)
    rows_files_check("G-inline-encodedVideo-decoded", srv, wd, rows_in, rows)
    srv.stop()


def scenario_g_foreign_uri():
    """video.uri names another host (the storage listener) than the API: README says the file id is read from it
    and fetched from {base}/files/{id}:download with the key, so the key must not go to the host the uri names."""
    wd = workdir("g-foreign-uri")
    srv = new_server(wd, job_seconds=1.5, gemini_uri_host="gstore")
    write_csv(wd, FOUR[:1])
    r = go(wd, gemini_cmd(srv, wd))
    rows = report(wd)
    rows_files_check("G-foreign-uri-downloaded", srv, wd, FOUR[:1], rows)
    api_paths = [v for v in srv.state.violations if "storage host got an API path" in v]
    result("G-foreign-uri-key-not-sent-there", not srv.state.leaks,
           "credentials at the host video.uri named: %s; API paths asked there: %s" % (
               srv.state.leaks or "none", api_paths[:1] or "none"))
    srv.stop()


def scenario_g_kill9():
    wd = workdir("g-kill9")
    holder = {}
    srv = new_server(wd, job_seconds=4.0, on_create_answered=kill_after_creates(holder, 3))
    write_csv(wd, SIX)
    kill_scenario("G-kill9", srv, wd, gemini_cmd(srv, wd, extra=["--sora.max-in-flight=3"]), holder)
    srv.stop()


def scenario_g_doctor():
    wd = workdir("g-doctor")
    srv = new_server(wd)
    write_csv(wd, FOUR[:1])
    r = go(wd, gemini_cmd(srv, wd, command="doctor"), tag="-1")
    model_get = [e["path"] for e in api_calls(srv, "gemini") if e["method"] == "GET" and "/models/" in e["path"]]
    result("G-doctor-ok", r.rc == 0 and not srv.state.creates and model_get,
           "rc=%s; creates %d; model checks %s; %s" % (r.rc, len(srv.state.creates), model_get[:1], r.tail(2)))
    wrong = "AIzaSyDoctorDoctorDoctorDoctorDoctor00"
    r2 = go(wd, gemini_cmd(srv, wd, command="doctor", key=wrong), tag="-2")
    result("G-doctor-bad-key", r2.rc != 0 and "GEMINI_API_KEY" in r2.text and not leak_scan(wd, srv, [r2], [wrong])
           and not re.search(r"\bat [a-z]+\.[a-zA-Z.]+\(", r2.text),
           "rc=%s; %s" % (r2.rc, (r2.line("FAIL") or r2.line("GEMINI_API_KEY") or r2.tail(2))[:300]))
    srv.stop()


SCENARIOS = [
    ("v-happy", scenario_v_happy), ("v-gcs", scenario_v_gcs), ("v-env", scenario_v_env),
    ("v-invalid-grant", scenario_v_invalid_grant), ("v-token-refresh", scenario_v_token_refresh),
    ("v-clock-behind", scenario_v_clock_behind), ("v-401", scenario_v_401_always), ("v-429", scenario_v_429),
    ("v-403-api", scenario_v_403_api), ("v-403-iam", scenario_v_403_iam), ("v-404", scenario_v_404_retired),
    ("v-row-errors", scenario_v_row_errors), ("v-outcomes", scenario_v_outcomes),
    ("v-lost-inline", scenario_v_lost_inline), ("v-resend", scenario_v_resend), ("v-lost-gcs", scenario_v_lost_gcs),
    ("v-lost-gcs-slow", scenario_v_lost_gcs_slow), ("v-transient", scenario_v_transient),
    ("v-inline-cut", scenario_v_inline_cut), ("v-kill9", scenario_v_kill9),
    ("v-kill-download", scenario_v_kill_download), ("v-timeout", scenario_v_timeout), ("v-invalid-rows", scenario_v_invalid_rows),
    ("v-webp", scenario_v_webp),
    ("v-doctor", scenario_v_doctor),
    ("g-happy", scenario_g_happy), ("g-google-api-key", scenario_g_google_api_key), ("g-bad-key", scenario_g_bad_key),
    ("g-leaked", scenario_g_leaked), ("g-precondition", scenario_g_precondition), ("g-429", scenario_g_429),
    ("g-retired", scenario_g_retired), ("g-row-errors", scenario_g_row_errors), ("g-outcomes", scenario_g_outcomes),
    ("g-webp", scenario_g_webp),
    ("g-lost", scenario_g_lost), ("g-transient", scenario_g_transient), ("g-inline", scenario_g_inline),
    ("g-foreign-uri", scenario_g_foreign_uri), ("g-kill9", scenario_g_kill9), ("g-doctor", scenario_g_doctor),
]


def main():
    global JAR
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == "list":
        print(" ".join(n for n, _ in SCENARIOS))
        return
    JAR = os.path.abspath(sys.argv[1])
    want = sys.argv[2:]
    known = dict(SCENARIOS)
    bad = [w for w in want if w not in known and w not in ("vertex", "gemini")]
    if bad:
        print("unknown scenario(s) %s; known: %s" % (bad, " ".join(known)), file=sys.stderr)
        sys.exit(2)
    sel = [(n, f) for n, f in SCENARIOS if not want or n in want or (n[0] == "v" and "vertex" in want) or
           (n[0] == "g" and "gemini" in want)]
    for n, f in sel:
        t0 = time.time()
        print("=== %s: %s" % (n, (f.__doc__ or "").strip().splitlines()[0] if f.__doc__ else ""), flush=True)
        try:
            f()
        except Exception as e:  # noqa: a broken scenario is a FAIL, not a crash of the suite
            import traceback
            traceback.print_exc()
            result(n + "-harness-error", False, "%s: %s" % (type(e).__name__, e))
        log("(%s took %.0f s)" % (n, time.time() - t0))
    fails = [r for r in RESULTS if not r[1]]
    print("---- %d PASS, %d FAIL" % (len(RESULTS) - len(fails), len(fails)))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
