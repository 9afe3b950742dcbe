/**
 * The REST API, dashboard, health and metrics of {@code serve}, talking to the rest of the service
 * only through {@link dev.integrity.web.WebBackend}.
 *
 * <p>Access: with {@code INTEGRITY_API_TOKEN} set, every {@code /api} request needs {@code
 * Authorization: Bearer <token>} (missing: 401, wrong: 403). Dashboard pages are read-only views:
 * on a loopback bind they are served without the token; on any other bind they need it too, as a
 * bearer token or as the password of HTTP Basic auth (so a browser can log in). The dashboard's
 * cancel button calls {@code POST /api/runs/{id}/cancel} itself, sending a token typed into the
 * page as a bearer header, so it never bypasses the API's auth. State-changing requests carrying a
 * foreign {@code Origin} are refused (403), and pages carry a CSP without inline scripts. {@code
 * /healthz}, {@code /readyz}, {@code /metrics} and static files are open.
 *
 * <p>Pages: {@code Dashboard} serves them, with view models ({@code Views}) that {@code RunViews}
 * builds for the runs and run pages and {@code Dashboard} for the small ones; JTE templates in
 * {@code src/main/jte}, compiled at build time by {@code jte-maven-plugin} into classes of this
 * package (so they read the package-private models), render them in HTML mode, which escapes every
 * value for the context it lands in. Templates named {@code _x.jte} are pieces the pages include.
 */
package dev.integrity.web;
