//! Story-level evidence for fact alignment: which words and numbers two sentences of one
//! story share, weighted by how rare they are *in that story*.
//!
//! The same-fact model ([`super::compare`]) was trained on sentence pairs from all kinds of
//! news, so it cannot know that, in a story about one ferry, "ferry", "capsized" and the
//! ship's name are in every sentence and say nothing about which sentences state one fact,
//! while "48,000" or "sandbar" do. [`Anchors`] keeps, per unit, its content terms and
//! numbers with their inverse frequency among the story's units; [`Anchors::score`] blends
//! the model's probability with that weighted overlap, with whether the two sentences'
//! numbers agree and with whether they coordinate the same two rare words ("a free
//! replacement or a full refund" / "a refund or a replacement heater": [`Coordination`]).
//! Hand-written: a few weighted set operations per pair.

use super::compare::features::shared_weights;
use super::compare::{hash, NumberMention, Statement, NEGATION_CAP};
use super::conflicts::{Hedge, EVENTS, PERSONS};
use super::facts::Unit;
use crate::analyze::signature::FastMap;

/// Weight of the model's probability in the blended score (the rest is the overlap): the
/// model also scores unrelated sentences of one story high when they are built alike.
const MODEL_WEIGHT: f32 = 0.4;
/// Added per shared specific number (above ten, or a fraction: "48,000", "23").
const NUMBER_BONUS: f32 = 0.1;
/// Added per shared small number ("two", "3"), which sentences share by chance.
const SMALL_NUMBER_BONUS: f32 = 0.05;
/// Most added for shared numbers.
const MAX_NUMBER_BONUS: f32 = 0.2;
/// Overlap below which shared numbers add nothing ("two kilometres" / "two days").
const MIN_OVERLAP_FOR_NUMBERS: f32 = 0.2;
/// Taken off when both sentences give numbers and share none ("three died" / "the toll
/// rose to five": an update or a conflict, told by the conflict finder, not one fact).
const NUMBER_PENALTY: f32 = 0.1;
/// Least blended score of two units that count one event in people with figures that can
/// both be true, one of them above [`SPECIFIC_COUNT`] ("More than 200 people were on
/// board" / "221 people on board" / "212 passengers and nine crew"): a long sentence that
/// carries the count among other claims shares few words with a short one, yet states it.
const COUNT_FLOOR: f32 = 0.45;
/// Figures up to this are too common to tie two sentences by themselves.
const SPECIFIC_COUNT: f64 = 10.0;
/// Added when two units coordinate the same two rare words, in either order ("a free
/// replacement or a full refund" / "a refund or a replacement heater"): a pairing of two
/// specific things is, like a shared count, rarely met by chance in one story.
const COORDINATION_BONUS: f32 = 0.1;
/// A coordinated word is rare when at most this share of the story's units hold it…
const COORDINATION_RARE: f32 = 0.2;
/// …or at most this many (small stories).
const COORDINATION_RARE_UNITS: u32 = 3;
/// Content words read on each side of a coordinating "and"/"or".
const CONJUNCT_WORDS: usize = 2;
/// Function words skipped right after the conjunction ("or a full refund").
const CONJUNCT_SKIP: usize = 2;

/// The story-weighted terms and the numbers of each unit of one story.
#[derive(Debug, Default)]
pub struct Anchors {
    /// Per unit: (term hash, story weight), sorted by hash, distinct.
    terms: Vec<Vec<(u64, f32)>>,
    /// Per unit: the sum of its term weights, without its neutral terms.
    mass: Vec<f32>,
    /// Per unit: its neutral terms (attribution words) with their weights, sorted by hash.
    neutral: Vec<Vec<(u64, f32)>>,
    /// Per unit: its number values, sorted, distinct (bits of the f64).
    numbers: Vec<Vec<u64>>,
    /// Per unit: its counts of people with the event they count.
    people: Vec<Vec<PeopleCount>>,
    /// Per unit: its coordinations of rare content words.
    coordinations: Vec<Vec<Coordination>>,
}

