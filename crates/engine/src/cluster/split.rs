//! End-of-stream split of stories that hold two events. When two occurrences of one kind
//! of event arrive back to back (two earthquakes, two arrests), the second one's reports
//! join the first story, whose centroid is already strong, and no second story ever opens.
//! When the stream ends each large story is bisected (spherical 2-means over its members'
//! vectors, seeded by the half least like its first article; hand-written: a few lines
//! over the sparse vectors the clusterer already keeps); the story is split when the two
//! halves' centroids are far apart. The half holding the first article keeps the id.

use super::recheck::Member;
use super::{Clusterer, StoryState};
use crate::analyze::signature::FastMap;
use crate::record::Story;

/// A sparse vector as a map.
type Sparse = FastMap<u32, f32>;

fn dot(a: &Sparse, b: &Sparse) -> f32 {
    let (small, big) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter_map(|(t, x)| big.get(t).map(|y| x * y)).sum()
}

fn norm(a: &Sparse) -> f32 {
    a.values().map(|x| x * x).sum::<f32>().sqrt().max(1e-6)
}

/// Sum of the vectors whose `side` is `want`.
fn centroid(vs: &[Sparse], side: &[bool], want: bool) -> Sparse {
    let mut c = Sparse::default();
    for (v, _) in vs.iter().zip(side).filter(|x| *x.1 == want) {
        for (&t, &w) in v {
            *c.entry(t).or_default() += w;
        }
    }
    c
}

/// Spherical 2-means from the seed split "members less like member `seed` than the
/// median"; returns which members go to the second half (the first member is pinned to
/// the first half) and the halves' centroid cosine.
pub(super) fn two_means(vs: &[Sparse], seed: usize) -> (Vec<bool>, f32) {
    let Some(pivot) = vs.get(seed) else {
        return (vec![false; vs.len()], 1.0);
    };
    let to_seed: Vec<f32> = vs.iter().map(|v| dot(v, pivot)).collect();
    let mut sorted = to_seed.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
    let far_first = to_seed.first().is_some_and(|&x| x < median);
    let mut side: Vec<bool> = to_seed.iter().map(|&x| (x < median) != far_first).collect();
    for _ in 0..8 {
        let (a, b) = (centroid(vs, &side, false), centroid(vs, &side, true));
        let (na, nb) = (norm(&a), norm(&b));
        let next: Vec<bool> = vs
            .iter()
            .enumerate()
            .map(|(k, v)| k != 0 && dot(v, &b) / nb > dot(v, &a) / na)
            .collect();
        if next == side {
            break;
        }
        side = next;
    }
    let (a, b) = (centroid(vs, &side, false), centroid(vs, &side, true));
    let cos = dot(&a, &b) / (norm(&a) * norm(&b));
    (side, cos)
}

impl Clusterer {
    /// The member as a unit sparse vector under the current IDF.
    fn member_sparse(&self, m: &Member) -> Sparse {
        let v = self.member_vector(m);
        v.terms.into_iter().collect()
    }

    /// Splits every story of at least `2 × split_min` members whose bisection halves have
    /// a centroid cosine below `split_cosine`.
    pub(super) fn split_stories(&mut self) {
        let min = self.config.split_min.max(1);
        for s in 0..self.stories.len() {
            let n = self.states[s].vectors.len();
            if n < 2 * min {
                continue;
            }
            let vs: Vec<Sparse> =
                self.states[s].vectors.iter().map(|m| self.member_sparse(m)).collect();
            let (side, cos) = two_means(&vs, 0);
            let moved = side.iter().filter(|x| **x).count();
            if cos < self.config.split_cosine && moved >= min && n - moved >= min {
                self.split_off(s, &side);
            }
        }
    }

    /// Moves the members of story `s` marked in `side` into a new story.
    fn split_off(&mut self, s: usize, side: &[bool]) {
        let old = std::mem::take(&mut self.states[s]);
        let story = std::mem::replace(
            &mut self.stories[s],
            Story { id: String::new(), articles: Vec::new(), why: Vec::new() },
        );
        let mut keep =
            (StoryState::default(), Story { id: story.id, articles: vec![], why: vec![] });
        let mut out =
            (StoryState::default(), Story { id: String::new(), articles: vec![], why: vec![] });
        let members = old
            .arrivals
            .into_iter()
            .zip(old.vectors)
            .zip(story.articles.into_iter().zip(story.why));
        for (((arrival, m), (a, w)), &go) in members.zip(side) {
            let (st, so) = if go { &mut out } else { &mut keep };
            st.arrivals.push(arrival);
            so.articles.push(a);
            so.why.push(w);
            st.vectors.push(m);
        }
        if let Some(first) = out.1.why.first_mut() {
            first.score = 0.0;
            first.shared.clear();
        }
        out.1.id = self.unique_id(out.0.vectors.first().map_or("", |m| m.name.as_str()));
        let t = self.stories.len();
        for (k, (st, so)) in [(s, keep), (t, out)] {
            let st = self.rebuild(k, st);
            if k == t {
                self.stories.push(so);
                self.states.push(st);
            } else {
                self.stories[k] = so;
                self.states[k] = st;
            }
        }
    }

    /// Recomputes a story's centroid, keys, dates and index entries from its members.
    fn rebuild(&mut self, s: usize, mut st: StoryState) -> StoryState {
        let vectors = std::mem::take(&mut st.vectors);
        let arrivals = std::mem::take(&mut st.arrivals);
        let mut fresh = StoryState::default();
        for m in &vectors {
            let v = self.member_vector(m);
            self.index_into(&mut fresh, s, &v, m.date);
        }
        fresh.vectors = vectors;
        fresh.arrivals = arrivals;
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sparse(terms: &[(u32, f32)]) -> Sparse {
        let n = terms.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        terms.iter().map(|&(t, w)| (t, w / n)).collect()
    }

    #[test]
    fn two_means_finds_the_two_groups() {
        // (vectors, expected second half, halves' cosine below)
        type Case = (Vec<Sparse>, Vec<bool>, f32);
        let a = |x: f32| sparse(&[(1, 1.0), (2, 1.0), (3, x), (9, 0.2)]);
        let b = |x: f32| sparse(&[(4, 1.0), (5, 1.0), (6, x), (9, 0.2)]);
        let cases: Vec<Case> = vec![
            (
                vec![a(0.5), b(0.5), a(0.2), b(0.1), a(0.9), b(0.7)],
                vec![false, true, false, true, false, true],
                0.2,
            ),
            (vec![a(0.5), a(0.1), a(0.3), a(0.9)], vec![false; 4], 1.01),
        ];
        for (vs, want, below) in cases {
            let (side, cos) = two_means(&vs, 0);
            if want.iter().any(|x| *x) {
                assert_eq!(side, want);
            }
            assert!(cos < below, "{cos}");
        }
        let (_, cos) = two_means(&[a(0.5), a(0.1), a(0.3), a(0.9)], 0);
        assert!(cos > 0.9, "one event: halves alike ({cos})");
    }
}
