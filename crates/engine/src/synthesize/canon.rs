//! Entity canonicalisation across a story's articles: one entity per real thing.
//!
//! Surface forms are cleaned (possessive, leading "the" and titles dropped), then merged
//! by general rules: same transliteration key ("Tartus"/"Tartous", "al-Assad"/"Assad"),
//! surname ↔ full person name, acronym ↔ expansion (initials, or an "X (ACR)" pattern in
//! the text). Keys compare whole words, so "Austria"/"Australia", "Iran"/"Iraq" and
//! "Sudan"/"South Sudan" stay apart. Hand-written: no crate does news entity linking.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

use unicode_normalization::UnicodeNormalization;

use crate::analyze::entity::designate::{designators, DES_LOC_HEAD};
use crate::analyze::entity::features::{gaz_class, GAZ_TITLE};
use crate::analyze::entity::rules::strip_prefix;
use crate::pipeline::Batch;
use crate::record::{ArticleIdx, EntityKind, Mention};
use crate::report::EntityReport;

/// One entity across a story's articles.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: EntityKind,
    /// Other surface forms.
    pub aliases: Vec<String>,
    /// Articles that mention it.
    pub articles: Vec<ArticleIdx>,
    /// Number of mentions.
    pub mentions: usize,
}

/// The entities of a story, and which mention belongs to which.
#[derive(Debug, Clone, Default)]
pub struct EntityTable {
    /// Entities, most mentioned first.
    pub entities: Vec<Entity>,
    /// The forms (name and aliases) of each entity, parallel to `entities`, built once.
    forms: Vec<Vec<Form>>,
    /// Lookups over `forms` for [`EntityTable::index_of`], built once with them.
    lookup: Lookup,
    /// The names [`EntityTable::index_of`] resolved, with their answers.
    resolved: Resolved,
}

/// A memo of [`EntityTable::index_of`] by name: speakers and actors are resolved once per
/// mention, and copies repeat them. The answer is a function of the name and of the
/// table, which does not change after [`EntityTable::new`] (its lookups are built there).
#[derive(Debug, Default)]
struct Resolved(Mutex<HashMap<String, Option<usize>>>);

impl Resolved {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<usize>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clone for Resolved {
    fn clone(&self) -> Self {
        Resolved(Mutex::new(self.lock().clone()))
    }
}

/// Indexes over an [`EntityTable`]'s forms, so that resolving a name looks only at the
/// entities that can match instead of scanning all of them (a story of a thousand articles
/// has thousands of entities, and every quote speaker is resolved). Entity indices in each
/// list are ascending, so the first hit is the first entity a full scan would find.
#[derive(Debug, Clone, Default)]
struct Lookup {
    /// Whole key → first entity with a form of that key.
    by_key: HashMap<String, usize>,
    /// Last word key → (entity, form) of each form with at least one word, for suffixes.
    by_last: HashMap<String, Vec<(usize, usize)>>,
    /// Initials → entities with a form of two or more words and those initials (acronyms).
    by_initials: HashMap<String, Vec<usize>>,
    /// Word key → entities with a form containing that word.
    by_word: HashMap<String, Vec<usize>>,
}

impl Lookup {
    fn new(forms: &[Vec<Form>]) -> Lookup {
        let mut l = Lookup::default();
        // Pushes `i` unless it is already the list's last entry (lists stay ascending).
        fn push(list: &mut Vec<usize>, i: usize) {
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
        for (i, fs) in forms.iter().enumerate() {
            for (k, f) in fs.iter().enumerate() {
                l.by_key.entry(f.key.clone()).or_insert(i);
                if let Some(last) = f.words.last() {
                    l.by_last.entry(last.clone()).or_default().push((i, k));
                }
                if f.words.len() >= 2 {
                    push(l.by_initials.entry(f.initials.clone()).or_default(), i);
                }
                for w in &f.words {
                    push(l.by_word.entry(w.clone()).or_default(), i);
                }
            }
        }
        l
    }
}

impl EntityTable {
    /// A table of `entities` (their forms are computed once, here).
    pub fn new(entities: Vec<Entity>) -> EntityTable {
        let forms = entities
            .iter()
            .map(|e| {
                std::iter::once(&e.name).chain(&e.aliases).filter_map(|a| Form::new(a)).collect()
            })
            .collect::<Vec<Vec<Form>>>();
        let lookup = Lookup::new(&forms);
        EntityTable { entities, forms, lookup, resolved: Resolved::default() }
    }

    /// The entity a name (any alias, surname, acronym, title form) refers to. A mention
    /// belongs to `resolve(&mention.text)`.
    pub fn resolve(&self, name: &str) -> Option<&Entity> {
        self.index_of(name).and_then(|i| self.entities.get(i))
    }

    /// Index in `entities` of the entity `name` refers to: the first entity with a form of
    /// the same key, else the first with a form that `name` is a word suffix or an acronym
    /// of, else (a single word) the first person with a form containing that word.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        if let Some(&known) = self.resolved.lock().get(name) {
            return known;
        }
        let found = self.look_up(name);
        self.resolved.lock().insert(name.to_string(), found);
        found
    }

