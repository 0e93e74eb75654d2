"""Smoke-test the built bundle (Linux) as a machine without Python would run it.

    .venv/bin/python scripts/smoke_bundle.py [--bundle dist/portal-assistant] [--display :152]
        [--shots DIR] [--runs 3]

Takes a minute; run on demand after scripts/build_bundle.py (too slow for the test suite).
Every bundle command runs with an empty environment (env -i) whose PATH is the bundle folder
alone; as root with `unshare`, also in a mount namespace where every Python on this machine
(the build interpreter's prefix, /usr/lib/python3*, /usr/bin/python3*) is hidden, so the bundle
can only use what it carries. It checks:
  1. `portal-assistant-cli --version` and `diagnose --demo healthy --format json` (exit 0,
     every check passes), `history --format json` (the run was saved: the history's
     migrations ran from the bundle) and `diagnose --demo no_return_url` (exit 1: a check fails);
  2. the desktop entry, metainfo and every icon size are in share/ (valid, where
     desktop-file-validate and appstreamcli exist), and `portal-assistant-cli install-desktop`
     puts them in the (temporary) user's menu with Exec set to the bundle's own executable;
  3. under Xvfb, `portal-assistant --demo healthy` opens the window on the practice account
     (time from start to a visible window, median of --runs; screenshot), and Help → About
     opens (screenshot);
and prints the figures docs/performance.md records, with the same start-up measured for
`python main.py` from the checkout for comparison.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Portal Setup Assistant"


def hidden_python_mounts() -> list[str]:
    """Shell lines that hide every Python install from the namespace they run in."""
    prefixes = {Path(sys.base_prefix), Path(sys.prefix)}
    dirs = sorted({str(p) for p in prefixes if p != Path("/usr")}
                  | set(glob.glob("/usr/lib/python3*")) | set(glob.glob("/usr/local/lib/python3*")))
    files = sorted(set(glob.glob("/usr/bin/python*")) | set(glob.glob("/usr/local/bin/python*")))
    return ([f"mount -t tmpfs none '{d}'" for d in dirs if os.path.isdir(d)]
            + [f"mount --bind /dev/null '{f}'" for f in files if os.path.isfile(f)])


class Runner:
    def __init__(self, bundle: Path, home: Path, hide: bool) -> None:
        self.bundle = bundle
        self.home = home
        self.hide = hide
        self.env = {
            "PATH": str(bundle),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            **{v: str(home / v.lower()) for v in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME",
                                                  "XDG_CACHE_HOME", "XDG_RUNTIME_DIR")},
        }
        Path(self.env["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)

    def argv(self, program: str, *args: str, display: str | None = None) -> list[str]:
        env = dict(self.env, **({"DISPLAY": display} if display else {}))
        command = ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()),
                   str(self.bundle / program), *args]
        if not self.hide:
            return command
        script = "; ".join([*hidden_python_mounts(), 'exec "$@"'])
        return ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", *command]

    def run(self, program: str, *args: str) -> tuple[int, str, str, float]:
        start = time.perf_counter()
        done = subprocess.run(self.argv(program, *args), capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


def no_python_visible(runner: Runner) -> str:
    """What the bundle's environment sees of Python: proves the check is not vacuous."""
    probe = ("for p in python3 python; do command -v $p || echo \"no $p on PATH\"; done; "
             f"echo \"{sys.base_prefix}: $(/bin/ls -A '{sys.base_prefix}' | /usr/bin/wc -l) entries; "
             "/usr/lib/python3*: $(/usr/bin/find /usr/lib/python3* -mindepth 1 2>/dev/null | /usr/bin/wc -l) entries; "
             "/usr/bin/python3 runs: $(/usr/bin/python3 -c 'print(1)' 2>/dev/null || echo no)\"")
    argv = runner.argv("portal-assistant-cli", "--version")
    argv[argv.index(str(runner.bundle / "portal-assistant-cli")):] = ["/bin/sh", "-c", probe]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()


