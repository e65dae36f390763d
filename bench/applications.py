"""Online-application benchmark: complete applications through the wizard over HTTP.

Usage:
    .venv/bin/python bench/applications.py [--clients 1,8,32] [--duration 30 | --applications N]
        [--databases sqlite,postgres] [--workers 4] [--threads 1] [--probe 8] [--no-pages]
        [--profile N] [--workdir DIR] [--townships 2]

Everything happens in a throw-away data directory (``--workdir``, default a temporary one,
removed afterwards unless ``--keep``): per database its own ``BIANMIN_DATA_DIR`` (SQLite file,
private uploads, collected static files). PostgreSQL gets a throw-away database
(``createdb``/``dropdb -h 127.0.0.1 -U postgres``, name ``bianmin_bench_apps_<pid>``). The
project's own ``var/`` is not touched.

Per database: migrate, ``load_demo --townships 2``, pick a live guide that accepts online
applications (``channel_online``) with at least two materials (``--guide``, by title; default
申领《四川省老年人优待证》, 7 steps with two uploads; else the first such guide; if the demo has
none, one is switched online and published in the throw-away database), collectstatic, then
gunicorn (production settings: ``DEBUG=False``, whitenoise, ``SECURE_COOKIES=0``) on a free
port of 127.0.0.1 with ``--workers`` sync workers (``--threads`` > 1: gthread).

A client plays one citizen after another, each with a fresh cookie jar, CSRF token and source
address (127.x.y.z: the start view's rate limit counts per address, as it would for real
citizens): GET the start page (CSRF cookie), POST it (the draft), then for every step GET its
page (as a browser follows the redirect; ``--no-pages`` skips these GETs) and POST it: applicant,
address, the materials (a ~200 KB camera JPEG to the first, a small PDF to the second and to any
other required one), the other steps (home visit, declaration, ...), the check page and its
submit, and the confirmation page (whose tracking number is kept). ``--clients`` levels run one
after the other for ``--duration`` seconds each (no new application starts after it; those
under way finish) or ``--applications`` applications each.

Measured per level: complete applications per second, p50/p95 per step kind (GET page / POST),
errors (non-2xx/3xx, a step refused, a connection error; "database is locked", tracebacks and
worker timeouts in gunicorn's log), CPU (the whole machine from /proc/stat, gunicorn's processes,
the bench database's PostgreSQL backends, this client process) and the load average. Then the database is checked: one application per successful run (each run
has its own mobile number), none lost, none duplicated, no duplicate tracking or case numbers.
The double-submit probe (``--probe`` drafts) fills drafts to the check page and POSTs each
check step twice at once: one application per draft.

``--profile N`` then runs N applications in this process through Django's test client under
cProfile (same settings and database) and prints where the time goes.

Results go into docs/performance.md by hand, with the date and the machine.
"""

import argparse
import collections
import cProfile
import http.client
import io
import json
import math
import os
import pstats
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MGMT = "application_wizard-current_step"
PREFERRED_GUIDE = "申领《四川省老年人优待证》"  # 2 materials, home visit, declaration
PG = ["-h", "127.0.0.1", "-U", "postgres"]
LOG_PATTERNS = {
    "database is locked": re.compile(r"database is locked"),
    "traceback": re.compile(r"^Traceback", re.M),
    "worker timeout": re.compile(r"WORKER TIMEOUT"),
}
KINDS = ["start", "applicant", "address", "upload", "other", "check", "confirmation"]


# --- files a citizen uploads ------------------------------------------------------------------


