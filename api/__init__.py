"""What every app's API shares: one home for the plumbing, the apps keep their own parts.

- urls: the root URLconf of /api/: the router composed from each app's registrations
  (`initiatives/api/urls.py`, `governance/api/urls.py`), the root, the schema and docs
  views, and the JSON 404 for any other address under /api/.
- views: the root that lists every collection, and the JSON 404.
- exceptions: one JSON error shape, whatever raised the error (services' refusals become
  400, 403, 409 and 412; a database out of reach 503).
- pagination: `page`/`page_size` pages, shared by every list.
- conditional: ETags on every GET, 304 for If-None-Match, 412 for a stale If-Match.
- throttling: rate limits per client, counted per window.
- authentication: `Authorization: Token <key>` (the ApiToken model is governance's).
- permissions: a read-only token never writes; writing needs a signed-in caller.
- parsers: JSON, refused when nested deeper than any request needs.
- serializers: JSON input read as the schema types it (`StrictInput`).
- middleware: a parameter that takes one value, given twice, is a 400.
- schema: the OpenAPI operations, each with the errors the API answers with.
- answers: anonymous answers kept until the catalogue changes, and the middleware that
  serves them.
- http_cache: Cache-Control for the whole site: public for a few seconds on anonymous reads
  of the public pages and the API (for nginx or a CDN in front), private on the rest.

Each app's API (`initiatives/api/`, `governance/api/`, `digests/api.py`) holds only its
serializers, views and URL registrations, and builds on these modules. Imports: this
package reads governance.models (ApiToken), governance.services (token check, lockout),
governance.outage (the 503), initiatives.services (its refusals) and initiatives.catalogue
(the generation answers are kept under). Only `urls` imports the apps' API modules, to
compose them; no other module here does, and the models, selectors and services never
import this package.
"""