def desktop_problems(bundle: Path, runner: Runner) -> list[str]:
    """The menu entry and icons are in the bundle, valid, and install as the bundle's own."""
    sys.path.insert(0, str(ROOT))
    from assistant import APP_ID
    from assistant.cli.desktop import targets

    found = [f"missing from the bundle: {t.relative_to(bundle).as_posix()}"
             for t in targets(bundle / "share") if not t.is_file()]
    entry = bundle / "share" / "applications" / f"{APP_ID}.desktop"
    metainfo = bundle / "share" / "metainfo" / f"{APP_ID}.metainfo.xml"
    checks = (("desktop-file-validate", [str(entry)]), ("appstreamcli", ["validate", "--no-net", str(metainfo)]))
    for tool, args in checks:
        if shutil.which(tool) and entry.exists() and metainfo.exists():
            done = subprocess.run([tool, *args], capture_output=True, text=True)
            if done.returncode != 0:
                found.append(f"{tool}: {done.stdout.strip()} {done.stderr.strip()}")
    rc, out, err, _ = runner.run("portal-assistant-cli", "install-desktop")
    installed = Path(runner.env["XDG_DATA_HOME"]) / "applications" / f"{APP_ID}.desktop"
    exec_line = next((line for line in installed.read_text().splitlines() if line.startswith("Exec=")), "") \
        if installed.exists() else ""
    print(f"install-desktop -> exit {rc}: {exec_line or err.strip()[-300:]}")
    if rc != 0 or exec_line != f"Exec={bundle / 'portal-assistant'}":
        found.append(f"install-desktop: exit {rc}, {exec_line!r}, {err.strip()[-500:]}")
    icons = sorted(p.parent.parent.name for p in (bundle / "share" / "icons" / "hicolor").glob("*/apps/*"))
    print(f"desktop entry, metainfo and icons in share/: {', '.join(icons)}")
    return found


def window_ids(display: str, name: str) -> list[str]:
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name],
                         capture_output=True, text=True, env={"DISPLAY": display, "PATH": os.environ["PATH"]})
    return out.stdout.split()


def time_to_window(argv: list[str], display: str, *, keep: bool = False,
                   env: dict[str, str] | None = None) -> tuple[float, subprocess.Popen[bytes]]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while not window_ids(display, TITLE):
        if proc.poll() is not None:
            raise RuntimeError(f"exited {proc.returncode} before a window: {proc.stderr.read().decode()[-2000:]}")
        if time.perf_counter() - start > 60:
            proc.kill()
            raise RuntimeError("no window within 60 s")
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if not keep:
        proc.terminate()
        proc.wait(10)
    return elapsed, proc


