class SmsBackend:
    """Stores texts as SmsMessage rows, readable in the admin's SMS outbox."""

    def send_messages(self, messages) -> int:
        from casework.organisation.models import SmsMessage

        SmsMessage.objects.bulk_create(SmsMessage(to=m.to, body=m.body) for m in messages)
        return len(messages)
