//! Every server function of the app (`#[server(endpoint = ...)]` in `app/src`, each exactly once):
//! the form body the hydrated app posts, and which of the six callers the server's current rules
//! let through. `FIXTURES` name demo objects (read by SQL that runs unchanged on SQLite and
//! PostgreSQL); `SETUP` creates, as the matrix's admin, the objects that calls change or delete,
//! and derives values (links from mails in the outbox, taxonomy versions) that only exist after
//! a call. Objects named here belong to Klantenservice unless a comment says otherwise; the
//! department member `D` works for Financiën.

use super::{Call, A, C, D, M, N, P};

/// Ids and keys of demo objects: (name, SQL returning one value as TEXT).
#[rustfmt::skip]
pub const FIXTURES: &[(&str, &str)] = &[
    // A public survey (pages: `/s/{slug}`); never closed or archived by the matrix.
    ("slug", "SELECT slug FROM surveys WHERE slug = 'klantenservice'"),
    // A public board and a visible idea on it (pages: `/ideas/{board}/{idea}`); stays visible.
    ("board", "SELECT slug FROM boards WHERE slug = 'app'"),
    ("idea", "SELECT CAST(i.id AS TEXT) FROM ideas i JOIN boards b ON b.id = i.board_id WHERE b.slug = 'app' AND i.title = 'Donkere modus in de app' ORDER BY i.id LIMIT 1"),
    // Merged into `idea` and back.
    ("idea_dup", "SELECT CAST(i.id AS TEXT) FROM ideas i JOIN boards b ON b.id = i.board_id WHERE b.slug = 'app' AND i.title = 'Dark mode for the app' ORDER BY i.id LIMIT 1"),
    // Its status is set (to the one it has).
    ("idea_status", "SELECT CAST(i.id AS TEXT) FROM ideas i JOIN boards b ON b.id = i.board_id WHERE b.slug = 'app' AND i.title = 'Log in with fingerprint or face' ORDER BY i.id LIMIT 1"),
    // Hidden by the setup (`idea_hidden`): the demo has no hidden idea.
    ("idea_to_hide", "SELECT CAST(i.id AS TEXT) FROM ideas i JOIN boards b ON b.id = i.board_id WHERE b.slug = 'app' AND i.title = 'Grotere letters instelbaar' ORDER BY i.id LIMIT 1"),
    // The co-creation challenge and its current stage.
    ("challenge", "SELECT slug FROM boards WHERE kind = 'challenge' ORDER BY id LIMIT 1"),
    ("stage", "SELECT stage FROM boards WHERE kind = 'challenge' AND stage IS NOT NULL ORDER BY id LIMIT 1"),
    // A demo customer's join key (they vote, comment and answered surveys).
    ("customer_hash", "SELECT customer_hash FROM users WHERE email = 'klant@klantstem.local'"),
    // An inbox item (id of `inbox_items`, not of `cases`) of Klantenservice that has a case
    // (pages: `/inbox/{case}`); only read.
    ("case", "SELECT CAST(i.id AS TEXT) FROM inbox_items i JOIN departments d ON d.id = i.department_id JOIN cases c ON c.item_id = i.id WHERE d.name = 'Klantenservice' ORDER BY i.id LIMIT 1"),
    // A response routed to Klantenservice and to no other department (pages: `/responses/{response}`).
    ("response", "SELECT CAST(r.id AS TEXT) FROM responses r WHERE EXISTS (SELECT 1 FROM inbox_items i JOIN departments d ON d.id = i.department_id WHERE i.response_id = r.id AND d.name = 'Klantenservice') AND NOT EXISTS (SELECT 1 FROM inbox_items i JOIN departments d ON d.id = i.department_id WHERE i.response_id = r.id AND d.name <> 'Klantenservice') ORDER BY r.id LIMIT 1"),
    // A response with a text and the waiting-time theme: labelled and corrected by managers.
    ("response_edit", "SELECT CAST(r.id AS TEXT) FROM responses r JOIN response_themes t ON t.response_id = r.id WHERE t.theme_key = 'waiting_time' AND r.reason IS NOT NULL ORDER BY r.id DESC LIMIT 1"),
    // An action of FINANCIËN (pages: `/actions/{action}` lists D among those who see it).
    ("action", "SELECT CAST(a.id AS TEXT) FROM actions a JOIN departments d ON d.id = a.department_id WHERE d.name LIKE 'Financi%' ORDER BY a.id LIMIT 1"),
    // An action of Klantenservice: hidden from D.
    ("action_service", "SELECT CAST(a.id AS TEXT) FROM actions a JOIN departments d ON d.id = a.department_id WHERE d.name = 'Klantenservice' ORDER BY a.id LIMIT 1"),
    // A theme key that stays in the taxonomy (pages: `/admin/themes/{theme}`).
    ("theme", "SELECT theme_key FROM response_themes WHERE theme_key = 'waiting_time' ORDER BY response_id LIMIT 1"),
    ("dept_klantenservice", "SELECT CAST(id AS TEXT) FROM departments WHERE name = 'Klantenservice'"),
    ("dept_financien", "SELECT CAST(id AS TEXT) FROM departments WHERE name LIKE 'Financi%' ORDER BY id LIMIT 1"),
    // A staff account that is not one of the matrix's (added to the matrix's department).
    ("staff_member", "SELECT CAST(id AS TEXT) FROM users WHERE email = 'billing@klantstem.local'"),
    // The CSV the matrix's admin uploaded before the matrix runs.
    ("import", "SELECT CAST(MAX(id) AS TEXT) FROM imports"),
    // A mail of the outbox (the demo's escalation mails); 0 if there is none.
    ("mail", "SELECT CAST(COALESCE(MIN(id), 0) AS TEXT) FROM outbox"),
];