    /// [`EntityTable::index_of`], worked out.
    fn look_up(&self, name: &str) -> Option<usize> {
        let form = Form::new(&clean_form(name))?;
        let l = &self.lookup;
        if let Some(&i) = l.by_key.get(&form.key) {
            return Some(i);
        }
        // `Form::new` never returns an empty `words`, so a suffix ends with its last word.
        let suffix = form.words.last().and_then(|last| {
            l.by_last
                .get(last)?
                .iter()
                .find(|&&(i, k)| is_suffix(&form.words, &self.forms[i][k].words))
                .map(|&(i, _)| i)
        });
        let acronym = if form.acronym {
            l.by_initials.get(&form.text).and_then(|is| is.first().copied())
        } else {
            None
        };
        let partial = match (suffix, acronym) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        partial.or_else(|| {
            let [word] = form.words.as_slice() else { return None };
            l.by_word
                .get(word)?
                .iter()
                .copied()
                .find(|&i| self.entities.get(i).is_some_and(|e| e.kind == EntityKind::Person))
        })
    }

    /// Report entries.
    pub fn to_reports(&self, batch: &Batch) -> Vec<EntityReport> {
        self.entities
            .iter()
            .map(|e| EntityReport {
                name: e.name.clone(),
                kind: e.kind.as_str().into(),
                aliases: e.aliases.clone(),
                articles: e.articles.iter().map(|&i| batch.articles[i].id.clone()).collect(),
                mentions: e.mentions,
            })
            .collect()
    }
}

/// Merges the mentions of `members` into entities.
pub fn canonicalize(batch: &Batch, members: &[ArticleIdx]) -> EntityTable {
    let docs: Vec<Doc> = members
        .iter()
        .filter_map(|&a| {
            let text = batch.repaired.get(a)?.text.as_str();
            let mentions = batch.analyzed.get(a)?.mentions.as_slice();
            Some(Doc { article: a, text, mentions })
        })
        .collect();
    canonicalize_docs(&docs)
}

/// One article's text and mentions, as canonicalisation reads them.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// Article index.
    pub article: ArticleIdx,
    /// Text the mention spans point into.
    pub text: &'a str,
    /// Mentions, in order.
    pub mentions: &'a [Mention],
}

/// A cleaned surface form with its transliteration keys.
#[derive(Debug, Clone)]
struct Form {
    text: String,
    /// Per-word keys (articles and particles dropped).
    words: Vec<String>,
    /// The whole key.
    key: String,
    /// Uppercase initials of the content words.
    initials: String,
    /// Whether `text` is an acronym: 2 to 6 characters, all uppercase.
    acronym: bool,
    /// Whether `text` starts with a ship prefix ("MV Orla Grey").
    vessel: bool,
}

/// Words ignored in keys and initials.
fn is_filler(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "al" | "el" | "the" | "of" | "and" | "for" | "&" | "de" | "du" | "la" | "le" | "in" | "on"
    )
}

impl Form {
    fn new(text: &str) -> Option<Form> {
        // A ship prefix is not part of the key: "MV Orla Grey" is "Orla Grey".
        let vessel = text.split_whitespace().nth(1).is_some()
            && text.split_whitespace().next().is_some_and(|w| designators().is_vessel_prefix(w));
        let words: Vec<String> = text
            .split_whitespace()
            .skip(usize::from(vessel))
            .filter(|w| !is_filler(w))
            .map(|w| translit_key(core(w)))
            .filter(|k| !k.is_empty())
            .collect();
        if words.is_empty() {
            return None;
        }
        let initials = text
            .split_whitespace()
            .skip(usize::from(vessel))
            .filter(|w| !is_filler(w))
            .filter_map(|w| core(w).chars().next())
            .flat_map(char::to_uppercase)
            .collect();
        let n = text.chars().count();
        let acronym = (2..=6).contains(&n) && text.chars().all(|c| c.is_uppercase());
        Some(Form {
            text: text.to_string(),
            key: words.join(" "),
            words,
            initials,
            acronym,
            vessel,
        })
    }

    /// Whether `self` is an acronym of `other` ("HTS" of "Hayat Tahrir al-Sham").
    fn acronym_of(&self, other: &Form) -> bool {
        self.acronym && other.words.len() >= 2 && other.initials == self.text
    }
}

/// A word without its Arabic article, in any case (`al-Assad`, `Al-Assad` → `Assad`).
fn core(w: &str) -> &str {
    let lower = w.get(..3).map(str::to_lowercase);
    match lower.as_deref() {
        Some("al-" | "el-") if w.len() > 3 => w.get(3..).unwrap_or(w),
        _ => strip_prefix(w),
    }
}

/// Whether `a` is a proper suffix of `b` word-wise.
fn is_suffix(a: &[String], b: &[String]) -> bool {
    a.len() < b.len() && b.ends_with(a)
}

/// Cleans a mention's text: trims punctuation, drops a possessive, a leading "the" and
/// leading titles ("Mr.", "President"), and collapses whitespace.
pub fn clean_form(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let mut words: Vec<&str> = trimmed.split_whitespace().collect();
    if let Some(last) = words.last_mut() {
        for suffix in ["'s", "’s", "'", "’"] {
            if let Some(s) = last.strip_suffix(suffix).filter(|s| !s.is_empty()) {
                *last = s;
                break;
            }
        }
    }
    while words.len() > 1
        && (words[0].eq_ignore_ascii_case("the") || gaz_class(words[0]) & GAZ_TITLE != 0)
    {
        words.remove(0);
    }
    words.join(" ").trim_end_matches('.').to_string()
}

