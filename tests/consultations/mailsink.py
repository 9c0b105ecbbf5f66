"""A durable email backend for tests with real worker processes: one file per distinct Message-ID in
MAIL_SINK_DIR, and one line per send attempt in attempts.log.

A resend of the same message (same Message-ID) is recorded as an attempt but does not create a second
file — the way a receiving mail system that de-duplicates on Message-ID would see it. Tests read both:
the files say what each recipient received, the log says how often we tried.

A message is stored whole or not at all, as a mail server accepts it only at the end of the data: it is
written to a file of the sender's own, then linked into place (a link fails if the message is there
already). Creating the final file first and writing into it left an empty file when a worker was
SIGKILLed between the two, and the surviving worker's resend then found the name taken: one recipient
"received" nothing.
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
            own = folder / f".{name}.{os.getpid()}.part"
            fd = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(own, folder / name)
            except FileExistsError:
                pass  # the same message again: accepted, not stored twice
            finally:
                os.unlink(own)
            sent += 1
        return sent
