"""Every file the app writes goes through files.atomic: links kept, modes kept, leftovers cleaned."""

from __future__ import annotations

import os
import stat
import time

import pytest

from explorer.files import atomic


def test_new_file_gets_the_umask_mode_and_the_umask_is_untouched(tmp_path):
    old = os.umask(0o027)
    try:
        path = atomic.write_atomic(tmp_path / "new.txt", b"hello")
        assert os.umask(0o027) == 0o027  # nobody changed it behind our back
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert (tmp_path / "new.txt").read_bytes() == b"hello"


def test_existing_file_keeps_its_mode(tmp_path):
    path = tmp_path / "shared.txt"
    path.write_bytes(b"old")
    path.chmod(0o604)
    atomic.write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


def test_a_symbolic_link_stays_a_link_and_the_real_file_changes(tmp_path):
    real = tmp_path / "real.mlp.json"
    real.write_text("old")
    link = tmp_path / "link.mlp.json"
    link.symlink_to(real)
    written = atomic.write_text_atomic(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new" and link.read_text() == "new"
    assert written == os.path.realpath(real)


def test_hard_links_all_see_the_new_content(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text("old")
    second = tmp_path / "b.txt"
    os.link(first, second)
    atomic.write_text_atomic(first, "new")
    assert second.read_text() == "new"
    assert os.stat(first).st_ino == os.stat(second).st_ino  # still one file, two names
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_leftover_temporary_files_are_removed_by_the_next_save(tmp_path):
    stale = tmp_path / ".net.mlp.json.0123abcd.tmp"
    stale.write_bytes(b"x" * 1000)
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".other.mlp.json.89abcdef.tmp"  # a save that may still be running
    fresh.write_bytes(b"y")
    unrelated = tmp_path / ".hidden.tmp"
    unrelated.write_bytes(b"z")
    os.utime(unrelated, (old, old))
    atomic.write_atomic(tmp_path / "net.mlp.json", b"{}")
    assert not stale.exists()
    assert fresh.exists() and unrelated.exists()


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "keep.txt"
    path.write_text("old")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full_disk)
    with pytest.raises(OSError, match="No space"):
        atomic.write_atomic(path, b"new")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError):
        atomic.write_atomic(tmp_path, b"x")


def test_a_read_only_file_is_refused(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("old")
    locked.chmod(0o444)
    if os.access(locked, os.W_OK):
        pytest.skip("running as a user who may write read-only files; cannot test the refusal")
    with pytest.raises(PermissionError):
        atomic.write_atomic(locked, b"new")
    assert locked.read_text() == "old"


def test_a_device_is_refused(tmp_path):
    link = tmp_path / "null.txt"
    link.symlink_to("/dev/null")
    with pytest.raises(OSError, match="not a regular file"):
        atomic.write_atomic(link, b"x")
