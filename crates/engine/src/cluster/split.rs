//! End-of-stream split of stories that hold two events. When two occurrences of one kind
//! of event arrive back to back (two earthquakes, two arrests), the second one's reports
//! join the first story, whose centroid is already strong, and no second story ever opens.
//! When the stream ends each large story is bisected (the sign of its members' first
//! principal component, refined by spherical 2-means; hand-written: a few lines over the
//! sparse vectors the clusterer already keeps). The story is split when the two halves'
//! centroids are far apart, or when each half has names of its own: two occurrences of
//! one kind of event share topic words (and so similar centroids) but differ in who and
//! where, so names that many members of one half repeat and no member of the other half
//! has are evidence of two events; the evidence is weighed by how unlikely such a
//! one-sided spread is by chance. The half holding the first article keeps the id.

use super::recheck::Member;
use super::{Clusterer, StoryState};
use chrono::NaiveDate;

use crate::analyze::signature::{FastMap, FastSet};
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
    let side: Vec<bool> = to_seed.iter().map(|&x| (x < median) != far_first).collect();
    refine(vs, side)
}

/// Spherical 2-means from the sign of the members' first principal component (power
/// iteration on the centred Gram matrix of cosines): the direction along which members
/// vary most, which for two events of one kind is the names and figures that set them
/// apart. Returns which members go to the second half and the halves' centroid cosine.
pub(super) fn bisect(vs: &[Sparse]) -> (Vec<bool>, f32) {
    let n = vs.len();
    if n < 2 {
        return (vec![false; n], 1.0);
    }
    let mut gram = vec![0.0f32; n * n];
    for i in 0..n {
        for j in i..n {
            let x = dot(&vs[i], &vs[j]);
            gram[i * n + j] = x;
            gram[j * n + i] = x;
        }
    }
    let row: Vec<f32> =
        (0..n).map(|i| gram[i * n..(i + 1) * n].iter().sum::<f32>() / n as f32).collect();
    let all = row.iter().sum::<f32>() / n as f32;
    for i in 0..n {
        for j in 0..n {
            gram[i * n + j] += all - row[i] - row[j];
        }
    }
    // Start from the member least like the rest (a deterministic, non-degenerate start).
    let mut x: Vec<f32> = (0..n).map(|i| gram[i * n + i] + (i as f32 + 1.0) * 1e-3).collect();
    for _ in 0..60 {
        let mut y: Vec<f32> = (0..n)
            .map(|i| gram[i * n..(i + 1) * n].iter().zip(&x).map(|(a, b)| a * b).sum())
            .collect();
        let len = y.iter().map(|v| v * v).sum::<f32>().sqrt();
        if len < 1e-9 {
            break;
        }
        y.iter_mut().for_each(|v| *v /= len);
        x = y;
    }
    let flip = x[0] > 0.0;
    let side: Vec<bool> = x.iter().map(|&v| (v > 0.0) != flip).collect();
    refine(vs, side)
}

/// Stories above this many members are bisected by [`two_means`] (linear per iteration)
/// instead of [`bisect`] (quadratic: a Gram matrix of all member pairs).
const GRAM_MAX: usize = 400;

/// How strongly each half of `side` has names of its own: for each side, the sum over
/// named terms (some member's keys) that at least two of its members have and no member
/// of the other side has, of `-ln` of the chance that all `k` holders fall on that side
/// (`Π (a − i) / (n − i)`, `a` the side's size); returns the smaller of the two sums.
pub(super) fn name_contrast(ms: &[Member], side: &[bool]) -> f32 {
    let named: FastSet<u32> = ms.iter().flat_map(|m| m.keys.iter().copied()).collect();
    let mut count: FastMap<u32, [u32; 2]> = FastMap::default();
    for (m, &s) in ms.iter().zip(side) {
        for &(t, _) in m.raw.iter().filter(|x| named.contains(&x.0)) {
            count.entry(t).or_default()[usize::from(s)] += 1;
        }
    }
    let n = side.len() as f32;
    let b = side.iter().filter(|x| **x).count() as f32;
    let size = [n - b, b];
    let surprise = |a: f32, k: u32| -> f32 {
        (0..k).map(|i| -((a - i as f32) / (n - i as f32)).max(1e-9).ln()).sum()
    };
    let mut total = [0.0f32; 2];
    for c in count.values() {
        for s in 0..2 {
            if c[s] >= 2 && c[1 - s] == 0 {
                total[s] += surprise(size[s], c[s]);
            }
        }
    }
    total[0].min(total[1])
}

