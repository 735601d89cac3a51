"""`serve --certfile/--keyfile`: the server speaks wss:// itself (no proxy), and a bad certificate is one line.

The certificates come from trustme (a throwaway CA for tests): real TLS on a loopback socket.
"""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path

import msgpack
import pytest
import trustme
from websockets.asyncio.client import connect

from server.app import BackchannelServer, tls_context
from server.store import SqliteStore

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[trustme.CA, Path, Path]:
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    leaf.private_key_pem.write_to_path(str(key))
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    for extra in leaf.cert_chain_pems[1:]:
        with cert.open("ab") as out:
            out.write(extra.bytes())
    return ca, cert, key


async def test_a_player_says_hello_over_wss(
    certificate: tuple[trustme.CA, Path, Path], tmp_path: Path
) -> None:
    ca, cert, key = certificate
    server = BackchannelServer(SqliteStore(tmp_path / "db.sqlite3"), tls=tls_context(cert, key))
    port = await server.start("127.0.0.1", 0)
    try:
        assert server.scheme == "wss"
        trusting = ssl.create_default_context()
        ca.configure_trust(trusting)
        async with connect(f"wss://127.0.0.1:{port}", ssl=trusting, compression=None) as ws:
            await ws.send(msgpack.packb({"type": "hello", "protocol": 1, "id": "h"}))
            welcome = msgpack.unpackb(await ws.recv())
            assert welcome["type"] == "welcome" and welcome["ref"] == "h"
        # A client that does not trust the certificate is refused by TLS itself.
        with pytest.raises(ssl.SSLCertVerificationError):
            async with connect(f"wss://127.0.0.1:{port}", compression=None):
                pass
    finally:
        await server.close()


@pytest.mark.parametrize("mistake", ["missing", "swapped", "only-cert"])
def test_a_bad_certificate_is_one_line(
    certificate: tuple[trustme.CA, Path, Path], tmp_path: Path, mistake: str
) -> None:
    _, cert, key = certificate
    options = {
        "missing": ["--certfile", str(tmp_path / "nope.pem"), "--keyfile", str(key)],
        "swapped": ["--certfile", str(key), "--keyfile", str(cert)],
        "only-cert": ["--certfile", str(cert)],
    }[mistake]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "game.cli",
            "serve",
            "--port",
            "0",
            "--data",
            str(tmp_path / "data"),
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 1 and lines[0].startswith("backchannel serve: "), run.stderr
    expected = {
        "missing": "nope.pem: no such file",
        "swapped": "cannot use the certificate",
        "only-cert": "give both",
    }[mistake]
    assert expected in lines[0]
