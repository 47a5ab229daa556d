"""The AWS CLI's own reading of a config and a credentials file, for tests to compare with.

Reads one JSON request per line on stdin: {"config": <base64 or null>, "credentials": <base64 or
null>} (null: no such file). Answers one JSON line each: {"ok": true, "profiles": {...},
"ssoSessions": {...}} with what botocore makes of the two files, as a botocore Session does
(botocore.configloader.load_config for the config file, raw_config_parse for the credentials file,
credentials-file settings winning per key), or {"ok": false, "error": "..."} where botocore
refuses a file. No network, no AWS account: it only reads the two files.
"""

import base64
import json
import os
import shutil
import sys
import tempfile

from botocore import configloader
from botocore.exceptions import ConfigNotFound, ConfigParseError


def place(path, contents):
    if contents is None:
        if os.path.exists(path):
            os.remove(path)
    else:
        with open(path, "wb") as file:
            file.write(base64.b64decode(contents))


def profile_map(config_path, credentials_path):
    try:
        config = configloader.load_config(config_path)
    except ConfigNotFound:
        config = {"profiles": {}, "sso_sessions": {}}
    profiles = config["profiles"]
    try:
        credentials = configloader.raw_config_parse(credentials_path)
    except ConfigNotFound:
        credentials = {}
    for name, values in credentials.items():
        if name in profiles:
            profiles[name].update(values)
        else:
            profiles[name] = values
    return {"ok": True, "profiles": profiles, "ssoSessions": config.get("sso_sessions", {})}


def main():
    directory = tempfile.mkdtemp(prefix="rolecall-botocore-")
    config_path = os.path.join(directory, "config")
    credentials_path = os.path.join(directory, "credentials")
    try:
        for line in sys.stdin:
            request = json.loads(line)
            place(config_path, request["config"])
            place(credentials_path, request["credentials"])
            try:
                answer = profile_map(config_path, credentials_path)
            except ConfigParseError as error:
                answer = {"ok": False, "error": str(error)}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