/// A transliteration-aware key of one word: lowercase ASCII-folded, `kh`→`h`, `q`→`k`,
/// `ph`→`f`, `aw`/`ow`→`o`, `ou`/`oo`/`o`→`u`, `ei`/`ey`/`ai`/`ay`/`ee`/`y`→`i`, doubled
/// letters collapsed, a final `-ah` → `-a`, non-letters dropped.
pub fn translit_key(word: &str) -> String {
    // The filters keep ASCII letters and digits only; an ASCII word (nearly every one)
    // decomposes to itself and lowercases byte by byte.
    let mut s: Vec<u8> = if word.is_ascii() {
        word.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_lowercase()).collect()
    } else {
        let folded: String = word
            .nfd()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .filter(char::is_ascii_alphanumeric)
            .collect();
        folded.into_bytes()
    };
    for (from, to) in TRANSLIT {
        replace_shorter(&mut s, from, to);
    }
    let mut out = String::with_capacity(s.len());
    for &b in &s {
        // ASCII only (see above): a byte is a char.
        if out.as_bytes().last() != Some(&b) {
            out.push(char::from(b));
        }
    }
    // Final "-ah" / "-eh" is the same Arabic ending as "-a" (Raqqah / Raqqa).
    if out.len() > 3 && out.ends_with('h') && out[..out.len() - 1].ends_with(['a', 'e']) {
        out.pop();
    }
    out
}

/// The spelling rules of [`translit_key`], applied in order, each to the whole word.
const TRANSLIT: [(&[u8], &[u8]); 15] = [
    (b"kh", b"h"),
    (b"ph", b"f"),
    (b"q", b"k"),
    (b"ck", b"k"),
    (b"aw", b"o"),
    (b"ow", b"o"),
    (b"ou", b"u"),
    (b"oo", b"u"),
    (b"o", b"u"),
    (b"ei", b"i"),
    (b"ey", b"i"),
    (b"ai", b"i"),
    (b"ay", b"i"),
    (b"ee", b"i"),
    (b"y", b"i"),
];

/// `str::replace(from, to)` in place, for a `to` no longer than `from`: the
/// non-overlapping occurrences of `from`, found left to right in the original bytes, are
/// replaced (the write position never passes the read position, so the scan reads only
/// original bytes).
fn replace_shorter(s: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    debug_assert!(to.len() <= from.len() && !from.is_empty());
    if from.first().is_none_or(|b| !s.contains(b)) {
        return;
    }
    let (mut r, mut w) = (0, 0);
    while r < s.len() {
        // Byte by byte (rules are one or two letters): cheaper than a call to memcmp.
        if from.iter().enumerate().all(|(k, b)| s.get(r + k) == Some(b)) {
            s[w..w + to.len()].copy_from_slice(to);
            w += to.len();
            r += from.len();
        } else {
            s[w] = s[r];
            w += 1;
            r += 1;
        }
    }
    s.truncate(w);
}

/// Aggregated statistics of one distinct cleaned form.
#[derive(Debug, Clone)]
struct FormStats {
    form: Form,
    votes: [usize; 4],
    count: usize,
    articles: Vec<ArticleIdx>,
}

const KINDS: [EntityKind; 4] =
    [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc];

impl FormStats {
    fn kind(&self) -> EntityKind {
        KINDS[(0..4).max_by_key(|&k| (self.votes[k], 4 - k)).unwrap_or(0)]
    }
}

/// Merges the mentions of `docs` into entities.
pub fn canonicalize_docs(docs: &[Doc]) -> EntityTable {
    let mut stats: Vec<FormStats> = Vec::new();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    let mut links: Vec<(usize, usize)> = Vec::new();
    for doc in docs {
        let mut prev: Option<(usize, &Mention)> = None;
        for m in doc.mentions {
            // A name repeats through a story: its form (transliteration keys and all) is
            // made once, for its first mention.
            let text = clean_form(&m.text);
            let id = match by_text.get(&text) {
                Some(&id) => id,
                None => {
                    let Some(form) = Form::new(&text) else {
                        continue;
                    };
                    stats.push(FormStats { form, votes: [0; 4], count: 0, articles: Vec::new() });
                    by_text.insert(text, stats.len() - 1);
                    stats.len() - 1
                }
            };
            let s = &mut stats[id];
            s.votes[KINDS.iter().position(|&k| k == vote_of(doc.text, m)).unwrap_or(3)] += 1;
            s.count += 1;
            s.articles.push(doc.article);
            if let Some((pid, pm)) = prev {
                // "X (ACR)": the acronym of a long name; a one-word name ("de Varnes
                // (VMSA)", a mistagged part) expands no acronym.
                let long = stats[pid].form.words.len() >= 2;
                if long && is_parenthesised_after(doc.text, pm, m) && stats[id].form.acronym {
                    links.push((pid, id));
                }
            }
            prev = Some((id, m));
        }
    }
    links.extend(place_head_links(&stats));
    let groups = group_forms(&stats, &links);
    let mut entities: Vec<Entity> = groups.iter().map(|g| entity_of(&stats, g)).collect();
    entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
    EntityTable::new(entities)
}

/// The kind a mention votes for: its tagged kind, except that an organisation or misc name
/// right before a lowercase place word ("off Kessaly Point on the Varnes coast", "the Lenn
/// estuary", "the Osterlin border") is a place by what the text says of it.
fn vote_of(text: &str, m: &Mention) -> EntityKind {
    if !matches!(m.kind, EntityKind::Organization | EntityKind::Misc) {
        return m.kind;
    }
    let after = text.get(m.span.end..).unwrap_or("");
    // The next word must follow a space (not "Varnes-coast", not "Varnes, coast").
    let next = after.strip_prefix(' ').and_then(|a| a.split_whitespace().next()).unwrap_or("");
    let next = next.trim_end_matches(|c: char| !c.is_alphanumeric());
    if designators().is_lowercase_place_word(next) {
        EntityKind::Location
    } else {
        m.kind
    }
}

