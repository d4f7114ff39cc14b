"""Cut the browser's network as DevTools does, for the pages AND the service worker.

``Network.emulateNetworkConditions`` on the page does not reach the service worker's own fetches. This
attaches to every page and service-worker target over the browser's DevTools websocket (flattened sessions)
and sends ``Network.emulateNetworkConditionsByRule`` (offline) to each, plus ``Network.overrideNetworkState``
so that ``navigator.onLine`` says so. The socket stays open while offline: closing it ends the emulation.
``slow(ms)`` does the same with a latency instead (a phone on a bad connection, still online).
"""

from __future__ import annotations

import itertools
import json
import urllib.request

import websocket  # websocket-client, a dependency of selenium

ALL_OFFLINE = {"urlPattern": "", "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
STATE = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


class DevTools:
    """The browser's DevTools websocket: commands to the browser or to a flattened target session."""

    def __init__(self, driver):
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with urllib.request.urlopen(f"http://{address}/json/version", timeout=10) as response:
            url = json.load(response)["webSocketDebuggerUrl"]
        self.socket = websocket.create_connection(url, timeout=15, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []  # what targets reported while a command waited for its answer

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def next_event(self) -> dict:
        event = json.loads(self.socket.recv())
        self.events.append(event)
        return event

    def close(self) -> None:
        self.socket.close()


class DevToolsNetwork(DevTools):
    def __init__(self, driver):
        super().__init__(driver)
        self.sessions: dict[str, tuple[str, str]] = {}  # target id -> (session id, target type)

    def targets(self, kind: str) -> list[dict]:
        return [t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == kind]

    def _attach_all(self) -> None:
        for target in self.send("Target.getTargets")["targetInfos"]:
            if target["type"] in ("page", "service_worker") and target["targetId"] not in self.sessions:
                session = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
                self.sessions[target["targetId"]] = (session["sessionId"], target["type"])
                self.send("Network.enable", session=session["sessionId"])

    def _apply(self, offline: bool, latency: int = 0) -> None:
        self._attach_all()
        rules = [ALL_OFFLINE] if offline else [{**ALL_OFFLINE, "offline": False, "latency": latency}] if latency else []
        for session, kind in self.sessions.values():
            self.send("Network.emulateNetworkConditionsByRule",
                      {"emulateOfflineServiceWorker": offline, "matchedNetworkConditions": rules}, session)
            if kind == "page":
                self.send("Network.overrideNetworkState", {"offline": offline, **STATE}, session)

    def offline(self) -> None:
        self._apply(True)

    def slow(self, latency_ms: int) -> None:
        """Online, but every request waits ``latency_ms`` (the service worker's fetches too)."""
        self._apply(False, latency_ms)

    def online(self) -> None:
        self._apply(False)
