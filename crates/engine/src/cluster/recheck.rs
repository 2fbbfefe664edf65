//! End-of-stream re-check of story membership. An online clusterer decides each article
//! once, with the centroids of that moment: when two stories of one kind of event arrive
//! back to back, the first reports of the second story join the first story before the
//! second exists. When the stream ends every article is compared with its own story
//! without itself (leave-one-out) and with the other candidate stories; one that is
//! clearly closer to another story moves there. A story's first article never moves, so
//! story ids stay stable.

use chrono::NaiveDate;

use super::vector::ArticleVector;
use super::Clusterer;
use crate::record::{ArticleIdx, Assignment};

/// What an article added to its story (IDF-free weights), kept for the re-check.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Member {
    /// `(term, IDF-free weight)` in the order of the article's vector.
    pub(super) raw: Vec<(u32, f32)>,
    /// The article's key terms.
    pub(super) keys: Vec<u32>,
    /// The article's date.
    pub(super) date: Option<NaiveDate>,
    /// The article's id (names the story if it is split off with this article first).
    pub(super) name: String,
}

impl Member {
    /// The member record of vector `v` dated `date`.
    pub(super) fn of(v: &ArticleVector, date: Option<NaiveDate>, name: &str) -> Member {
        let raw = v.terms.iter().enumerate().map(|(k, &(t, _))| (t, v.raw(k))).collect();
        Member { raw, keys: v.keys.clone(), date, name: name.to_string() }
    }
}

/// A planned move of `article` from story `from` into story `to`, scoring `score` there.
struct Move {
    from: usize,
    article: ArticleIdx,
    to: usize,
    score: f32,
}

impl Clusterer {
    /// The member as a unit vector under the current IDF (terms in stored order).
    pub(super) fn member_vector(&self, m: &Member) -> ArticleVector {
        let mut terms: Vec<(u32, f32)> =
            m.raw.iter().map(|&(t, r)| (t, r * self.vocab.idf(t))).collect();
        let norm = terms.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-6);
        for x in &mut terms {
            x.1 /= norm;
        }
        let idfs = terms.iter().map(|&(t, _)| self.vocab.idf(t)).collect();
        ArticleVector { terms, idfs, keys: m.keys.clone() }
    }

    /// Similarity of member `m` (vector `v`) with its own story `s` without itself.
    fn own_similarity(&self, v: &ArticleVector, m: &Member, s: usize) -> f32 {
        let st = &self.states[s];
        if st.members <= 1 || st.norm <= 0.0 {
            return 0.0;
        }
        let mut norm2 = st.norm * st.norm;
        let mut dot = 0.0;
        for ((&(t, w), &idf), &(_, r)) in v.terms.iter().zip(&v.idfs).zip(&m.raw) {
            if let Some(&c) = st.centroid.get(&t) {
                let left = (c - r).max(0.0);
                norm2 += idf * idf * (left * left - c * c);
                dot += w * left * idf;
            }
        }
        let norm = norm2.max(0.0).sqrt();
        let cosine = if norm > 1e-6 { dot / norm } else { 0.0 };
        let keys = if v.keys.is_empty() || !self.within_days(st, m.date) {
            0.0
        } else {
            let shared = v.keys.iter().filter(|k| st.keys.get(k).is_some_and(|&n| n > 1)).count();
            self.config.key_weight * shared as f32 / v.keys.len() as f32
        };
        cosine.max(keys) * self.decay(st, m.date)
    }

    /// Re-checks every member that is not its story's first: it moves to the most similar
    /// other story when that is above the join threshold and beats its own story (without
    /// itself) by `recheck_margin`. All decisions use the centroids before any move.
    pub(super) fn recheck(&mut self) {
        for s in 0..self.states.len() {
            self.refresh_norm(s);
        }
        let mut moves = Vec::new();
        for s in 0..self.stories.len() {
            for k in 1..self.states[s].vectors.len() {
                if let Some(m) = self.plan(s, k) {
                    moves.push(m);
                }
            }
        }
        for m in moves {
            self.apply(m);
        }
    }

    /// Where the `k`-th member of story `s` belongs, if elsewhere.
    fn plan(&self, s: usize, k: usize) -> Option<Move> {
        let m = self.states[s].vectors.get(k)?;
        let article = *self.stories[s].articles.get(k)?;
        let v = self.member_vector(m);
        let own = self.own_similarity(&v, m, s);
        let floor = self.config.threshold.max(own + self.config.recheck_margin);
        self.candidates(&v)
            .into_iter()
            .map(|t| t as usize)
            .filter(|&t| t != s && !self.stories[t].articles.is_empty())
            .map(|t| (t, self.similarity(&v, t, m.date)))
            .filter(|&(_, sim)| sim >= floor)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(to, score)| Move { from: s, article, to, score })
    }

    /// Moves one article between stories, keeping both member lists in arrival order.
    fn apply(&mut self, mv: Move) {
        let Some(k) = self.stories[mv.from].articles.iter().position(|&a| a == mv.article) else {
            return;
        };
        let arrival = self.states[mv.from].arrivals.get(k).copied().unwrap_or(0);
        // The first member of either story names it: it neither leaves nor is preceded.
        if k == 0 || self.states[mv.to].arrivals.first().is_none_or(|&a| a > arrival) {
            return;
        }
        let member = self.states[mv.from].vectors.remove(k);
        self.states[mv.from].arrivals.remove(k);
        self.stories[mv.from].articles.remove(k);
        self.stories[mv.from].why.remove(k);
        let v = self.member_vector(&member);
        let shared = self.shared_terms(&v, mv.to);
        let from = &mut self.states[mv.from];
        from.members = from.members.saturating_sub(1);
        from.norm_docs = 0;
        for &(t, r) in &member.raw {
            if let Some(c) = from.centroid.get_mut(&t) {
                *c = (*c - r).max(0.0);
            }
        }
        for t in &member.keys {
            if let Some(n) = from.keys.get_mut(t) {
                *n = n.saturating_sub(1);
            }
        }
        from.keys.retain(|_, n| *n > 0);
        let to = &mut self.states[mv.to];
        to.members += 1;
        to.norm_docs = 0;
        for &(t, r) in &member.raw {
            *to.centroid.entry(t).or_default() += r;
        }
        for &t in &member.keys {
            *to.keys.entry(t).or_default() += 1;
        }
        if let Some(d) = member.date {
            to.first = Some(to.first.map_or(d, |f| f.min(d)));
            to.last = Some(to.last.map_or(d, |l| l.max(d)));
        }
        let at = to.arrivals.partition_point(|&a| a < arrival);
        to.arrivals.insert(at, arrival);
        to.vectors.insert(at, member);
        let story = &mut self.stories[mv.to];
        story.articles.insert(at, mv.article);
        story.why.insert(at, Assignment { article: mv.article, score: mv.score, shared });
    }
}
