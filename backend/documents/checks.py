"""The file checks the domains call. They run in the check pool's worker processes, never on the event loop."""

from __future__ import annotations

import logging

from asn1crypto import x509 as asn1_x509

from backend.core.i18n import gettext
from backend.documents import inspection
from backend.documents.findings import FileCheck
from backend.documents.pool import CheckPool, CheckPoolBusy, CheckTimedOut

__all__ = ["CheckPoolBusy", "FileCheck", "busy_message", "check_pdf", "inspect_upload"]
log = logging.getLogger(__name__)


def busy_message() -> str:
    """What a person is told when every check worker stayed busy (nothing they sent is lost: they send it again)."""
    return gettext("The portal is busy checking other files. Try again in a minute.")


def _der(trust_roots: list[asn1_x509.Certificate]) -> tuple[bytes, ...]:
    return tuple(certificate.dump() for certificate in trust_roots)


async def check_pdf(pool: CheckPool, content: bytes, trust_roots: list[asn1_x509.Certificate]) -> FileCheck:
    """Every signature in ``content``. Too complex when over a limit or out of time; raises CheckPoolBusy."""
    return await _run(pool, inspection.check_pdf, content, _der(trust_roots))


async def inspect_upload(
    pool: CheckPool, content: bytes, kind: str, trust_roots: list[asn1_x509.Certificate]
) -> FileCheck:
    """Does ``content`` open as the ``kind`` its first bytes claim, and (PDF) what do its signatures say.
    Out of time: not readable, and too complex. Raises CheckPoolBusy."""
    return await _run(pool, inspection.inspect_upload, content, kind, _der(trust_roots))


async def _run(pool: CheckPool, function, *args) -> FileCheck:
    try:
        return await pool.run(function, *args)
    except CheckTimedOut:
        return FileCheck(readable=False, too_complex=True)
    except RuntimeError:  # the worker raised (out of memory, say): the file is beyond what we check
        log.warning("file check failed in its worker", exc_info=True)
        return FileCheck(readable=False, too_complex=True)