def camera_jpeg():
    """A phone-camera-like JPEG (~200 KB, 1600x1200, EXIF with orientation and GPS)."""
    from PIL import ExifTags, Image, ImageFilter

    size = (1600, 1200)
    noise = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1.2))
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchPhone"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (30.0, 27.0, 36.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def small_pdf(pages=2):
    """A small valid PDF (blank A4 pages)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    bodies = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        *["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


# --- an application's answers -----------------------------------------------------------------


class Plan:
    """What every run posts: the guide, the township and village, the files, the answers."""

    def __init__(self, guide_id, township_code, village_code, steps, questions, required):
        self.guide_id = guide_id
        self.township_code = township_code
        self.village_code = village_code
        self.steps = steps  # the wizard's step names, in order (for information)
        self.questions = questions  # step name -> answer
        materials = [s for s in steps if s.startswith("m-")]
        # The first material gets the photo, the second the PDF, other required ones a PDF too.
        self.files = {}
        for index, step in enumerate(materials):
            if index == 0:
                self.files[step] = ("身份证正面.jpg", "image/jpeg", "jpeg")
            elif index == 1 or step in required:
                self.files[step] = ("户口簿.pdf", "application/pdf", "pdf")
        self.jpeg = camera_jpeg()
        self.pdf = small_pdf()

    def content(self, which):
        return self.jpeg if which == "jpeg" else self.pdf

    def fields(self, step, run):
        """``(kind, fields, file)`` to POST for ``step``."""
        if step == "applicant":
            return "applicant", run.applicant_fields(), None
        if step == "address":
            return (
                "address",
                {
                    "township": self.township_code,
                    "village": self.village_code,
                    "address": f"{run.serial % 9 + 1}组{run.serial % 97 + 1}号",
                },
                None,
            )
        if step.startswith("m-"):
            spec = self.files.get(step)
            return ("upload" if spec else "other"), {}, spec
        if step == "check":
            return "submit", {}, None
        answers = {
            "home-visit": {"home_visit": "no"},
            "delivery": {"delivery": "window"},
            "appointment": {},
            "declaration": {"declaration": "on"},
        }
        if step in answers:
            return "other", answers[step], None
        if step in self.questions:
            return "other", {"answer": self.questions[step]}, None
        raise RuntimeError(f"no answers for step {step!r}")


def id_number(serial):
    from stdnum.cn import ric

    birth = f"19{40 + serial % 50:02d}{serial % 12 + 1:02d}{serial % 28 + 1:02d}"
    body = f"511602{birth}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class Run:
    """One citizen: a serial number, a mobile number and a source address of their own."""

    def __init__(self, serial, base):
        self.serial = serial
        n = base + serial
        self.mobile = f"138{n % 100_000_000:08d}"
        self.source = f"127.{1 + n // 62_500 % 250}.{n // 250 % 250}.{1 + n % 250}"
        self.token = None
        self.tracking = None

    def applicant_fields(self):
        return {"name": "张秀英", "id_number": id_number(self.serial), "mobile": self.mobile}


# --- HTTP clients -----------------------------------------------------------------------------


class Refused(Exception):
    """The server answered, but not as a successful run expects."""


class HttpSession:
    """A browser stand-in: its own cookies, CSRF token and source address; one connection per
    request (gunicorn's sync workers close the connection after every response)."""

    def __init__(self, port, source, timeout=120):
        self.port = port
        self.source = source
        self.timeout = timeout
        self.cookies = {}

    def request(self, method, path, body=None, content_type=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
        )
        headers = {"Host": "127.0.0.1", "Accept-Language": "zh-CN,zh;q=0.9"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.headers.get("Location"), text
        finally:
            conn.close()

    def csrf(self):
        return self.cookies.get("csrftoken", "")


class ClientSession:
    """The same through Django's test client (in process, for the profile)."""

    def __init__(self, source):
        from django.test import Client

        self.client = Client(REMOTE_ADDR=source)
        self.queries = 0  # of the last request

    def request(self, method, path, body=None, content_type=None):
        from django.db import connection

        counter = [0]

        def count(execute, sql, params, many, context):
            counter[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            if method == "GET":
                response = self.client.get(path)
            else:
                response = self.client.generic(method, path, body, content_type=content_type)
            content = b"".join(response) if response.streaming else response.content
        self.queries = counter[0]
        return response.status_code, response.headers.get("Location"), content

    def csrf(self):
        return ""


def urlencoded(fields):
    return urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"


def multipart(fields, file_field, file_name, file_type, content):
    boundary = "----benchBoundary7MA4YWxkTrZu0gW"
    out = bytearray()
    for key, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
        out += f"{value}\r\n".encode()
    out += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: {file_type}\r\n\r\n'
    ).encode()
    out += content + f"\r\n--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


STEP_URL = re.compile(r"^/apply/d/(?P<token>[^/]+)/(?P<step>[^/?]+)/")
CONFIRMATION_URL = re.compile(r"^/apply/submitted/(?P<token>[^/]+)/")
TRACKING = re.compile(rb'class="tracking-number">([\d ]+)<')


class Recorder:
    """Latencies per (kind, method) and error reasons, shared by a level's client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = collections.defaultdict(list)
        self.queries = collections.defaultdict(list)
        self.errors = collections.Counter()

    def add(self, kind, method, seconds):
        with self.lock:
            self.latency[(kind, method)].append(seconds)

    def error(self, reason):
        with self.lock:
            self.errors[reason] += 1


def timed(session, recorder, kind, method, path, body=None, content_type=None):
    started = time.perf_counter()
    status, location, text = session.request(method, path, body, content_type)
    recorder.add(kind, method, time.perf_counter() - started)
    if hasattr(session, "queries"):
        recorder.queries[(kind, method)].append(session.queries)
    if status >= 400:
        raise Refused(f"{kind} {method} {status}")
    return status, location, text


def path_of(location):
    return urllib.parse.urlsplit(location).path if location else ""


def post_step(session, plan, run, step, recorder):
    """POST one step; the next location (a redirect is what a valid step gives)."""
    kind, fields, spec = plan.fields(step, run)
    payload = {"csrfmiddlewaretoken": session.csrf(), MGMT: step}
    payload.update({f"{step}-{k}": v for k, v in fields.items()})
    if spec is None:
        body, ctype = urlencoded(payload)
    else:
        name, mime, which = spec
        body, ctype = multipart(payload, f"{step}-file", name, mime, plan.content(which))
    status, location, _text = timed(
        session, recorder, kind, "POST", f"/apply/d/{run.token}/{step}/", body, ctype
    )
    if status != 302:
        raise Refused(f"{kind} POST answered {status} (form refused)")
    return path_of(location)


def fill_to_check(session, plan, run, recorder, pages=True):
    """Start a draft and fill every step up to the check page (not submitted)."""
    start = f"/apply/{plan.guide_id}/"
    timed(session, recorder, "start", "GET", start)
    body, ctype = urlencoded({"csrfmiddlewaretoken": session.csrf()})
    status, location, _ = timed(session, recorder, "start", "POST", start, body, ctype)
    match = STEP_URL.match(path_of(location))
    if status != 302 or not match:
        raise Refused(f"start POST answered {status} {location}")
    run.token = match["token"]
    path = path_of(location)
    for _guard in range(len(plan.steps) + 5):
        match = STEP_URL.match(path)
        if not match:
            raise Refused(f"unexpected redirect {path}")
        step = match["step"]
        if step == "check":
            if pages:
                timed(session, recorder, "check", "GET", path)
            return path
        if pages:
            timed(session, recorder, plan.fields(step, run)[0], "GET", path)
        path = post_step(session, plan, run, step, recorder)
    raise Refused("the wizard did not reach the check page")


def submit(session, plan, run, recorder):
    path = post_step(session, plan, run, "check", recorder)
    if not CONFIRMATION_URL.match(path):
        raise Refused(f"submit redirected to {path}")
    return path


def complete_application(session, plan, run, recorder, pages=True):
    fill_to_check(session, plan, run, recorder, pages)
    path = submit(session, plan, run, recorder)
    _status, _location, text = timed(session, recorder, "confirmation", "GET", path)
    found = TRACKING.search(text)
    if not found:
        raise Refused("confirmation without a tracking number")
    run.tracking = found.group(1).decode().replace(" ", "")


# --- server -----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port, workers, threads, log_path):
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--backlog",
        "256",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    log = open(log_path, "ab")  # noqa: SIM115 - closed by stop_gunicorn
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    server.log = log
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/static/css/site.css")
            conn.getresponse().read()
            conn.close()
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn exited; see {log_path}")
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer; see {log_path}")


def stop_gunicorn(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server.log.close()


def process_cpu(pid):
    """utime + stime of ``pid`` in seconds (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pids(master):
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def database_pids(db_name):
    """PostgreSQL backends serving ``db_name`` (their command line names the database)."""
    if not db_name:
        return []
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes()
        except OSError:
            continue
        if text.startswith(b"postgres: ") and f" {db_name} ".encode() in text:
            pids.append(int(cmdline.parent.name))
    return pids


def machine_cpu():
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CpuMeter:
    """CPU seconds used during a level by gunicorn (master and workers), by the PostgreSQL
    backends of the bench database, by this client process, and the machine's busy share."""

    def __init__(self, master, db_name=None):
        self.master = master
        self.db_name = db_name
        self.server = {p: process_cpu(p) for p in server_pids(master)}
        self.database = {p: process_cpu(p) for p in database_pids(db_name)}
        self.client = time.process_time()
        self.machine = machine_cpu()
        self.load = os.getloadavg()[0]

    @staticmethod
    def _used(before, pids):
        """CPU used since ``before`` by the processes alive now (one that ended is not
        counted: its last figures are gone)."""
        return sum(process_cpu(p) - before.get(p, 0.0) for p in set(pids))

    def stop(self):
        busy, total = machine_cpu()
        return {
            "server_cpu_s": self._used(self.server, server_pids(self.master)),
            "database_cpu_s": self._used(self.database, database_pids(self.db_name)),
            "client_cpu_s": time.process_time() - self.client,
            "machine_busy": (busy - self.machine[0]) / max(1, total - self.machine[1]),
            "load_before": self.load,
            "load_after": os.getloadavg()[0],
        }


def log_counts(log_path, offset):
    text = Path(log_path).read_bytes()[offset:].decode("utf-8", "replace")
    return {name: len(pattern.findall(text)) for name, pattern in LOG_PATTERNS.items()}


# --- one level --------------------------------------------------------------------------------


class Serials:
    def __init__(self, limit=None):
        self.lock = threading.Lock()
        self.next = 0
        self.limit = limit

    def take(self):
        with self.lock:
            if self.limit is not None and self.next >= self.limit:
                return None
            self.next += 1
            return self.next - 1


def run_level(port, plan, clients, duration, count, base, pages):
    """``clients`` threads, each completing applications one after another."""
    recorder = Recorder()
    serials = Serials(count)
    done, failed = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + duration if count is None else None
    finish_times = []

    def client():
        while deadline is None or time.perf_counter() < deadline:
            serial = serials.take()
            if serial is None:
                break
            run = Run(serial, base)
            session = HttpSession(port, run.source)
            try:
                complete_application(session, plan, run, recorder, pages)
            except (Refused, OSError, http.client.HTTPException) as error:
                reason = str(error) if isinstance(error, Refused) else type(error).__name__
                recorder.error(reason)
                with lock:
                    failed.append(run)
                continue
            with lock:
                done.append(run)
                finish_times.append(time.perf_counter())

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "elapsed": elapsed,
        "done": done,
        "failed": failed,
        "recorder": recorder,
        "next_base": base + serials.next,
    }


def double_submit_probe(port, plan, drafts, base):
    """Fill ``drafts`` drafts to the check page, then POST each check step twice at once."""
    recorder = Recorder()
    runs = [Run(i, base) for i in range(drafts)]
    sessions = [HttpSession(port, run.source) for run in runs]
    statuses = collections.Counter()
    lock = threading.Lock()

    def fill(i):
        try:
            fill_to_check(sessions[i], plan, runs[i], recorder)
        except (Refused, OSError, http.client.HTTPException) as error:
            recorder.error(f"probe fill: {error}")

    threads = [threading.Thread(target=fill, args=(i,)) for i in range(drafts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ready = [i for i in range(drafts) if runs[i].token]
    barrier = threading.Barrier(2 * len(ready))

    def double(i):
        payload = {"csrfmiddlewaretoken": sessions[i].csrf(), MGMT: "check"}
        body, ctype = urlencoded(payload)
        barrier.wait()
        try:
            # Both POSTs carry the same cookies, as a double click in one browser would.
            status, location, _ = sessions[i].request(
                "POST", f"/apply/d/{runs[i].token}/check/", body, ctype
            )
            key = f"{status} {'confirmation' if CONFIRMATION_URL.match(path_of(location)) else location}"
        except (OSError, http.client.HTTPException) as error:
            key = type(error).__name__
        with lock:
            statuses[key] += 1

    threads = [threading.Thread(target=double, args=(i,)) for i in ready for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return runs, statuses, recorder, base + drafts


# --- checks in the database -------------------------------------------------------------------


def verify(done, failed, since_pk):
    """Applications of the level against the runs the clients saw succeed."""
    from django.db.models import Count

    from forms.models import Application, Draft

    created = Application.objects.filter(pk__gt=since_pk)
    by_mobile = collections.Counter(created.values_list("mobile", flat=True))
    tracking = dict(created.values_list("mobile", "tracking_number"))
    lost = sum(1 for run in done if by_mobile.get(run.mobile, 0) == 0)
    duplicated = sum(n - 1 for n in by_mobile.values() if n > 1)
    mismatched = sum(
        1 for run in done if by_mobile.get(run.mobile) and tracking[run.mobile] != run.tracking
    )
    failed_but_created = sum(1 for run in failed if by_mobile.get(run.mobile))
    tokens = [run.token for run in done]
    drafts = Draft.objects.filter(token__in=tokens)
    unlinked = len(tokens) - drafts.filter(application__isnull=False).count()
    dup_tracking = (
        Application.objects.values("tracking_number")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    dup_case = (
        Application.objects.values("case_number").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    return {
        "applications": created.count(),
        "lost": lost,
        "duplicated": duplicated,
        "tracking_mismatch": mismatched,
        "failed_runs_with_application": failed_but_created,
        "drafts_without_application": unlinked,
        "duplicate_tracking_numbers": dup_tracking,
        "duplicate_case_numbers": dup_case,
    }


def last_application_pk():
    from forms.models import Application

    last = Application.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


# --- reporting --------------------------------------------------------------------------------


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)  # nearest rank
    index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[index]


def ms(value):
    return "–" if value != value else f"{value * 1000:,.0f} ms"


def report_level(database, result, checks, cpu, log, workers_label):
    rec = result["recorder"]
    done = len(result["done"])
    rate = done / result["elapsed"]
    requests = sum(len(v) for v in rec.latency.values())
    errors = sum(rec.errors.values())
    print(
        f"\n### {database}, {result['clients']} clients ({workers_label}): "
        f"{done} applications in {result['elapsed']:.1f} s = {rate:.2f} applications/s "
        f"({requests / result['elapsed']:.1f} requests/s, {requests / max(1, done + errors):.1f} "
        f"requests per application)"
    )
    print(
        f"errors: {errors} {dict(rec.errors) or ''}; gunicorn log: {log}; "
        f"CPU: machine busy {cpu['machine_busy']:.0%}, gunicorn {cpu['server_cpu_s']:.1f} s "
        f"({cpu['server_cpu_s'] / max(1, done) * 1000:.0f} ms per application), PostgreSQL "
        f"{cpu['database_cpu_s']:.1f} s ({cpu['database_cpu_s'] / max(1, done) * 1000:.0f} ms), "
        f"this client {cpu['client_cpu_s']:.1f} s; load average {cpu['load_before']:.1f} → "
        f"{cpu['load_after']:.1f}"
    )
    print(
        "database: {applications} applications, lost {lost}, duplicated {duplicated}, "
        "tracking number differs {tracking_mismatch}, failed runs with an application "
        "{failed_runs_with_application}, drafts without application "
        "{drafts_without_application}, duplicate tracking numbers {duplicate_tracking_numbers}, "
        "duplicate case numbers {duplicate_case_numbers}".format(**checks)
    )
    print("| step | GET p50 | GET p95 | POST p50 | POST p95 | requests |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in [*KINDS[:-2], "check", "submit", "confirmation"]:
        get = rec.latency.get((kind, "GET"), [])
        post = rec.latency.get((kind, "POST"), [])
        if not get and not post:
            continue
        print(
            f"| {kind} | {ms(percentile(get, 50))} | {ms(percentile(get, 95))} | "
            f"{ms(percentile(post, 50))} | {ms(percentile(post, 95))} | {len(get) + len(post)} |"
        )
    return {
        "database": database,
        "clients": result["clients"],
        "applications": done,
        "seconds": round(result["elapsed"], 2),
        "rate": round(rate, 3),
        "errors": errors,
        "error_reasons": dict(rec.errors),
        "log": log,
        "cpu": cpu,
        "checks": checks,
        "latency": {
            f"{k} {m}": [round(percentile(v, 50) * 1000, 1), round(percentile(v, 95) * 1000, 1)]
            for (k, m), v in rec.latency.items()
        },
    }


# --- set-up and the run for one database ------------------------------------------------------


def prepare_database(townships):
    from django.core.management import call_command

    from guides.demo.loader import load_demo

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo(townships=townships)
    call_command("collectstatic", "--no-input", verbosity=0)
    print(
        f"bench database: migrated, demo loaded, static collected in {time.perf_counter() - t:.1f} s"
    )


def pick_plan(title=PREFERRED_GUIDE):
    from django.contrib.auth.models import AnonymousUser

    from forms.models import QuestionKind
    from forms.wizard import steps as S
    from guides.models import ServiceGuidePage, VillageStationPage
    from guides.models.choices import MaterialNecessity

    live = ServiceGuidePage.objects.live().order_by("path")
    candidates = [g for g in live if g.materials.count() >= 2 and g.township is not None]
    guide = next((g for g in candidates if g.title == title and g.channel_online), None)
    guide = guide or next((g for g in candidates if g.channel_online), None)
    if guide is None:  # switch a demo guide online in the throw-away database
        guide = candidates[0]
        guide.channel_online = True
        guide.save_revision().publish()
        guide = ServiceGuidePage.objects.get(pk=guide.pk)
        print(f"(switched {guide.title} online for the benchmark)")
    township = guide.township
    village = VillageStationPage.objects.live().child_of(township).order_by("code").first()
    form_list, _conditions = S.build_steps(guide, AnonymousUser())
    required = {
        f"m-{m.pk}" for m in guide.materials.all() if m.necessity == MaterialNecessity.REQUIRED
    }
    sample = {
        QuestionKind.NUMBER: "2",
        QuestionKind.DATE: "2020-01-01",
        QuestionKind.YES_NO: "否",
    }
    questions = {}
    for question in guide.application_questions.all():
        if question.kind == QuestionKind.CHOICE:
            questions[question.step_name] = question.choice_list[0]
        else:
            questions[question.step_name] = sample.get(question.kind, "无")
    plan = Plan(guide.pk, township.code, village.code, list(form_list), questions, required)
    print(
        f"guide: {guide.title} (pk {guide.pk}, {township.title}); steps: "
        f"{', '.join(plan.steps)}; uploads: "
        + ", ".join(f"{s} {n}" for s, (n, _m, _w) in plan.files.items())
        + f"; photo {len(plan.jpeg) / 1024:.0f} KiB, PDF {len(plan.pdf) / 1024:.1f} KiB"
    )
    return plan


PROFILE_BUCKETS = [  # (label, test on "filename:function"), first match wins
    ("SQLite (executing queries)", lambda f: "SQLiteCursorWrapper" in f or "sqlite3." in f),
    ("psycopg (PostgreSQL round trips)", lambda f: "/psycopg/" in f),
    ("Pillow (decode, transpose, encode)", lambda f: "/PIL/" in f or "Imaging" in f),
    ("pypdf", lambda f: "/pypdf/" in f),
    ("Django templates", lambda f: "/django/template/" in f or "/django/templatetags/" in f),
    ("Django ORM (building SQL, making objects)", lambda f: "/django/db/" in f),
    (
        "translation (gettext catalogs)",
        lambda f: "/django/utils/translation/" in f or "gettext" in f,
    ),
    ("Django forms", lambda f: "/django/forms/" in f),
    (
        "Django request handling, middleware, test client",
        lambda f: any(
            p in f
            for p in (
                "/django/test/",
                "/django/core/handlers/",
                "/django/middleware/",
                "/django/contrib/",
                "/whitenoise/",
            )
        ),
    ),
    ("Django, other", lambda f: "/django/" in f),
    ("formtools", lambda f: "/formtools/" in f),
    (
        "Wagtail, treebeard, modelcluster",
        lambda f: any(p in f for p in ("/wagtail/", "/treebeard/", "/modelcluster/")),
    ),
    ("project: forms/", lambda f: f"{ROOT}/forms/" in f),
    ("project: guides/", lambda f: f"{ROOT}/guides/" in f),
    ("project: other", lambda f: f"{ROOT}/" in f and "/.venv/" not in f),
    ("Python standard library, other", lambda f: True),
]
SPECIFIC_BUILTINS = PROFILE_BUCKETS[:4]


def _bucket(key):
    return next(label for label, test in PROFILE_BUCKETS if test(key))


def profile_buckets(profiler):
    """Own time (tottime) per area of code: where the time goes. A built-in (``getattr``,
    ``isinstance``, ``str.join``...) counts for the area of the function that called it;
    the standard library counts for itself."""
    stats = pstats.Stats(profiler)
    totals = collections.Counter()
    for (filename, _line, function), (_cc, _nc, own, _cum, callers) in stats.stats.items():
        key = f"{filename}:{function}"
        builtin = filename == "~" and not any(test(key) for _l, test in SPECIFIC_BUILTINS)
        if builtin and callers:
            for (c_file, _c_line, c_function), caller in callers.items():
                totals[_bucket(f"{c_file}:{c_function}")] += caller[2]
        else:
            totals[_bucket(key)] += own
    return totals, stats.total_tt


def profile_in_process(plan, count, base):
    """``count`` applications through Django's test client in this process: timed per
    request (and queries counted), then again under cProfile for where the time goes."""
    # Warm up (imports, template loading) outside the measurement.
    complete_application(ClientSession("127.250.0.1"), plan, Run(10**7, base), Recorder())
    recorder = Recorder()
    started = time.perf_counter()
    for run in [Run(i, base + 1) for i in range(count)]:
        complete_application(ClientSession(run.source), plan, run, recorder)
    elapsed = time.perf_counter() - started
    print(
        f"\n### in-process: {count} applications through the test client (no HTTP, no "
        f"profiler): {elapsed / count * 1000:.0f} ms per application"
    )
    print("| request | per application | share | mean per request | queries per request |")
    print("|---|---:|---:|---:|---:|")
    totals = {k: sum(v) for k, v in recorder.latency.items()}
    whole = sum(totals.values())
    for key, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        n = len(recorder.latency[key])
        queries = sum(recorder.queries[key]) / n
        print(
            f"| {key[0]} {key[1]} | {total / count * 1000:.1f} ms | {total / whole:.0%} | "
            f"{total / n * 1000:.1f} ms | {queries:.1f} |"
        )

    profiler = cProfile.Profile()
    profiler.enable()
    for run in [Run(i, base + 1 + count) for i in range(count)]:
        complete_application(ClientSession(run.source), plan, run, Recorder())
    profiler.disable()
    profiler.dump_stats(str(Path(os.environ["BIANMIN_DATA_DIR"]) / "profile.pstats"))
    buckets, total = profile_buckets(profiler)
    print(f"\n### cProfile of {count} more: own time by area ({total:.1f} s in all)")
    print("| area | share |")
    print("|---|---:|")
    for label, own in buckets.most_common():
        print(f"| {label} | {own / total:.0%} |")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(rf"{ROOT}/(forms|guides|site|config)/", 40)
    stats.sort_stats("tottime").print_stats(25)
    print(out.getvalue())


def run_database(args, database, workdir):
    """Child process: everything for one database."""
    plan = pick_plan(args.guide)
    port = free_port()
    log_path = workdir / "gunicorn.log"
    env = dict(os.environ)
    server = start_gunicorn(env, port, args.workers, args.threads, log_path)
    label = (
        f"{args.workers} gthread workers × {args.threads} threads"
        if args.threads > 1
        else f"{args.workers} sync workers"
    )
    results = []
    base = 0
    try:
        # Warm-up: every worker imports, loads templates and opens its connection.
        warm = run_level(
            port, plan, args.workers * max(1, args.threads), 0, 2 * args.workers, base, True
        )
        base = warm["next_base"]
        if warm["failed"]:
            print(f"warm-up errors: {dict(warm['recorder'].errors)}")
        for clients in args.clients:
            since = last_application_pk()
            offset = log_path.stat().st_size
            meter = CpuMeter(server.pid, os.environ.get("BENCH_PG_NAME"))
            result = run_level(
                port, plan, clients, args.duration, args.applications, base, not args.no_pages
            )
            cpu = meter.stop()
            base = result["next_base"]
            time.sleep(0.5)  # on_commit work of the last responses
            checks = verify(result["done"], result["failed"], since)
            results.append(
                report_level(database, result, checks, cpu, log_counts(log_path, offset), label)
            )
        if args.probe:
            since = last_application_pk()
            offset = log_path.stat().st_size
            runs, statuses, recorder, base = double_submit_probe(port, plan, args.probe, base)
            from forms.models import Application

            created = collections.Counter(
                Application.objects.filter(pk__gt=since).values_list("mobile", flat=True)
            )
            per_draft = collections.Counter(created.get(run.mobile, 0) for run in runs)
            log = log_counts(log_path, offset)
            print(
                f"\n### {database}, double-submit probe: {args.probe} drafts, check POSTed twice "
                f"at once: applications per draft {dict(sorted(per_draft.items()))}; responses "
                f"{dict(statuses)}; fill errors {dict(recorder.errors) or 0}; gunicorn log {log}"
            )
            results.append(
                {
                    "database": database,
                    "probe": args.probe,
                    "applications_per_draft": dict(per_draft),
                    "responses": dict(statuses),
                    "log": log,
                }
            )
    finally:
        stop_gunicorn(server)
    if args.profile:
        profile_in_process(plan, args.profile, base + 1000)
    (workdir / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


# --- the parent: one child per database -------------------------------------------------------


def child_env(database, workdir, pg_name):
    env = dict(
        os.environ,
        BIANMIN_DATA_DIR=str(workdir),
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only"),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_COOKIES="0",
        ELASTICSEARCH_URL="",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)  # the rate limiter's cache: per-process, as in the base settings
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
        env["BENCH_PG_NAME"] = pg_name
    return env


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--duration", type=float, default=30, help="seconds per level")
    parser.add_argument("--applications", type=int, help="applications per level (not --duration)")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4 = 2 x cores)")
    parser.add_argument("--threads", type=int, default=1, help="> 1: gthread workers")
    parser.add_argument("--probe", type=int, default=8, help="drafts in the double-submit probe")
    parser.add_argument("--no-pages", action="store_true", help="POST the steps without GETs")
    parser.add_argument("--profile", type=int, default=0, help="applications under cProfile")
    parser.add_argument("--townships", type=int, default=2)
    parser.add_argument("--guide", default=PREFERRED_GUIDE, help="title of the guide to apply for")
    parser.add_argument("--workdir")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.clients = [int(c) for c in str(args.clients).split(",") if c]
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    return args


def child_main(args):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    workdir = Path(os.environ["BIANMIN_DATA_DIR"])
    prepare_database(args.townships)
    run_database(args, args.child, workdir)


def main():
    args = parse_args()
    if args.child:
        return child_main(args)
    unknown = set(args.databases) - {"sqlite", "postgres"}
    if unknown:
        sys.exit(f"unknown databases: {', '.join(sorted(unknown))}")
    own_workdir = not args.workdir
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bianmin-bench-apps-")).resolve()
    print(f"work directory: {workdir}")
    pg_name = f"bianmin_bench_apps_{os.getpid()}"
    try:
        for database in args.databases:
            data_dir = workdir / database
            data_dir.mkdir(parents=True, exist_ok=True)
            if database == "postgres":
                subprocess.run(["createdb", *PG, pg_name], check=True)
            try:
                command = [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
                command += ["--child", database]
                subprocess.run(
                    command, cwd=ROOT, env=child_env(database, data_dir, pg_name), check=True
                )
            finally:
                if database == "postgres":
                    subprocess.run(["dropdb", *PG, "--if-exists", "--force", pg_name], check=False)
        summary(workdir, args.databases)
    finally:
        if own_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def summary(workdir, databases):
    """One table over the databases and levels (from each child's results.json)."""
    print("\n## Summary")
    print(
        "| database | clients | applications | applications/s | errors | lost | duplicated "
        "| database is locked | submit p50 / p95 | step POST p95 (max) | gunicorn CPU per application |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    probes = []
    for database in databases:
        path = workdir / database / "results.json"
        if not path.exists():
            continue
        for row in json.loads(path.read_text()):
            if "probe" in row:
                probes.append(row)
                continue
            lat = row["latency"]
            submit = lat.get("submit POST", ["–", "–"])
            post95 = max((v[1] for k, v in lat.items() if k.endswith("POST")), default=0)
            checks = row["checks"]
            cpu = row["cpu"]["server_cpu_s"] / max(1, row["applications"]) * 1000
            print(
                f"| {database} | {row['clients']} | {row['applications']} | {row['rate']:.2f} | "
                f"{row['errors']} | {checks['lost']} | {checks['duplicated']} | "
                f"{row['log']['database is locked']} | {submit[0]} / {submit[1]} ms | "
                f"{post95} ms | {cpu:.0f} ms |"
            )
    for row in probes:
        print(
            f"double-submit probe, {row['database']}: {row['probe']} drafts, applications per "
            f"draft {row['applications_per_draft']}, responses {row['responses']}"
        )


if __name__ == "__main__":
    main()