/// Two conjuncts joined by "and"/"or" in one unit, each as the stem hashes of its content
/// words ([`CONJUNCT_WORDS`] at most on each side: "free replacement" / "full refund"),
/// only the words rare in the story ([`COORDINATION_RARE`]) kept.
#[derive(Debug, Clone, Default, PartialEq)]
struct Coordination {
    left: Vec<u64>,
    right: Vec<u64>,
}

impl Coordination {
    /// Whether two coordinations join the same two words, in either order, with two
    /// different words on the two sides.
    fn matches(&self, other: &Coordination) -> bool {
        let meet = |a: &[u64], b: &[u64]| a.iter().find(|x| b.contains(x)).copied();
        let pairs = [(&other.left, &other.right), (&other.right, &other.left)];
        pairs.iter().any(|(l, r)| match (meet(&self.left, l), meet(&self.right, r)) {
            (Some(x), Some(y)) => x != y,
            _ => false,
        })
    }
}

/// The coordinations of a statement's words ("free replacement or a full refund"): each
/// "and"/"or" with the content words right before it and those right after it (past up to
/// [`CONJUNCT_SKIP`] function words), both sides non-empty, as stem hashes.
fn coordinations(words: &[String]) -> Vec<Coordination> {
    let content = |w: &String| {
        w.chars().any(char::is_alphabetic)
            && w.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !crate::text::is_stopword(w)
    };
    let key = |w: &String| hash(&crate::text::term(w));
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if w != "and" && w != "or" {
            continue;
        }
        let left: Vec<u64> = words[..k]
            .iter()
            .rev()
            .take_while(|w| content(w))
            .take(CONJUNCT_WORDS)
            .map(key)
            .collect();
        let after = words.get(k + 1..).unwrap_or(&[]);
        let skip = after.iter().take(CONJUNCT_SKIP).take_while(|w| !content(w)).count();
        let right: Vec<u64> =
            after[skip..].iter().take_while(|w| content(w)).take(CONJUNCT_WORDS).map(key).collect();
        if !left.is_empty() && !right.is_empty() {
            out.push(Coordination { left, right });
        }
    }
    out
}

/// A count of people a unit gives, hedged ("more than twenty"), with the event it counts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PeopleCount {
    value: f64,
    hedge: Hedge,
    event: &'static str,
}

impl PeopleCount {
    /// Whether two counts of one event can both be true, one of them specific.
    fn agrees(&self, other: &PeopleCount) -> bool {
        self.event == other.event
            && self.value.max(other.value) > SPECIFIC_COUNT
            && (self.hedge.admits(self.value, other.value)
                || other.hedge.admits(other.value, self.value))
    }
}

impl Anchors {
    /// Weighs the terms of `units` by their inverse frequency among them (numbers count as
    /// terms too: a shared count is the best anchor there is).
    pub fn new(units: &[Unit]) -> Anchors {
        Anchors::without(units, &[])
    }

