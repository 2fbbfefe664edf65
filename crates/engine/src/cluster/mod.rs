//! The cluster stage: online story assignment in one pass over the stream. Each article
//! becomes a sparse TF-IDF vector (online document frequencies; entity-like capitalised
//! words and numbers weigh more, because two events of one kind differ in names, places
//! and figures, not topic words), finds candidate stories through an inverted index of
//! salient terms (never scanning all stories), and joins the most similar story centroid
//! (time-decayed when dates are far apart) or opens a new story whose id never changes.
//! When the stream ends, small stories are merged with their most similar story (the one
//! opened first keeps its id), which recovers reports that arrived before their story
//! had enough vocabulary to attract them; then stories holding two events are split
//! (`split.rs`) and every article is re-checked against the final stories (`recheck.rs`),
//! so the result depends less on arrival order.

mod recheck;
mod split;
pub mod synthetic;
mod vector;

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::analyze::signature::{FastMap, FastSet};

use crate::record::{Analyzed, Article, ArticleIdx, Assignment, Story};
pub use vector::Features;
use vector::{ArticleVector, Vocabulary};

/// Settings of the clusterer (the defaults are the tested ones).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ClusterConfig {
    /// Minimum (time-decayed) cosine similarity to join a story.
    pub threshold: f32,
    /// Terms kept in an article's vector (highest TF-IDF first).
    pub article_terms: usize,
    /// Salient terms of an article under which its story is indexed.
    pub index_terms: usize,
    /// Salient terms of an article used to look up candidate stories (more than
    /// `index_terms`: an independent report's rarest words are often its own, so looking
    /// up deeper finds the story it shares names with).
    pub lookup_terms: usize,
    /// An article's most repeated entity-like terms also used to index and look up
    /// stories, whatever their IDF.
    pub key_terms: usize,
    /// Weight of key-term agreement: an article whose repeated names are the story's own
    /// scores `key_weight × (share of its keys the story has)` even when its wording is
    /// its own (an independent report); the similarity is the larger of this and the cosine.
    pub key_weight: f32,
    /// Most terms a story is indexed under.
    pub story_index_terms: usize,
    /// Terms kept in a story centroid.
    pub centroid_terms: usize,
    /// Weight multiplier of entity-like (capitalised mid-sentence) words.
    pub entity_weight: f32,
    /// Weight multiplier of numbers.
    pub number_weight: f32,
    /// Days apart within which dates do not lower similarity.
    pub grace_days: f32,
    /// Half-life of similarity in days beyond the grace period.
    pub half_life_days: f32,
    /// Words at the start of an article counted as its lead (news put who/what/where first).
    pub lead_words: usize,
    /// Extra count given to each occurrence of a term in the lead.
    pub lead_boost: f32,
    /// Exponent of the IDF: above 1 lets rare names and figures outweigh mid-frequency
    /// topic words shared by different events of one kind.
    pub idf_power: f32,
    /// Stories of at most this many articles are merged into an earlier similar story
    /// when the stream ends (0 turns the second pass off).
    pub merge_small: usize,
    /// Minimum centroid cosine for that merge.
    pub merge_threshold: f32,
    /// Most recent stories looked at per salient term.
    pub max_posting: usize,
    /// Candidate stories scored per article.
    pub max_candidates: usize,
    /// Re-check every article when the stream ends and move it to another story that is
    /// more similar than its own story without it (see `recheck.rs`). Off by default: on
    /// ECB+ dev it gains at most 0.001 BCubed F1 and costs about a quarter of cluster time.
    pub recheck: bool,
    /// How much more similar the other story must be for the article to move.
    pub recheck_margin: f32,
    /// Stories of at least twice this many articles are bisected when the stream ends
    /// (0 turns splitting off); each half must keep at least this many.
    pub split_min: usize,
    /// The bisection is kept when its halves' centroid cosine is below this.
    pub split_cosine: f32,
    /// The bisection is also kept when each half has names of its own that strongly
    /// contradict chance: the sum, over named terms that at least two members of a half
    /// have and no member of the other half has, of `-ln P(all of them fell on that side
    /// by chance)`, is at least this on both sides (see `split.rs`).
    pub split_evidence: f32,
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            threshold: 0.3,
            article_terms: 80,
            index_terms: 12,
            lookup_terms: 32,
            story_index_terms: 96,
            key_terms: 6,
            key_weight: 0.5,
            centroid_terms: 300,
            entity_weight: 2.0,
            number_weight: 1.5,
            grace_days: 3.0,
            half_life_days: 7.0,
            lead_words: 50,
            lead_boost: 1.0,
            idf_power: 1.0,
            merge_small: 5,
            merge_threshold: 0.15,
            max_posting: 64,
            max_candidates: 16,
            recheck: false,
            split_min: 3,
            split_cosine: 0.4,
            split_evidence: 15.0,
            recheck_margin: 0.05,
        }
    }
}

