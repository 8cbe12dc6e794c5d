"""X-Query-Count and X-Query-Ms: the SQL a request ran and the time it spent there (bench only)."""

import time
from contextlib import ExitStack

from django.db import connections


class QueryCountMiddleware:
    """Counts and times statements on every database connection through an execute wrapper."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0
        seconds = 0.0

        def counted(execute, sql, params, many, context):
            nonlocal count, seconds
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seconds += time.perf_counter() - started

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counted))
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        response["X-Query-Ms"] = f"{seconds * 1000:.2f}"
        return response