    /// Like [`Anchors::new`], with the terms `neutral[i]` (term hashes) of unit `i` left out
    /// of its mass: they count when both units share them, but cost nothing when only one
    /// has them. The words that attribute a statement ("said Captain Tomas Reyle", "the
    /// coast guard said") are not what it states, and two outlets rarely attribute one fact
    /// alike; when they do, it is evidence still.
    pub fn without(units: &[Unit], neutral: &[Vec<u64>]) -> Anchors {
        let numbers: Vec<Vec<u64>> = units.iter().map(|u| counts(&u.stmt)).collect();
        let people = units.iter().map(|u| people_counts(&u.stmt)).collect();
        let keys: Vec<Vec<u64>> = units
            .iter()
            .zip(&numbers)
            .map(|(u, nums)| {
                let mut k: Vec<u64> = u.stmt.keyed_terms().map(|(h, _)| h).collect();
                k.extend(nums.iter().map(|&v| number_key(f64::from_bits(v))));
                k.sort_unstable();
                k.dedup();
                k
            })
            .collect();
        let mut df: FastMap<u64, u32> = FastMap::default();
        for k in keys.iter().flatten() {
            *df.entry(*k).or_default() += 1;
        }
        let n = units.len() as f32;
        let idf = |k: &u64| (n + 1.0).ln() - (df.get(k).copied().unwrap_or(0) as f32 + 0.5).ln();
        let terms: Vec<Vec<(u64, f32)>> =
            keys.iter().map(|ks| ks.iter().map(|k| (*k, idf(k).max(0.0))).collect()).collect();
        let neutral: Vec<Vec<(u64, f32)>> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let of = neutral.get(i).map_or(&[][..], Vec::as_slice);
                t.iter().filter(|x| of.contains(&x.0)).copied().collect()
            })
            .collect();
        let mass = terms
            .iter()
            .zip(&neutral)
            .map(|(t, n)| t.iter().map(|x| x.1).sum::<f32>() - n.iter().map(|x| x.1).sum::<f32>())
            .collect();
        let most = ((COORDINATION_RARE * n) as u32).max(COORDINATION_RARE_UNITS);
        let rare = |k: &u64| df.get(k).is_some_and(|&d| d <= most);
        // Copies share one statement per text: each is read once.
        let mut seen: FastMap<usize, Vec<Coordination>> = FastMap::default();
        let coordinations = units
            .iter()
            .map(|u| {
                let key = std::ptr::from_ref::<Statement>(&u.stmt) as usize;
                seen.entry(key)
                    .or_insert_with(|| {
                        let mut cs = coordinations(&u.stmt.words);
                        for c in &mut cs {
                            c.left.retain(rare);
                            c.right.retain(rare);
                        }
                        cs.retain(|c| !c.left.is_empty() && !c.right.is_empty());
                        cs
                    })
                    .clone()
            })
            .collect();
        Anchors { terms, mass, numbers, neutral, people, coordinations }
    }

    /// Weighted overlap of units `i` and `j` in [0, 1]: the mean of the shared weight's
    /// share of the lighter unit (a short rewrite inside a long sentence) and of both.
    pub fn overlap(&self, i: usize, j: usize) -> f32 {
        let (Some(a), Some(b)) = (self.terms.get(i), self.terms.get(j)) else { return 0.0 };
        // A key weighs the same in every unit, so either side's shared weight will do.
        let (shared, _, _) = shared_weights(a, b);
        // A neutral term weighs in its unit's mass only when the other unit has it too.
        let met = |n: &[(u64, f32)], other: &[(u64, f32)]| -> f32 {
            n.iter()
                .filter(|x| other.binary_search_by_key(&x.0, |y| y.0).is_ok())
                .map(|x| x.1)
                .sum()
        };
        let (ni, nj) = (&self.neutral[i], &self.neutral[j]);
        let ma = self.mass[i] + if ni.is_empty() { 0.0 } else { met(ni, b) };
        let mb = self.mass[j] + if nj.is_empty() { 0.0 } else { met(nj, a) };
        if ma <= 0.0 || mb <= 0.0 {
            return 0.0;
        }
        let containment = shared / ma.min(mb);
        let dice = 2.0 * shared / (ma + mb);
        ((containment + dice) / 2.0).min(1.0)
    }

    /// Whether the numbers of units `i` and `j` agree: `None` unless both give numbers,
    /// else the values they share (none: they disagree).
    pub fn numbers_agree(&self, i: usize, j: usize) -> Option<Vec<f64>> {
        let (a, b) = (self.numbers.get(i)?, self.numbers.get(j)?);
        if a.is_empty() || b.is_empty() {
            return None;
        }
        Some(a.iter().filter(|v| b.binary_search(v).is_ok()).map(|v| f64::from_bits(*v)).collect())
    }

    /// The aligned score of units `i` and `j` of `units` (the units these anchors were
    /// built from): the model's probability blended with the story-weighted overlap, moved
    /// up or down by the numbers; a pair the model caps for a negation mismatch stays
    /// capped.
    pub fn score(&self, units: &[Unit], i: usize, j: usize) -> f32 {
        self.score_given(units, i, j, units[i].stmt.score(&units[j].stmt))
    }

    /// [`Anchors::score`] with the model's probability `p` of the two statements already
    /// known (`units[i].stmt.score(&units[j].stmt)`).
    pub fn score_given(&self, units: &[Unit], i: usize, j: usize, p: f32) -> f32 {
        let (a, b) = (&units[i].stmt, &units[j].stmt);
        if p <= NEGATION_CAP && a.negation_mismatch(b) {
            return p;
        }
        let overlap = self.overlap(i, j);
        let mut blended = blend(p, overlap, self.numbers_agree(i, j).as_deref());
        if overlap >= MIN_OVERLAP_FOR_NUMBERS && self.coordinations_agree(i, j) {
            blended = (blended + COORDINATION_BONUS).min(1.0);
        }
        if self.counts_agree(i, j) {
            blended.max(COUNT_FLOOR)
        } else {
            blended
        }
    }

    /// Per unit, a candidate key (with weight one) for each event it counts in people, so
    /// that units counting one event meet even when they share no word.
    pub fn count_keys(&self) -> Vec<Vec<(u64, f32)>> {
        let key = |c: &PeopleCount| (hash(&format!("#people {}", c.event)), 1.0);
        self.people.iter().map(|cs| cs.iter().map(key).collect()).collect()
    }

    /// Whether units `i` and `j` coordinate the same two rare words, in either order ("a
    /// free replacement or a full refund" / "a refund or a replacement heater").
    pub fn coordinations_agree(&self, i: usize, j: usize) -> bool {
        let (Some(a), Some(b)) = (self.coordinations.get(i), self.coordinations.get(j)) else {
            return false;
        };
        a.iter().any(|x| b.iter().any(|y| x.matches(y)))
    }

    /// Whether units `i` and `j` count one event in people (killed, injured, missing,
    /// aboard, rescued…) with figures that can both be true, one of them above ten.
    pub fn counts_agree(&self, i: usize, j: usize) -> bool {
        let (Some(a), Some(b)) = (self.people.get(i), self.people.get(j)) else { return false };
        a.iter().any(|x| b.iter().any(|y| x.agrees(y)))
    }
}

