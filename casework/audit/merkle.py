"""Merkle tree hash of a list of entries, as RFC 6962 (Certificate Transparency) defines it:
MTH({}) = SHA-256(), leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right),
the left subtree holding the largest power of two smaller than the number of entries."""

import hashlib


def leaf_hash(entry_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(entry_hash)).digest()


def merkle_root(entry_hashes: list[str]) -> str:
    """The root over the entries' hashes (hex), in chain order; iterative, O(n)."""
    if not entry_hashes:
        return hashlib.sha256(b"").hexdigest()
    level = [leaf_hash(h) for h in entry_hashes]
    return _root(level).hex()


def _root(leaves: list[bytes]) -> bytes:
    # RFC 6962's split (k = largest power of two < n) gives the same tree as pairing left to
    # right level by level and carrying an odd last node up unchanged.
    level = leaves
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def merkle_root_recursive(entry_hashes: list[str]) -> str:
    """The RFC's definition, word for word (tests compare the two)."""

    def mth(leaves: list[bytes]) -> bytes:
        if len(leaves) == 1:
            return leaves[0]
        k = 1
        while k * 2 < len(leaves):
            k *= 2
        return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()

    if not entry_hashes:
        return hashlib.sha256(b"").hexdigest()
    return mth([leaf_hash(h) for h in entry_hashes]).hex()
