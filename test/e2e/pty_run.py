#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and follows a plan of steps, for end-to-end tests of the
interactive dashboard (a real TTY: raw mode, window size, the real bin and bundle).

Usage: pty_run.py PLAN_JSON
PLAN: {"cmd": [...], "env": {...}, "cwd": "...", "rows": 40, "cols": 120,
       "steps": [{"expect": "regex", "timeout": 30} | {"send": "keys"} | {"exit": 30}]}
Prints one JSON object: {"ok", "failed", "exitCode", "output" (raw), "screen" (escapes removed)}.
"""
import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def main() -> None:
    plan = json.loads(sys.argv[1])
    rows, cols = plan.get("rows", 40), plan.get("cols", 120)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def controlling_tty() -> None:
        # A session of its own with the pty as controlling terminal, like a real shell gives.
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        plan["cmd"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=plan["env"],
        cwd=plan.get("cwd"),
        preexec_fn=controlling_tty,
        close_fds=True,
    )
    os.close(slave)
    output = bytearray()
    mark = 0  # in the escape-free text: expectations match only what follows the previous match

    def pump(timeout: float) -> bool:
        """Reads what is available within `timeout`; False once the terminal closed."""
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(master, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        output.extend(chunk)
        return True

    def screen() -> str:
        return ANSI.sub("", output.decode("utf-8", "replace"))

    failed = None
    exit_code = None
    for index, step in enumerate(plan["steps"]):
        if "send" in step:
            os.write(master, step["send"].encode("utf-8"))
        elif "expect" in step:
            pattern = re.compile(step["expect"])
            deadline = time.monotonic() + step.get("timeout", 30)
            found = None
            while time.monotonic() < deadline:
                found = pattern.search(screen(), mark)
                if found:
                    break
                if not pump(0.05) and proc.poll() is not None:
                    break
            if not found:
                failed = {"step": index, "expect": step["expect"]}
                break
            mark = found.end()
        elif "exit" in step:
            deadline = time.monotonic() + step["exit"]
            while proc.poll() is None and time.monotonic() < deadline:
                pump(0.05)
            if proc.poll() is None:
                failed = {"step": index, "exit": "still running"}
                break
            while pump(0.05):
                pass
            exit_code = proc.returncode

    if proc.poll() is None:
        proc.kill()
        proc.wait()
    os.close(master)
    print(json.dumps({
        "ok": failed is None,
        "failed": failed,
        "exitCode": exit_code if exit_code is not None else proc.returncode,
        "output": output.decode("utf-8", "replace"),
        "screen": screen(),
    }))


if __name__ == "__main__":
    main()
