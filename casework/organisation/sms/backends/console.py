import sys
import threading


class SmsBackend:
    """Prints each text to stdout: the demo's "phone" is the terminal running `make run`."""

    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send_messages(self, messages) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"\n[SMS to {message.to}] {message.body}\n")
            self.stream.flush()
        return len(messages)
