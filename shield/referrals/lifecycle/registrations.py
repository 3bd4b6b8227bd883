"""What the lifecycle part registers when the app starts: its work queues and the case panel."""


def register() -> None:
    from shield.referrals.lifecycle import queues

    queues.register()
