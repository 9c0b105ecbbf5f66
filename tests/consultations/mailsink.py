"""A durable email backend for tests with real worker processes: one file per distinct Message-ID in
MAIL_SINK_DIR, created with O_EXCL, and one line per send attempt in attempts.log.

A resend of the same message (same Message-ID) is recorded as an attempt but does not create a second
file — the way a receiving mail system that de-duplicates on Message-ID would see it. Tests read both:
the files say what each recipient received, the log says how often we tried.
"""

import hashlib
import os
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileSinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["MAIL_SINK_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            data = message.message().as_bytes()
            message_id = message.extra_headers.get("Message-ID") or hashlib.sha256(data).hexdigest()
            name = hashlib.sha256(message_id.encode()).hexdigest()[:40] + ".eml"
            line = f"{message.to[0]}\t{message_id}\n".encode()
            fd = os.open(folder / "attempts.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                sent += 1  # the same message again: accepted, not stored twice
                continue
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            sent += 1
        return sent
