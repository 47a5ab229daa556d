"""Where the AWS CLI gets a named profile's credentials, for tests to compare with.

Reads one JSON request per line on stdin: {"config": <base64 or null>, "credentials": <base64 or
null>, "profile": <name>}. Answers one JSON line each, with what botocore's credential resolver
does for `--profile <name>` (environment variables ignored, as they are for a named profile):

  {"ok": true, "method": <provider method or null for no credentials>,
   "sources": [[<source profile or "credential_source:<name>">, <its method>], ...]}
  {"ok": false, "error": <exception class>, "message": <its text>}

`sources` lists, in the order botocore resolves them, the source credentials an assumed role is
made from, nearest first. Nothing reaches the network: AssumeRole, web identity and IAM Identity
Center credentials are deferred until first used, and the instance-metadata and container
providers are removed. credential_process commands do run.
"""

import botocore.session
from aws_files_requests import answer_requests
from botocore import credentials as botocore_credentials

# Providers after the profile's own: they read the machine, not the profile.
MACHINE_PROVIDERS = ["env", "ec2-credentials-file", "boto-config", "container-role", "iam-role"]


def plan(config_path, credentials_path, profile):
    session = botocore.session.Session(profile=profile)
    session.set_config_variable("config_file", config_path)
    session.set_config_variable("credentials_file", credentials_path)
    resolver = botocore_credentials.create_credential_resolver(session)
    for method in MACHINE_PROVIDERS:
        try:
            resolver.remove(method)
        except Exception:  # not in this botocore's chain
            pass
    assume_role = resolver.get_provider("assume-role")
    sources = []

    def traced(original, label):
        def call(*args):
            slot = len(sources)
            sources.append([label(*args), None])
            found = original(*args)
            sources[slot][1] = getattr(found, "method", None)
            return found

        return call

    assume_role._resolve_credentials_from_profile = traced(
        assume_role._resolve_credentials_from_profile, lambda name: name
    )
    assume_role._resolve_credentials_from_source = traced(
        assume_role._resolve_credentials_from_source,
        lambda source, _profile: "credential_source:" + source,
    )
    found = resolver.load_credentials()
    return {"ok": True, "method": getattr(found, "method", None), "sources": sources}


def answer(config_path, credentials_path, request):
    try:
        return plan(config_path, credentials_path, request["profile"])
    except Exception as error:
        return {"ok": False, "error": type(error).__name__, "message": str(error)}


if __name__ == "__main__":
    answer_requests("rolecall-botocore-plan-", answer)
