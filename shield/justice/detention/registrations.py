"""What the detention part registers when the app starts: its work queues and panels."""


def register() -> None:
    from shield.justice.detention import queues

    queues.register()
