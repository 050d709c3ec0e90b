"""Runs one command and writes its wall time, peak RSS and CPU time as JSON.

    python bench/measure.py RESULT.json TIMEOUT -- COMMAND ARGS...

The command's stdout and stderr are this process's. Peak RSS comes from
wait4's rusage of the child. Linux folds the RSS of the process that forked
the child into that figure (the child starts as a copy of it), so the
measuring parent must be small: this launcher, not the harness that has
imported DuckDB and pyarrow.
"""
import json
import os
import signal
import subprocess
import sys
import time


def main():
    out, timeout = sys.argv[1], float(sys.argv[2])
    argv = sys.argv[sys.argv.index("--") + 1:]
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, start_new_session=True)
    timed_out = False
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > timeout:
            timed_out = True
            os.killpg(p.pid, signal.SIGKILL)
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    with open(out, "w") as f:
        json.dump({"code": p.returncode, "wall": wall, "maxrss": ru.ru_maxrss * 1024,
                   "cpu": ru.ru_utime + ru.ru_stime, "timed_out": timed_out}, f)


if __name__ == "__main__":
    main()
