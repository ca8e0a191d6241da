"""A local test certificate authority and a bureau signing key it certifies.

For development and tests only: `make run` makes one under var/signing/ on first start, tests
make a throwaway one in a temporary directory. Production signs with the bureau's own key and
the certificate a real authority issued for it (ANXIN_SIGNING_KEY, ANXIN_SIGNING_CERT,
ANXIN_SIGNING_CHAIN); `check --deploy` refuses this one.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# Printed in the certificates, so that nobody mistakes a document signed with them for one
# the bureau issued.
# (Common names hold at most 64 bytes of UTF-8.)
CA_NAME = "安薪本地测试证书机构 Anxin local test CA"
SIGNER_NAME = "安薪文书签章（本地测试）"
ORGANISATION = "安薪 本地测试，不得用于生产"


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    chain: tuple[Path, ...]

    def exist(self) -> bool:
        return all(path.is_file() for path in (self.key, self.cert, *self.chain))


def local_ca_files(directory: Path) -> SigningFiles:
    """Where the local CA's files live in `directory`."""
    return SigningFiles(
        key=directory / "bureau-key.pem",
        cert=directory / "bureau-cert.pem",
        chain=(directory / "ca-cert.pem",),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_private(path: Path, data: bytes) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def create_local_ca(directory: Path, *, years: int = 10) -> SigningFiles:
    """A new CA (its key is kept only in memory and discarded) and a signing key and
    certificate it issued, written to `directory`. ECDSA P-256: small, fast, and read by
    every PDF reader that checks signatures."""
    directory.mkdir(parents=True, exist_ok=True)
    files = local_ca_files(directory)
    # Valid from long ago: tests set the clock to dates before the day the CA was made, and a
    # certificate not yet valid when a document is signed makes its signature worthless.
    now = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    until = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=365 * years)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(CA_NAME)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )

    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_NAME))
        .issuer_name(ca_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: what PAdES signers are asked for
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )

    _write_private(
        files.key,
        signer_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    files.cert.write_bytes(signer_cert.public_bytes(serialization.Encoding.PEM))
    files.chain[0].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return files
