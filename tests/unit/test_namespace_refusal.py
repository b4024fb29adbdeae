"""Tests that need `unshare -m` skip, saying why, where the kernel refuses it (issue 17 point 8)."""
import os
import stat

from helpers.namespaces import mount_namespace_refusal

CHROOT_WORDS = "unshare: cannot change root filesystem propagation: Invalid argument"


def fake_command(folder, name, script):
    path = folder / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_a_kernel_that_refuses_the_namespace_is_named_in_the_skip_reason(tmp_path, monkeypatch):
    # what unshare says in a plain chroot (the suite's matrix chroots before they mount their /)
    fake_command(tmp_path, "unshare", f"echo '{CHROOT_WORDS}' >&2; exit 1")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert mount_namespace_refusal() == f"unshare -m is refused here: {CHROOT_WORDS}"


def test_no_unshare_command_is_a_reason_too(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert mount_namespace_refusal() == "no unshare command"


def test_an_unshare_that_works_is_no_reason(tmp_path, monkeypatch):
    fake_command(tmp_path, "unshare", 'shift; exec "$@"')
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert mount_namespace_refusal() == ""
