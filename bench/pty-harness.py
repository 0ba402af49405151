#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and times what a user would see (ink-notes §2.3, §5).

Prints one JSON object on stdout:
  firstOutputMs  process start -> first byte on the terminal
  markerMs       process start -> first output containing --marker (the first real frame)
  keys           for each keystroke sent: ms until output containing --key-marker arrived
  waitMs         ms until --wait-for appeared after --wait-key was sent (e.g. a full re-check)
  exitCode       the command's exit code (after --quit), or null if it had to be killed
  tail           the last output, for diagnosis

Usage: pty-harness.py [options] -- COMMAND ARGS...
"""
import argparse
import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cols', type=int, default=120)
    parser.add_argument('--rows', type=int, default=40)
    parser.add_argument('--marker', required=True, help='text of the first real frame')
    parser.add_argument('--timeout', type=float, default=60.0, help='seconds for each wait')
    parser.add_argument('--idle-ms', type=float, default=0, help='after the marker, wait until the output is quiet this long')
    parser.add_argument('--key', default='', help='keystroke to time (e.g. j)')
    parser.add_argument('--key-marker', default='', help='text whose appearance after a keystroke ends the timing')
    parser.add_argument('--count', type=int, default=0, help='keystrokes to time')
    parser.add_argument('--gap-ms', type=float, default=150, help='pause between keystrokes (past Ink\'s 33 ms throttle window)')
    parser.add_argument('--wait-key', default='', help='keystroke that starts a long operation')
    parser.add_argument('--wait-for', default='', help='text that ends it')
    parser.add_argument('--quit', default='q', help='keystroke that quits')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command and args.command[0] == '--' else args.command

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', args.rows, args.cols, 0, 0))
    env = dict(os.environ)
    env.pop('CI', None)
    env.pop('CONTINUOUS_INTEGRATION', None)
    env['TERM'] = 'xterm-256color'

    def controlling_tty():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    started = time.perf_counter()
    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=controlling_tty, close_fds=True)
    os.close(slave)
    buffer = bytearray()
    result = {'firstOutputMs': None, 'markerMs': None, 'keys': [], 'waitMs': None, 'exitCode': None, 'tail': ''}

    def ms(since):
        return (time.perf_counter() - since) * 1000

    def read_some(timeout):
        """Reads what is there within `timeout` s; returns the bytes (empty when quiet or closed)."""
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            return b''
        try:
            data = os.read(master, 65536)
        except OSError:
            return None
        if data and result['firstOutputMs'] is None:
            result['firstOutputMs'] = ms(started)
        buffer.extend(data)
        return data

    def wait_for(text, since, timeout):
        """Waits until `text` appears in output read from now on; returns ms since `since`, or None."""
        needle = text.encode('utf-8')
        seen = bytearray()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            data = read_some(0.05)
            if data is None:
                return None
            seen.extend(data)
            if needle in seen:
                return ms(since)
        return None

    def drain_until_quiet(quiet_ms, timeout):
        deadline = time.perf_counter() + timeout
        last = time.perf_counter()
        while time.perf_counter() < deadline:
            data = read_some(0.02)
            if data is None:
                return
            if data:
                last = time.perf_counter()
            elif (time.perf_counter() - last) * 1000 >= quiet_ms:
                return

    try:
        result['markerMs'] = wait_for(args.marker, started, args.timeout)
        if result['markerMs'] is not None:
            if args.idle_ms:
                drain_until_quiet(args.idle_ms, args.timeout)
            for _ in range(args.count):
                sent = time.perf_counter()
                os.write(master, args.key.encode('utf-8'))
                result['keys'].append(wait_for(args.key_marker, sent, 5.0))
                drain_until_quiet(args.gap_ms, 5.0)
            if args.wait_key:
                sent = time.perf_counter()
                os.write(master, args.wait_key.encode('utf-8'))
                result['waitMs'] = wait_for(args.wait_for, sent, args.timeout)
                drain_until_quiet(300, 10.0)
        os.write(master, args.quit.encode('utf-8'))
        deadline = time.perf_counter() + 10
        while child.poll() is None and time.perf_counter() < deadline:
            read_some(0.05)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            child.wait()
        else:
            result['exitCode'] = child.returncode
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
    result['tail'] = buffer[-2000:].decode('utf-8', 'replace')
    json.dump(result, sys.stdout)


if __name__ == '__main__':
    main()
