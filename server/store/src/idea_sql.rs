//! The SQL of idea lists that depends on the query: filters, search, order and page.

use crate::rows::CARD_SELECT;
use crate::Bind;
use domain::idea::{IdeaQuery, IdeaSort};

/// A `LIKE` pattern that finds `word` anywhere, with `%`, `_` and `\` taken literally.
fn contains_pattern(word: &str) -> String {
    let mut p = String::from("%");
    for c in word.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The conditions of a board's list after `WHERE`: `$1` is the board, `$2` the viewer (who
/// sees their own ideas awaiting moderation, as staff see all), then status, theme and every
/// search word (in the title or the text) from `$3`.
fn conditions(query: &IdeaQuery, staff: bool) -> (String, Vec<Bind>) {
    let mut sql = format!(
        "i.board_id = $1 AND i.merged_into IS NULL AND (i.visibility = 'visible' \
         OR (i.visibility = 'pending' AND ({staff} OR i.author_id = $2)))",
        staff = if staff { "1 = 1" } else { "1 = 0" }
    );
    let mut binds = Vec::new();
    let mut n = 3;
    if let Some(status) = &query.status {
        sql.push_str(&format!(" AND i.status = ${n}"));
        binds.push(Bind::Text(status.clone()));
        n += 1;
    }
    if let Some(theme) = &query.theme {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM idea_themes t WHERE t.idea_id = i.id AND t.theme_key = ${n})"
        ));
        binds.push(Bind::Text(theme.clone()));
        n += 1;
    }
    if let Some(search) = &query.search {
        for word in search.split_whitespace().take(6) {
            sql.push_str(&format!(
                " AND (LOWER(i.title_masked) LIKE ${n} ESCAPE '\\' \
                 OR LOWER(i.body_masked) LIKE ${n} ESCAPE '\\')"
            ));
            binds.push(Bind::Text(contains_pattern(word)));
            n += 1;
        }
    }
    (sql, binds)
}

/// The page of a board's ideas: `$1` board, `$2` viewer, the filters, and for trending the
/// current time last.
pub(crate) fn list_sql(query: &IdeaQuery, staff: bool, now: i64) -> (String, Vec<Bind>) {
    let (cond, mut binds) = conditions(query, staff);
    let order = match query.sort {
        // `domain::idea::trending_score` in SQL.
        IdeaSort::Trending => {
            binds.push(Bind::Int(now));
            let t = binds.len() + 2;
            format!(
                "(i.vote_count * 1.0) / ((({t} - i.created_at) / 86400.0 + 2.0) \
                 * (({t} - i.created_at) / 86400.0 + 2.0)) DESC, i.id DESC",
                t = format!("${t}")
            )
        }
        IdeaSort::Top => "i.vote_count DESC, i.id DESC".into(),
        IdeaSort::New => "i.created_at DESC, i.id DESC".into(),
    };
    let page = domain::idea::PAGE_SIZE;
    let offset = u64::from(query.page) * u64::from(page);
    let sql = format!(
        "{} WHERE {cond} ORDER BY {order} LIMIT {page} OFFSET {offset}",
        CARD_SELECT.replace("$V", "$2")
    );
    (sql, binds)
}

/// How many ideas of a board match: the parameters of [`list_sql`] without the time.
pub(crate) fn count_sql(query: &IdeaQuery, staff: bool) -> (String, Vec<Bind>) {
    let (cond, binds) = conditions(query, staff);
    (format!("SELECT COUNT(*) FROM ideas i WHERE {cond}"), binds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_literal_patterns() {
        assert_eq!(contains_pattern("100%_a\\"), "%100\\%\\_a\\\\%");
        assert_eq!(crate::placeholders(3, 2), "$3, $4");
    }
}