/// The counts a statement gives: its numbers' values (bits of the f64), sorted, distinct,
/// without the numbers that are part of a name ("Lumo 2", "March 3": the number follows a
/// capitalised word), with the total of two counts of people joined by "and" ("212
/// passengers and nine crew" also gives 221, the "221 people on board" of another report).
fn counts(stmt: &Statement) -> Vec<u64> {
    let counted = counted(stmt);
    let mut v: Vec<u64> = counted.iter().map(|n| n.value.to_bits()).collect();
    v.extend(people_totals(&stmt.words, &counted).map(|t| t.1.to_bits()));
    v.sort_unstable();
    v.dedup();
    v
}

/// The numbers of a statement that count something: not those that are part of a name
/// ("Lumo 2", "March 3": the number follows a capitalised word).
fn counted(stmt: &Statement) -> Vec<&NumberMention> {
    stmt.numbers
        .iter()
        .filter(|n| {
            let before = n.first.checked_sub(1).and_then(|k| stmt.words.get(k));
            !before.is_some_and(|w| stmt.names.contains(w))
        })
        .collect()
}

/// Events counted in people besides the conflict finder's [`EVENTS`] (killed, injured,
/// missing…): being aboard and being rescued. Outlets state them as one fact in many
/// wordings, but they are not slots whose different figures contradict each other.
const MORE_EVENTS: &[(&str, &[&str])] = &[
    ("aboard", &["aboard", "board", "onboard", "carrying", "carried"]),
    ("rescued", &["rescued", "pulled", "saved", "plucked"]),
];

/// Words right after a count with no noun, whose subject it is ("more than twenty were
/// hurt", "11 were missing").
const BARE: &[&str] = &["were", "was", "are", "is", "had", "have", "has", "remain", "remained"];

