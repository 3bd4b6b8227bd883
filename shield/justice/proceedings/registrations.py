"""What the proceedings part registers when the app starts: its work queues and panels."""


def register() -> None:
    from shield.justice.proceedings import panels, queues

    queues.register()
    panels.register()
