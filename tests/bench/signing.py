"""Result documents per second: rendering the PDF (WeasyPrint, tagged), signing it (pyHanko, PAdES), checking it:
a normal result, and the costliest file the check limits still validate (tests/signed_pdfs.py), each in-process
(CPU only) and through the check pool the portal uses (a worker process: the pipe and pickling added).

    .venv/bin/python -m tests.bench.signing [-n 50] [--json]

Uses a throwaway demo certificate authority (EC P-256, as the portal creates on first run) and, for comparison,
an RSA-2048 agency key. No database: these are the CPU costs an approval adds. Prints a table, or one JSON
object with ``--json`` (what tests/bench/run.py reads).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from backend.documents import checks, inspection  # noqa: E402
from backend.documents.pool import CheckPool  # noqa: E402
from backend.results.pdf import ResultContent, render  # noqa: E402
from backend.results.pki import DemoAuthority, _asn1_cert, _name, _usage, make_signer  # noqa: E402
from backend.results.signing import sign_pdf  # noqa: E402
from tests.signed_pdfs import worst_allowed  # noqa: E402


def content(i: int) -> ResultContent:
    return ResultContent(
        code=f"KQ-261125-BENCH{i:03d}", dossier_code=f"HS-261125-B{i:05d}",
        procedure={"vi": "Đăng ký khai sinh", "en": "Birth registration"},
        agency={"vi": "Ủy ban nhân dân Phường Hoàn Kiếm", "en": "People's Committee of Hoan Kiem Ward"},
        applicant="Nguyễn Thị Lan", decision="Hồ sơ đầy đủ, hợp lệ.", issued_at=datetime.now(UTC),
        verify_url=f"http://localhost:8000/results/verify/KQ-261125-BENCH{i:03d}", language="en",
    )


def rsa_signer(authority: DemoAuthority):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(_name("RSA-2048 agency")).issuer_name(authority.ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signer=True), critical=True)
        .sign(authority.ca_key, hashes.SHA256())
    )
    return make_signer(key, certificate, [authority.ca_cert])


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"mean_ms": statistics.fmean(ordered) * 1000, "p50_ms": ordered[len(ordered) // 2] * 1000,
            "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000}


async def measure(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="portal-signing-") as tmp:
        authority = DemoAuthority(Path(tmp) / "pki")
        ec = authority.signer("P01-W-HOANKIEM", "Ủy ban nhân dân Phường Hoàn Kiếm")
        rsa_2048 = rsa_signer(authority)
        roots = [_asn1_cert(authority.ca_cert)]
        render(content(0))  # fonts and shaping warm up once per process
        documents, render_times = [], []
        for i in range(n):
            start = time.perf_counter()
            documents.append(render(content(i)))
            render_times.append(time.perf_counter() - start)
        figures: dict = {"n": n, "pdf_bytes": len(documents[0]), "render": summary(render_times)}
        for label, signer in (("sign_ec_p256", ec), ("sign_rsa_2048", rsa_2048)):
            await sign_pdf(documents[0], signer, reason="warm-up")
            times, signed = [], []
            for document in documents:
                start = time.perf_counter()
                signed.append(await sign_pdf(document, signer, reason="Kết quả giải quyết hồ sơ"))
                times.append(time.perf_counter() - start)
            figures[label] = summary(times)
            if label == "sign_ec_p256":
                figures.update(await check_figures(signed[: min(n, 20)], roots))
        return figures


async def check_figures(signed: list[bytes], roots) -> dict:
    """Checking a normal result and the worst file the limits allow, in-process and through the pool."""
    der = tuple(root.dump() for root in roots)
    worst = worst_allowed(signed[0])
    figures: dict = {"worst_bytes": len(worst)}
    for label, documents, verdict in (("check_ec_p256", signed, "valid"),
                                      ("check_worst", [worst] * min(len(signed), 5), "invalid")):
        times = []
        for document in documents:
            start = time.perf_counter()
            assert (await asyncio.to_thread(inspection.check_pdf, document, der)).verdict.value == verdict
            times.append(time.perf_counter() - start)
        figures[label] = summary(times)
    async with CheckPool(1, 60) as pool:
        await checks.check_pdf(pool, signed[0], roots)  # the worker starts
        for label, documents in (("pool_ec_p256", signed), ("pool_worst", [worst] * min(len(signed), 5))):
            times = []
            for document in documents:
                start = time.perf_counter()
                await checks.check_pdf(pool, document, roots)
                times.append(time.perf_counter() - start)
            figures[label] = summary(times)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50, help="documents per figure")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args()
    logging.disable(logging.WARNING)  # pyHanko logs each suspicious revision of the worst file, with its traceback
    figures = asyncio.run(measure(options.n))
    if options.json:
        print(json.dumps(figures))
        return
    print(f"{figures['n']} result documents of {figures['pdf_bytes'] / 1024:.0f} KB each (before signing)")
    print(f"the worst file the limits allow: {figures['worst_bytes'] / 1024:.0f} KB")
    print(f"{'step':<40} {'mean ms':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for key, label in (("render", "render the PDF (WeasyPrint, PDF/UA, QR)"),
                       ("sign_ec_p256", "sign, EC P-256 (the portal's keys)"),
                       ("sign_rsa_2048", "sign, RSA-2048 (for comparison)"),
                       ("check_ec_p256", "check the signature (pyHanko)"),
                       ("check_worst", "check the worst file the limits allow"),
                       ("pool_ec_p256", "check a result in the check pool"),
                       ("pool_worst", "check the worst file in the check pool")):
        f = figures[key]
        print(f"{label:<40} {f['mean_ms']:>8.1f} {f['p50_ms']:>8.1f} {f['p95_ms']:>8.1f}")


if __name__ == "__main__":
    main()