/// Spherical 2-means iterations from `side` (member 0 pinned to the first half).
fn refine(vs: &[Sparse], mut side: Vec<bool>) -> (Vec<bool>, f32) {
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
    /// a centroid cosine below `split_cosine` or names of their own (`split_evidence`),
    /// unless the halves are dated within days of each other and share their key names.
    pub(super) fn split_stories(&mut self) {
        let min = self.config.split_min.max(1);
        for s in 0..self.stories.len() {
            let n = self.states[s].vectors.len();
            if n < 2 * min {
                continue;
            }
            let vs: Vec<Sparse> =
                self.states[s].vectors.iter().map(|m| self.member_sparse(m)).collect();
            let (side, cos) = if n <= GRAM_MAX { bisect(&vs) } else { two_means(&vs, 0) };
            let moved = side.iter().filter(|x| **x).count();
            if moved < min || n - moved < min {
                continue;
            }
            let ms = &self.states[s].vectors;
            let apart = cos < self.config.split_cosine
                || name_contrast(ms, &side) >= self.config.split_evidence;
            if apart && !self.same_days_same_names(ms, &side) {
                self.split_off(s, &side);
            }
        }
    }

    /// Whether both halves of `side` are dated within `grace_days` of each other and share
    /// two key names of the story's own (at least half the members of each half have each,
    /// and at most half the documents that have it are outside the story: a ship's name,
    /// not a common word; two, because one name can be a coincidence): then they are one
    /// event told by reports with names of their own (a local paper's hospital, a
    /// follow-up's investigators), as the online assignment's key agreement also holds.
    fn same_days_same_names(&self, ms: &[Member], side: &[bool]) -> bool {
        let mut range: [Option<(NaiveDate, NaiveDate)>; 2] = [None, None];
        let mut keys: [FastMap<u32, u32>; 2] = Default::default();
        let mut size = [0u32; 2];
        for (m, &s) in ms.iter().zip(side) {
            let h = usize::from(s);
            size[h] += 1;
            for &k in &m.keys {
                *keys[h].entry(k).or_default() += 1;
            }
            if let Some(d) = m.date {
                range[h] = Some(range[h].map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
            }
        }
        let (Some(a), Some(b)) = (range[0], range[1]) else {
            return false;
        };
        let gap = (b.0 - a.1).num_days().max((a.0 - b.1).num_days()).max(0);
        if gap as f32 > self.config.grace_days {
            return false;
        }
        let own = |k: u32| self.vocab.df(k) as usize <= 2 * ms.len();
        let shared = keys[0].iter().filter(|&(&k, &n)| {
            2 * n >= size[0] && keys[1].get(&k).is_some_and(|&m| 2 * m >= size[1]) && own(k)
        });
        shared.count() >= 2
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
            for (side, cos) in [two_means(&vs, 0), bisect(&vs)] {
                if want.iter().any(|x| *x) {
                    assert_eq!(side, want);
                }
                assert!(cos < below, "{cos}");
            }
        }
        let (_, cos) = two_means(&[a(0.5), a(0.1), a(0.3), a(0.9)], 0);
        assert!(cos > 0.9, "one event: halves alike ({cos})");
        assert_eq!(bisect(&[]), (vec![], 1.0));
        assert_eq!(bisect(&[a(0.5)]).0, vec![false]);
    }

    /// A member whose vector has `terms` and whose keys (names) are `keys`.
    fn member(terms: &[u32], keys: &[u32]) -> Member {
        Member {
            raw: terms.iter().map(|&t| (t, 1.0)).collect(),
            keys: keys.to_vec(),
            date: None,
            name: String::new(),
        }
    }

    #[test]
    fn name_contrast_weighs_names_of_their_own() {
        // (members, side, contrast at least, contrast below)
        type Case = (Vec<Member>, Vec<bool>, f32, f32);
        let two = [false, false, false, true, true, true];
        let cases: Vec<Case> = vec![
            // Two events: each half repeats two names the other never has.
            (
                [[1, 10, 11], [1, 10, 11], [1, 10, 11], [1, 20, 21], [1, 20, 21], [1, 20, 21]]
                    .iter()
                    .map(|t| member(t, &t[1..]))
                    .collect(),
                two.to_vec(),
                2.0 * (20.0f32).ln(),
                2.0 * (20.0f32).ln() + 1e-3,
            ),
            // One event: every member has the same names; halves differ in topic words only.
            (
                [[1, 10, 2], [1, 10, 2], [1, 10, 2], [1, 10, 3], [1, 10, 3], [1, 10, 3]]
                    .iter()
                    .map(|t| member(t, &[10]))
                    .collect(),
                two.to_vec(),
                0.0,
                1e-6,
            ),
            // Names of its own on one side only: no evidence (the smaller side counts).
            (
                [&[1, 10][..], &[1, 10], &[1, 10], &[1], &[1], &[1]]
                    .iter()
                    .map(|t| member(t, &[10]))
                    .collect(),
                two.to_vec(),
                0.0,
                1e-6,
            ),
            // A name held by a single member is no evidence.
            (
                [&[1, 10][..], &[1], &[1], &[1, 20], &[1], &[1]]
                    .iter()
                    .map(|t| member(t, t))
                    .collect(),
                two.to_vec(),
                0.0,
                1e-6,
            ),
        ];
        for (k, (ms, side, low, high)) in cases.iter().enumerate() {
            let c = name_contrast(ms, side);
            assert!(c >= *low && c < *high, "case {k}: {c}");
        }
    }
}
