"""Chat backends: anything that turns chat messages into one reply text."""

from core.backends.base import ChatBackend, ChatReply

__all__ = ["ChatBackend", "ChatReply"]
