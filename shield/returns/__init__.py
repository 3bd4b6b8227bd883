"""Returns from abroad: reception (often in groups at a border gate), the foreign authority's
verification request, reintegration follow-up with a scored instrument, and alerts when a person
who came home is met again. Sits above intake (reception screens with intake's instrument) and
linkage (the alert follows the same individual)."""
