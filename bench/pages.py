"""Page benchmark: wrk against gunicorn (2 workers) on 127.0.0.1, uncached.

Usage (after `make demo`; needs Debian's wrk: `apt-get install -y wrk`):
    .venv/bin/python bench/pages.py [--duration 10] [--connections 8]

Prints requests/s and latency for the home page, a township page, a guide page and a static
file (the ceiling). Record results in docs/performance.md with the date and the machine.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def pick_urls():
    from guides.models import CountyPortalPage, ServiceGuidePage, TownshipPage

    portal = CountyPortalPage.objects.live().first()
    township = TownshipPage.objects.live().order_by("code").first()
    guide = (
        ServiceGuidePage.objects.live().child_of(township).filter(item__name="最低生活保障").first()
        or ServiceGuidePage.objects.live().child_of(township).first()
    )
    if not (portal and township and guide):
        sys.exit("No demo data: run `make demo` first.")
    return {
        "home": portal.url,
        "township": township.url,
        "guide": guide.url,
        "static": "/static/css/site.css",
    }


def run_wrk(url, duration, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, lat, int(non2xx.group(1)) if non2xx else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="false",
    )
    os.environ.update(env)
    django_setup()
    urls = pick_urls()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + urls["static"], timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        for name, path in urls.items():
            with urllib.request.urlopen(base + path) as response:
                size = len(response.read())
            rps, lat, errors = run_wrk(base + path, args.duration, args.connections)
            print(
                f"{name:10s} {rps:9.1f} req/s  p50 {lat.get('50', '?'):>9s}  p99 {lat.get('99', '?'):>9s}"
                f"  non-2xx {errors}  {size / 1024:.1f} KiB  {path}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
