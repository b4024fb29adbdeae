"""Whether a test may make a private mount namespace (`unshare -m`) on this machine."""
import shutil
import subprocess


def mount_namespace_refusal() -> str:
    """Why `unshare -m` cannot run here, in the system's own words; '' when it can.

    It needs root or user namespaces, and a kernel that lets it: in a plain chroot it says "unshare:
    cannot change root filesystem propagation: Invalid argument" (issue 17 point 8).
    """
    command = shutil.which("unshare")
    if command is None:
        return "no unshare command"
    try:
        done = subprocess.run([command, "-m", "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare -m could not run: {exc}"
    if done.returncode != 0:
        return f"unshare -m is refused here: {(done.stderr or done.stdout).strip()[:200]}"
    return ""
