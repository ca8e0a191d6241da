import hashlib

from casework.audit.merkle import merkle_root, merkle_root_recursive


def test_the_merkle_root_follows_rfc_6962_for_every_count_up_to_33():
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(33)]
    for n in range(34):
        assert merkle_root(hashes[:n]) == merkle_root_recursive(hashes[:n]), n


def test_the_empty_tree_and_a_single_leaf():
    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    one = "ab" * 32
    assert merkle_root([one]) == hashlib.sha256(b"\x00" + bytes.fromhex(one)).hexdigest()