/// The counts of people a statement gives (a number before a noun of [`PERSONS`] or before a
/// verb it is the subject of, and the totals of [`people_totals`]), each with the event
/// whose word stands closest to it; counts near no event word are left out.
fn people_counts(stmt: &Statement) -> Vec<PeopleCount> {
    let words = &stmt.words;
    let counted = counted(stmt);
    let mut out = Vec::new();
    let of_people = counted.iter().filter(|n| {
        words
            .get(n.last)
            .is_some_and(|w| PERSONS.contains(&w.as_str()) || BARE.contains(&w.as_str()))
    });
    let singles = of_people.map(|n| (n.first, n.value, Hedge::of(words, n.first)));
    let totals = people_totals(words, &counted).map(|(at, v)| (at, v, Hedge::Exact));
    for (at, value, hedge) in singles.chain(totals) {
        if let Some(event) = nearest_event(words, at) {
            out.push(PeopleCount { value, hedge, event });
        }
    }
    out
}

/// The event class (of [`EVENTS`] and [`MORE_EVENTS`]) whose word stands closest to word
/// `at`, if any (ties: the earlier word).
fn nearest_event(words: &[String], at: usize) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for (i, w) in words.iter().enumerate() {
        let class = EVENTS.iter().chain(MORE_EVENTS).find(|(_, ws)| ws.contains(&w.as_str()));
        if let Some(&(class, _)) = class {
            let d = i.abs_diff(at);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, class));
            }
        }
    }
    best.map(|b| b.1)
}

/// The totals of adjacent counts of people joined by "and": "N <people> and M <people>"
/// (with the index of the first count's first word).
fn people_totals<'a>(
    words: &'a [String],
    numbers: &'a [&NumberMention],
) -> impl Iterator<Item = (usize, f64)> + 'a {
    let people = |k: usize| words.get(k).is_some_and(|w| PERSONS.contains(&w.as_str()));
    numbers.windows(2).filter_map(move |p| {
        let (a, b) = (p[0], p[1]);
        let joined = people(a.last)
            && words.get(a.last + 1).is_some_and(|w| w == "and")
            && b.first == a.last + 2
            && people(b.last);
        joined.then_some((a.first, a.value + b.value))
    })
}

/// The blended score of a model probability `p`, a weighted overlap and the numbers the
/// two sentences share (`None`: one gives none; empty: they disagree).
pub fn blend(p: f32, overlap: f32, shared: Option<&[f64]>) -> f32 {
    let nudge = match shared {
        None => 0.0,
        Some([]) => -NUMBER_PENALTY,
        Some(_) if overlap < MIN_OVERLAP_FOR_NUMBERS => 0.0,
        Some(values) => values
            .iter()
            .map(|&v| if v > 10.0 || v.fract() != 0.0 { NUMBER_BONUS } else { SMALL_NUMBER_BONUS })
            .sum::<f32>()
            .min(MAX_NUMBER_BONUS),
    };
    (MODEL_WEIGHT * p + (1.0 - MODEL_WEIGHT) * overlap + nudge).clamp(0.0, 1.0)
}

