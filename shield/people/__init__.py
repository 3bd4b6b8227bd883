"""The person registry: who a person is, their names, papers and relations."""
