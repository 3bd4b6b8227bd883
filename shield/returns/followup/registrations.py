"""What the followup part plugs into other apps at start-up (work queues, panels, receivers)."""


def register() -> None:
    pass