/// A story's running state: its centroid (summed, IDF-free term weights of its members),
/// the terms it is indexed under and its date range.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct StoryState {
    centroid: FastMap<u32, f32>,
    /// Key terms of its members ([`ArticleVector::keys`]), with how many members have each.
    keys: FastMap<u32, u32>,
    members: u32,
    indexed: FastSet<u32>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// Arrival number of each member (parallel to the story's `articles`).
    arrivals: Vec<u64>,
    /// What each member added (parallel to the story's `articles`), for the re-check.
    vectors: Vec<recheck::Member>,
    /// Centroid norm under the IDF of `norm_docs` documents (refreshed when stale).
    norm: f32,
    norm_docs: u32,
}

/// Online story clusterer: feed articles in arrival order with [`Clusterer::assign`].
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Clusterer {
    config: ClusterConfig,
    vocab: Vocabulary,
    postings: FastMap<u32, Vec<u32>>,
    stories: Vec<Story>,
    states: Vec<StoryState>,
    ids: HashSet<String>,
    arrived: u64,
}

impl Clusterer {
    /// A new clusterer with the default settings.
    pub fn new() -> Clusterer {
        Clusterer::with_config(ClusterConfig::default())
    }

    /// A new clusterer with the given settings.
    pub fn with_config(config: ClusterConfig) -> Clusterer {
        let mut vocab = Vocabulary::default();
        vocab.idf_power = config.idf_power;
        Clusterer { config, vocab, ..Clusterer::default() }
    }

    /// The clusterer's settings.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// Counts an article in the document frequencies without assigning it (warms the IDF
    /// from a background corpus or from a store's earlier articles).
    pub fn observe(&mut self, article: &Article, analyzed: &Analyzed) {
        self.vocab.vectorize(article, analyzed, &self.config);
    }

    /// Assigns one article; returns the index of its story (in [`Clusterer::finish`]'s list).
    pub fn assign(&mut self, idx: ArticleIdx, article: &Article, analyzed: &Analyzed) -> usize {
        let f = self.features(article, analyzed);
        self.assign_features(idx, article, &f)
    }

    /// The clustering features of an article under this clusterer's settings. They depend
    /// on nothing else, so callers may compute them in parallel, ahead of
    /// [`Clusterer::assign_features`].
    pub fn features(&self, article: &Article, analyzed: &Analyzed) -> Features {
        Features::of(article, analyzed, &self.config)
    }

    /// [`Clusterer::assign`] with the article's [`Clusterer::features`] computed already
    /// (the same result): only the sequential part, term ids, IDF and story lookup, is left.
    pub fn assign_features(&mut self, idx: ArticleIdx, article: &Article, f: &Features) -> usize {
        let v = self.vocab.vectorize_features(f, &self.config);
        let candidates = self.candidates(&v);
        for &s in &candidates {
            self.refresh_norm(s as usize);
        }
        let best = candidates
            .into_iter()
            .map(|s| (s, self.similarity(&v, s as usize, article.date)))
            .filter(|&(_, sim)| sim >= self.config.threshold)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let (story, assignment) = match best {
            Some((s, score)) => {
                let shared = self.shared_terms(&v, s as usize);
                (s as usize, Assignment { article: idx, score, shared })
            }
            None => (self.open(article), Assignment { article: idx, score: 0.0, shared: vec![] }),
        };
        self.arrived += 1;
        self.states[story].arrivals.push(self.arrived);
        self.states[story].vectors.push(recheck::Member::of(&v, article.date, &article.id));
        self.stories[story].articles.push(idx);
        self.stories[story].why.push(assignment);
        self.add(story, &v, article.date);
        story
    }

