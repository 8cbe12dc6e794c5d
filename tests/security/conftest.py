"""Security tests report figures (attempts, lockout points, payload counts); they are
collected here and printed at the end of the run, where docs/security.md quotes them."""

import pytest

_FIGURES: list[str] = []


@pytest.fixture
def report_figure():
    """Call with one line of text; it is printed under "security figures" after the run."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("security figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


# A page's own record of what it tried to do: alert() and its kin, and what the CSP refused.
WATCH_SCRIPT = """
(() => {
  window.__alerts = [];
  window.__csp = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { window.__alerts.push(name + "(" + args.join(",") + ")"); };
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
  });
})();
"""

# Fire the events that inline handlers listen for on every element, then report what ran.
POKE_SCRIPT = """
async () => {
  // Not click, input or change: the site's own scripts rightly navigate on those.
  const events = ["mouseover", "mouseenter", "focus", "blur", "error", "load", "toggle",
                  "animationstart", "begin", "start"];
  for (const element of document.querySelectorAll("body *")) {
    for (const name of events) element.dispatchEvent(new Event(name));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const links = [...document.querySelectorAll("a[href], area[href]")];
  return {
    alerts: window.__alerts,
    csp: window.__csp,
    scriptLinks: links.filter((a) => /^(javascript|data|vbscript):$/i.test(a.protocol)).map((a) => a.href),
    frames: document.querySelectorAll("iframe, frame, object, embed").length,
  };
}
"""


# Static files do not change during a run; answering them from memory keeps pages quick.
_STATIC_ANSWERS: dict[str, dict] = {}


class DjangoBrowser:
    """Headless Chromium whose requests to http://testserver are answered by Django's test
    client, inside the test's transaction: the real middleware, headers and CSP, no live server.
    """

    def __init__(self, browser, client):
        import contextvars

        self.client = client
        # Playwright calls the route handler in a greenlet of its own, with its own context
        # variables, where Django would open a second database connection outside the test's
        # transaction; the handler runs Django in this context instead.
        self._django_context = contextvars.copy_context()
        self.context = browser.new_context(base_url="http://testserver")
        self.context.add_init_script(WATCH_SCRIPT)
        self.context.route("**/*", self._answer)
        self.page = self.context.new_page()

    def _answer(self, route, request):
        from urllib.parse import urlsplit

        url = urlsplit(request.url)
        if url.hostname != "testserver":
            route.abort()  # nothing leaves the machine
            return
        path = url.path + (f"?{url.query}" if url.query else "")
        if path in _STATIC_ANSWERS:
            route.fulfill(**_STATIC_ANSWERS[path])
            return
        response = self._django_context.run(
            self.client.generic,
            request.method,
            path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", "application/octet-stream"),
            HTTP_ACCEPT=request.headers.get("accept", "*/*"),
        )
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = {name: value for name, value in response.items()}
        answer = {"status": response.status_code, "headers": headers, "body": body}
        if path.startswith("/static/") and response.status_code == 200:
            _STATIC_ANSWERS[path] = answer
        route.fulfill(**answer)

    def visit(self, path: str) -> dict:
        response = self.page.goto(path, wait_until="load")
        return {"status": response.status if response else None, **self.page.evaluate(POKE_SCRIPT)}

    def show(self, document: str) -> dict:
        """Render a document with no server and no CSP at all (an e-mail body, say)."""
        self.page.goto("about:blank")
        self.page.set_content(document, wait_until="load")
        return self.page.evaluate(POKE_SCRIPT)

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def chromium():
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, and Django's ORM refuses to run
    # while one exists unless told the calls are in fact synchronous, as they are here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    # Starting Playwright moves this thread into a fresh context, where Django would open new
    # database connections, outside the transaction that fixtures set up earlier are in.
    before = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in before.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
