"""What each user must look at: notifications (the bell, email opt-in) and work queues."""
