#!/usr/bin/env python3
"""keys.py SERIAL_SOCK MONITOR_SOCK LOG STEP... - drive a QEMU guest as a
person at its keyboard and serial terminal would.

QEMU runs with -serial unix:SERIAL_SOCK,server=on,wait=on (it waits for this
script) and -monitor unix:MONITOR_SOCK,server=on,wait=off.  Everything the
guest writes to serial is copied to LOG.  Each STEP, in order:

  wait:TEXT    until TEXT has appeared on serial since the last wait
  send:TEXT    TEXT to the serial port at once; \\r, \\e (ESC) and \\xNN
               are escapes
  key:NAME     a keyboard key through the monitor (sendkey NAME: ret, down,
               e, esc, backspace, shift-a ...)
  shot:FILE    the screen, through the monitor, as PNG (screendump -f png)
  text:FILE    the VGA text screen (80x25 at 0xB8000, read with the
               monitor's xp) as 25 lines of text
  sleep:SECS   a pause

Exits 0 when every step ran, 1 when a wait timed out (KEYS_TIMEOUT seconds,
default 30) or QEMU went away, naming the step.
"""
import os
import socket
import sys
import time

TIMEOUT = float(os.environ.get("KEYS_TIMEOUT", "30"))


def connect(path):
    deadline = time.time() + TIMEOUT
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def unescape(text):
    return text.replace("\\e", "\\x1b").encode().decode("unicode_escape").encode("latin-1")


def main():
    serial_path, monitor_path, log_path = sys.argv[1:4]
    steps = sys.argv[4:]
    serial = connect(serial_path)
    serial.settimeout(0.1)
    monitor = None
    seen = b""
    mark = 0
    with open(log_path, "wb") as log:
        def pump():
            nonlocal seen
            try:
                data = serial.recv(65536)
            except socket.timeout:
                return True
            if not data:
                return False
            log.write(data)
            log.flush()
            seen += data
            return True

        def command(line):
            nonlocal monitor
            if monitor is None:
                monitor = connect(monitor_path)
                monitor.settimeout(0.2)
                time.sleep(0.3)
                try:
                    monitor.recv(65536)         # its banner
                except socket.timeout:
                    pass
            monitor.sendall(line.encode() + b"\n")
            time.sleep(0.3)
            answer = b""
            try:
                while True:
                    chunk = monitor.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except socket.timeout:
                pass
            return answer.decode("latin-1")

        def vga_text(path):
            # xp prints "00000000000b8000: 0x41 0x07 ..." lines
            cells = []
            for line in command("xp /4000bx 0xb8000").splitlines():
                if ":" in line and line.strip().startswith("0000"):
                    cells += [int(v, 16) for v in line.split(":", 1)[1].split()]
            chars = bytes(cells[0::2][:2000]).decode("cp437")
            with open(path, "w") as out:
                for row in range(25):
                    out.write(chars[row * 80:(row + 1) * 80].rstrip() + "\n")

        for step in steps:
            kind, _, arg = step.partition(":")
            if kind == "wait":
                want = arg.encode()
                deadline = time.time() + TIMEOUT
                while want not in seen[mark:]:
                    if time.time() > deadline or not pump():
                        sys.stderr.write("keys.py: no '%s' on serial (step '%s')\n" % (arg, step))
                        return 1
                mark = seen.index(want, mark) + len(want)
            elif kind == "send":
                # at once, as a terminal sends a key's escape sequence
                serial.sendall(unescape(arg))
                time.sleep(0.1)
            elif kind == "key":
                command("sendkey " + arg)
            elif kind == "shot":
                command("screendump %s -f png" % arg)
            elif kind == "text":
                vga_text(arg)
            elif kind == "sleep":
                end = time.time() + float(arg)
                while time.time() < end:
                    pump()
            else:
                sys.stderr.write("keys.py: unknown step '%s'\n" % step)
                return 2
        end = time.time() + 0.5
        while time.time() < end and pump():
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
