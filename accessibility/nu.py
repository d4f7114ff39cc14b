"""The W3C Nu HTML checker (vnu.jar) over many HTML documents in one run.

vnu.jar comes from the npm package ``vnu-jar``, pinned in the Makefile: ``make vnu`` installs it under
accessibility/.vnu (git-ignored) and ``make test`` and ``make a11y-report`` depend on it. It runs offline
on the system's Java 17. The audit hands it every page at the end, in one folder: one Java start and
warm-up (about 3 s) for all of them instead of one per page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

VNU_JAR = Path(__file__).resolve().parent / ".vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Checked with the pages: the checker says nothing about a folder it cannot read, so silence must be earned.
CANARY = ("canary.html", '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>canary</title></head>'
          "<body><p>a known error:</span></body></html>")


@dataclass(frozen=True)
class NuError:
    message: str
    line: int
    extract: str
    """The source around the error, as the checker quotes it."""


def missing() -> str:
    """Why the checker cannot run here (Java or vnu.jar missing), or "" when it can."""
    if shutil.which("java") is None:
        return "Java is not installed (the Nu HTML checker runs on it): `make vnu` installs Debian's Java"
    if not VNU_JAR.is_file():
        return f"{VNU_JAR} is missing: `make vnu` installs it (npm package vnu-jar, version pinned in the Makefile)"
    return ""


def check(documents: list[str], folder: Path, timeout: float = 600) -> tuple[str, list[list[NuError]]]:
    """Check ``documents`` (whole HTML documents), written to ``folder``; returns the checker's version and the
    errors of each document, in order. Raises when the checker cannot run or reads no document."""
    if why := missing():
        raise RuntimeError(why)
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"{n:05d}.html" for n in range(len(documents))]
    for name, html in [*zip(names, documents, strict=True), CANARY]:
        (folder / name).write_text(html, encoding="utf-8")
    # A folder rather than the file names keeps the command line short whatever the number of pages.
    # --no-langdetect: its findings are warnings, which --errors-only drops anyway; it saves ~15% of the time.
    done = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--no-langdetect", "--format", "json",
                           "--stdout", "--exit-zero-always", str(folder)], capture_output=True, text=True,
                          timeout=timeout)
    try:
        output = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"the Nu HTML checker failed ({done.returncode}):\n{done.stdout}\n{done.stderr}") from None
    found: dict[str, list[NuError]] = {name: [] for name in (*names, CANARY[0])}
    for message in output.get("messages", []):
        name = message.get("url", "").rsplit("/", 1)[-1]
        if message.get("type") != "error" or name not in found:  # "non-document-error": a file it could not read
            raise RuntimeError(f"the Nu HTML checker could not check {message.get('url')}: {message.get('message')}")
        found[name].append(NuError(message["message"], message.get("lastLine", 0), message.get("extract", "")))
    if not found[CANARY[0]]:
        raise RuntimeError(f"the Nu HTML checker found nothing wrong in {folder / CANARY[0]}: it did not read the "
                           f"pages\n{done.stdout}\n{done.stderr}")
    return output.get("version", "?"), [found[name] for name in names]