/// The winning kind of `votes` (in [`KINDS`] order). A tie goes to person, then
/// organisation, location, misc; but a one-word name tied between organisation and location
/// is a place ("Varnes" tagged once each way): one word rarely names a firm that the same
/// story also tags as a place, while place names are often tagged as the authority of the
/// place.
fn winning_kind(votes: [usize; 4], one_word: bool) -> EntityKind {
    let best = votes.iter().copied().max().unwrap_or(0);
    let (org, loc) = (1, 2);
    if one_word && best > 0 && votes[0] < best && votes[org] == best && votes[loc] == best {
        return EntityKind::Location;
    }
    KINDS[(0..4).max_by_key(|&k| (votes[k], 4 - k)).unwrap_or(0)]
}

/// Links a place named without its head word to the one place of the story that has it:
/// "the Kessaly rocks" → "Kessaly" is "Kessaly Point" when the story names no other
/// "Kessaly <head>" ("Kessaly Bay"). Head words are the `@LOC_HEAD` designators; the long
/// form must be a place by its votes ("Tarvik Line", a firm, takes no "Tarvik") and the
/// short one no person (the tagger often calls a lone "Kessaly" misc or organisation).
fn place_head_links(stats: &[FormStats]) -> Vec<(usize, usize)> {
    // Base key → (head word, form) of every headed place; spellings of one name
    // ("Kessaly Point", "Kessali Point") share a key and a head.
    let mut by_base: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    for (j, t) in stats.iter().enumerate() {
        let n = t.form.words.len();
        let head = t.form.text.split_whitespace().last().unwrap_or("");
        if n >= 2
            && t.kind() == EntityKind::Location
            && designators().class_bits(head) & DES_LOC_HEAD != 0
        {
            let base = t.form.words[..n - 1].join(" ");
            by_base.entry(base).or_default().push((head.to_lowercase(), j));
        }
    }
    let mut links = Vec::new();
    for (i, s) in stats.iter().enumerate() {
        let Some(headed) = by_base.get(&s.form.key) else {
            continue;
        };
        let one_head = headed.windows(2).all(|w| w[0].0 == w[1].0);
        if s.kind() != EntityKind::Person && one_head {
            links.extend(headed.iter().map(|&(_, j)| (i, j)));
        }
    }
    links
}

/// Whether the text between two mentions is ` (` and `)` follows the second.
fn is_parenthesised_after(text: &str, first: &Mention, second: &Mention) -> bool {
    let between = text.get(first.span.end..second.span.start).unwrap_or("");
    let after = text.get(second.span.end..).unwrap_or("");
    between.trim() == "(" && after.trim_start().starts_with(')')
}

