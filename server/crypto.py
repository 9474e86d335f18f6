"""Message bodies encrypted at rest with AES-GCM; the key id travels with each row."""

from __future__ import annotations

import os
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


class UndecryptableMessage(Exception):
    """A body whose key is unknown or whose ciphertext does not authenticate."""


class MessageCipher:
    """Encrypts with the first key; decrypts with the key named by the row's key id.

    The conversation id is authenticated data, so a body cannot be moved to another
    conversation without failing to decrypt.
    """

    def __init__(self, keys: tuple[tuple[str, bytes], ...]) -> None:
        self._keys = {kid: AESGCM(key) for kid, key in keys}
        self.current_key_id = keys[0][0]

    def encrypt(self, conversation_id: UUID, body: str) -> tuple[str, bytes]:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[self.current_key_id].encrypt(
            nonce, body.encode("utf-8"), conversation_id.bytes
        )
        return self.current_key_id, nonce + sealed

    def decrypt(self, conversation_id: UUID, key_id: str, blob: bytes) -> str:
        cipher = self._keys.get(key_id)
        if cipher is None:
            raise UndecryptableMessage(f"unknown key id {key_id!r}")
        try:
            plain = cipher.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], conversation_id.bytes)
        except InvalidTag:
            raise UndecryptableMessage("ciphertext does not authenticate") from None
        return plain.decode("utf-8")
