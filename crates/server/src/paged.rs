//! A story report with its member-heavy lists cut to a page: what
//! `GET /stories/{id}?offset=&limit=` answers. The full report stays the default answer (the
//! JSON contract); a story of 2,900 copies weighs 7.7 MB, nearly all of it lists that name
//! every copy (members, origin groups, derivations, each fact's support, each quote's
//! wordings). Works on the report as JSON, so fields added to the contract pass through.
//!
//! ## Wire format
//! The story object of the contract, with:
//! - `articles`: the members `offset..offset + limit` (the report's order), and
//!   `articles_total`;
//! - `origin_groups`: the first `limit` groups, each cut to its first `limit` ids, with
//!   `origin_groups_total` and `origin_group_sizes` (the full size of each group kept);
//! - `derivations` and `why`: the first `limit` entries, with `derivations_total` and
//!   `why_total`;
//! - inside each entity, quote, fact, conflict side, timeline entry and summary line, the
//!   list of articles (`articles`, `variants`, `support`) cut to its first `limit` entries,
//!   with `<list>_total` beside it;
//! - `paging`: `{"offset", "limit"}`.
//!
//! Facts, conflicts, quotes, the timeline and the summary stay complete; counts such as
//! `independent_sources` and `independent_support` are those of the whole story. Every
//! span kept keeps its byte offsets into its article's original text.

use serde_json::{json, Map, Value};

/// Most members (and list entries) per page.
pub const MAX_LIMIT: usize = 1000;
/// Members per page when only `offset` is given.
pub const DEFAULT_LIMIT: usize = 100;

/// Cuts `obj[field]` (an array) to `range` and records its length as `<field>_total`.
/// Nothing happens when the field is not an array.
fn cut(obj: &mut Map<String, Value>, field: &str, offset: usize, limit: usize) {
    let Some(Value::Array(items)) = obj.get_mut(field) else { return };
    let total = items.len();
    let end = offset.saturating_add(limit).min(total);
    let kept: Vec<Value> = items.drain(offset.min(total)..end).collect();
    *items = kept;
    obj.insert(format!("{field}_total"), json!(total));
}

/// [`cut`] from the start, in every object of the array `obj[list]`.
fn cut_each(obj: &mut Map<String, Value>, list: &str, field: &str, limit: usize) {
    if let Some(Value::Array(items)) = obj.get_mut(list) {
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            cut(item, field, 0, limit);
        }
    }
}

