"""The file sink the real-worker tests and the scale bench count emails with: a message is stored whole
or not at all, so a sender killed mid-write leaves nothing that stops the resend."""

import os

import pytest
from django.core.mail import EmailMessage

from tests.consultations.mailsink import FileSinkBackend


def _message() -> EmailMessage:
    return EmailMessage(
        "Consultation open", "Read the draft.", to=["reader@example.org"], headers={"Message-ID": "<m1@x>"}
    )


def test_a_sender_killed_while_writing_leaves_nothing_that_blocks_the_resend(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIL_SINK_DIR", str(tmp_path))
    real_write = os.write

    def killed_on_the_message(fd, data):
        if b"Read the draft." in data:
            raise SystemExit("SIGKILL")  # the worker dies with the message half written
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", killed_on_the_message)
    with pytest.raises(SystemExit):
        FileSinkBackend().send_messages([_message()])
    assert list(tmp_path.glob("*.eml")) == []  # nothing stored: not received
    monkeypatch.setattr(os, "write", real_write)
    assert FileSinkBackend().send_messages([_message()]) == 1  # the survivor's resend
    assert FileSinkBackend().send_messages([_message()]) == 1  # and once more: not stored twice
    [stored] = tmp_path.glob("*.eml")
    assert b"Read the draft." in stored.read_bytes()
    attempts = (tmp_path / "attempts.log").read_text().splitlines()
    assert attempts == ["reader@example.org\t<m1@x>"] * 3
