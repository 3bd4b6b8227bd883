"""What the children part registers when the app starts: its work queues and panels."""


def register() -> None:
    return None
