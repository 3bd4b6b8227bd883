"""International shapes of counted tables: UNODC GLOTIP rows, HTCDS record-level export checked
for k-anonymity, SDMX-CSV for SDG 16.2.2; and the population table that rates need."""
