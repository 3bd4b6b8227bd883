"""REST plumbing shared by every app's API: error answers and optimistic-concurrency headers."""