/// The story report `json` (its stored text) with its member lists cut to the page
/// `offset`, `limit` (see the module docs). An error when `json` is not a JSON object.
pub fn page(json: &str, offset: usize, limit: usize) -> Result<String, serde_json::Error> {
    let mut story: Map<String, Value> = serde_json::from_str(json)?;
    cut(&mut story, "articles", offset, limit);
    if let Some(Value::Array(groups)) = story.get_mut("origin_groups") {
        let sizes: Vec<usize> =
            groups.iter().take(limit).map(|g| g.as_array().map_or(0, Vec::len)).collect();
        for g in groups.iter_mut() {
            if let Value::Array(ids) = g {
                ids.truncate(limit);
            }
        }
        story.insert("origin_group_sizes".into(), json!(sizes));
    }
    cut(&mut story, "origin_groups", 0, limit);
    cut(&mut story, "derivations", 0, limit);
    cut(&mut story, "why", 0, limit);
    cut_each(&mut story, "entities", "articles", limit);
    cut_each(&mut story, "quotes", "variants", limit);
    cut_each(&mut story, "facts", "support", limit);
    cut_each(&mut story, "timeline", "articles", limit);
    cut_each(&mut story, "summary", "support", limit);
    if let Some(Value::Array(conflicts)) = story.get_mut("conflicts") {
        for c in conflicts.iter_mut().filter_map(Value::as_object_mut) {
            cut_each(c, "sides", "support", limit);
        }
    }
    story.insert("paging".into(), json!({ "offset": offset, "limit": limit }));
    serde_json::to_string(&story)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(n: usize) -> String {
        let ids: Vec<String> = (0..n).map(|k| format!("a{k}")).collect();
        let support: Vec<Value> = ids
            .iter()
            .map(|id| json!({"article": id, "sentence": "S.", "start": 3, "end": 5}))
            .collect();
        json!({
            "id": "s1", "headline": "h", "articles": ids,
            "origin_groups": [ids[..n - 1].to_vec(), [ids[n - 1].clone()]],
            "independent_sources": 2,
            "derivations": ids[1..n - 1].iter().map(|id| json!({"article": id, "from": "a0", "kind": "copy", "score": 1.0})).collect::<Vec<_>>(),
            "entities": [{"name": "X", "kind": "misc", "aliases": [], "articles": ids, "mentions": n}],
            "quotes": [{"speaker": null, "text": "q", "variants": ids.iter().map(|id| json!({"article": id, "text": "q", "start": 0, "end": 1})).collect::<Vec<_>>()}],
            "facts": [{"text": "S.", "support": support, "independent_support": 2}],
            "conflicts": [{"topic": "t", "sides": [{"value": "1", "support": support}]}],
            "timeline": [{"date": "2024", "text": "S.", "articles": ids}],
            "summary": [{"text": "S.", "support": ids}],
            "future_field": {"kept": true},
        })
        .to_string()
    }

    #[test]
    fn every_member_list_is_cut_and_counted() {
        let paged: Value =
            serde_json::from_str(&page(&story(10), 4, 3).expect("page")).expect("json");
        assert_eq!(paged["articles"], json!(["a4", "a5", "a6"]));
        assert_eq!(paged["articles_total"], 10);
        assert_eq!(paged["origin_groups"], json!([["a0", "a1", "a2"], ["a9"]]));
        assert_eq!(paged["origin_group_sizes"], json!([9, 1]));
        assert_eq!(paged["origin_groups_total"], 2);
        assert_eq!(paged["derivations_total"], 8);
        assert_eq!(paged["derivations"].as_array().map(Vec::len), Some(3));
        for (list, field) in [
            ("entities", "articles"),
            ("quotes", "variants"),
            ("facts", "support"),
            ("timeline", "articles"),
            ("summary", "support"),
        ] {
            assert_eq!(paged[list][0][field].as_array().map(Vec::len), Some(3), "{list}");
            assert_eq!(paged[list][0][format!("{field}_total")], 10, "{list}");
        }
        let side = &paged["conflicts"][0]["sides"][0];
        assert_eq!(
            (side["support"].as_array().map(Vec::len), &side["support_total"]),
            (Some(3), &json!(10))
        );
        assert_eq!(paged["facts"][0]["support"][0]["start"], 3, "offsets kept");
        assert_eq!(paged["independent_sources"], 2);
        assert_eq!(paged["future_field"], json!({"kept": true}));
        assert_eq!(paged["paging"], json!({"offset": 4, "limit": 3}));
    }

    proptest::proptest! {
        /// Any page: `articles` is that slice of the members, no list is longer than
        /// `limit`, and every `_total` is the length of the whole list.
        #[test]
        fn a_page_is_a_slice_and_totals_are_whole(n in 2usize..40, offset in 0usize..50, limit in 1usize..50) {
            let full: Value = serde_json::from_str(&story(n)).expect("json");
            let paged: Value = serde_json::from_str(&page(&story(n), offset, limit).expect("page")).expect("json");
            let members = full["articles"].as_array().expect("articles");
            let want: Vec<Value> = members.iter().skip(offset).take(limit).cloned().collect();
            proptest::prop_assert_eq!(paged["articles"].as_array().expect("page"), &want);
            proptest::prop_assert_eq!(&paged["articles_total"], &json!(n));
            for g in paged["origin_groups"].as_array().expect("groups") {
                proptest::prop_assert!(g.as_array().map_or(0, Vec::len) <= limit);
            }
            for (list, field) in [("facts", "support"), ("quotes", "variants"), ("timeline", "articles")] {
                let item = &paged[list][0];
                proptest::prop_assert_eq!(item[field].as_array().map(Vec::len), Some(n.min(limit)));
                proptest::prop_assert_eq!(&item[format!("{field}_total")], &json!(n));
            }
        }
    }

    #[test]
    fn offsets_past_the_end_give_an_empty_page() {
        for (offset, limit, want) in [(10, 5, 0), (8, 5, 2), (0, 100, 10), (usize::MAX, 1, 0)] {
            let paged: Value =
                serde_json::from_str(&page(&story(10), offset, limit).expect("page"))
                    .expect("json");
            assert_eq!(paged["articles"].as_array().map(Vec::len), Some(want), "{offset} {limit}");
        }
        assert!(page("[1, 2]", 0, 1).is_err(), "not a story object");
    }
}
