"""The AWS CLI's own reading of a config and a credentials file, for tests to compare with.

Reads one JSON request per line on stdin: {"config": <base64 or null>, "credentials": <base64 or
null>} (null: no such file). Answers one JSON line each: {"ok": true, "profiles": {...},
"ssoSessions": {...}} with what botocore makes of the two files, as a botocore Session does
(botocore.configloader.load_config for the config file, raw_config_parse for the credentials file,
credentials-file settings winning per key), or {"ok": false, "error": "..."} where botocore
refuses a file. No network, no AWS account: it only reads the two files.
"""

from aws_files_requests import answer_requests
from botocore import configloader
from botocore.exceptions import ConfigNotFound, ConfigParseError


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


def answer(config_path, credentials_path, _request):
    try:
        return profile_map(config_path, credentials_path)
    except ConfigParseError as error:
        return {"ok": False, "error": str(error)}


if __name__ == "__main__":
    answer_requests("rolecall-botocore-", answer)
