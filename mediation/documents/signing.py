"""Signing rendered PDFs with the bureau's key (PAdES baseline B-B, pyHanko).

Every document the rendering task makes is signed there, before its SHA-256 is taken: the
stored file, its hash and the file a party downloads are the signed one. The signature covers
every byte of the file but the signature itself, so one changed byte breaks it in any reader
that checks signatures (and on the verification page).

The key and certificate come from settings (ANXIN_SIGNING_KEY, ANXIN_SIGNING_CERT,
ANXIN_SIGNING_CHAIN, ANXIN_SIGNING_KEY_PASSPHRASE). With ANXIN_SIGNING_LOCAL_CA (the embedded
default) a local test CA is made under var/signing/ when the files are missing.
"""

import asyncio
import functools
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from mediation.documents.local_ca import SigningFiles, create_local_ca

log = logging.getLogger(__name__)

FIELD_NAME = "AnxinBureauSignature"


@dataclass(frozen=True)
class SigningConfig:
    files: SigningFiles
    passphrase: bytes | None
    local_ca: bool


def signing_config() -> SigningConfig:
    chain = tuple(Path(path) for path in settings.ANXIN_SIGNING_CHAIN)
    passphrase = settings.ANXIN_SIGNING_KEY_PASSPHRASE
    return SigningConfig(
        files=SigningFiles(
            key=Path(settings.ANXIN_SIGNING_KEY),
            cert=Path(settings.ANXIN_SIGNING_CERT),
            chain=chain,
        ),
        passphrase=passphrase.encode() if passphrase else None,
        local_ca=settings.ANXIN_SIGNING_LOCAL_CA,
    )


def ensure_local_ca() -> Path | None:
    """Make the local test CA when the embedded default uses one and it is missing; the
    directory it was made in, or None when there was nothing to do."""
    config = signing_config()
    if not config.local_ca or config.files.exist():
        return None
    directory = config.files.key.parent
    create_local_ca(directory)
    return directory


@functools.lru_cache(maxsize=4)
def _load_signer(files: SigningFiles, passphrase: bytes | None) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(
        key_file=str(files.key),
        cert_file=str(files.cert),
        ca_chain_files=[str(path) for path in files.chain] or None,
        key_passphrase=passphrase,
    )
    if signer is None:  # pyHanko logs why and answers None
        raise ImproperlyConfigured(
            f"Cannot load the document signing key {files.key} and certificate {files.cert} "
            "(ANXIN_SIGNING_KEY, ANXIN_SIGNING_CERT, ANXIN_SIGNING_KEY_PASSPHRASE)."
        )
    return signer


def bureau_signer() -> signers.SimpleSigner:
    made = ensure_local_ca()
    if made is not None:  # `make run` makes it first (signing_setup); other starts land here
        log.warning("Created a local test certificate authority for documents in %s", made)
    config = signing_config()
    return _load_signer(config.files, config.passphrase)


@functools.lru_cache(maxsize=4)
def _load_certs(paths: tuple[Path, ...]) -> tuple[asn1_x509.Certificate, ...]:
    return tuple(load_certs_from_pemder([str(path) for path in paths]))


def trust_anchors() -> tuple[list[asn1_x509.Certificate], list[asn1_x509.Certificate]]:
    """(trusted roots, other certificates) for checking our own signatures: the chain's
    self-signed certificates are the roots; a chain without one trusts its last certificate
    (an intermediate the bureau was told to rely on)."""
    config = signing_config()
    ensure_local_ca()
    chain = list(_load_certs(config.files.chain)) if config.files.chain else []
    own = list(_load_certs((config.files.cert,)))
    roots = [cert for cert in chain if cert.self_signed]
    if not roots:
        roots = chain[-1:] or own
    return roots, [cert for cert in chain + own if cert not in roots]


def outside_event_loop(function, /, *args, **kwargs):
    """Call `function` where pyHanko may start its own event loop: its synchronous API calls
    `asyncio.run`, which refuses to run in a thread that already runs a loop (an ASGI server's
    or a task run inline from async code). There, the call goes to a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(content: bytes, *, reason: str, location: str = "") -> bytes:
    """`content` signed with the bureau's key: an incremental update holding an invisible
    PAdES signature over the whole file (the PDF/A-3b document stays as it was rendered)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    output = outside_event_loop(
        signers.sign_pdf,
        writer,
        metadata,
        signer=bureau_signer(),
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME),
    )
    return output.getvalue()