def screenshot(display: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["import", "-window", "root", str(target)], check=True,
                   env={"DISPLAY": display, "PATH": os.environ["PATH"]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "portal-assistant")
    parser.add_argument("--display", default=":152")
    parser.add_argument("--shots", type=Path, default=ROOT / "build" / "smoke")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    hide = os.geteuid() == 0 and shutil.which("unshare") is not None
    failures: list[str] = []

    with tempfile.TemporaryDirectory(prefix="bundle-smoke-") as tmp:
        runner = Runner(bundle, Path(tmp), hide)
        print(f"bundle: {bundle}")
        print(f"python hidden in a mount namespace: {'yes' if hide else 'no (PATH only)'}")
        print("what the bundle's environment sees of python:\n  " + no_python_visible(runner).replace("\n", "\n  "))
        failures += command_line_failures(runner)
        if sys.platform.startswith("linux"):
            failures += desktop_problems(bundle, runner)
        failures += window_failures(runner, args, Path(tmp))

    for line in failures:
        print(f"FAILED: {line}", file=sys.stderr)
    print("smoke test: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


def command_line_failures(runner: Runner) -> list[str]:
    """The headless commands: version, a passing and a failing diagnosis, the history."""
    failures: list[str] = []
    rc, out, err, _ = runner.run("portal-assistant-cli", "--version")
    print(f"--version -> {rc}: {out.strip()}")
    if rc != 0 or not out.startswith(TITLE):
        failures.append(f"--version: {rc} {err.strip()}")

    rc, out, err, took = runner.run("portal-assistant-cli", "diagnose", "--demo", "healthy", "--format", "json")
    try:
        statuses = [c["status"] for c in json.loads(out)["checks"]]
    except (ValueError, KeyError):
        statuses = []
    print(f"diagnose --demo healthy --format json -> exit {rc} in {took:.2f} s: "
          f"{len(statuses)} checks, {statuses.count('pass')} pass")
    if rc != 0 or not statuses or set(statuses) != {"pass"}:
        failures.append(f"diagnose healthy: exit {rc}, {statuses}, {err.strip()[-500:]}")

    rc, out, err, _ = runner.run("portal-assistant-cli", "history", "--format", "json")
    try:
        saved = len(json.loads(out)["runs"])
    except (ValueError, KeyError):
        saved = 0
    print(f"history --format json -> exit {rc}: {saved} saved run(s) (the history's migrations ran)")
    if rc != 0 or saved < 1:
        failures.append(f"history: exit {rc}, {saved} runs, {err.strip()[-500:]}")

    rc, out, err, _ = runner.run("portal-assistant-cli", "diagnose", "--demo", "no_return_url")
    print(f"diagnose --demo no_return_url -> exit {rc} (1 expected: a check fails)")
    if rc != 1:
        failures.append(f"diagnose no_return_url: exit {rc} {err.strip()[-500:]}")
    return failures


def window_failures(runner: Runner, args: argparse.Namespace, tmp: Path) -> list[str]:
    """The window under Xvfb: time to a visible window, a screenshot, Help → About."""
    failures: list[str] = []
    xlog = open(tmp / "xvfb.log", "w+b")  # noqa: SIM115 - read back if the server dies
    # -noreset: by default the server resets when its last client leaves, and a window
    # started in that moment cannot connect.
    xvfb = subprocess.Popen(["Xvfb", args.display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp", "-noreset"],
                            stdout=xlog, stderr=xlog)
    socket = Path("/tmp/.X11-unix") / f"X{args.display.lstrip(':')}"
    try:
        deadline = time.monotonic() + 15
        while not socket.exists() and xvfb.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        if xvfb.poll() is not None or not socket.exists():
            xlog.seek(0)
            raise RuntimeError(f"Xvfb {args.display} did not start: {xlog.read().decode()[-800:]}")
        gui = runner.argv("portal-assistant", "--demo", "healthy", display=args.display)
        bundle_times = [time_to_window(gui, args.display)[0] for _ in range(args.runs + 1)][1:]
        checkout = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "main.py"), "--demo", "healthy"]
        checkout_env = dict(runner.env, DISPLAY=args.display, PATH=os.environ["PATH"])
        checkout_times = ([time_to_window(checkout, args.display, env=checkout_env)[0]
                           for _ in range(args.runs + 1)][1:] if Path(checkout[0]).exists() else [])
        print(f"start-up to a visible window, bundle: median {statistics.median(bundle_times):.2f} s "
              f"of {[round(t, 2) for t in bundle_times]}")
        if checkout_times:
            print(f"start-up to a visible window, python main.py (checkout): median "
                  f"{statistics.median(checkout_times):.2f} s of {[round(t, 2) for t in checkout_times]}")

        _, proc = time_to_window(gui, args.display, keep=True)
        time.sleep(4.0)  # the practice run finishes and the pages fill
        screenshot(args.display, args.shots / "bundle-window.png")
        (wid,) = window_ids(args.display, TITLE)[:1]
        keys = {"DISPLAY": args.display, "PATH": os.environ["PATH"]}
        # No window manager under Xvfb: give the window the keyboard focus directly, then type
        # as an agent would (Alt+H opens Help, A picks About: its mnemonic, as User guide comes first).
        subprocess.run(["xdotool", "windowfocus", "--sync", wid], env=keys, check=True)
        subprocess.run(["xdotool", "key", "alt+h"], env=keys, check=True)
        time.sleep(0.5)
        subprocess.run(["xdotool", "key", "a"], env=keys, check=True)
        deadline = time.monotonic() + 10
        while not window_ids(args.display, "About Portal Setup Assistant") and time.monotonic() < deadline:
            time.sleep(0.1)
        about = bool(window_ids(args.display, "About Portal Setup Assistant"))
        time.sleep(0.5)
        screenshot(args.display, args.shots / "bundle-about.png")
        print(f"Help → About opened: {about}")
        if not about:
            failures.append("Help → About did not open")
        proc.terminate()
        proc.wait(10)
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        if "Traceback" in stderr or "could not load the Qt platform plugin" in stderr.lower():
            failures.append(f"window stderr: {stderr[-1500:]}")
        print(f"screenshots: {args.shots / 'bundle-window.png'}, {args.shots / 'bundle-about.png'}")
    finally:
        if xvfb.poll() is not None:
            xlog.seek(0)
            failures.append(f"Xvfb exited {xvfb.returncode}: {xlog.read().decode()[-800:]}")
        xvfb.terminate()
        xvfb.wait(10)
        xlog.close()
    return failures


if __name__ == "__main__":
    sys.exit(main())
