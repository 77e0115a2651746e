"""Exit 0 when the PostgreSQL server of the given URL accepts connections."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
