"""Lighthouse performance (issue 15, item 9: >= 95 on mobile) for home, search, a procedure page and a form page.

Google's Lighthouse CLI (npm, pinned, installed by ``make lighthouse`` under tests/bench/.lighthouse, git-ignored)
drives Debian's Chromium (``CHROME_PATH``, /usr/bin/chromium by default) headless, in its default mode: a
mid-range phone on a slow 4G connection, simulated throttling. The portal is served as ``make run`` serves it, on
its own demo data; the form page is a signed-in citizen's draft (the session cookie goes with every request).
Pages are scored in Vietnamese and in Khmer, the heaviest language (its script font). A score below the goal is
measured twice more and the median of the three is shown: on a busy machine one run can lose 20 points (the
simulated phone's time is this machine's time, slowed down 4 times); "CPU index" is Lighthouse's benchmark of the
machine during the run. Figures, no pass/fail; ``make bench`` runs it after the other figures.

    .venv/bin/python -m tests.bench.lighthouse [base URL]   # a portal already served (make run), else its own
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.page_weight import form_page, language_pages  # noqa: E402

LIGHTHOUSE = ROOT / "tests" / "bench" / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
GOAL = 95
LANGUAGES = ("vi", "km")
METRICS = (("first-contentful-paint", "FCP"), ("largest-contentful-paint", "LCP"), ("total-blocking-time", "TBT"),
           ("cumulative-layout-shift", "CLS"), ("speed-index", "SI"))
HEADERS = ["page", "score", "runs", *(name for _, name in METRICS), "bytes", "CPU index", "below 95 because"]
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
                "--disable-component-update --no-first-run --disable-sync")


def run(url: str, cookies: dict[str, str] | None = None, attempts: int = 3) -> dict:
    """Lighthouse's JSON report of ``url``: performance only, mobile, simulated throttling. A failed trace
    (NO_NAVSTART and the like happen on a busy machine) is tried again."""
    args = [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", "--output-path=stdout",
            "--quiet", f"--chrome-flags={CHROME_FLAGS}"]
    if cookies:
        args.append("--extra-headers=" + json.dumps({"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as home:  # Chromium's profile and Lighthouse's temp files
        done = subprocess.run(args, capture_output=True, text=True, timeout=300, env={**env, "TMPDIR": home})
    if done.returncode == 0:
        report = json.loads(done.stdout)
        if not report.get("runtimeError"):
            return report
    if attempts > 1:
        return run(url, cookies, attempts - 1)
    raise RuntimeError(f"lighthouse {url} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def score(report: dict) -> int:
    return round(report["categories"]["performance"]["score"] * 100)


def measured(url: str, cookies: dict[str, str] | None = None) -> tuple[dict, int]:
    """One report, or the median of three when the first is below the goal; and how many runs were made."""
    reports = [run(url, cookies)]
    if score(reports[0]) < GOAL:
        reports += [run(url, cookies), run(url, cookies)]
    return sorted(reports, key=score)[len(reports) // 2], len(reports)


def row(label: str, report: dict, runs: int) -> list[str]:
    audits = report["audits"]
    lost = [] if score(report) >= GOAL else [  # the metrics that cost points, worst first
        audits[key]["title"] for key, _ in sorted(METRICS, key=lambda metric: audits[metric[0]]["score"] or 0)
        if (audits[key]["score"] or 0) < 0.9]
    return [label, str(score(report)), str(runs),
            *(audits[key]["displayValue"].replace("\xa0", " ") for key, _ in METRICS),
            f"{audits['total-byte-weight']['numericValue']:,.0f}",
            str(round(report.get("environment", {}).get("benchmarkIndex", 0))), "; ".join(lost) or "-"]


def figures(base_url: str, languages: tuple[str, ...] = LANGUAGES) -> list[list[str]]:
    cookies, form = form_page(base_url)
    rows = []
    for code in languages:
        for label, path in language_pages(code, form):
            rows.append(row(f"{label} /{code}/", *measured(base_url + path, cookies if label == "form page" else None)))
            print(f"  {rows[-1][0]}: {rows[-1][1]}", flush=True)
    return rows


def main(argv: list[str]) -> None:
    from tests.bench.run import print_table

    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not LIGHTHOUSE.exists() or not shutil.which("node") or not Path(chrome).exists():
        print(f"Lighthouse: skipped (needs node, npm's lighthouse under {LIGHTHOUSE.parents[2].relative_to(ROOT)} "
              f"and Chromium at {chrome}: make lighthouse installs them where npm is available)")
        return
    print(f"\nLighthouse on mobile (simulated slow 4G, mid-range phone), Chromium at {chrome}", flush=True)
    if argv:
        rows = figures(argv[0].rstrip("/"))
    else:
        from tests.browser.served_portal import start_portal

        with tempfile.TemporaryDirectory(prefix="portal-lighthouse-") as work, start_portal(Path(work)) as portal:
            rows = figures(portal.base_url)
    print_table("Lighthouse performance, mobile (goal >= 95)", HEADERS, rows)


if __name__ == "__main__":
    main(sys.argv[1:])
