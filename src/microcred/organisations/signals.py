"""Signals other apps listen to, so organisations need not know about them."""

from django.dispatch import Signal

# Sent inside the transaction that replaced an organisation's active signing key
# because it was compromised; arguments: organisation, now. Whatever the old key
# signed and the platform keeps re-signing (status lists) must be signed again.
signing_key_replaced = Signal()

# Sent to count the credentials a signing key signed, which stop verifying once the key is
# marked compromised; arguments: organisation, key. Each receiver returns how many of the
# credentials its app keeps the key signed.
counting_signed_credentials = Signal()
