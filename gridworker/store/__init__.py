"""The local store: SQLAlchemy models on SQLite, migrations, and the services that write them.

Nothing here imports Qt: the tests, the benchmarks and the server's tools drive it without a display.
"""
