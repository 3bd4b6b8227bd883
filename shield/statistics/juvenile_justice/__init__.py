"""The UNODC/UNICEF juvenile-justice indicators 1-11: counting (`counting`), the page and its
CSV (`views`), the API (`api`). See docs/justice.md."""