/// Objects created by the admin before the matrix runs: (fixture name, server fn path, args, SQL
/// that finds its id afterwards). In order: a later entry may use an earlier one's value.
/// Entries without a path call nothing: they read a value that exists after the calls before
/// them. Values named in `LINKS` are read from a mail's body.
#[rustfmt::skip]
pub const SETUP: &[(&str, &str, &str, &str)] = &[
    // A survey of its own (created closed), with a question.
    ("survey", "/api/surveys/save", "original_slug=&slug=matrix&title_nl=Matrix%20enqu%C3%AAte&title_en=Matrix%20survey", "SELECT slug FROM surveys WHERE slug = 'matrix'"),
    ("question", "/api/questions/add", "slug={survey}&kind=single&label_nl=Matrix%20vraag&options_nl=Ja%0ANee", "SELECT CAST(q.id AS TEXT) FROM questions q JOIN surveys s ON s.id = q.survey_id WHERE s.slug = 'matrix' ORDER BY q.id LIMIT 1"),
    // A department and two (disabled) routing rules to it: one changed, one deleted.
    ("dept_matrix", "/api/departments/save", "name=Matrix%20afdeling", "SELECT CAST(id AS TEXT) FROM departments WHERE name = 'Matrix afdeling'"),
    ("rule", "/api/departments/rule", "name=Matrix%20regel&all=survey%3A%20matrix&any=&target_1={dept_matrix}", "SELECT CAST(id AS TEXT) FROM routing_rules WHERE name = 'Matrix regel' ORDER BY id LIMIT 1"),
    ("rule_delete", "/api/departments/rule", "name=Matrix%20regel%20weg&all=survey%3A%20matrix&any=&target_1={dept_matrix}", "SELECT CAST(id AS TEXT) FROM routing_rules WHERE name = 'Matrix regel weg' ORDER BY id LIMIT 1"),
    // Two inactive webhooks: one changed and pinged, one deleted.
    ("webhook", "/api/webhooks/save", "name=Matrix%20webhook&url=https%3A%2F%2Fhooks.example.nl%2Fmatrix&conditions=&ev_idea_created=on", "SELECT CAST(id AS TEXT) FROM webhooks WHERE name = 'Matrix webhook' ORDER BY id LIMIT 1"),
    ("webhook_delete", "/api/webhooks/save", "name=Matrix%20webhook%20weg&url=https%3A%2F%2Fhooks.example.nl%2Fweg&conditions=&ev_idea_created=on", "SELECT CAST(id AS TEXT) FROM webhooks WHERE name = 'Matrix webhook weg' ORDER BY id LIMIT 1"),
    // An API token to revoke.
    ("api_token", "/api/api-tokens/create", "name=Matrix%20intrekken&scope=ideas%3Aread", "SELECT CAST(id AS TEXT) FROM api_tokens WHERE name = 'Matrix intrekken' ORDER BY id DESC LIMIT 1"),
    // A board of its own.
    ("matrix_board", "/api/ideas/board-save", "original=&slug=matrix&kind=board&name_nl=Matrix%20bord&name_en=Matrix%20board&visibility=public&moderation=off&response_days=14", "SELECT slug FROM boards WHERE slug = 'matrix'"),
    // A theme of its own; every taxonomy change needs the version it was based on, and each
    // one the matrix makes (save, keyword, delete: admin only, so one call each) adds one.
    ("tax_v0", "", "", "SELECT CAST(COALESCE(MAX(version), 0) AS TEXT) FROM taxonomy_versions"),
    ("theme_matrix", "/api/themes/save", "version={tax_v0}&original_key=&key=matrix_theme&name_nl=Matrix%20thema&name_en=Matrix%20theme&keywords_nl=matrixwoord&keywords_en=matrixword", "SELECT CAST('matrix_theme' AS TEXT) FROM taxonomy_versions WHERE version = {tax_v0} + 1"),
    ("tax_v1", "", "", "SELECT CAST(MAX(version) AS TEXT) FROM taxonomy_versions"),
    ("tax_v2", "", "", "SELECT CAST(MAX(version) + 1 AS TEXT) FROM taxonomy_versions"),
    ("tax_v3", "", "", "SELECT CAST(MAX(version) + 2 AS TEXT) FROM taxonomy_versions"),
    // A hidden idea: only product team, managers and admins read it.
    ("idea_hidden", "/api/ideas/moderate", "board={board}&id={idea_to_hide}&action=hide&reason=Matrix%3A%20verborgen", "SELECT CAST(id AS TEXT) FROM ideas WHERE id = {idea_to_hide} AND visibility = 'hidden'"),
    // An official comment to hide; its mails to the idea's voters carry unsubscribe links.
    ("comment_hide", "/api/ideas/comment", "board={board}&id={idea}&body=Matrix%3A%20reactie%20van%20het%20team%20om%20te%20verbergen", "SELECT CAST(id AS TEXT) FROM idea_comments WHERE idea_id = {idea} AND body = 'Matrix: reactie van het team om te verbergen' ORDER BY id DESC LIMIT 1"),
    // The first unsubscribe link in those mails: its query is the form of ideas/unsubscribe.
    ("unsubscribe", "", "", "SELECT body FROM outbox WHERE kind = 'official_answer' ORDER BY id LIMIT 1"),
    // An action of Klantenservice to change.
    ("action_matrix", "/api/actions/create", "title=Matrix%20actie%20bewerken&department={dept_klantenservice}&themes=waiting_time&status=proposed", "SELECT CAST(id AS TEXT) FROM actions WHERE title = 'Matrix actie bewerken' ORDER BY id LIMIT 1"),
    // Two detractors who left an address, about waiting time: routed to Klantenservice, each
    // with an open case. The first is worked by the matrix (note, contact, reply, close).
    ("case_work", "/api/survey/submit", "slug={slug}&score=2&reason=Ik%20heb%20drie%20kwartier%20in%20de%20wacht%20gestaan%20voordat%20iemand%20opnam%3A%20de%20wachttijd%20is%20veel%20te%20lang.&email=matrix-zaak1%40example.nl&consent=yes&ch=phone&tp=service&lang=nl&token=matrixzaak1xxxxxxxxxxxxxxxxxxxxx", "SELECT CAST(i.id AS TEXT) FROM inbox_items i JOIN responses r ON r.id = i.response_id JOIN departments d ON d.id = i.department_id JOIN cases c ON c.item_id = i.id WHERE r.contact_email = 'matrix-zaak1@example.nl' AND d.name = 'Klantenservice' ORDER BY i.id LIMIT 1"),
    // The second is contacted and closed with the question "is it solved now?" by mail.
    ("case_followup", "/api/survey/submit", "slug={slug}&score=2&reason=Ik%20heb%20drie%20kwartier%20in%20de%20wacht%20gestaan%20voordat%20iemand%20opnam%3A%20de%20wachttijd%20is%20veel%20te%20lang.&email=matrix-zaak2%40example.nl&consent=yes&ch=phone&tp=service&lang=nl&token=matrixzaak2xxxxxxxxxxxxxxxxxxxxx", "SELECT CAST(i.id AS TEXT) FROM inbox_items i JOIN responses r ON r.id = i.response_id JOIN departments d ON d.id = i.department_id JOIN cases c ON c.item_id = i.id WHERE r.contact_email = 'matrix-zaak2@example.nl' AND d.name = 'Klantenservice' ORDER BY i.id LIMIT 1"),
    ("followup_case", "/api/inbox/contact", "id={case_followup}&channel=phone&reached=1&note=Matrix%3A%20gebeld", "SELECT CAST(id AS TEXT) FROM cases WHERE item_id = {case_followup}"),
    // The token of the link in that mail.
    ("followup_token", "/api/inbox/close", "id={case_followup}&outcome=resolved&root_cause=Matrix%20oorzaak&ask=1", "SELECT body FROM outbox WHERE kind = 'case_followup' AND recipient = 'matrix-zaak2@example.nl' ORDER BY id LIMIT 1"),
    // The consent link at the foot of that mail (its query: address and proof).
    ("consent", "", "", "SELECT body FROM outbox WHERE kind = 'case_followup' AND recipient = 'matrix-zaak2@example.nl' ORDER BY id LIMIT 1"),
    // A registered customer: the token of the confirmation link, then of a reset link.
    ("verify_token", "/api/account/register", "email=matrix-setup%40example.nl&name=Matrix%20setup&password=matrix%20setup%20wachtwoord", "SELECT body FROM outbox WHERE kind = 'verify_email' AND recipient = 'matrix-setup@example.nl' ORDER BY id DESC LIMIT 1"),
    ("reset_token", "/api/account/forgot", "email=matrix-setup%40example.nl", "SELECT body FROM outbox WHERE kind = 'reset_password' AND recipient = 'matrix-setup@example.nl' ORDER BY id DESC LIMIT 1"),
];