    /// The stories as assigned so far (before [`Clusterer::finish`]'s passes), indexed by
    /// what [`Clusterer::assign`] returns: the archive reads story ids from here.
    pub fn stories(&self) -> &[Story] {
        &self.stories
    }

    /// The stories, in the arrival order of their first articles, after merging small
    /// stories into an earlier similar one (the earlier story keeps its id; merged stories
    /// disappear, so indices returned by [`Clusterer::assign`] are only valid before
    /// merging), splitting stories that hold two events (the half with the first article
    /// keeps the id) and moving articles that are closer to another story.
    pub fn finish(mut self) -> Vec<Story> {
        if self.config.merge_small > 0 {
            self.merge_small();
        }
        if self.config.split_min > 0 {
            self.split_stories();
        }
        if self.config.recheck {
            self.recheck();
        }
        let mut out: Vec<(u64, Story)> = self
            .stories
            .into_iter()
            .zip(&self.states)
            .filter(|(s, _)| !s.articles.is_empty())
            .map(|(s, st)| (st.arrivals.first().copied().unwrap_or(u64::MAX), s))
            .collect();
        out.sort_by_key(|x| x.0);
        out.into_iter().map(|x| x.1).collect()
    }

    /// Second pass: each story of at most `merge_small` articles is merged with its most
    /// similar story when their centroids' cosine reaches `merge_threshold`; the merged
    /// story keeps the id of the one opened first.
    fn merge_small(&mut self) {
        for s in 1..self.stories.len() {
            let n = self.stories[s].articles.len();
            if n == 0 || n > self.config.merge_small {
                continue;
            }
            let v = self.story_vector(s);
            let cands: Vec<u32> = self
                .candidates(&v)
                .into_iter()
                .filter(|&t| (t as usize) != s && !self.stories[t as usize].articles.is_empty())
                .collect();
            for &t in &cands {
                self.refresh_norm(t as usize);
            }
            let date = self.states[s].first;
            let best = cands
                .into_iter()
                .map(|t| (t as usize, self.similarity(&v, t as usize, date)))
                .filter(|&(_, sim)| sim >= self.config.merge_threshold)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((t, score)) = best {
                // The earlier story's id survives.
                if t < s {
                    self.absorb(t, s, &v, score);
                } else {
                    let vt = self.story_vector(t);
                    self.absorb(s, t, &vt, score);
                }
            }
        }
    }

