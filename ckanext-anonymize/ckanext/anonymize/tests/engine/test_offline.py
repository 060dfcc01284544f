"""Nothing touches the network: the model load, every recognizer (e-mail, URL-like text) and a
whole scrub run in a fresh interpreter where opening a socket fails the run."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import socket, sys
    attempts = []
    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled by test")
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from ckanext.anonymize.engine import Engine
    engine = Engine()
    result = engine.analyze_text("山田太郎さん taro@example.co.jp https://www.example.org 090-1234-5678")
    import tldextract  # Presidio's e-mail recognizer path: must use the bundled suffix list
    print("SUFFIX", tldextract.extract("www.example.co.jp").suffix)
    kinds = sorted({f["entity_type"] for f in result["findings"]})
    print(",".join(kinds))
    print("ATTEMPTS", len(attempts))
""")


def test_nothing_touches_the_network():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert lines[-1] == "ATTEMPTS 0"
    assert lines[-2] == "EMAIL_ADDRESS,PERSON,PHONE_NUMBER"
    assert lines[-3] == "SUFFIX co.jp"
