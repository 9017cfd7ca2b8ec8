//! Departments, routing rules, inboxes and cases. Routing runs inside the write transaction of
//! every response write (`route_responses`), so no channel can store feedback unrouted.

/// The columns of an inbox line; `$1`… filters follow in the query.
pub(crate) const ITEM_SELECT: &str = "SELECT i.id, i.department_id, d.name AS department, \
     i.response_id, i.idea_id, r.score, COALESCE(r.reason, ideas.title) AS text, r.channel, \
     i.status, i.assignee_id, u.display_name AS assignee_name, i.root_cause, i.created_at, i.rule_name, \
     c.deadline_at, c.first_contact_at, c.closed_at, c.escalated_at, \
     COALESCE(r.customer_hash, au.customer_hash) AS customer_hash, \
     r.contact_email, r.respondent_locale \
     FROM inbox_items i JOIN departments d ON d.id = i.department_id \
     LEFT JOIN responses r ON r.id = i.response_id \
     LEFT JOIN ideas ON ideas.id = i.idea_id \
     LEFT JOIN users au ON au.id = ideas.author_id \
     LEFT JOIN users u ON u.id = i.assignee_id \
     LEFT JOIN cases c ON c.item_id = i.id";

macro_rules! department_store {
    ($store:ty, $dialect:expr) => {
        impl $store {
            /// Routes responses `ids` in the caller's transaction: every item now due is added
            /// (with a case when the policy says so), and untouched items (new, unassigned,
            /// without notes or case) no longer due are removed. Answers how many were added.
            pub(crate) async fn route_responses(
                conn: &mut Conn,
                ids: &[i64],
                now: i64,
            ) -> Result<u64, StoreError> {
                if ids.is_empty() {
                    return Ok(0);
                }
                let rules = load_rules!(&mut *conn);
                let settings: Option<(Option<i64>, String)> = sqlx::query_as(
                    "SELECT default_department_id, case_policy FROM routing_settings WHERE id = 1",
                )
                .fetch_optional(&mut *conn)
                .await?;
                let (default, policy) = match settings {
                    Some((d, p)) => (d, crate::rows::json::<domain::inbox::CasePolicy>("case policy", &p)?),
                    None => (None, domain::inbox::CasePolicy::default()),
                };
                if rules.is_empty() && default.is_none() {
                    return Ok(0);
                }
                let rule_name = |rule: Option<i64>| {
                    rule.and_then(|r| rules.iter().find(|x| x.id == r)).map(|r| r.name.clone())
                };
                let mut added = 0;
                // A group of answers is routed in a few statements, not a few per answer (every
                // statement is a round trip to SQLite's thread, inside the write lock).
                for chunk in ids.chunks(ROUTE_CHUNK) {
                    let facts = Self::facts_of(&mut *conn, chunk).await?;
                    let marks = crate::marks($dialect, 1, chunk.len());
                    let sql = format!("SELECT i.id, i.response_id, i.department_id, (i.status = 'new' AND i.assignee_id IS NULL \
                             AND NOT EXISTS (SELECT 1 FROM inbox_notes n WHERE n.item_id = i.id) \
                             AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.item_id = i.id)) \
                             FROM inbox_items i WHERE i.response_id IN ({marks})");
                    let existing: Vec<(i64, i64, i64, bool)> = bind_ids!(sqlx::query_as(&sql).persistent(false), chunk)
                    .fetch_all(&mut *conn)
                    .await?;
                    let mut stale = Vec::new();
                    // (department, response, rule name) of every item now due.
                    let mut due = Vec::new();
                    // (response, first department, opened at) of every answer that opens a case.
                    let mut cases = Vec::new();
                    for &id in chunk {
                        let Some((facts, created_at)) = facts.get(&id) else {
                            continue;
                        };
                        let routes = domain::routing::route(&rules, default, facts);
                        for &(item, response, department, untouched) in &existing {
                            if response == id && untouched && !routes.iter().any(|r| r.department == department) {
                                stale.push(item);
                            }
                        }
                        for route in &routes {
                            due.push((route.department, id, rule_name(route.rule)));
                        }
                        // The clock starts when the customer spoke; old history opens no case.
                        if let Some(first) = routes.first() {
                            if policy.opens_case(facts) && policy.is_recent(*created_at, now) {
                                cases.push((id, first.department, *created_at));
                            }
                        }
                    }
                    if !stale.is_empty() {
                        let marks = crate::marks($dialect, 1, stale.len());
                        let sql = format!("DELETE FROM inbox_items WHERE id IN ({marks})");
                        bind_ids!(sqlx::query(&sql).persistent(false), &stale)
                            .execute(&mut *conn)
                            .await?;
                    }
                    let mut items: Vec<(i64, i64, i64)> = existing.iter().map(|e| (e.0, e.1, e.2)).collect();
                    for rows in due.chunks(ROUTE_CHUNK) {
                        let values: Vec<String> = (0..rows.len())
                            .map(|i| format!("({})", crate::marks($dialect, i * 5 + 1, 5)))
                            .collect();
                        let sql = format!(
                            "INSERT INTO inbox_items (department_id, response_id, rule_name, created_at, updated_at) \
                             VALUES {} ON CONFLICT (department_id, response_id) DO NOTHING \
                             RETURNING id, response_id, department_id",
                            values.join(", ")
                        );
                        let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql).persistent(false);
                        for (department, id, rule) in rows {
                            query = query.bind(*department).bind(*id).bind(rule.clone()).bind(now).bind(now);
                        }
                        let inserted = query.fetch_all(&mut *conn).await?;
                        added += inserted.len() as u64;
                        items.extend(inserted);
                    }
                    // One case per customer answer: in the first department it is routed to.
                    for (id, department, created_at) in cases {
                        let Some(&(item, _, _)) = items.iter().find(|i| i.1 == id && i.2 == department) else {
                            continue;
                        };
                        let opened: Option<i64> = sqlx::query_scalar(
                            "INSERT INTO cases (item_id, opened_at, deadline_at) \
                             SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM cases c \
                             JOIN inbox_items i ON i.id = c.item_id WHERE i.response_id = $4) \
                             ON CONFLICT (item_id) DO NOTHING RETURNING id",
                        )
                        .bind(item)
                        .bind(created_at)
                        .bind(policy.deadline(created_at))
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                        if let Some(case) = opened {
                            record_event!(&mut *conn, "case.opened", case, now);
                        }
                    }
                }
                Ok(added)
            }

            /// What routing knows of responses `ids` (at most [`ROUTE_CHUNK`]) and when each
            /// arrived, by id; a missing id is absent.
            pub(crate) async fn facts_of(
                conn: &mut Conn,
                ids: &[i64],
            ) -> Result<std::collections::HashMap<i64, (domain::routing::Facts, i64)>, StoreError> {
                let marks = crate::marks($dialect, 1, ids.len());
                let sql = format!(
                    "SELECT r.id, s.slug, r.score, r.channel, r.journey_phase, r.sentiment, r.language, \
                     (r.contact_email IS NOT NULL), r.created_at FROM responses r \
                     JOIN surveys s ON s.id = r.survey_id WHERE r.id IN ({marks})"
                );
                type FactRow = (i64, String, Option<i32>, Option<String>, Option<String>, Option<String>, Option<String>, bool, i64);
                let rows: Vec<FactRow> = bind_ids!(sqlx::query_as(&sql).persistent(false), ids)
                    .fetch_all(&mut *conn)
                    .await?;
                let sql = format!(
                    "SELECT response_id, theme_key, sentiment FROM response_themes \
                     WHERE response_id IN ({marks}) ORDER BY response_id, theme_key"
                );
                let mut themes: Vec<(i64, String, Option<String>)> = bind_ids!(sqlx::query_as(&sql).persistent(false), ids)
                    .fetch_all(&mut *conn)
                    .await?;
                let mut out = std::collections::HashMap::with_capacity(rows.len());
                for (id, survey, score, channel, phase, sentiment, language, consent, created_at) in rows {
                    let split = themes.partition_point(|t| t.0 < id);
                    let end = split + themes[split..].partition_point(|t| t.0 == id);
                    let own = themes[split..end].iter_mut().map(|t| (std::mem::take(&mut t.1), t.2.take())).collect();
                    let facts = domain::routing::Facts {
                        survey,
                        score: score.and_then(|s| u8::try_from(s).ok()),
                        channel,
                        phase,
                        sentiment,
                        language,
                        themes: own,
                        consent,
                    };
                    out.insert(id, (facts, created_at));
                }
                Ok(out)
            }
        }

        impl $store {
            /// Routes idea `id` in the caller's transaction to the departments whose rules match
            /// its themes, sentiment and language. Ideas have no default department: what no rule
            /// claims stays with the product team's triage.
            pub(crate) async fn route_idea(conn: &mut Conn, id: i64, now: i64) -> Result<(), StoreError> {
                let rules = load_rules!(&mut *conn);
                if rules.is_empty() {
                    return Ok(());
                }
                let row: Option<(Option<String>, Option<String>)> =
                    sqlx::query_as("SELECT language, sentiment FROM ideas WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                let Some((language, sentiment)) = row else { return Ok(()) };
                let themes: Vec<String> = sqlx::query_scalar("SELECT theme_key FROM idea_themes WHERE idea_id = $1")
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?;
                let facts = domain::routing::Facts {
                    language,
                    sentiment: sentiment.clone(),
                    themes: themes.into_iter().map(|t| (t, sentiment.clone())).collect(),
                    ..Default::default()
                };
                for route in domain::routing::route(&rules, None, &facts) {
                    let rule_name = route.rule.and_then(|r| rules.iter().find(|x| x.id == r)).map(|r| r.name.clone());
                    sqlx::query(
                        "INSERT INTO inbox_items (department_id, idea_id, rule_name, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (department_id, idea_id) DO NOTHING",
                    )
                    .bind(route.department)
                    .bind(id)
                    .bind(rule_name)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl klantstem_core::store::DepartmentStore for $store {
            async fn routing_setup(&self) -> Result<RoutingSetup, StoreError> {
                let mut conn = self.pool.acquire().await?;
                let rules = load_rules!(&mut *conn);
                let departments: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
                    "SELECT id, name, lead_user_id FROM departments ORDER BY name",
                )
                .fetch_all(&mut *conn)
                .await?;
                let members: Vec<(i64, i64)> =
                    sqlx::query_as("SELECT department_id, user_id FROM department_members ORDER BY user_id")
                        .fetch_all(&mut *conn)
                        .await?;
                let settings: Option<(Option<i64>, String)> = sqlx::query_as(
                    "SELECT default_department_id, case_policy FROM routing_settings WHERE id = 1",
                )
                .fetch_optional(&mut *conn)
                .await?;
                let (default_department, policy) = match settings {
                    Some((d, p)) => (d, crate::rows::json("case policy", &p)?),
                    None => (None, domain::inbox::CasePolicy::default()),
                };
                Ok(RoutingSetup {
                    departments: departments
                        .into_iter()
                        .map(|(id, name, lead)| domain::routing::Department {
                            id,
                            name,
                            lead,
                            members: members.iter().filter(|m| m.0 == id).map(|m| m.1).collect(),
                        })
                        .collect(),
                    rules,
                    default_department,
                    policy,
                })
            }

            async fn save_department(
                &self,
                id: Option<i64>,
                name: &str,
                lead: Option<i64>,
                now: i64,
            ) -> Result<Option<i64>, StoreError> {
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                if taken.is_some_and(|t| Some(t) != id) {
                    return Ok(None);
                }
                let saved: Option<i64> = match id {
                    None => sqlx::query_scalar(
                        "INSERT INTO departments (name, lead_user_id, created_at) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(name)
                    .bind(lead)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?,
                    Some(id) => sqlx::query_scalar(
                        "UPDATE departments SET name = $2, lead_user_id = $3 WHERE id = $1 RETURNING id",
                    )
                    .bind(id)
                    .bind(name)
                    .bind(lead)
                    .fetch_optional(&self.pool)
                    .await?,
                };
                Ok(saved)
            }

            async fn set_department_member(
                &self,
                department: i64,
                user: i64,
                member: bool,
            ) -> Result<(), StoreError> {
                let sql = if member {
                    "INSERT INTO department_members (department_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM department_members WHERE department_id = $1 AND user_id = $2"
                };
                sqlx::query(sql).bind(department).bind(user).execute(&self.pool).await?;
                Ok(())
            }

            async fn department_members(&self, department: i64) -> Result<Vec<(i64, String)>, StoreError> {
                Ok(sqlx::query_as(
                    "SELECT u.id, u.display_name FROM users u WHERE u.role <> 'customer' \
                     AND (u.id IN (SELECT user_id FROM department_members WHERE department_id = $1) \
                       OR u.id = (SELECT lead_user_id FROM departments WHERE id = $1)) \
                     ORDER BY u.display_name, u.id",
                )
                .bind(department)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn staff_users(&self) -> Result<Vec<(i64, String, domain::model::Role)>, StoreError> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(
                    "SELECT id, display_name, role FROM users WHERE role <> 'customer' ORDER BY display_name, id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(id, name, role)| {
                        let role = domain::model::Role::parse(&role)
                            .ok_or(StoreError::Corrupt { what: "role", detail: role })?;
                        Ok((id, name, role))
                    })
                    .collect()
            }

            async fn save_rule(&self, rule: &domain::routing::Rule, now: i64) -> Result<Option<i64>, StoreError> {
                let json = |v: serde_json::Result<String>| v.map_err(StoreError::backend);
                let all = json(serde_json::to_string(&rule.all))?;
                let any = json(serde_json::to_string(&rule.any))?;
                let targets = json(serde_json::to_string(&rule.targets))?;
                let id: Option<i64> = if rule.id == 0 {
                    sqlx::query_scalar(
                        "INSERT INTO routing_rules (name, position, enabled, all_conditions, any_conditions, targets, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(&rule.name)
                    .bind(rule.position)
                    .bind(rule.enabled)
                    .bind(&all)
                    .bind(&any)
                    .bind(&targets)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?
                } else {
                    sqlx::query_scalar(
                        "UPDATE routing_rules SET name = $2, position = $3, enabled = $4, all_conditions = $5, \
                         any_conditions = $6, targets = $7, updated_at = $8 WHERE id = $1 RETURNING id",
                    )
                    .bind(rule.id)
                    .bind(&rule.name)
                    .bind(rule.position)
                    .bind(rule.enabled)
                    .bind(&all)
                    .bind(&any)
                    .bind(&targets)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?
                };
                Ok(id)
            }

            async fn delete_rule(&self, id: i64) -> Result<bool, StoreError> {
                Ok(sqlx::query("DELETE FROM routing_rules WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?
                    .rows_affected()
                    == 1)
            }

            async fn save_routing_settings(
                &self,
                default_department: Option<i64>,
                policy: &domain::inbox::CasePolicy,
            ) -> Result<(), StoreError> {
                let policy = serde_json::to_string(policy).map_err(StoreError::backend)?;
                sqlx::query(
                    "INSERT INTO routing_settings (id, default_department_id, case_policy) VALUES (1, $1, $2) \
                     ON CONFLICT (id) DO UPDATE SET default_department_id = excluded.default_department_id, \
                     case_policy = excluded.case_policy",
                )
                .bind(default_department)
                .bind(policy)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn recent_facts(
                &self,
                limit: u32,
            ) -> Result<Vec<(i64, Option<String>, domain::routing::Facts)>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                let recent: Vec<(i64, Option<String>)> = sqlx::query_as(
                    "SELECT id, reason FROM responses ORDER BY created_at DESC, id DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&mut *conn)
                .await?;
                let mut out = Vec::with_capacity(recent.len());
                let ids: Vec<i64> = recent.iter().map(|r| r.0).collect();
                let mut facts = std::collections::HashMap::new();
                for chunk in ids.chunks(ROUTE_CHUNK) {
                    facts.extend(Self::facts_of(&mut *conn, chunk).await?);
                }
                for (id, text) in recent {
                    if let Some((facts, _)) = facts.remove(&id) {
                        out.push((id, text, facts));
                    }
                }
                Ok(out)
            }

            async fn reroute(&self, response_ids: &[i64], now: i64) -> Result<u64, StoreError> {
                let mut added = 0;
                for chunk in response_ids.chunks(500) {
                    let mut tx = begin_write!($dialect, self.pool);
                    added += Self::route_responses(&mut *tx, chunk, now).await?;
                    tx.commit().await?;
                }
                Ok(added)
            }

            async fn response_departments(&self, id: i64) -> Result<Vec<i64>, StoreError> {
                Ok(sqlx::query_scalar("SELECT department_id FROM inbox_items WHERE response_id = $1 ORDER BY department_id")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn user_departments(&self, user: i64) -> Result<Vec<i64>, StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT department_id FROM department_members WHERE user_id = $1 \
                     UNION SELECT id FROM departments WHERE lead_user_id = $1 ORDER BY 1",
                )
                    .bind(user)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn inbox(
                &self,
                departments: Option<&[i64]>,
                q: &domain::inbox::InboxQuery,
            ) -> Result<(Vec<domain::inbox::InboxItem>, u64), StoreError> {
                let mut filters: Vec<String> = Vec::new();
                let mut binds: Vec<Bind> = Vec::new();
                if let Some(list) = departments {
                    if list.is_empty() {
                        return Ok((Vec::new(), 0));
                    }
                    let start = binds.len();
                    filters.push(format!("i.department_id IN ({})", crate::placeholders(start + 1, list.len())));
                    binds.extend(list.iter().map(|d| Bind::Int(*d)));
                }
                if let Some(d) = q.department {
                    binds.push(Bind::Int(d));
                    filters.push(format!("i.department_id = ${}", binds.len()));
                }
                if let Some(s) = q.status {
                    binds.push(Bind::Text(s.as_str().to_string()));
                    filters.push(format!("i.status = ${}", binds.len()));
                }
                if let Some(a) = q.assignee {
                    binds.push(Bind::Int(a));
                    filters.push(format!("i.assignee_id = ${}", binds.len()));
                }
                if q.open_cases {
                    filters.push("c.id IS NOT NULL AND c.closed_at IS NULL".into());
                }
                let filter = if filters.is_empty() { String::new() } else { format!(" WHERE {}", filters.join(" AND ")) };
                let count_sql = format!(
                    "SELECT COUNT(*) FROM inbox_items i LEFT JOIN cases c ON c.item_id = i.id{filter}"
                );
                let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
                count = bind_all!(count, &binds);
                let total = count.fetch_one(&self.pool).await?;
                let page_size = i64::from(domain::inbox::INBOX_PAGE_SIZE);
                // Open cases first (the nearest deadline on top), then the newest items.
                let sql = format!(
                    "{ITEM_SELECT}{filter} ORDER BY CASE WHEN c.id IS NOT NULL AND c.closed_at IS NULL THEN 0 ELSE 1 END, \
                     CASE WHEN c.closed_at IS NULL THEN c.deadline_at END, i.created_at DESC, i.id DESC \
                     LIMIT {page_size} OFFSET {}",
                    i64::from(q.page) * page_size
                );
                let mut query = sqlx::query_as::<_, ItemRow>(&sql);
                query = bind_all!(query, &binds);
                let rows = query.fetch_all(&self.pool).await?;
                let items = rows.into_iter().map(|r| r.into_item().map(|(i, _, _)| i)).collect::<Result<_, _>>()?;
                Ok((items, total as u64))
            }

            async fn inbox_item(&self, id: i64) -> Result<Option<ItemRecord>, StoreError> {
                let row: Option<ItemRow> = sqlx::query_as(&format!("{ITEM_SELECT} WHERE i.id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let (item, customer_hash, contact) = row.into_item()?;
                let notes: Vec<(Option<String>, String, i64)> = sqlx::query_as(
                    "SELECT u.display_name, n.body, n.created_at FROM inbox_notes n \
                     LEFT JOIN users u ON u.id = n.author_id WHERE n.item_id = $1 ORDER BY n.created_at, n.id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                type CaseRow = (i64, i64, i64, Option<i64>, Option<i64>, Option<i64>, Option<String>, Option<i64>, Option<i64>);
                let case: Option<CaseRow> = sqlx::query_as(
                    "SELECT id, opened_at, deadline_at, escalated_at, first_contact_at, closed_at, outcome, \
                     followup_sent_at, followup_score FROM cases WHERE item_id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let case = match case {
                    None => None,
                    Some((case_id, opened_at, deadline_at, escalated_at, first_contact_at, closed_at, outcome, followup_sent_at, followup_score)) => {
                        let contacts: Vec<(String, bool, String, Option<String>, i64)> = sqlx::query_as(
                            "SELECT k.channel, k.reached, k.note, u.display_name, k.created_at FROM case_contacts k \
                             LEFT JOIN users u ON u.id = k.user_id WHERE k.case_id = $1 ORDER BY k.created_at, k.id",
                        )
                        .bind(case_id)
                        .fetch_all(&self.pool)
                        .await?;
                        let contacts = contacts
                            .into_iter()
                            .map(|(channel, reached, note, by, at)| {
                                Ok(domain::inbox::ContactAttempt {
                                    channel: domain::inbox::ContactChannel::parse(&channel)
                                        .ok_or(StoreError::Corrupt { what: "contact channel", detail: channel })?,
                                    reached,
                                    note,
                                    by: by.unwrap_or_default(),
                                    at,
                                })
                            })
                            .collect::<Result<Vec<_>, StoreError>>()?;
                        let outcome = match outcome {
                            None => None,
                            Some(o) => Some(domain::inbox::Outcome::parse(&o)
                                .ok_or(StoreError::Corrupt { what: "case outcome", detail: o })?),
                        };
                        Some(domain::inbox::Case {
                            id: case_id,
                            opened_at,
                            deadline_at,
                            escalated_at,
                            first_contact_at,
                            closed_at,
                            outcome,
                            contacts,
                            followup_sent_at,
                            followup_score: followup_score.and_then(|s| u8::try_from(s).ok()),
                        })
                    }
                };
                Ok(Some(ItemRecord {
                    item,
                    notes: notes
                        .into_iter()
                        .map(|(author, body, at)| domain::inbox::Note { author: author.unwrap_or_default(), body, at })
                        .collect(),
                    case,
                    customer_hash,
                    contact,
                }))
            }

            async fn update_item(&self, id: i64, change: &ItemChange, now: i64) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let found = sqlx::query("UPDATE inbox_items SET updated_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
                if !found {
                    return Ok(false);
                }
                if let Some(status) = change.status {
                    sqlx::query("UPDATE inbox_items SET status = $2 WHERE id = $1")
                        .bind(id)
                        .bind(status.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(assignee) = change.assignee {
                    sqlx::query("UPDATE inbox_items SET assignee_id = $2 WHERE id = $1")
                        .bind(id)
                        .bind(assignee)
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(root) = &change.root_cause {
                    sqlx::query("UPDATE inbox_items SET root_cause = $2 WHERE id = $1")
                        .bind(id)
                        .bind(root)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(found)
            }

            async fn add_note(&self, item: i64, author: i64, body: &str, now: i64) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO inbox_notes (item_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(item)
                    .bind(author)
                    .bind(body)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn add_contact(&self, c: &NewContact, mail: Option<&NewMail>) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let item: Option<i64> = sqlx::query_scalar(
                    "UPDATE cases SET first_contact_at = COALESCE(first_contact_at, $2) \
                     WHERE id = $1 AND closed_at IS NULL RETURNING item_id",
                )
                .bind(c.case_id)
                .bind(c.at)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(item) = item else { return Ok(false) };
                sqlx::query(
                    "INSERT INTO case_contacts (case_id, channel, reached, note, user_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(c.case_id)
                .bind(c.channel.as_str())
                .bind(c.reached)
                .bind(&c.note)
                .bind(c.user_id)
                .bind(c.at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "UPDATE inbox_items SET status = 'in_progress', updated_at = $2 \
                     WHERE id = $1 AND status IN ('new', 'seen')",
                )
                .bind(item)
                .bind(c.at)
                .execute(&mut *tx)
                .await?;
                if let Some(mail) = mail {
                    enqueue_mail!(&mut *tx, mail, c.at);
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn answer_followup(&self, case_id: i64, score: u8, now: i64) -> Result<bool, StoreError> {
                Ok(sqlx::query(
                    "UPDATE cases SET followup_score = $2, followup_answered_at = $3 \
                     WHERE id = $1 AND followup_sent_at IS NOT NULL AND followup_score IS NULL",
                )
                .bind(case_id)
                .bind(i64::from(score))
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected()
                    == 1)
            }

            async fn close_case(
                &self,
                case_id: i64,
                outcome: domain::inbox::Outcome,
                root_cause: &str,
                now: i64,
                followup: Option<&NewMail>,
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let item: Option<i64> = sqlx::query_scalar(
                    "UPDATE cases SET closed_at = $2, outcome = $3, followup_sent_at = $4 WHERE id = $1 AND closed_at IS NULL \
                     AND EXISTS (SELECT 1 FROM case_contacts k WHERE k.case_id = $1) RETURNING item_id",
                )
                .bind(case_id)
                .bind(now)
                .bind(outcome.as_str())
                .bind(followup.map(|_| now))
                .fetch_optional(&mut *tx)
                .await?;
                let Some(item) = item else { return Ok(false) };
                sqlx::query("UPDATE inbox_items SET status = 'handled', root_cause = $2, updated_at = $3 WHERE id = $1")
                    .bind(item)
                    .bind(root_cause)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                if let Some(mail) = followup {
                    enqueue_mail!(&mut *tx, mail, now);
                }
                record_event!(&mut *tx, "case.closed", case_id, now);
                tx.commit().await?;
                Ok(true)
            }

            async fn overdue_cases(&self, now: i64) -> Result<Vec<OverdueCase>, StoreError> {
                let rows: Vec<(i64, i64, String, i64, Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT c.id, c.item_id, d.name, c.deadline_at, u.id, u.email, u.locale FROM cases c \
                     JOIN inbox_items i ON i.id = c.item_id JOIN departments d ON d.id = i.department_id \
                     LEFT JOIN users u ON u.id = d.lead_user_id \
                     WHERE c.closed_at IS NULL AND c.first_contact_at IS NULL AND c.escalated_at IS NULL \
                     AND c.deadline_at < $1 ORDER BY c.deadline_at, c.id LIMIT 500",
                )
                .bind(now)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(case_id, item_id, department, deadline_at, lead, email, locale)| OverdueCase {
                        case_id,
                        item_id,
                        department,
                        deadline_at,
                        lead: lead.zip(email).map(|(id, email)| (id, email, locale.unwrap_or_else(|| "nl".into()))),
                    })
                    .collect())
            }

            async fn escalate_case(
                &self,
                case: &OverdueCase,
                mail: Option<&NewMail>,
                now: i64,
            ) -> Result<bool, StoreError> {
                let mut tx = begin_write!($dialect, self.pool);
                let done = sqlx::query(
                    "UPDATE cases SET escalated_at = $2 WHERE id = $1 AND escalated_at IS NULL AND closed_at IS NULL",
                )
                .bind(case.case_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if !done {
                    return Ok(false);
                }
                if let Some((lead, _, _)) = &case.lead {
                    sqlx::query("UPDATE inbox_items SET assignee_id = $2, updated_at = $3 WHERE id = $1")
                        .bind(case.item_id)
                        .bind(lead)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(mail) = mail {
                    enqueue_mail!(&mut *tx, mail, now);
                }
                record_event!(&mut *tx, "case.escalated", case.case_id, now);
                tx.commit().await?;
                Ok(true)
            }

            async fn customer_cases(&self, customer_hash: &str) -> Result<Vec<CustomerCase>, StoreError> {
                let rows: Vec<(i64, String, i64, Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT i.id, d.name, c.opened_at, c.closed_at, c.outcome, i.root_cause FROM cases c \
                     JOIN inbox_items i ON i.id = c.item_id JOIN departments d ON d.id = i.department_id \
                     JOIN responses r ON r.id = i.response_id WHERE r.customer_hash = $1 \
                     ORDER BY c.opened_at DESC LIMIT 100",
                )
                .bind(customer_hash)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(item_id, department, opened_at, closed_at, outcome, root_cause)| CustomerCase {
                        item_id,
                        department,
                        opened_at,
                        closed_at,
                        outcome: outcome.as_deref().and_then(domain::inbox::Outcome::parse),
                        root_cause,
                    })
                    .collect())
            }

            async fn case_facts(
                &self,
                departments: Option<&[i64]>,
                from: i64,
                to: i64,
            ) -> Result<Vec<domain::inbox::CaseFact>, StoreError> {
                let filter = match departments {
                    None => String::new(),
                    Some([]) => return Ok(Vec::new()),
                    Some(list) => format!(
                        " AND i.department_id IN ({})",
                        crate::placeholders(3, list.len())
                    ),
                };
                let sql = format!(
                    "SELECT d.name, c.opened_at, c.deadline_at, c.first_contact_at, r.score, \
                     COALESCE(c.followup_score, (SELECT n.score FROM responses n WHERE r.customer_hash IS NOT NULL AND n.customer_hash = r.customer_hash \
                      AND n.score IS NOT NULL \
                      AND (n.created_at > r.created_at OR (n.created_at = r.created_at AND n.id > r.id)) \
                      ORDER BY n.created_at, n.id LIMIT 1)) \
                     FROM cases c JOIN inbox_items i ON i.id = c.item_id JOIN departments d ON d.id = i.department_id \
                     JOIN responses r ON r.id = i.response_id WHERE c.opened_at >= $1 AND c.opened_at < $2{filter}"
                );
                // COALESCE of a BIGINT and an INTEGER is a BIGINT on PostgreSQL.
                type Row = (String, i64, i64, Option<i64>, Option<i32>, Option<i64>);
                let mut query = sqlx::query_as::<_, Row>(&sql).bind(from).bind(to);
                for d in departments.unwrap_or_default() {
                    query = query.bind(*d);
                }
                Ok(query
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(|(department, opened_at, deadline_at, first_contact_at, score, next)| domain::inbox::CaseFact {
                        department,
                        opened_at,
                        deadline_at,
                        first_contact_at,
                        score: score.and_then(|s| u8::try_from(s).ok()),
                        next_score: next.and_then(|n| u8::try_from(n).ok()),
                    })
                    .collect())
            }
        }
    };
}
pub(crate) use department_store;

/// The routing rules, in order, from `$conn`.
macro_rules! load_rules {
    ($conn:expr) => {{
        let rows: Vec<(i64, String, i64, bool, String, String, String)> = sqlx::query_as(
            "SELECT id, name, position, enabled, all_conditions, any_conditions, targets \
             FROM routing_rules ORDER BY position, id",
        )
        .fetch_all($conn)
        .await?;
        rows.into_iter()
            .map(|(id, name, position, enabled, all, any, targets)| {
                Ok(domain::routing::Rule {
                    id,
                    name,
                    position,
                    enabled,
                    all: crate::rows::json("rule conditions", &all)?,
                    any: crate::rows::json("rule conditions", &any)?,
                    targets: crate::rows::json("rule targets", &targets)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?
    }};
}
pub(crate) use load_rules;

/// Responses routed per statement: far below both databases' limits on bound parameters.
pub(crate) const ROUTE_CHUNK: usize = 500;

/// An inbox line as [`ITEM_SELECT`] selects it.
#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    id: i64,
    department_id: i64,
    department: String,
    response_id: Option<i64>,
    idea_id: Option<i64>,
    score: Option<i32>,
    text: Option<String>,
    channel: Option<String>,
    status: String,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    root_cause: Option<String>,
    created_at: i64,
    rule_name: Option<String>,
    deadline_at: Option<i64>,
    first_contact_at: Option<i64>,
    closed_at: Option<i64>,
    escalated_at: Option<i64>,
    customer_hash: Option<String>,
    contact_email: Option<String>,
    respondent_locale: Option<String>,
}

/// An inbox line with the customer's key and (address, language) when they consented.
pub(crate) type ItemParts = (
    domain::inbox::InboxItem,
    Option<String>,
    Option<(String, String)>,
);

impl ItemRow {
    pub(crate) fn into_item(self) -> Result<ItemParts, klantstem_core::StoreError> {
        let status = domain::inbox::ItemStatus::parse(&self.status).ok_or(
            klantstem_core::StoreError::Corrupt {
                what: "inbox status",
                detail: self.status.clone(),
            },
        )?;
        Ok((
            domain::inbox::InboxItem {
                id: self.id,
                department_id: self.department_id,
                department: self.department,
                response_id: self.response_id,
                idea_id: self.idea_id,
                score: self.score.and_then(|s| u8::try_from(s).ok()),
                text: self.text,
                channel: self.channel,
                status,
                assignee: self
                    .assignee_id
                    .map(|id| (id, self.assignee_name.unwrap_or_default())),
                root_cause: self.root_cause,
                received_at: self.created_at,
                rule: self.rule_name,
                case: self.deadline_at.map(|deadline_at| domain::inbox::CaseLine {
                    deadline_at,
                    first_contact_at: self.first_contact_at,
                    closed_at: self.closed_at,
                    escalated: self.escalated_at.is_some(),
                }),
            },
            self.customer_hash,
            self.contact_email
                .map(|e| (e, self.respondent_locale.unwrap_or_else(|| "nl".into()))),
        ))
    }
}