    /// Story `s`'s centroid as a unit vector under the current IDF (top terms).
    fn story_vector(&self, s: usize) -> ArticleVector {
        let mut terms: Vec<(u32, f32)> =
            self.states[s].centroid.iter().map(|(&t, &c)| (t, c * self.vocab.idf(t))).collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        terms.truncate(self.config.article_terms);
        let norm = terms.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-6);
        for x in &mut terms {
            x.1 /= norm;
        }
        let idfs = terms.iter().map(|&(t, _)| self.vocab.idf(t)).collect();
        // Keys: the heaviest IDF-free centroid terms (what its members keep repeating).
        let mut raw: Vec<(u32, f32)> =
            self.states[s].centroid.iter().map(|(&t, &c)| (t, c)).collect();
        raw.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let keys = raw.iter().take(self.config.key_terms).map(|x| x.0).collect();
        ArticleVector { terms, idfs, keys }
    }

    /// Moves story `s` into story `t` (`t` keeps its id).
    fn absorb(&mut self, t: usize, s: usize, v: &ArticleVector, score: f32) {
        let shared = self.shared_terms(v, t);
        let empty = Story { id: String::new(), articles: Vec::new(), why: Vec::new() };
        let mut moved = std::mem::replace(&mut self.stories[s], empty);
        if let Some(first) = moved.why.first_mut() {
            first.score = score;
            first.shared = shared;
        }
        let from = std::mem::take(&mut self.states[s]);
        let into = &mut self.states[t];
        // Interleave both member lists back into arrival order.
        let story = &mut self.stories[t];
        let mut all: Vec<(u64, ArticleIdx, Assignment, recheck::Member)> = into
            .arrivals
            .drain(..)
            .zip(story.articles.drain(..).zip(story.why.drain(..)))
            .zip(into.vectors.drain(..))
            .chain(
                from.arrivals
                    .into_iter()
                    .zip(moved.articles.into_iter().zip(moved.why))
                    .zip(from.vectors),
            )
            .map(|((k, (a, w)), m)| (k, a, w, m))
            .collect();
        all.sort_by_key(|x| x.0);
        for (k, a, w, m) in all {
            into.arrivals.push(k);
            story.articles.push(a);
            story.why.push(w);
            into.vectors.push(m);
        }
        for (k, c) in from.centroid {
            *into.centroid.entry(k).or_default() += c;
        }
        for (k, n) in from.keys {
            *into.keys.entry(k).or_default() += n;
        }
        into.members += from.members;
        into.norm_docs = 0;
        into.first = into.first.min(from.first).or(into.first).or(from.first);
        into.last = into.last.max(from.last);
    }

    /// Opens a new story named after its first article.
    fn open(&mut self, article: &Article) -> usize {
        let id = self.unique_id(&article.id);
        self.stories.push(Story { id, articles: Vec::new(), why: Vec::new() });
        self.states.push(StoryState::default());
        self.stories.len() - 1
    }

    /// A story id for an article id not used by any story yet.
    fn unique_id(&mut self, article_id: &str) -> String {
        let base = story_id(article_id);
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        id
    }

    /// Stories sharing salient terms with `v`, most shared first, at most `max_candidates`.
    fn candidates(&self, v: &ArticleVector) -> Vec<u32> {
        let mut hits: FastMap<u32, f32> = FastMap::default();
        hits.reserve(4 * self.config.max_candidates);
        let keys =
            v.keys.iter().map(|&k| (k, v.terms.iter().find(|x| x.0 == k).map_or(0.01, |x| x.1)));
        for (t, w) in v.terms.iter().take(self.config.lookup_terms).copied().chain(keys) {
            if let Some(post) = self.postings.get(&t) {
                let from = post.len().saturating_sub(self.config.max_posting);
                for &s in &post[from..] {
                    *hits.entry(s).or_default() += w;
                }
            }
        }
        let mut c: Vec<(u32, f32)> = hits.into_iter().collect();
        c.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        c.into_iter().take(self.config.max_candidates).map(|(s, _)| s).collect()
    }

    /// Recomputes story `s`'s centroid norm when the IDF has drifted (the document count
    /// grew by over 5 %) since it was last computed; [`Clusterer::add`] marks it stale.
    fn refresh_norm(&mut self, s: usize) {
        let docs = self.vocab.docs();
        let st = &self.states[s];
        if st.norm_docs > 0 && docs <= st.norm_docs + st.norm_docs / 20 {
            return;
        }
        let norm = st
            .centroid
            .iter()
            .map(|(&t, &c)| {
                let x = c * self.vocab.idf(t);
                x * x
            })
            .sum::<f32>()
            .sqrt();
        let st = &mut self.states[s];
        st.norm = norm;
        st.norm_docs = docs;
    }

    /// Cosine similarity of `v` with story `s`'s centroid under current IDF, time-decayed.
    fn similarity(&self, v: &ArticleVector, s: usize, date: Option<NaiveDate>) -> f32 {
        let st = &self.states[s];
        let norm = st.norm;
        if norm <= 0.0 {
            return 0.0;
        }
        let dot: f32 = v
            .terms
            .iter()
            .zip(&v.idfs)
            .filter_map(|(&(t, w), &idf)| st.centroid.get(&t).map(|&c| w * c * idf))
            .sum();
        let cosine = dot / norm;
        // Names agree only count for articles dated within the story's days: the same
        // names in the same few days are the same event; undated, they may be another.
        let keys = if v.keys.is_empty() || !self.within_days(st, date) {
            0.0
        } else {
            // A key counts when the story has it as a key or anywhere in its centroid: an
            // independent report's repeated names (a survivor, a hospital) differ from the
            // wire's, but the names it shares with the story (the ship, the place) are
            // there, if not among the story's own most repeated ones.
            let shared = v
                .keys
                .iter()
                .filter(|k| st.keys.contains_key(k) || st.centroid.contains_key(k))
                .count();
            self.config.key_weight * shared as f32 / v.keys.len() as f32
        };
        cosine.max(keys) * self.decay(st, date)
    }

    /// Whether `date` and the story's dates are known and at most `grace_days` apart.
    fn within_days(&self, st: &StoryState, date: Option<NaiveDate>) -> bool {
        let (Some(d), Some(first), Some(last)) = (date, st.first, st.last) else {
            return false;
        };
        let grace = self.config.grace_days as i64;
        (first - d).num_days() <= grace && (d - last).num_days() <= grace
    }

    fn decay(&self, st: &StoryState, date: Option<NaiveDate>) -> f32 {
        let (Some(d), Some(first), Some(last)) = (date, st.first, st.last) else {
            return 1.0;
        };
        let days = if d < first {
            (first - d).num_days()
        } else if d > last {
            (d - last).num_days()
        } else {
            0
        } as f32;
        let over = (days - self.config.grace_days).max(0.0);
        0.5f32.powf(over / self.config.half_life_days.max(0.1))
    }

    /// The terms contributing most to `v`'s similarity with story `s`, with weights.
    fn shared_terms(&self, v: &ArticleVector, s: usize) -> Vec<String> {
        let st = &self.states[s];
        let mut c: Vec<(u32, f32)> = v
            .terms
            .iter()
            .filter_map(|&(t, w)| st.centroid.get(&t).map(|&c| (t, w * c * self.vocab.idf(t))))
            .collect();
        c.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        c.iter().take(6).map(|&(t, _)| self.vocab.name(t).to_string()).collect()
    }

    /// Adds `v` to story `s`: centroid, index entries, date range.
    fn add(&mut self, s: usize, v: &ArticleVector, date: Option<NaiveDate>) {
        let mut st = std::mem::take(&mut self.states[s]);
        self.index_into(&mut st, s, v, date);
        self.states[s] = st;
    }

    /// Adds `v` to `st`, the state of story `s`.
    fn index_into(
        &mut self,
        st: &mut StoryState,
        s: usize,
        v: &ArticleVector,
        date: Option<NaiveDate>,
    ) {
        let cap = self.config.centroid_terms;
        st.members += 1;
        st.norm_docs = 0;
        for &k in &v.keys {
            *st.keys.entry(k).or_default() += 1;
        }
        for (k, &(t, _)) in v.terms.iter().enumerate() {
            *st.centroid.entry(t).or_default() += v.raw(k);
        }
        if st.centroid.len() > cap + cap / 2 {
            let mut all: Vec<(u32, f32)> =
                st.centroid.iter().map(|(&t, &c)| (t, c * self.vocab.idf(t))).collect();
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let keep: FastSet<u32> = all.iter().take(cap).map(|x| x.0).collect();
            st.centroid.retain(|t, _| keep.contains(t));
        }
        let salient = v.terms.iter().take(self.config.index_terms).map(|x| x.0);
        for t in salient.chain(v.keys.iter().copied()) {
            if st.indexed.len() < self.config.story_index_terms && st.indexed.insert(t) {
                self.postings.entry(t).or_default().push(s as u32);
            }
        }
        if let Some(d) = date {
            st.first = Some(st.first.map_or(d, |f| f.min(d)));
            st.last = Some(st.last.map_or(d, |l| l.max(d)));
        }
    }
}

/// A story id from its first article's id: `s-` plus the id with anything but ASCII
/// letters, digits, `-`, `_` and `.` replaced by `-`.
pub fn story_id(article_id: &str) -> String {
    let clean: String = article_id
        .chars()
        .take(80)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' })
        .collect();
    format!("s-{clean}")
}

#[cfg(test)]
mod tests;
