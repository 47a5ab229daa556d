"""Runs a command on a real pseudo-terminal and plays a script against it, as a person would.

    /usr/bin/python3 pty_run.py '<json>'

The JSON is {"argv": [...], "steps": [["wait", "text"] | ["send", "text"], ...], "timeout": s}:
"wait" reads the terminal until the text appears (after what earlier waits matched), "send" types
the text; each wait, and the wait for the command to end, fails after "timeout" seconds (20 by
default).
Prints {"output": everything the terminal showed, "code": the exit code} as JSON. Node has no
pseudo-terminal of its own, and Debian's Python (which the tests already use) has one.
"""

import json
import os
import pty
import select
import sys
import time

DEFAULT_STEP_TIMEOUT_SECONDS = 20


def read_some(fd, deadline, output):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError(f"the terminal showed nothing new in time; it showed {output!r}")
    ready, _, _ = select.select([fd], [], [], remaining)
    if not ready:
        return b""
    try:
        return os.read(fd, 4096)
    except OSError:
        # EIO: the other side of the terminal has closed.
        return None


def main():
    script = json.loads(sys.argv[1])
    step_timeout = script.get("timeout", DEFAULT_STEP_TIMEOUT_SECONDS)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(script["argv"][0], script["argv"])
    output = b""
    matched = 0
    for kind, text in script["steps"]:
        if kind == "send":
            os.write(fd, text.encode())
            continue
        wanted = text.encode()
        deadline = time.monotonic() + step_timeout
        while output.find(wanted, matched) < 0:
            chunk = read_some(fd, deadline, output)
            if chunk is None:
                raise RuntimeError(f"the command ended before showing {text!r}: {output!r}")
            output += chunk
        matched = output.find(wanted, matched) + len(wanted)
    deadline = time.monotonic() + step_timeout
    while True:
        chunk = read_some(fd, deadline, output)
        if chunk is None:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"output": output.decode("utf-8", "replace"), "code": os.waitstatus_to_exitcode(status)}))


main()
