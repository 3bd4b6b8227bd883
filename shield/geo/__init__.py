"""Places: Viet Nam's provinces and communes after the 2025 reform, and border gates."""