/// A term key for a number value (never equal to a word's hash in practice: words are
/// hashed from their letters, this from the value's bits with a tag).
fn number_key(value: f64) -> u64 {
    hash(&format!("#{}", value.to_bits()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthesize::compare::Statement;
    use crate::synthesize::facts::tests::batch_of;
    use crate::synthesize::facts::units;

    /// One story of one-line articles; returns the blended score of every pair of lines
    /// (first line of article `a`, first line of article `b`).
    fn scores(texts: &[&str]) -> (Vec<Unit>, Anchors) {
        let (batch, story) = batch_of(texts, (0..texts.len()).map(|i| vec![i]).collect());
        let u = units(&batch, &story.story.articles);
        let a = Anchors::new(&u);
        (u, a)
    }

    /// A ferry story where every sentence names the ferry and the estuary: the rare words
    /// decide which sentences are one fact.
    const STORY: &[&str] = &[
        "The Brisa Hale ferry capsized in the Lenn estuary, injuring 23 people on the Brisa Hale ferry.",
        "In the Lenn estuary the Brisa Hale ferry hit a sandbar, hurting 23 passengers of the Brisa Hale.",
        "The Brisa Hale ferry operator in the Lenn estuary cancelled every crossing of the Brisa Hale route.",
        "Crossings of the Brisa Hale ferry route in the Lenn estuary were all cancelled by the operator.",
    ];

    #[test]
    fn rare_shared_words_outweigh_story_words() {
        let (u, a) = scores(STORY);
        let at = |art: usize| u.iter().position(|x| x.article == art).unwrap_or(usize::MAX);
        let (i0, i1, i2, i3) = (at(0), at(1), at(2), at(3));
        // (pair, must be the higher of the two)
        let table = [((i2, i3), (i0, i2)), ((i0, i1), (i1, i3))];
        for (hi, lo) in table {
            assert!(
                a.overlap(hi.0, hi.1) > a.overlap(lo.0, lo.1),
                "{hi:?} {} vs {lo:?} {}",
                a.overlap(hi.0, hi.1),
                a.overlap(lo.0, lo.1)
            );
        }
        assert_eq!(a.numbers_agree(i0, i1), Some(vec![23.0]));
        assert_eq!(a.numbers_agree(i0, i2), None);
        // A number that is part of a name is no count.
        let (u, a) = scores(&[
            "Brightfold recalled 48,000 Lumo 2 heaters after 12 reports of overheating units.",
            "Brightfold says 48,000 units are affected and that it knows of 12 incidents.",
            "The Lumo 2 heater was launched last autumn by the company Brightfold.",
        ]);
        let _ = &u;
        assert_eq!(a.numbers_agree(0, 1), Some(vec![12.0, 48000.0]));
        assert_eq!(a.numbers_agree(0, 2), None);
        // Counts of people joined by "and" add up; other pairs of numbers do not.
        let table: &[(&str, &[f64])] = &[
            ("The ferry carried 212 passengers and nine crew to the island.", &[9.0, 212.0, 221.0]),
            (
                "Police said 12 soldiers and 30 civilians were killed in the raid.",
                &[12.0, 30.0, 42.0],
            ),
            ("Three people died and 11 were missing after the ferry capsized.", &[3.0, 11.0]),
            ("The ferry carried 212 passengers on 3 decks and nine crew.", &[3.0, 9.0, 212.0]),
        ];
        for (text, want) in table {
            let got: Vec<f64> =
                counts(&Statement::new(text)).into_iter().map(f64::from_bits).collect();
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn counts_of_one_event_agree_when_both_can_be_true() {
        // (a, b, whether they count one event with figures that can both be true)
        let table = [
            (
                "More than 200 people were on board.",
                "The ferry sank with 221 people on board.",
                true,
            ),
            (
                "It was carrying 212 passengers and nine crew when it overturned.",
                "The ferry sank with 221 people on board.",
                true,
            ),
            ("More than twenty were hurt, most with cuts.", "23 people were injured.", true),
            ("About 40 people were killed in the blast.", "The blast killed 44 people.", true),
            // Other nouns of people (a rewrite's synonyms).
            (
                "Fourteen individuals were hurt, four of them gravely.",
                "14 people were injured.",
                true,
            ),
            (
                "It was carrying 212 travellers and nine crew members.",
                "The ferry sank with 221 people on board.",
                true,
            ),
            // Different events, or figures that cannot both be true.
            (
                "More than 200 people were on board.",
                "Crews pulled 207 people from the water.",
                false,
            ),
            ("Fourteen people were injured.", "19 people had been treated for injuries.", false),
            ("More than twenty were hurt.", "More than twenty were killed.", false),
            // Small figures tie nothing; counts near no event word are not counted.
            ("Three people died on the ferry.", "Three people died in the storm.", false),
            ("An island of about 6,000 people.", "Its 6,000 residents rely on the ferry.", false),
        ];
        for (a, b, want) in table {
            let (_, anchors) = scores(&[a, b]);
            assert_eq!(anchors.counts_agree(0, 1), want, "{a} | {b}");
        }
    }

    #[test]
    fn attribution_words_cost_nothing_unless_shared() {
        let texts = [
            "“Every one of the 64 passengers has been accounted for,” said Captain Tomas Reyle.",
            "The coast guard said every passenger had been accounted for by early evening.",
            "Lenn Estuary Ferries said it had cancelled all sailings on the route.",
            "Lenn Estuary Ferries said it had cancelled every crossing of the route.",
        ];
        let (u, plain) = scores(&texts);
        let at = |art: usize| u.iter().position(|x| x.article == art).unwrap_or(usize::MAX);
        let h = |w: &str| hash(&crate::text::term(w));
        let mut neutral = vec![Vec::new(); u.len()];
        neutral[at(0)] = ["said", "captain", "tomas", "reyle"].map(h).to_vec();
        neutral[at(1)] = ["coast", "guard", "said"].map(h).to_vec();
        neutral[at(2)] = ["lenn", "estuary", "ferries", "said"].map(h).to_vec();
        neutral[at(3)] = neutral[at(2)].clone();
        let a = Anchors::without(&u, &neutral);
        // Different attributions: the statements meet better without them.
        assert!(a.overlap(at(0), at(1)) > plain.overlap(at(0), at(1)) + 0.05);
        // One attribution: shared, it counts as before.
        let (x, y) = (at(2), at(3));
        assert!((a.overlap(x, y) - plain.overlap(x, y)).abs() < 1e-6, "{}", a.overlap(x, y));
    }

    /// Prints the scored unit pairs of each story of a corpus (`CORPUS`, default the
    /// example corpus) for tuning: blended score, model probability, overlap, numbers; the
    /// pairs scoring at least `MIN` (default 0.3).
    #[test]
    #[ignore]
    fn print_corpus_pairs() {
        let dir = std::env::var("CORPUS")
            .unwrap_or_else(|_| format!("{}/../../examples/corpus", env!("CARGO_MANIFEST_DIR")));
        let min: f32 = std::env::var("MIN").ok().and_then(|m| m.parse().ok()).unwrap_or(0.3);
        let ingested = crate::ingest::read_inputs(&[std::path::PathBuf::from(dir)]);
        let batch = crate::pipeline::Batch::build(
            ingested.articles,
            &crate::pipeline::PipelineConfig::default(),
        );
        let stories = crate::pipeline::derive_stories(&batch, crate::pipeline::cluster(&batch));
        for st in &stories {
            let u = units(&batch, &st.story.articles);
            let a = crate::synthesize::facts::story_anchors(&batch, &u);
            let text = |i: usize| {
                let t = u[i].span.slice(&batch.repaired[u[i].article].text);
                t.chars().take(70).collect::<String>()
            };
            println!("=== {}", st.story.id);
            for f in crate::synthesize::facts::align_units(&batch, st, &u) {
                let arts: Vec<&str> = f.support.iter().map(|s| &s.article[..3]).collect();
                println!("FACT [{}] {} {arts:?}", f.independent_support, f.text);
            }
            for i in 0..u.len() {
                for j in i + 1..u.len() {
                    let (oi, oj) = (st.origin_of(u[i].article), st.origin_of(u[j].article));
                    if oi == oj {
                        continue;
                    }
                    let b = a.score(&u, i, j);
                    if b >= min {
                        let p = u[i].stmt.score(&u[j].stmt);
                        println!(
                            "{b:.2} p{p:.2} o{:.2} n{:?} c{} | {} | {}",
                            a.overlap(i, j),
                            a.numbers_agree(i, j),
                            a.counts_agree(i, j),
                            text(i),
                            text(j)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_nudge_and_negation_stays_capped() {
        let table: &[(f32, f32, Option<&[f64]>, f32)] = &[
            (0.4, 0.4, Some(&[48000.0]), 0.5),
            (0.4, 0.4, Some(&[2.0]), 0.45),
            (0.4, 0.4, Some(&[48000.0, 12.0, 2.0]), 0.6),
            (0.4, 0.1, Some(&[48000.0]), 0.22),
            (0.4, 0.4, Some(&[]), 0.3),
            (0.4, 0.4, None, 0.4),
            (1.0, 1.0, Some(&[23.0]), 1.0),
            (0.0, 0.0, Some(&[]), 0.0),
        ];
        for &(p, o, n, want) in table {
            assert!((blend(p, o, n) - want).abs() < 1e-6, "{p} {o} {n:?} {}", blend(p, o, n));
        }
        let (u, a) = scores(&[
            "The port of Caldport will reopen to ferries on Monday morning, officials said.",
            "The port of Caldport will not reopen to ferries on Monday morning, officials said.",
        ]);
        assert!(a.score(&u, 0, 1) <= NEGATION_CAP, "{}", a.score(&u, 0, 1));
    }

    #[test]
    fn coordinations_read_both_conjuncts() {
        let h = |w: &str| hash(&crate::text::term(w));
        // (text, (left, right) words of each coordination)
        type Case = (&'static str, &'static [(&'static [&'static str], &'static [&'static str])]);
        let table: &[Case] = &[
            (
                "Owners may register for a free replacement or a full refund.",
                &[(&["replacement", "free"], &["full", "refund"])],
            ),
            (
                "Owners can claim a refund or a replacement heater at the shop.",
                &[(&["refund"], &["replacement", "heater"])],
            ),
            ("Three people died and 11 were missing.", &[(&["died", "people"], &["missing"])]),
            ("It was cold and the sea was rough.", &[(&["cold"], &["sea"])]),
            ("They came and went.", &[(&["came"], &["went"])]),
            ("It is what it is and that is all.", &[]),
        ];
        for (text, want) in table {
            let words = Statement::new(text).words;
            let got = coordinations(&words);
            let want: Vec<Coordination> = want
                .iter()
                .map(|(l, r)| Coordination {
                    left: l.iter().map(|w| h(w)).collect(),
                    right: r.iter().map(|w| h(w)).collect(),
                })
                .collect();
            assert_eq!(got, want, "{text}");
        }
        let c = |l: &[&str], r: &[&str]| Coordination {
            left: l.iter().map(|w| h(w)).collect(),
            right: r.iter().map(|w| h(w)).collect(),
        };
        // (a, b, whether they join the same two words)
        let table = [
            (c(&["replacement"], &["refund"]), c(&["refund"], &["replacement", "heater"]), true),
            (c(&["replacement"], &["refund"]), c(&["replacement"], &["refund"]), true),
            (c(&["replacement"], &["refund"]), c(&["replacement"], &["heater"]), false),
            (c(&["refund"], &["refund"]), c(&["refund"], &["refund"]), false),
        ];
        for (a, b, want) in table {
            assert_eq!(a.matches(&b), want, "{a:?} {b:?}");
            assert_eq!(b.matches(&a), want, "{b:?} {a:?}");
        }
    }

    #[test]
    fn the_same_two_rare_words_coordinated_lift_a_pair() {
        let story = [
            "Owners are asked to unplug the heaters and register for a free replacement or a full refund.\nThe heaters were sold in shops across the country last winter.\nThe company said the heaters can overheat when switched on remotely.",
            "Owners can claim a refund or a replacement heater through the website or at the shop.\nThe heaters overheat when they are controlled from a phone, owners said.\nA heater left a scorch mark on a living room floor.",
            "Heaters and phones were blamed, owners said.\nThe heaters were recalled and the company apologised to owners.",
        ];
        let (u, a) = scores(&story);
        let at = |art: usize, needle: &str| {
            u.iter()
                .position(|x| x.article == art && x.stmt.words.iter().any(|w| w == needle))
                .unwrap_or(usize::MAX)
        };
        let (refund0, refund1) = (at(0, "refund"), at(1, "refund"));
        assert!(a.coordinations_agree(refund0, refund1));
        assert!(a.score(&u, refund0, refund1) >= crate::synthesize::facts::FACT_THRESHOLD);
        // Common words of the story coordinated alike are no evidence.
        let (phones, recalled) = (at(2, "phones"), at(2, "recalled"));
        for x in [phones, recalled] {
            for y in (0..u.len()).filter(|&y| u[y].article != 2) {
                assert!(!a.coordinations_agree(x, y), "{x} {y}");
            }
        }
    }
}
