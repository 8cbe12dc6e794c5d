"""Synthetic initiatives and digest subscribers at scale, for benchmarks and load tests.

`manage.py generate_data` wires three parts: `vocabulary` (the words, from
initiatives/data/vocabulary.json, and the tags, stakeholders and owners made from them),
`rows` (the rows of each record, drawn from a seeded random generator) and `writer` (COPY
into PostgreSQL). The services are bypassed on purpose, see `rows`.
"""