/// Union-find over form ids; returns the groups.
fn group_forms(stats: &[FormStats], links: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..stats.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let union = |p: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            p[rb] = ra;
        }
    };
    for &(a, b) in links {
        union(&mut parent, a, b);
    }
    // Same key: one thing spelled differently.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for (i, s) in stats.iter().enumerate() {
        match by_key.get(s.form.key.as_str()) {
            Some(&j) => union(&mut parent, j, i),
            None => {
                by_key.insert(&s.form.key, i);
            }
        }
    }
    let index = LongerIndex::new(stats);
    for i in 0..stats.len() {
        if let Some(j) = best_longer_match(stats, &index, i) {
            union(&mut parent, j, i);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..stats.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

/// The most mentioned longer form that `i` shortens: a person's surname (word suffix of a
/// person name, same kind or untyped), or an acronym of a multi-word name. Only forms that
/// end with `i`'s last word or have `i`'s text as initials can qualify; `index` lists them
/// (see [`LongerIndex`]), in ascending order like a scan of all forms would meet them.
fn best_longer_match(stats: &[FormStats], index: &LongerIndex, i: usize) -> Option<usize> {
    let s = &stats[i];
    let by_last = s.form.words.last().and_then(|w| index.by_last.get(w.as_str()));
    let by_initials =
        if s.form.acronym { index.by_initials.get(s.form.text.as_str()) } else { None };
    let mut cands: Vec<usize> = by_last.into_iter().chain(by_initials).flatten().copied().collect();
    cands.sort_unstable();
    cands.dedup();
    let candidates = cands.into_iter().map(|j| (j, &stats[j])).filter(|&(j, t)| {
        if j == i {
            return false;
        }
        let surname = is_surname_of(s, t);
        let acronym = s.form.acronym_of(&t.form) && t.kind() != EntityKind::Person;
        surname || acronym
    });
    candidates.max_by_key(|(_, t)| (t.count, t.form.words.len())).map(|(j, _)| j)
}

/// Whether `s` is the surname of the person `t`: a word suffix of it, tagged a person at
/// least half the time. A bare place or organisation name ("Varnes") never joins a longer
/// name that merely ends with it ("… de Varnes").
fn is_surname_of(s: &FormStats, t: &FormStats) -> bool {
    is_suffix(&s.form.words, &t.form.words)
        && t.kind() == EntityKind::Person
        && (s.kind() == EntityKind::Person || s.votes[0] * 2 >= s.count)
}

/// The forms of a story by last word and (multi-word forms) by initials, in ascending
/// order: the only forms [`best_longer_match`] can pick, so it need not scan them all.
struct LongerIndex<'a> {
    by_last: HashMap<&'a str, Vec<usize>>,
    by_initials: HashMap<&'a str, Vec<usize>>,
}

impl<'a> LongerIndex<'a> {
    fn new(stats: &'a [FormStats]) -> LongerIndex<'a> {
        let mut by_last: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_initials: HashMap<&str, Vec<usize>> = HashMap::new();
        for (j, t) in stats.iter().enumerate() {
            if let Some(w) = t.form.words.last() {
                by_last.entry(w.as_str()).or_default().push(j);
            }
            if t.form.words.len() >= 2 {
                by_initials.entry(t.form.initials.as_str()).or_default().push(j);
            }
        }
        LongerIndex { by_last, by_initials }
    }
}

/// Votes per mention of a form that carries a ship prefix, against 1 for a plain form.
const DESIGNATED_WEIGHT: usize = 3;

fn entity_of(stats: &[FormStats], group: &[usize]) -> Entity {
    let mut votes = [0usize; 4];
    let mut articles = Vec::new();
    let mut mentions = 0;
    for &i in group {
        // Story-level vote over all mentions of all forms; a form whose own words say
        // what it is (a ship prefix: "MV Brisa Hale") outweighs the tagger's guesses on
        // the bare name in articles that drop the prefix.
        let weight = if stats[i].form.vessel { DESIGNATED_WEIGHT } else { 1 };
        for (v, add) in votes.iter_mut().zip(stats[i].votes) {
            *v += add * weight;
        }
        articles.extend_from_slice(&stats[i].articles);
        mentions += stats[i].count;
    }
    articles.sort_unstable();
    articles.dedup();
    let one_word = group.iter().all(|&i| stats[i].form.words.len() == 1);
    let kind = winning_kind(votes, one_word);
    let mut forms: Vec<&FormStats> = group.iter().map(|&i| &stats[i]).collect();
    forms.sort_by(|a, b| {
        let rank = |f: &FormStats| {
            (f.form.words.len().min(4), f.count, !f.form.acronym, f.form.text.len())
        };
        rank(b).cmp(&rank(a)).then_with(|| a.form.text.cmp(&b.form.text))
    });
    let name = forms.first().map(|f| f.form.text.clone()).unwrap_or_default();
    let aliases = forms.iter().skip(1).map(|f| f.form.text.clone()).collect();
    Entity { name, kind, aliases, articles, mentions }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocation-per-rule form of [`translit_key`] that it replaced (the oracle).
    fn translit_key_by_replace(word: &str) -> String {
        let mut s: String = word
            .nfd()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .filter(char::is_ascii_alphanumeric)
            .collect();
        for (from, to) in TRANSLIT {
            let (from, to) = (std::str::from_utf8(from), std::str::from_utf8(to));
            if let (Ok(from), Ok(to)) = (from, to) {
                s = s.replace(from, to);
            }
        }
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if !out.ends_with(c) {
                out.push(c);
            }
        }
        if out.len() > 3 && out.ends_with('h') && out[..out.len() - 1].ends_with(['a', 'e']) {
            out.pop();
        }
        out
    }

    proptest::proptest! {
        /// The in-place key equals the replace-per-rule key on words of the letters the
        /// rules read, accented and foreign letters, digits and punctuation.
        #[test]
        fn translit_key_matches_the_replace_oracle(word in "[khpqcawouyeiAKHÉéøßİ1.'-]{0,14}") {
            proptest::prop_assert_eq!(translit_key(&word), translit_key_by_replace(&word));
        }
    }

    use crate::record::Span;

    /// Builds a doc from text, marking each `[kind:text]` occurrence as a mention.
    fn doc(article: ArticleIdx, text: &str, marks: &[(&str, EntityKind)]) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut from = 0;
        for &(m, kind) in marks {
            let Some(pos) = text[from..].find(m) else { panic!("{m} not in {text}") };
            let start = from + pos;
            out.push(Mention { span: Span::new(start, start + m.len()), kind, text: m.into() });
            from = start + m.len();
        }
        let _ = article;
        out
    }

    fn table(docs: &[(&str, Vec<Mention>)]) -> EntityTable {
        let docs: Vec<Doc> = docs
            .iter()
            .enumerate()
            .map(|(i, (t, m))| Doc { article: i, text: t, mentions: m })
            .collect();
        canonicalize_docs(&docs)
    }

    #[test]
    fn kinds_follow_the_place_word_after_a_name_and_one_word_ties_are_places() {
        use EntityKind::*;
        // (articles: text and tagged mentions), name, expected kind.
        type Case<'a> = (Vec<(&'a str, Vec<(&'a str, EntityKind)>)>, &'a str, EntityKind);
        let cases: Vec<Case> = vec![
            // A place word after the name outvotes the tagger.
            (
                vec![("It sank off the Dornay coast.", vec![("Dornay", Organization)])],
                "Dornay",
                Location,
            ),
            (vec![("Boats left the Quelm estuary.", vec![("Quelm", Misc)])], "Quelm", Location),
            (
                vec![("Troops at the Azra border, then.", vec![("Azra", Organization)])],
                "Azra",
                Location,
            ),
            // Not after a comma, nor for a person, nor for a capitalised word.
            (
                vec![("Then Dornay, coast guards said.", vec![("Dornay", Organization)])],
                "Dornay",
                Organization,
            ),
            (
                vec![("Anna Brel region head said.", vec![("Anna Brel", Person)])],
                "Anna Brel",
                Person,
            ),
            (
                vec![("Dornay Coast Guard said so.", vec![("Dornay", Organization)])],
                "Dornay",
                Organization,
            ),
            // A one-word tie between organisation and location is a place …
            (
                vec![
                    (
                        "Unions in Caldo and Dornay met.",
                        vec![("Caldo", Location), ("Dornay", Organization)],
                    ),
                    ("Rain hit Dornay today.", vec![("Dornay", Location)]),
                ],
                "Dornay",
                Location,
            ),
            // … a longer name's tie is not, and a majority stands.
            (
                vec![
                    ("Dornay Fleet said.", vec![("Dornay Fleet", Organization)]),
                    ("At Dornay Fleet today.", vec![("Dornay Fleet", Location)]),
                ],
                "Dornay Fleet",
                Organization,
            ),
            (
                vec![
                    ("Dornay said.", vec![("Dornay", Organization)]),
                    ("Dornay said again.", vec![("Dornay", Organization)]),
                    ("In Dornay.", vec![("Dornay", Location)]),
                ],
                "Dornay",
                Organization,
            ),
        ];
        for (articles, name, want) in cases {
            let docs: Vec<(&str, Vec<Mention>)> =
                articles.iter().enumerate().map(|(i, (t, m))| (*t, doc(i, t, m))).collect();
            let t = table(&docs);
            let e = t.resolve(name).unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(e.kind, want, "{name} in {articles:?}");
        }
    }

    #[test]
    fn keys_fold_transliterations_but_not_different_words() {
        let same = [
            ("Tartus", "Tartous"),
            ("Hmeimim", "Khmeimim"),
            ("Latakia", "Lattakia"),
            ("Jawlani", "Jolani"),
            ("Dmitry", "Dmitri"),
            ("Qarnawi", "Karnawi"),
            ("Zéfir", "Zefir"),
            ("Raqqah", "Raqqa"),
        ];
        for (a, b) in same {
            assert_eq!(translit_key(a), translit_key(b), "{a} / {b}");
        }
        for (a, b) in [("Austria", "Australia"), ("Iran", "Iraq"), ("Niger", "Nigeria")] {
            assert_ne!(translit_key(a), translit_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn clean_forms() {
        let cases = [
            ("Russia’s", "Russia"),
            ("Mr. Vosk", "Vosk"),
            ("President Karel Vosk", "Karel Vosk"),
            ("the Zarqa Front", "Zarqa Front"),
            ("“Vosk,", "Vosk"),
            ("U.S.", "U.S"),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_form(raw), want, "{raw}");
        }
    }

    #[test]
    fn merges_by_general_rules() {
        use EntityKind::*;
        let a = "Spokesman Karel Vosk said the Jaysh Nur al-Fath (JNF) left Port Zamrah. \
                 Vosk praised Ostrava’s mayor. Sudan and South Sudan, Austria and Australia.";
        let b = "Mr. Vosk said Jaysh al-Nur al-Fath took Port Zamra. al-Fathi met JNF. \
                 Iran and Iraq.";
        let c = "Emir Saif al-Badri spoke; al-Badri and Badri agreed with Karel Vosk. \
                 The Liberation Front of Qor (LFQ) and LFQ.";
        let t = table(&[
            (
                a,
                doc(
                    0,
                    a,
                    &[
                        ("Karel Vosk", Person),
                        ("Jaysh Nur al-Fath", Organization),
                        ("JNF", Organization),
                        ("Port Zamrah", Location),
                        ("Vosk", Person),
                        ("Ostrava’s", Location),
                        ("Sudan", Location),
                        ("South Sudan", Location),
                        ("Austria", Location),
                        ("Australia", Location),
                    ],
                ),
            ),
            (
                b,
                doc(
                    1,
                    b,
                    &[
                        ("Mr. Vosk", Person),
                        ("Jaysh al-Nur al-Fath", Organization),
                        ("Port Zamra", Location),
                        ("al-Fathi", Person),
                        ("JNF", Organization),
                        ("Iran", Location),
                        ("Iraq", Location),
                    ],
                ),
            ),
            (
                c,
                doc(
                    2,
                    c,
                    &[
                        ("Saif al-Badri", Person),
                        ("al-Badri", Person),
                        ("Badri", Person),
                        ("Karel Vosk", Person),
                        ("Liberation Front of Qor", Organization),
                        ("LFQ", Organization),
                        ("LFQ", Organization),
                    ],
                ),
            ),
        ]);
        let find = |n: &str| {
            t.entities
                .iter()
                .find(|e| e.name == n)
                .unwrap_or_else(|| panic!("{n} missing: {:#?}", t.entities))
        };
        let vosk = find("Karel Vosk");
        assert_eq!((vosk.mentions, vosk.articles.clone(), vosk.kind), (4, vec![0, 1, 2], Person));
        assert_eq!(find("Jaysh al-Nur al-Fath").mentions, 4);
        assert_eq!(find("Saif al-Badri").mentions, 3);
        assert_eq!(find("Liberation Front of Qor").mentions, 3);
        assert_eq!(find("Port Zamrah").mentions, 2);
        assert_eq!(find("Ostrava").mentions, 1);
        for single in ["Sudan", "South Sudan", "Austria", "Australia", "Iran", "Iraq", "al-Fathi"] {
            assert_eq!(find(single).mentions, 1, "{single}");
        }
        let resolved = |n: &str| t.resolve(n).map(|e| e.name.as_str());
        assert_eq!(resolved("Vosk"), Some("Karel Vosk"));
        assert_eq!(resolved("Mr. Vosk’s"), Some("Karel Vosk"));
        assert_eq!(resolved("Badri"), Some("Saif al-Badri"));
        assert_eq!(resolved("JNF"), Some("Jaysh al-Nur al-Fath"));
        assert_eq!(resolved("Nobody"), None);
    }

    /// Issue 6: a place that ends a mistyped name stays its own entity; a ship's prefix,
    /// an acronym in parentheses and a surname still join their long names.
    #[test]
    fn aliases_join_long_names_but_places_stay_apart() {
        use EntityKind::*;
        let a = "The Autorité de Varnes (AV) met in Varnes. The MV Orla Grey and Orla Grey. \
                 Ilse Marrow and Marrow. de Varnes (VMSA) and VMSA.";
        let b = "Varnes and Varnes again. Orla Grey, Orla Grey. Marrow.";
        let t = table(&[
            (
                a,
                doc(
                    0,
                    a,
                    &[
                        ("Autorité de Varnes", Person),
                        ("AV", Organization),
                        ("Varnes", Location),
                        ("MV Orla Grey", Misc),
                        ("Orla Grey", Misc),
                        ("Ilse Marrow", Person),
                        ("Marrow", Person),
                        ("de Varnes", Location),
                        ("VMSA", Organization),
                        ("VMSA", Organization),
                    ],
                ),
            ),
            (
                b,
                doc(
                    1,
                    b,
                    &[
                        ("Varnes", Person),
                        ("Varnes", Location),
                        ("Orla Grey", Organization),
                        ("Orla Grey", Organization),
                        ("Marrow", Location),
                    ],
                ),
            ),
        ]);
        let got: Vec<(&str, EntityKind, Vec<&str>)> = t
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.kind, e.aliases.iter().map(String::as_str).collect()))
            .collect();
        let want: Vec<(&str, EntityKind, Vec<&str>)> = vec![
            // 2 misc mentions (one with the prefix, weighted) outvote 2 organization ones.
            ("Orla Grey", Misc, vec!["MV Orla Grey"]),
            ("Varnes", Location, vec!["de Varnes"]),
            ("Ilse Marrow", Person, vec!["Marrow"]),
            ("Autorité de Varnes", Person, vec!["AV"]),
            ("VMSA", Organization, vec![]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_place_without_its_head_word_is_the_one_place_with_it() {
        use EntityKind::*;
        // (mentions, the entity names and aliases wanted)
        let one =
            "Off Kessaly Point. Near Kessali Point, Kessaly Point. Over the Kessaly rocks. Tarvik Line sails to Tarvik.";
        let two = "Off Kessaly Point and Kessaly Bay. Over the Kessaly rocks.";
        type Marks<'a> = Vec<(&'a str, EntityKind)>;
        type Want<'a> = Vec<(&'a str, Vec<&'a str>)>;
        let cases: Vec<(&str, Marks, Want)> = vec![
            (
                one,
                vec![
                    ("Kessaly Point", Location),
                    ("Kessali Point", Location),
                    ("Kessaly Point", Location),
                    ("Kessaly", Location),
                    ("Tarvik Line", Organization),
                    ("Tarvik", Location),
                ],
                vec![
                    ("Kessaly Point", vec!["Kessali Point", "Kessaly"]),
                    ("Tarvik", vec![]),
                    ("Tarvik Line", vec![]),
                ],
            ),
            (
                two,
                vec![("Kessaly Point", Location), ("Kessaly Bay", Location), ("Kessaly", Location)],
                vec![("Kessaly", vec![]), ("Kessaly Bay", vec![]), ("Kessaly Point", vec![])],
            ),
        ];
        for (text, marks, want) in cases {
            let t = table(&[(text, doc(0, text, &marks))]);
            let mut got: Vec<(&str, Vec<&str>)> = t
                .entities
                .iter()
                .map(|e| {
                    let mut aliases: Vec<&str> = e.aliases.iter().map(String::as_str).collect();
                    aliases.sort_unstable();
                    (e.name.as_str(), aliases)
                })
                .collect();
            got.sort();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    #[ignore = "needs /work/shared/seeds"]
    fn seeds_merge_variants() {
        let Ok(dir) = std::fs::read_dir("/work/shared/seeds") else {
            return;
        };
        let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let articles: Vec<_> = paths
            .iter()
            .filter_map(|p| {
                let raw = std::fs::read_to_string(p).ok()?;
                Some(crate::record::Article::new(p.display().to_string(), raw))
            })
            .collect();
        let batch = Batch::build(articles, &crate::pipeline::PipelineConfig::default());
        let members: Vec<usize> = (0..batch.len()).collect();
        let t = canonicalize(&batch, &members);
        for e in &t.entities {
            println!("{:>3} {:<13} {} | {:?}", e.mentions, e.kind.as_str(), e.name, e.aliases);
        }
        let groups: &[&[&str]] = &[
            &["Tartus", "Tartous"],
            &["Hmeimim", "Khmeimim"],
            &["Latakia", "Lattakia"],
            &["HTS", "Hayat Tahrir al-Sham", "Hayat al-Tahrir al-Sham"],
            &["Peskov", "Dmitry Peskov", "Mr. Peskov"],
            &["Assad", "al-Assad", "Bashar al-Assad", "President Assad"],
            &["Putin", "Vladimir Putin"],
        ];
        for g in groups {
            let names: Vec<_> = g.iter().map(|n| t.resolve(n).map(|e| e.name.clone())).collect();
            assert!(names[0].is_some() && names.iter().all(|n| n == &names[0]), "{g:?}: {names:?}");
        }
    }

    /// `index_of` as a plain scan over every entity's forms: the definition the indexed
    /// lookup must agree with.
    fn index_of_by_scan(t: &EntityTable, name: &str) -> Option<usize> {
        let form = Form::new(&clean_form(name))?;
        let all = &t.forms;
        all.iter()
            .position(|fs| fs.iter().any(|f| f.key == form.key))
            .or_else(|| {
                all.iter().position(|fs| {
                    fs.iter().any(|f| is_suffix(&form.words, &f.words) || form.acronym_of(f))
                })
            })
            .or_else(|| {
                (0..t.entities.len()).find(|&i| {
                    t.entities[i].kind == EntityKind::Person
                        && form.words.len() == 1
                        && all[i].iter().any(|f| f.words.contains(&form.words[0]))
                })
            })
    }

    /// Words that make surnames, shared words, acronyms and transliteration variants meet.
    const WORDS: &[&str] =
        &["Karel", "Vosk", "Voss", "al-Badri", "Badri", "Jaysh", "Nur", "Fath", "NF", "the"];
    const KINDS_ALL: [EntityKind; 4] =
        [EntityKind::Person, EntityKind::Organization, EntityKind::Location, EntityKind::Misc];

    fn name_of(words: &[usize]) -> String {
        words.iter().map(|&w| WORDS[w % WORDS.len()]).collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        #[test]
        fn indexed_lookup_agrees_with_a_scan(
            entities in proptest::collection::vec(
                (proptest::collection::vec(proptest::collection::vec(0usize..10, 1..4), 1..3), 0usize..4),
                0..12,
            ),
            queries in proptest::collection::vec(proptest::collection::vec(0usize..10, 1..4), 1..8),
        ) {
            let entities: Vec<Entity> = entities
                .iter()
                .map(|(forms, kind)| Entity {
                    name: name_of(&forms[0]),
                    kind: KINDS_ALL[*kind],
                    aliases: forms[1..].iter().map(|f| name_of(f)).collect(),
                    articles: Vec::new(),
                    mentions: 1,
                })
                .collect();
            let t = EntityTable::new(entities);
            // The initials of every form too, so that acronym lookups are exercised.
            let initials = t.forms.iter().flatten().map(|f| f.initials.clone());
            for name in queries.iter().map(|q| name_of(q)).chain(initials) {
                proptest::prop_assert_eq!(t.index_of(&name), index_of_by_scan(&t, &name), "{}", name);
            }
        }
    }

    /// `best_longer_match` as a scan over every form: the definition the indexed one keeps.
    fn best_longer_match_by_scan(stats: &[FormStats], i: usize) -> Option<usize> {
        let s = &stats[i];
        let candidates = stats.iter().enumerate().filter(|&(j, t)| {
            j != i
                && (is_surname_of(s, t)
                    || s.form.acronym_of(&t.form) && t.kind() != EntityKind::Person)
        });
        candidates.max_by_key(|(_, t)| (t.count, t.form.words.len())).map(|(j, _)| j)
    }

    proptest::proptest! {
        #[test]
        fn indexed_longer_match_agrees_with_a_scan(
            forms in proptest::collection::vec(
                (proptest::collection::vec(0usize..10, 1..4), 0usize..4, 1usize..4),
                1..16,
            ),
        ) {
            let mut stats: Vec<FormStats> = forms
                .iter()
                .filter_map(|(words, kind, count)| {
                    let form = Form::new(&name_of(words))?;
                    let mut votes = [0; 4];
                    votes[*kind] = *count;
                    Some(FormStats { form, votes, count: *count, articles: Vec::new() })
                })
                .collect();
            // Acronyms of the multi-word forms, so that acronym matches occur.
            let acronyms: Vec<Form> = stats
                .iter()
                .filter(|s| s.form.words.len() >= 2)
                .filter_map(|s| Form::new(&s.form.initials))
                .collect();
            for form in acronyms {
                stats.push(FormStats { form, votes: [0, 1, 0, 0], count: 1, articles: Vec::new() });
            }
            let index = LongerIndex::new(&stats);
            for i in 0..stats.len() {
                proptest::prop_assert_eq!(
                    best_longer_match(&stats, &index, i),
                    best_longer_match_by_scan(&stats, i)
                );
            }
        }
    }

    #[test]
    fn suffix_and_acronym_take_the_first_entity() {
        let e = |name: &str| Entity {
            name: name.into(),
            kind: EntityKind::Organization,
            aliases: Vec::new(),
            articles: Vec::new(),
            mentions: 1,
        };
        // "NF" is a word suffix of "Karel NF" and the acronym of "Nur Fath".
        for names in [["Karel NF", "Nur Fath"], ["Nur Fath", "Karel NF"]] {
            let t = EntityTable::new(names.iter().map(|n| e(n)).collect());
            assert_eq!(t.index_of("NF"), Some(0), "{names:?}");
            assert_eq!(index_of_by_scan(&t, "NF"), Some(0), "{names:?}");
        }
    }
}
