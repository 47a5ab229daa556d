"""The request loop the botocore helpers share (botocore_profile_map.py, botocore_credential_plan.py).

Each request is one JSON line on stdin with "config" and "credentials": a file's bytes in base64,
or null for no such file. The two files are written into a private directory, and the answer is
printed as one JSON line.
"""

import base64
import json
import os
import shutil
import sys
import tempfile


def place(path, contents):
    if contents is None:
        if os.path.exists(path):
            os.remove(path)
    else:
        with open(path, "wb") as file:
            file.write(base64.b64decode(contents))


def answer_requests(prefix, answer):
    """Answers each request with answer(config_path, credentials_path, request), a JSON value."""
    directory = tempfile.mkdtemp(prefix=prefix)
    config_path = os.path.join(directory, "config")
    credentials_path = os.path.join(directory, "credentials")
    try:
        for line in sys.stdin:
            request = json.loads(line)
            place(config_path, request["config"])
            place(credentials_path, request["credentials"])
            sys.stdout.write(json.dumps(answer(config_path, credentials_path, request)) + "\n")
            sys.stdout.flush()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