/// Values taken from a link in a mail (the SQL above returns its body): what follows the marker,
/// up to the end of the link.
pub const LINKS: &[(&str, &str)] = &[
    ("unsubscribe", "/account/unsubscribe?"),
    ("followup_token", "?t="),
    ("consent", "/account/consent?"),
    ("verify_token", "/account/verify?token="),
    ("reset_token", "/account/reset?token="),
];

#[rustfmt::skip]
pub const FUNCTIONS: &[Call] = &[
    // --- Public pages' data -----------------------------------------------------------------
    Call { path: "/api/surveys/open", args: "", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/auth/me", args: "", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/survey/form", args: "slug={slug}", may: &[N, C, P, D, M, A], also: &[], last: false },
    // The same token six times: stored once, the others are duplicates (still a redirect).
    Call { path: "/api/survey/submit", args: "slug={slug}&score=9&reason=Matrix%3A%20prima%20geholpen%20aan%20de%20telefoon.&ch=phone&tp=service&lang=nl&token=matrixantwoordxxxxxxxxxxxxxxxxxx", may: &[N, C, P, D, M, A], also: &[], last: false },

    // --- Accounts ---------------------------------------------------------------------------
    // The first call registers; the others get an "already registered" mail, the same answer.
    Call { path: "/api/account/register", args: "email=matrix-registreer%40example.nl&name=Matrix%20registreer&password=matrix%20registreer%20wachtwoord", may: &[N, C, P, D, M, A], also: &[], last: false },
    // why 410: the link works once; N uses it, the callers after N find it used.
    Call { path: "/api/account/verify", args: "token={verify_token}", may: &[N, C, P, D, M, A], also: &[410], last: false },
    Call { path: "/api/account/forgot", args: "email=matrix-registreer%40example.nl", may: &[N, C, P, D, M, A], also: &[], last: false },
    // why 410: the link works once; N uses it, the callers after N find it used.
    Call { path: "/api/account/reset", args: "token={reset_token}&password=nieuw%20matrix%20wachtwoord", may: &[N, C, P, D, M, A], also: &[410], last: false },
    // why 422: a wrong current password on purpose. A real change must pick a new password and
    // the harness signs in again with PASSWORD afterwards; the role check comes first.
    Call { path: "/api/account/password", args: "current=niet%20het%20wachtwoord&password=een%20nieuw%20matrix%20wachtwoord&repeat=een%20nieuw%20matrix%20wachtwoord", may: &[C, P, D, M, A], also: &[422], last: false },

    // --- Surveys, questions, links (managers) -------------------------------------------------
    Call { path: "/api/surveys/all", args: "", may: &[M, A], also: &[], last: false },
    Call { path: "/api/surveys/editor", args: "slug={survey}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/surveys/save", args: "original_slug={survey}&slug={survey}&title_nl=Matrix%20enqu%C3%AAte&title_en=Matrix%20survey&intro_nl=Twee%20vragen.&thanks_nl=Dank%20u.", may: &[M, A], also: &[], last: false },
    Call { path: "/api/surveys/state", args: "slug={survey}&action=open", may: &[M, A], also: &[], last: false },
    Call { path: "/api/questions/add", args: "slug={survey}&kind=text&label_nl=Matrix%20open%20vraag", may: &[M, A], also: &[], last: false },
    Call { path: "/api/questions/update", args: "slug={survey}&id={question}&label_nl=Matrix%20vraag%20aangepast&options_nl=Ja%0ANee%0AWeet%20niet", may: &[M, A], also: &[], last: false },
    Call { path: "/api/questions/change", args: "slug={survey}&id={question}&action=up", may: &[M, A], also: &[], last: false },
    Call { path: "/api/links/build", args: "survey={slug}&ch=email&tp=service&lang=nl", may: &[M, A], also: &[], last: false },

    // --- Dashboard (department members: scoped to their departments) --------------------------
    Call { path: "/api/dashboard/overview", args: "", may: &[D, M, A], also: &[], last: false },
    Call { path: "/api/dashboard/told", args: "", may: &[D, M, A], also: &[], last: false },
    Call { path: "/api/dashboard/switches", args: "window=7", may: &[D, M, A], also: &[], last: false },

    // --- Responses and entered feedback -------------------------------------------------------
    Call { path: "/api/responses/list", args: "", may: &[D, M, A], also: &[], last: false },
    // Routed to Klantenservice only: not for the member of Financiën.
    Call { path: "/api/responses/get", args: "id={response}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/entry/form", args: "", may: &[D, M, A], also: &[], last: false },
    Call { path: "/api/entry/save", args: "survey={slug}&score=7&comment=Matrix%3A%20aan%20de%20balie%20ingevoerd.&channel=phone&journey_phase=service&language=nl&token=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", may: &[D, M, A], also: &[], last: false },

    // --- Labels and theme corrections (managers) ---------------------------------------------
    Call { path: "/api/labels/queue", args: "", may: &[M, A], also: &[], last: false },
    Call { path: "/api/labels/sentiment", args: "id={response_edit}&sentiment=negative&next=%2Freview", may: &[M, A], also: &[], last: false },
    Call { path: "/api/labels/theme-sentiment", args: "id={response_edit}&key={theme}&sentiment=negative", may: &[M, A], also: &[], last: false },
    Call { path: "/api/responses/theme", args: "id={response_edit}&key=staff&action=add", may: &[M, A], also: &[], last: false },

    // --- Themes (managers read, admins edit; save, keyword, delete in this order) -------------
    Call { path: "/api/themes/overview", args: "days=30", may: &[M, A], also: &[], last: false },
    Call { path: "/api/themes/status", args: "", may: &[M, A], also: &[], last: false },
    Call { path: "/api/themes/form", args: "key={theme}", may: &[A], also: &[], last: false },
    Call { path: "/api/themes/save", args: "version={tax_v1}&original_key={theme_matrix}&key={theme_matrix}&name_nl=Matrix%20thema%20aangepast&name_en=Matrix%20theme%20edited&keywords_nl=matrixwoord&keywords_en=matrixword", may: &[A], also: &[], last: false },
    Call { path: "/api/themes/keyword", args: "version={tax_v2}&key={theme_matrix}&language=nl&word=matrixterm", may: &[A], also: &[], last: false },
    Call { path: "/api/themes/delete", args: "version={tax_v3}&key={theme_matrix}", may: &[A], also: &[], last: false },

    // --- Imports (managers) ----------------------------------------------------------------------
    Call { path: "/api/import/list", args: "", may: &[M, A], also: &[], last: false },
    Call { path: "/api/import/preview", args: "id={import}&col_score=0&col_comment=1&survey={slug}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/import/start", args: "id={import}&col_score=0&col_comment=1&survey={slug}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/import/status", args: "id={import}", may: &[M, A], also: &[], last: false },

    // --- Inbox (staff; department members and the product team only their departments') ------
    // The product team has no department: an empty inbox, not a refusal.
    Call { path: "/api/inbox/list", args: "", may: &[P, D, M, A], also: &[], last: false },
    Call { path: "/api/inbox/item", args: "id={case}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/inbox/update", args: "id={case_work}&status=in_progress", may: &[M, A], also: &[], last: false },
    Call { path: "/api/inbox/note", args: "id={case_work}&body=Matrix%3A%20notitie", may: &[M, A], also: &[], last: false },
    Call { path: "/api/inbox/contact", args: "id={case_work}&channel=phone&reached=1&note=Matrix%3A%20gebeld", may: &[M, A], also: &[], last: false },
    Call { path: "/api/inbox/reply", args: "id={case_work}&text=Matrix%3A%20antwoord%20aan%20de%20klant", may: &[M, A], also: &[], last: false },
    // why 422: M closes the case; A finds it closed already (case_closed).
    Call { path: "/api/inbox/close", args: "id={case_work}&outcome=resolved&root_cause=Matrix%20oorzaak", may: &[M, A], also: &[422], last: false },
    Call { path: "/api/inbox/follow-up", args: "days=90", may: &[P, D, M, A], also: &[], last: false },
    // The customer's link (no account): the first answer counts, the others are accepted too.
    Call { path: "/api/followup/answer", args: "case={followup_case}&t={followup_token}&score=9", may: &[N, C, P, D, M, A], also: &[], last: false },

    // --- Improvement actions (staff; department members only their departments') -------------
    Call { path: "/api/actions/list", args: "", may: &[P, D, M, A], also: &[], last: false },
    // In FINANCIËN, D's own department. P (no department) is refused with 422, not 403.
    // A product team member, in no department, starts no action.
    Call { path: "/api/actions/create", args: "title=Matrix%20actie&department={dept_financien}&themes=price_billing&status=proposed", may: &[D, M, A], also: &[], last: false },
    // Another department's response is no evidence for Financiën: citing it would show it.
    Call { path: "/api/actions/create", args: "title=Matrix%20bewijs&department={dept_financien}&themes=price_billing&status=proposed&evidence=response%3A{response}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/actions/create", args: "title=Matrix%20bewijs&department={dept_financien}&themes=price_billing&status=proposed&evidence=item%3A{case}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/actions/get", args: "id={action_service}", may: &[M, A], also: &[], last: false },
    Call { path: "/api/actions/save", args: "id={action_matrix}&title=Matrix%20actie%20bewerken&department={dept_klantenservice}&themes=waiting_time&status=planned", may: &[M, A], also: &[], last: false },

    // --- Ideas: public side -------------------------------------------------------------------
    Call { path: "/api/ideas/boards", args: "", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/board", args: "board={board}", may: &[N, C, P, D, M, A], also: &[], last: false },
    // Hidden: only those who manage ideas.
    Call { path: "/api/ideas/idea", args: "board={board}&id={idea_hidden}", may: &[P, M, A], also: &[], last: false },
    // GET-only (input = GetUrl): see NOTES.md.
    Call { path: "/api/ideas/similar", args: "title=donkere%20modus", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/roadmap", args: "", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/changelog", args: "", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/improvements", args: "", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/mine", args: "", may: &[C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/notifications", args: "", may: &[C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/follow", args: "board={board}&id={idea}&on=1", may: &[C, P, D, M, A], also: &[], last: false },
    // Customers vote; staff are refused (CustomersOnly, 403).
    Call { path: "/api/ideas/vote", args: "board={board}&id={idea}&on=1", may: &[C], also: &[], last: false },
    // Customers comment, product team, managers and admins answer officially; D is refused.
    Call { path: "/api/ideas/comment", args: "board={board}&id={idea}&body=Matrix%3A%20een%20reactie", may: &[C, P, M, A], also: &[], last: false },
    Call { path: "/api/ideas/submit", args: "board={board}&title=Matrix%3A%20een%20idee%20uit%20de%20toegangstest&body=Om%20te%20zien%20wie%20het%20mag.&confirmed=1", may: &[C], also: &[], last: false },
    // Only the author, in the first hour: nobody of the six (C did not write it).
    Call { path: "/api/ideas/edit", args: "board={board}&id={idea}&title=Matrix%3A%20overgenomen%20titel&body=Niet%20van%20mij.", may: &[], also: &[], last: false },
    Call { path: "/api/ideas/unsubscribe", args: "{unsubscribe}", may: &[N, C, P, D, M, A], also: &[], last: false },

    // --- Ideas: product team, managers, admins -------------------------------------------------
    Call { path: "/api/ideas/status", args: "board={board}&id={idea_status}&status=under_review", may: &[P, M, A], also: &[], last: false },
    Call { path: "/api/ideas/stage", args: "board={challenge}&stage={stage}", may: &[P, M, A], also: &[], last: false },
    Call { path: "/api/ideas/internal-vote", args: "id={idea}&on=1", may: &[P, M, A], also: &[], last: false },
    Call { path: "/api/ideas/priority", args: "board={board}&id={idea}&reach=1000&impact=2&confidence=80&effort=4", may: &[P, M, A], also: &[], last: false },
    // Hides the hidden idea again (it stays hidden).
    Call { path: "/api/ideas/moderate", args: "board={board}&id={idea_hidden}&action=hide&reason=Matrix%3A%20blijft%20verborgen", may: &[P, M, A], also: &[], last: false },
    // why 404: P hides the comment; M and A find no visible comment left to hide.
    Call { path: "/api/ideas/hide-comment", args: "board={board}&id={idea}&comment={comment_hide}&reason=spam", may: &[P, M, A], also: &[404], last: false },
    // why 422: P merges; M and A find the duplicate merged already (merge_invalid).
    Call { path: "/api/ideas/merge", args: "board={board}&id={idea_dup}&original={idea}", may: &[P, M, A], also: &[422], last: false },
    // why 422: P undoes the merge; M and A find no merge left to undo (merge_invalid).
    Call { path: "/api/ideas/unmerge", args: "board={board}&id={idea_dup}", may: &[P, M, A], also: &[422], last: false },
    Call { path: "/api/ideas/triage", args: "", may: &[P, M, A], also: &[], last: false },
    Call { path: "/api/ideas/panel", args: "days=90", may: &[M, A], also: &[], last: false },
    // Staff who read feedback (any customer's key: not scoped to departments).
    Call { path: "/api/ideas/contributions", args: "customer={customer_hash}", may: &[D, M, A], also: &[], last: false },
    Call { path: "/api/ideas/boards-admin", args: "board={matrix_board}", may: &[A], also: &[], last: false },
    Call { path: "/api/ideas/board-save", args: "original={matrix_board}&slug={matrix_board}&kind=board&name_nl=Matrix%20bord&name_en=Matrix%20board&description_nl=Voor%20de%20toegangstest.&visibility=public&moderation=off&response_days=14", may: &[A], also: &[], last: false },
    // The demo's status as it is.
    Call { path: "/api/ideas/status-save", args: "key=under_review&name_nl=In%20behandeling&name_en=Under%20review&color=%238a6d00&position=1", may: &[A], also: &[], last: false },

    // --- Departments and routing (admins) ---------------------------------------------------
    Call { path: "/api/departments/admin", args: "", may: &[A], also: &[], last: false },
    Call { path: "/api/departments/save", args: "id={dept_matrix}&name=Matrix%20afdeling", may: &[A], also: &[], last: false },
    Call { path: "/api/departments/member", args: "department={dept_matrix}&member={staff_member}&on=1", may: &[A], also: &[], last: false },
    Call { path: "/api/departments/rule", args: "id={rule}&name=Matrix%20regel&position=100&all=survey%3A%20matrix&any=&target_1={dept_matrix}", may: &[A], also: &[], last: false },
    Call { path: "/api/departments/rule-delete", args: "id={rule_delete}", may: &[A], also: &[], last: false },
    // The demo's policy as it is.
    Call { path: "/api/departments/policy", args: "default_department={dept_klantenservice}&enabled=on&max_score=6&negative_themes=&deadline_hours=48", may: &[A], also: &[], last: false },
    Call { path: "/api/departments/from-taxonomy", args: "", may: &[A], also: &[], last: false },

    // --- Webhooks (admins) --------------------------------------------------------------------
    Call { path: "/api/webhooks/list", args: "edit={webhook}", may: &[A], also: &[], last: false },
    Call { path: "/api/webhooks/deliveries", args: "", may: &[A], also: &[], last: false },
    Call { path: "/api/webhooks/save", args: "id={webhook}&name=Matrix%20webhook&url=https%3A%2F%2Fhooks.example.nl%2Fmatrix&conditions=&ev_idea_created=on&ev_action_done=on", may: &[A], also: &[], last: false },
    Call { path: "/api/webhooks/ping", args: "id={webhook}", may: &[A], also: &[], last: false },
    Call { path: "/api/webhooks/delete", args: "id={webhook_delete}", may: &[A], also: &[], last: false },

    // --- API tokens (admins) -------------------------------------------------------------------
    Call { path: "/api/api-tokens/list", args: "", may: &[A], also: &[], last: false },
    Call { path: "/api/api-tokens/create", args: "name=Matrix%20lezen&scope=ideas%3Aread", may: &[A], also: &[], last: false },
    Call { path: "/api/api-tokens/revoke", args: "id={api_token}", may: &[A], also: &[], last: false },

    // --- Outbox (admins) -----------------------------------------------------------------------
    // Privacy requests: admins only (looking is logged too).
    Call { path: "/api/privacy/page", args: "refs=klant%40klantstem.local", may: &[A], also: &[], last: false },
    Call { path: "/api/privacy/withdraw", args: "refs=matrix-niemand%40example.nl", may: &[A], also: &[], last: false },
    Call { path: "/api/privacy/erase", args: "refs=matrix-niemand%40example.nl&confirm=yes", may: &[A], also: &[], last: false },
    // A customer's own withdrawal, from the link in a mail: anyone holding the link (again
    // after the first: nothing left to withdraw, the same answer).
    Call { path: "/api/privacy/consent", args: "{consent}", may: &[N, C, P, D, M, A], also: &[], last: false },
    Call { path: "/api/outbox/list", args: "", may: &[A], also: &[], last: false },
    // why 404: only a sent or failed mail is sent again; without SMTP in the test every mail is
    // still pending.
    Call { path: "/api/outbox/resend", args: "id={mail}", may: &[A], also: &[404], last: false },
    Call { path: "/api/outbox/test", args: "to=matrix-admin%40example.nl", may: &[A], also: &[], last: false },

    // --- Sessions: last, login before logout ---------------------------------------------------
    // Every caller signs in as the matrix's customer (the harness's PASSWORD): it replaces the
    // caller's own session.
    Call { path: "/api/auth/login", args: "email=matrix-klant%40example.nl&password=correct%20horse%20battery%20staple&next=%2Fideas", may: &[N, C, P, D, M, A], also: &[], last: true },
    Call { path: "/api/auth/logout", args: "", may: &[N, C, P, D, M, A], also: &[], last: true },
];
