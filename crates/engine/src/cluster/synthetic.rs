//! A deterministic synthetic news stream for throughput tests: many stories (each with its
//! own invented names, places and figures over a shared topic vocabulary), reported by
//! independent articles, verbatim copies and synonym-spun rewrites, interleaved in time.

use chrono::{Duration, NaiveDate};

use crate::analyze::signature::mix;
use crate::record::Article;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(1);
        mix(self.0)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ten", "vor", "sa", "du", "bel", "nik", "or", "ta", "zan", "pe", "gri",
    "hal", "mu", "sen", "dro", "vi",
];
const TOPIC: &[&str] = &[
    "earthquake",
    "election",
    "strike",
    "flood",
    "trial",
    "merger",
    "protest",
    "fire",
    "summit",
    "arrest",
    "storm",
    "crash",
    "vote",
    "deal",
    "outbreak",
    "attack",
];
/// Size of the general vocabulary independent reports draw their own wording from.
const VOCAB: usize = 4000;

fn name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s: String = (0..n).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect();
    if let Some(f) = s.get(..1) {
        s = f.to_uppercase() + s.get(1..).unwrap_or("");
    }
    s
}

/// The `k`-th general word: a pronounceable lowercase string.
fn word(k: usize) -> String {
    let mut x = k + 1;
    let mut s = String::new();
    while x > 0 {
        s.push_str(SYLLABLES[x % SYLLABLES.len()]);
        x /= SYLLABLES.len();
    }
    s
}

struct Event {
    topic: &'static str,
    people: Vec<String>,
    place: String,
    figure: u32,
}

/// One sentence of an independent report: the event's names and figures among words of
/// the writer's own choice (Zipf-like over the general vocabulary).
fn sentence(rng: &mut Rng, e: &Event) -> String {
    let len = 10 + rng.below(14);
    let mut words: Vec<String> = Vec::with_capacity(len);
    for _ in 0..len {
        let r = rng.below(100);
        words.push(match r {
            0..=4 => e.people[rng.below(e.people.len())].clone(),
            5..=7 => e.place.clone(),
            8..=9 => e.topic.to_string(),
            10 => e.figure.to_string(),
            _ => {
                let u = rng.below(1000) as f64 / 1000.0;
                word((u * u * VOCAB as f64) as usize)
            }
        });
    }
    let mut text = words.join(" ");
    if let Some(f) = text.get(..1) {
        text = f.to_uppercase() + text.get(1..).unwrap_or("");
    }
    text + "."
}

/// A machine spin: every third-ish general word replaced by a "synonym" (a word picked by
/// its hash), names, figures and sentence structure kept.
fn spin(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let h = crate::analyze::signature::hash_str(w);
            let lower = w.chars().all(|c| c.is_lowercase() || c == '.');
            if lower && h.is_multiple_of(3) {
                let rep = word((h >> 8) as usize % VOCAB);
                if w.ends_with('.') {
                    rep + "."
                } else {
                    rep
                }
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `n` articles over about `n / 8` stories: 60 % independent reports, 25 % copies (with a
/// changed last sentence), 15 % spun rewrites; dated within a few days of their story.
pub fn synthetic_stream(n: usize, seed: u64) -> Vec<Article> {
    Synthetic::new(n, seed).map(|(a, _)| a).collect()
}

/// [`synthetic_stream`] with the story index each article was generated from.
pub fn synthetic_labelled(n: usize, seed: u64) -> Vec<(Article, usize)> {
    Synthetic::new(n, seed).collect()
}

/// The synthetic stream generated lazily, one `(article, story index)` at a time: it keeps
/// only each story's latest text (what copies and spins are made from), so a 100k-article
/// stream never has to sit in memory at once.
pub struct Synthetic {
    rng: Rng,
    n: usize,
    next: usize,
    events: Vec<Event>,
    /// The latest article text of each story.
    last: Vec<Option<String>>,
    base: NaiveDate,
}

impl Synthetic {
    /// The stream of `n` articles generated from `seed`.
    pub fn new(n: usize, seed: u64) -> Synthetic {
        let mut rng = Rng(mix(seed));
        let stories = (n / 8).max(1);
        let events: Vec<Event> = (0..stories)
            .map(|_| Event {
                topic: TOPIC[rng.below(TOPIC.len())],
                people: (0..3).map(|_| format!("{} {}", name(&mut rng), name(&mut rng))).collect(),
                place: name(&mut rng),
                figure: 10 + rng.below(5000) as u32,
            })
            .collect();
        let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
        Synthetic { rng, n, next: 0, last: vec![None; stories], events, base }
    }
}

impl Iterator for Synthetic {
    type Item = (Article, usize);

    fn next(&mut self) -> Option<(Article, usize)> {
        let (i, n, stories) = (self.next, self.n, self.events.len());
        if i >= n {
            return None;
        }
        self.next += 1;
        let rng = &mut self.rng;
        // Stories open in sequence and stay active for a while: a sliding window of events.
        let window = 40.min(stories);
        let s = (i * stories / n.max(1) + rng.below(window)).min(stories - 1);
        let e = &self.events[s];
        let roll = rng.below(100);
        let text = match &self.last[s] {
            Some(t) if roll < 25 => {
                let cut = t.rfind(". ").map_or(t.len(), |c| c + 1);
                format!("{} {}", t.get(..cut).unwrap_or(t), sentence(rng, e))
            }
            Some(t) if roll < 40 => spin(t),
            _ => (0..8 + rng.below(10)).map(|_| sentence(rng, e)).collect::<Vec<_>>().join(" "),
        };
        self.last[s] = Some(text.clone());
        let mut a = Article::new(format!("syn-{i}"), text);
        a.date = Some(self.base + Duration::days((s / 4) as i64 + rng.below(3) as i64));
        a.source = Some(format!("outlet-{}", rng.below(50)));
        Some((a, s))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.n - self.next;
        (left, Some(left))
    }
}
