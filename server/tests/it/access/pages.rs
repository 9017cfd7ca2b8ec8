//! Every page of the app: who sees it. Anonymous callers of a page that needs a sign-in are sent
//! to `/login?next=…`; the others get 403, or 404 for an object they may not know exists.

use super::{Page, Who, A, C, D, EVERYONE, M, P};

const SIGNED_IN: &[Who] = &[C, P, D, M, A];
const STAFF: &[Who] = &[P, D, M, A];
const FEEDBACK: &[Who] = &[D, M, A];
const MANAGERS: &[Who] = &[M, A];
const ADMIN: &[Who] = &[A];

#[rustfmt::skip]
pub const PAGES: &[Page] = &[
    Page { route: "/", path: "/", may: EVERYONE },
    Page { route: "/s/{slug}", path: "/s/{slug}", may: EVERYONE },
    Page { route: "/s/{slug}/thanks", path: "/s/{slug}/thanks", may: EVERYONE },
    Page { route: "/s/{slug}/{score}", path: "/s/{slug}/9", may: EVERYONE },
    Page { route: "/login", path: "/login", may: EVERYONE },
    Page { route: "/account/register", path: "/account/register", may: EVERYONE },
    Page { route: "/account/verify", path: "/account/verify", may: EVERYONE },
    Page { route: "/account/forgot", path: "/account/forgot", may: EVERYONE },
    Page { route: "/account/reset", path: "/account/reset", may: EVERYONE },
    Page { route: "/account/password", path: "/account/password", may: SIGNED_IN },
    // One's own lists (staff have none of their own ideas, but may look).
    Page { route: "/account/ideas", path: "/account/ideas", may: SIGNED_IN },
    Page { route: "/account/notifications", path: "/account/notifications", may: SIGNED_IN },
    Page { route: "/account/unsubscribe", path: "/account/unsubscribe", may: EVERYONE },
    Page { route: "/account/consent", path: "/account/consent?{consent}", may: EVERYONE },
    Page { route: "/ideas", path: "/ideas", may: EVERYONE },
    Page { route: "/ideas/{board}", path: "/ideas/{board}", may: EVERYONE },
    Page { route: "/ideas/{board}/{id}", path: "/ideas/{board}/{idea}", may: EVERYONE },
    Page { route: "/roadmap", path: "/roadmap", may: EVERYONE },
    Page { route: "/changelog", path: "/changelog", may: EVERYONE },
    // Department members get theirs, scoped to their departments.
    Page { route: "/dashboard", path: "/dashboard", may: FEEDBACK },
    Page { route: "/dashboard/ideas", path: "/dashboard/ideas", may: MANAGERS },
    Page { route: "/dashboard/report", path: "/dashboard/report", may: FEEDBACK },
    Page { route: "/responses", path: "/responses", may: FEEDBACK },
    Page { route: "/responses/new", path: "/responses/new", may: FEEDBACK },
    // Routed to Klantenservice: not for the member of Financiën.
    Page { route: "/responses/{id}", path: "/responses/{response}", may: MANAGERS },
    Page { route: "/review", path: "/review", may: MANAGERS },
    // The form shows nothing of the case; answering needs the token of the mailed link.
    Page { route: "/f/{case}", path: "/f/{case}", may: EVERYONE },
    Page { route: "/actions", path: "/actions", may: STAFF },
    // Financiën's action: its member sees it, a product team (no department) does not.
    Page { route: "/actions/{id}", path: "/actions/{action}", may: FEEDBACK },
    Page { route: "/inbox", path: "/inbox", may: STAFF },
    Page { route: "/inbox/{id}", path: "/inbox/{case}", may: MANAGERS },
    Page { route: "/admin/departments", path: "/admin/departments", may: ADMIN },
    Page { route: "/admin/webhooks", path: "/admin/webhooks", may: ADMIN },
    Page { route: "/admin/boards", path: "/admin/boards", may: ADMIN },
    Page { route: "/admin/ideas", path: "/admin/ideas", may: &[P, M, A] },
    Page { route: "/admin/outbox", path: "/admin/outbox", may: ADMIN },
    Page { route: "/admin/privacy", path: "/admin/privacy", may: ADMIN },
    Page { route: "/admin/api", path: "/admin/api", may: ADMIN },
    Page { route: "/admin/import", path: "/admin/import", may: MANAGERS },
    Page { route: "/admin/import/{id}", path: "/admin/import/{import}", may: MANAGERS },
    Page { route: "/admin/links", path: "/admin/links", may: MANAGERS },
    Page { route: "/admin/surveys", path: "/admin/surveys", may: MANAGERS },
    Page { route: "/admin/surveys/{slug}", path: "/admin/surveys/{slug}", may: MANAGERS },
    Page { route: "/admin/themes", path: "/admin/themes", may: MANAGERS },
    Page { route: "/admin/themes/{key}", path: "/admin/themes/{theme}", may: ADMIN },
];
