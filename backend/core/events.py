"""Domain events: a domain says what happened; the domains that care subscribe.

In process and synchronous: ``await publish(event, conn)`` calls every subscriber of the event's class (and of
its base classes, most specific first) one after the other, inside the transaction ``conn`` of the change that
published it. A subscriber writes with ``using_db=conn``, so what it writes (an outbox row, a timeline row)
commits or rolls back with that change; a subscriber that raises rolls the change back. Not a queue: work that
must wait for the commit, or may fail on its own, goes through the notification outbox.

Each domain registers its subscribers with a ``register(events)`` function that ``create_app`` calls, as
litestar-fullstack wires its listeners; registering the same function twice keeps one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

E = TypeVar("E")
Subscriber = Callable[[Any, Any], Awaitable[None]]
"""``async def subscriber(event, conn) -> None``; ``conn`` is the publishing transaction."""


class Events:
    """Subscribers by event class."""

    def __init__(self) -> None:
        self._subscribers: dict[type, list[Subscriber]] = {}

    def subscribe(self, event_type: type, subscriber: Subscriber) -> None:
        """Call ``subscriber`` for every ``event_type`` (or subclass) published; once, however often registered."""
        subscribers = self._subscribers.setdefault(event_type, [])
        if subscriber not in subscribers:
            subscribers.append(subscriber)

    def unsubscribe(self, event_type: type, subscriber: Subscriber) -> None:
        """Stop calling ``subscriber`` for ``event_type`` (a test's stand-in, once it is done)."""
        subscribers = self._subscribers.get(event_type, [])
        if subscriber in subscribers:
            subscribers.remove(subscriber)

    def subscribers(self, event_type: type) -> list[Subscriber]:
        """Who is called for ``event_type``, in order: the subscribers of the class itself, then of its bases."""
        return [s for cls in event_type.__mro__ for s in self._subscribers.get(cls, ())]

    async def publish(self, event: Any, conn: Any) -> None:
        """Call the subscribers of ``event`` inside the caller's transaction ``conn``."""
        if conn is None:
            raise ValueError("publish inside the transaction of the change: pass its connection")
        for subscriber in self.subscribers(type(event)):
            await subscriber(event, conn)


EVENTS = Events()
"""The portal's one registry: filled by ``create_app`` (each domain's ``register``), read by ``publish``."""


async def publish(event: Any, conn: Any) -> None:
    await EVENTS.publish(event, conn)
